"""Propositions 1-3 of *The Power of Non-Superpowers*: the closed forms against the solver.

Every threshold is probed just inside each region (EPS away); the points where a country
is exactly indifferent are tested on their own, with the fast solver and the exact
reference (docs/club_theory.md states each proposition precisely).
"""

from fractions import Fraction

import numpy as np
import pytest

from games.club import World, solve, solve_many
from games.club import theory as th
from games.club.reference import ExactWorld
from games.club.reference import solve as exact_solve

EPS = 1e-6
ODD_N = [5, 7, 9, 11, 15, 21, 31, 41, 51]


def sym(n, g):
    return solve(World.symmetric(n, g))


def exact(n, g_a, g_b=None, omega=1):
    """Section 3's world on exact rationals; a and countries 1, ..., (n-1)/2 have endowment ``omega``."""
    half = (n - 1) // 2
    return exact_solve(ExactWorld.on_line(
        [Fraction(i, n) for i in range(1, n)], [Fraction(i, n) for i in range(n + 1)],
        [[g_a] * (n - 1), [g_a if g_b is None else g_b] * (n - 1)], [omega] * half + [1] * (n - 1 - half), [omega, 1], [0, 1]))


def sizes(outcome):
    return tuple(len(club) for club in outcome.clubs)


# --------------------------------------------------------------------------- Proposition 1
@pytest.mark.parametrize("n", ODD_N)
def test_prop1_no_hegemon_below_g_U(n):
    for g in (0.0, th.g_unipolar(n) / 2, th.g_unipolar(n) - EPS):
        o = sym(n, g)
        assert o.index_a is None and o.index_b is None
        assert o.size_a == o.size_b == 0


@pytest.mark.parametrize("n", ODD_N)
def test_prop1_unipolar_between_g_U_and_g_B(n):
    g_u, g_b = th.g_unipolar(n), th.g_bipolar(n)
    for g in (g_u + EPS, (g_u + g_b) / 2, g_b - EPS):
        o = sym(n, g)
        assert o.index_a is not None and o.index_b is None, g
        assert o.size_a > 0 and o.size_b == 0
        assert o.location_a <= 0.5  # never more than halfway from home


@pytest.mark.parametrize("n", ODD_N)
def test_prop1_a_compromises_to_the_centre_at_g_U(n):
    o = sym(n, th.g_unipolar(n) + EPS)
    assert o.location_a == pytest.approx((n - 1) / (2 * n))


@pytest.mark.parametrize("n", ODD_N)
def test_prop1_bipolar_one_step_from_home_between_g_B_and_g_Bh(n):
    g_b, g_h = th.g_bipolar(n), th.g_bipolar_home(n)
    for g in (g_b + EPS, (g_b + g_h) / 2, g_h - EPS):
        o = sym(n, g)
        assert o.location_a == pytest.approx(1 / n) and o.location_b == pytest.approx((n - 1) / n), g
        assert o.size_a == o.size_b == (n - 1) // 2


@pytest.mark.parametrize("n", ODD_N)
def test_prop1_bipolar_at_home_from_g_Bh(n):
    for g in (th.g_bipolar_home(n) + EPS, (th.g_bipolar_home(n) + 1) / 2, 1.0):
        o = sym(n, g)
        assert (o.location_a, o.location_b) == (0.0, 1.0)
        assert o.size_a == o.size_b == (n - 1) // 2


def prop1_holds(n, g, o) -> bool:
    """Everything Proposition 1 states at g (locations, who forms a club, equal halves)."""
    g = float(g)  # the thresholds are correctly rounded quotients: an exact threshold compares equal
    if g < th.g_unipolar(n):
        return o.index_a is None and o.index_b is None
    if g <= th.g_bipolar(n):
        centre = g > th.g_unipolar(n) or o.location_a == pytest.approx((n - 1) / (2 * n))
        return o.index_a is not None and o.index_b is None and centre
    half = (n - 1) // 2
    at = (1, n - 1) if g < th.g_bipolar_home(n) else (0, n)
    return (o.index_a, o.index_b) == at and o.size_a == o.size_b == half


@pytest.mark.parametrize("n", ODD_N)
def test_prop1_3_fails_at_each_exception(n):
    """At each exception a alone keeps all n - 1 countries; 1e-7 to either side the proposition holds."""
    points = th.bipolar_exceptions(n)
    assert points and all(th.g_bipolar(n) < g < th.g_bipolar_home(n) for g in points)
    at = solve_many([World.symmetric(n, float(g)) for g in points])
    for g, o in zip(points, at):
        assert o.index_b is None and o.size_a == n - 1, (g, o.summary())
        assert 1 / n < o.location_a < 0.5
    beside = [float(g) + side for g in points for side in (-1e-7, 1e-7)]
    for g, o in zip(beside, solve_many([World.symmetric(n, g) for g in beside])):
        assert prop1_holds(n, g, o), (g, o.summary())


def test_prop1_3_exceptions_as_the_issue_and_docs_list_them():
    assert th.bipolar_exceptions(11) == [Fraction(11, 40)]
    assert th.bipolar_exceptions(13) == [Fraction(13, 54), Fraction(13, 50)]
    assert th.bipolar_exceptions(31) == [Fraction(31, 270), Fraction(31, 266), Fraction(31, 260)]
    assert [len(th.bipolar_exceptions(n)) for n in (5, 39, 41, 51)] == [1, 3, 4, 4]


@pytest.mark.parametrize("n, g, index_a", [(11, Fraction(11, 40), 3), (13, Fraction(13, 54), 4), (13, Fraction(13, 50), 4)])
def test_prop1_3_exceptions_on_exact_rationals(n, g, index_a):
    """The exact reference: country c is indifferent, a sits at index_a / n with everyone, b has no club."""
    o = exact(n, g)
    assert o.indices == (index_a, None) and sizes(o) == (n - 1, 0)
    for side in (-Fraction(1, 10**7), Fraction(1, 10**7)):
        near = exact(n, g + side)
        assert near.indices == (1, n - 1) and sizes(near) == ((n - 1) // 2,) * 2


@pytest.mark.parametrize("n", [5, 7, 9, 11, 13])
def test_prop1_holds_everywhere_else(n):
    """Every indifference point in [0, 1] and one g between each two: Proposition 1 fails only at the exceptions.

    Between neighbouring indifference points the equilibrium cannot change, so this decides
    every g in [0, 1]; up to n = 13 the points lie far enough apart (>= 1e-7) for the
    solver's tolerance of 1e-9 to decide each comparison as the exact numbers do.
    """
    points = th.indifference_points(n)
    probes = points + [(x + y) / 2 for x, y in zip(points, points[1:])]
    outcomes = solve_many([World.symmetric(n, float(g)) for g in probes])
    failing = sorted(g for g, o in zip(probes, outcomes) if not prop1_holds(n, g, o))
    assert failing == th.bipolar_exceptions(n)


def test_prop1_thresholds_are_ordered():
    for n in ODD_N:
        assert 0 < th.g_unipolar(n) < th.g_bipolar(n) < th.g_bipolar_home(n) < 1


# --------------------------------------------------------------------------- Proposition 2
PROP2_N = [11, 13, 21, 31, 41]


def asym(n, g):
    return solve(World.symmetric(n, g, 1 - g))


@pytest.mark.parametrize("n", PROP2_N)
def test_prop2_thresholds_are_ordered_as_stated(n):
    chain = [th.g_b_unipolar(n), th.g_a_home(n), th.g_equal_low(n), th.g_equal_high(n), th.g_b_home(n), th.g_a_unipolar(n)]
    assert 0 < chain[0] and chain[-1] < 1
    assert chain == sorted(chain)
    # the first-mover advantage the paper states
    assert th.g_b_unipolar(n) < 1 - th.g_a_unipolar(n)
    assert th.g_a_home(n) < 1 - th.g_b_home(n)


@pytest.mark.parametrize("n", PROP2_N)
def test_prop2_1_unipolar_worlds(n):
    for g in (EPS, th.g_b_unipolar(n) - EPS):
        o = asym(n, g)
        assert o.index_a is None and o.location_b == 1.0
        assert o.size_b == n - 2 and not o.club_b[0]  # all but country 1
    for g in (th.g_a_unipolar(n) + EPS, 1 - EPS):
        o = asym(n, g)
        assert o.index_b is None and o.location_a == 0.0
        assert o.size_a == n - 2 and not o.club_a[-1]  # all but country n-1
    assert asym(n, 0.0).size_b == n - 1 and asym(n, 1.0).size_a == n - 1


@pytest.mark.parametrize("n", PROP2_N)
def test_prop2_2a_club_sizes(n):
    half = (n - 1) // 2
    for g in (th.g_equal_low(n) + EPS, 0.5, th.g_equal_high(n) - EPS):
        o = asym(n, g)
        assert o.size_a == o.size_b == half  # delta = (n+1)/2 with the superpower
    for g in (th.g_b_unipolar(n) + EPS, th.g_equal_low(n) - EPS):
        o = asym(n, g)
        assert o.size_a < o.size_b
    for g in (th.g_equal_high(n) + EPS, th.g_a_unipolar(n) - EPS):
        o = asym(n, g)
        assert o.size_a > o.size_b


@pytest.mark.parametrize("n", PROP2_N)
def test_prop2_2b_locations(n):
    for g in (th.g_a_home(n) + EPS, 0.5, th.g_b_home(n) - EPS):
        o = asym(n, g)
        assert (o.location_a, o.location_b) == (0.0, 1.0), g
    for g in (th.g_b_unipolar(n) + EPS, th.g_a_home(n) - EPS):
        o = asym(n, g)
        assert 0 < o.location_a < 0.5 and o.location_b == 1.0, g
    for g in (th.g_b_home(n) + EPS, th.g_a_unipolar(n) - EPS):
        o = asym(n, g)
        assert 0.5 < o.location_b < 1 and o.location_a == 0.0, g


def test_prop2_proof_sign_of_g_b_home_is_wrong():
    """The proof's 1 - k/n - 1/(k+1) - 1/(n-1) puts ḡ_B^h where b is still at home."""
    n = 31
    text_version = max(1 - k / n - 1 / (k + 1) - 1 / (n - 1) for k in range(1, 16))
    assert text_version < th.g_b_home(n) - 0.05
    o = asym(n, text_version + EPS)
    assert o.location_b == 1.0  # no compromise yet, against the proof's formula


def test_prop2_proof_minimiser_of_lower_g_B_is_wrong_at_n_11():
    """The proof names k = delta* + 1 = 3 (163/504); the minimum is at k = 4 (193/600), where the solver switches."""
    n = 11
    proof = th.b_unipolar_bound(n, th.delta_star(n) + 1)
    assert proof == Fraction(163, 504)
    assert th.g_b_unipolar(n) == float(Fraction(193, 600)) == float(th.b_unipolar_bound(n, 4))
    assert asym(n, th.g_b_unipolar(n) - EPS).index_a is None
    for g in (th.g_b_unipolar(n) + EPS, float(proof) - EPS):  # the proof's formula says only b here
        o = asym(n, g)
        assert (o.location_a, o.size_a, o.location_b, o.size_b) == (pytest.approx(4 / 11), 4, 1.0, 6), g
    at = exact(n, Fraction(193, 600), Fraction(407, 600))  # [g̲_B, ...) is closed: both clubs at the threshold
    assert at.indices == (4, 11) and sizes(at) == (4, 6)


def test_prop2_proof_choices_of_k():
    """Where the optimum over k falls, against the k the proof names, for every odd n from 5 to 51."""
    for n in range(5, 52, 2):
        ks, d = range(1, (n - 1) // 2 + 1), th.delta_star(n)
        low_b = [th.b_unipolar_bound(n, k) for k in ks]
        up_b = [th.a_unipolar_bound(n, k) for k in ks]
        sig = [th.sigma(n, k) for k in ks]
        lam = [th.lam(n, k) for k in ks]
        assert (low_b[d] == min(low_b)) == (n != 11), n  # k = delta* + 1 (index d)
        assert max(up_b) in (up_b[d - 1], up_b[d]), n  # k in {delta*, delta* + 1}
        assert min(sig) in (sig[d - 1], sig[d]), n  # Lemma A.4
        assert lam[d - 1] == max(lam), n  # Lemma A.5


# --------------------------------------------------------------------------- Proposition 3
def endowed(n, g, omega):
    """Section 3.2's world: a and countries 1, ..., (n-1)/2 have endowment omega, the others 1."""
    weights = np.ones(n - 1)
    weights[: (n - 1) // 2] = omega
    return World.symmetric(n, g, omega=weights, omega_a=omega)


OMEGAS = np.geomspace(1, 1e6, 61)


@pytest.mark.parametrize("n", [5, 7, 11, 13, 15, 19, 31, 51])
def test_prop3_1_club_grows_with_members_endowment(n):
    """Just above g*, over omega from 1 to 1e6: both at home, a's club weakly growing, at most k* members.

    g* is the limit argument's, except at n = 11, where finite omega fails up to 11/20
    (test_prop3_1_finite_omega_fails_up_to_11_20).
    """
    g_star = 11 / 20 if n == 11 else float(th.g_endowment_limit(n))
    assert th.g_bipolar_home(n) < g_star < 1
    g = g_star + 0.002
    outcomes = solve_many([endowed(n, g, om) for om in OMEGAS])
    assert all((o.location_a, o.location_b) == (0.0, 1.0) for o in outcomes)
    club = [o.size_a for o in outcomes]
    assert club == sorted(club) and club[-1] > club[0]
    assert max(club) <= th.endowment_k(n)  # the stated upper bound


@pytest.mark.parametrize("n, g, before, after", [(11, 0.537, (20, 7), (30, 6)), (15, 0.4194, (20, 10), (30, 9))])
def test_prop3_1_proof_threshold_is_too_low(n, g, before, after):
    """Above the proof's g*(n), b compromises to (n-1)/n as omega grows and a's club shrinks (exact reference too)."""
    assert g > th.g_endowment(n)
    (om0, size0), (om1, size1) = before, after
    o0, o1 = solve(endowed(n, g, om0)), solve(endowed(n, g, om1))
    assert (o0.location_a, o0.location_b, o0.size_a) == (0.0, 1.0, size0)
    assert (o1.location_a, o1.location_b, o1.size_a) == (0.0, pytest.approx((n - 1) / n), size1)
    e0, e1 = exact(n, Fraction(str(g)), omega=om0), exact(n, Fraction(str(g)), omega=om1)
    assert (e0.indices, len(e0.club_a)) == ((0, n), size0)
    assert (e1.indices, len(e1.club_a)) == ((0, n - 1), size1)


@pytest.mark.parametrize("n", [7, 15, 19])
def test_prop3_1_limit_argument_needs_b_compromise(n):
    """Between the proof's g*(n) and g_endowment_limit(n), b leaves home as omega -> infinity."""
    assert th.g_endowment(n) < th.g_endowment_limit(n)
    g = (th.g_endowment(n) + float(th.g_endowment_limit(n))) / 2
    assert not th.b_stays_home_in_limit(n, Fraction(g))
    o = solve(endowed(n, g, 1e6))
    assert o.location_a == 0.0 and o.location_b == pytest.approx((n - 1) / n)


def test_prop3_1_limit_threshold_is_the_proofs_elsewhere():
    for n in (5, 9, 11, 13, 17, 21, 23, 31):
        k = th.endowment_k(n)
        assert th.g_endowment_limit(n) == Fraction(n, (n + 1 - k) * (2 * k - n)), n


def test_prop3_1_finite_omega_fails_up_to_11_20():
    """n = 11: below 11/20 a window of omega moves b to 10/11 (k = 7 shifts before k = 8 can); above it, none."""
    below = solve(endowed(11, 0.5499, 4000))
    assert below.location_b == pytest.approx(10 / 11) and below.size_a == 6
    assert th.b_stays_home_in_limit(11, Fraction(5499, 10000))  # the limit alone does not see it
    dense = np.geomspace(1, 1e5, 400)
    above = solve_many([endowed(11, 0.5501, om) for om in dense])
    assert all((o.location_a, o.location_b) == (0.0, 1.0) for o in above)


@pytest.mark.parametrize("n", [31, 51])
def test_prop3_2_a_growing_member_leaves(n):
    o = solve(World.symmetric(n, 0.5).with_omega(0, 1e5))
    assert not o.club_a[0] and not o.club_b[0]
    assert o.size_a < o.size_b
    assert o.endowment("a") < o.endowment("b")  # country 1, now in neither club, counts for neither


@pytest.mark.parametrize("n,g", [(31, 0.131), (51, 0.085)])
def test_prop3_2_fails_just_above_g_Bh(n, g):
    """Finding: near g_B^h, a compromises to 1/n and keeps the larger club."""
    assert th.g_bipolar_home(n) < g
    o = solve(World.symmetric(n, g).with_omega(0, 1e5))
    assert not o.club_a[0] and not o.club_b[0]
    assert o.location_a == pytest.approx(1 / n)
    assert o.size_a > o.size_b
