"""Propositions 1-3 of *The Power of Non-Superpowers*: the closed forms against the solver.

Every threshold is probed just inside each region (EPS away), never on the boundary,
where countries are exactly indifferent.
"""

import numpy as np
import pytest

from games.club import World, solve
from games.club import theory as th

EPS = 1e-6
ODD_N = [5, 7, 9, 11, 15, 21, 31, 41, 51]


def sym(n, g):
    return solve(World.symmetric(n, g))


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


def test_prop1_thresholds_are_ordered():
    for n in ODD_N:
        assert 0 < th.g_unipolar(n) < th.g_bipolar(n) < th.g_bipolar_home(n) < 1


# --------------------------------------------------------------------------- Proposition 2
PROP2_N = [13, 21, 31, 41]


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


# --------------------------------------------------------------------------- Proposition 3
@pytest.mark.parametrize("n", [31, 51])
def test_prop3_1_club_grows_with_members_endowment(n):
    g = th.g_endowment(n) + 0.01
    assert th.g_bipolar_home(n) < th.g_endowment(n) < 1
    sizes = []
    for om in (1, 2, 4, 16, 256, 1e4):
        omega = np.ones(n - 1)
        omega[: (n - 1) // 2] = om
        o = solve(World.symmetric(n, g, omega=omega, omega_a=om))
        assert (o.location_a, o.location_b) == (0.0, 1.0)
        sizes.append(o.size_a)
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0]
    k = int(np.floor((3 * n + 2) / 4 + 0.5))
    assert max(sizes) <= k  # the stated upper bound


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
