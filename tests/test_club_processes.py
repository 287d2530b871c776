"""Property tests of the club game's processes and solver (hypothesis).

* the fast solver equals the exact, unvectorised reference on random small worlds,
  including grid worlds full of exact ties;
* pruning never changes the answer (pruned == exhaustive);
* Lemmas 1 and 2: both processes end in the same place whatever the order;
* the outcomes are in the core (brute force over every profile on small worlds), and
  stage one's is the largest core outcome;
* in the symmetric case a superpower never locates further than halfway from home.
"""

import itertools
import random
from fractions import Fraction as F

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from games.club import World, solve
from games.club import reference as ref
from games.club.core import member_payoff

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def grid_worlds(draw, max_n=6):
    """Countries and locations on a 1/10 grid, g and omega on coarse grids: many exact ties."""
    n = draw(st.integers(1, max_n))
    pos = [F(draw(st.integers(0, 10)), 10) for _ in range(n)]
    locs = sorted({F(x, 10) for x in draw(st.lists(st.integers(0, 10), min_size=1, max_size=7))})
    g_a = [F(draw(st.integers(0, 10)), 10) for _ in range(n)]
    g_b = [F(draw(st.integers(0, 10)), 10) for _ in range(n)]
    omega = [F(draw(st.integers(1, 4))) for _ in range(n)]
    om_a, om_b = F(draw(st.integers(1, 4))), F(draw(st.integers(1, 4)))
    home_a = F(draw(st.integers(0, 10)), 10)
    home_b = F(draw(st.integers(0, 10).filter(lambda x: F(x, 10) != home_a)), 10)  # each superpower its own home
    exact = ref.ExactWorld.on_line(pos, locs, [g_a, g_b], omega, [om_a, om_b], [home_a, home_b])
    fast = World.on_line(
        [float(x) for x in pos], [float(x) for x in g_a], [float(x) for x in g_b], [float(x) for x in omega],
        omega_a=float(om_a), omega_b=float(om_b), home_a=float(home_a), home_b=float(home_b),
        locations=[float(x) for x in locs],
    )
    return fast, exact


@st.composite
def random_worlds(draw, max_n=8, max_k=9):
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(1, max_k))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return World.on_line(
        rng.random(n), rng.random(n), rng.random(n), rng.lognormal(0, 1, n),
        omega_a=float(rng.lognormal(0, 1)), omega_b=float(rng.lognormal(0, 1)),
        home_a=float(rng.random()), home_b=float(rng.random()), locations=np.sort(rng.random(k)),
    )


def same(fast_outcome, reference_outcome):
    assert fast_outcome.index_a == reference_outcome.index_a
    assert fast_outcome.index_b == reference_outcome.index_b
    assert set(np.flatnonzero(fast_outcome.club_a)) == set(reference_outcome.club_a)
    assert set(np.flatnonzero(fast_outcome.club_b)) == set(reference_outcome.club_b)
    assert abs(fast_outcome.payoff_a - float(reference_outcome.payoff_a)) < 1e-9


@SETTINGS
@given(grid_worlds())
def test_fast_solver_equals_exact_reference_on_tie_heavy_grids(worlds):
    fast, exact = worlds
    same(solve(fast), ref.solve(exact))


@SETTINGS
@given(random_worlds())
def test_fast_solver_equals_exact_reference_on_random_worlds(world):
    same(solve(world), ref.solve(ref.ExactWorld.from_world(world)))


@SETTINGS
@given(random_worlds(max_n=40, max_k=40))
def test_pruning_never_changes_the_answer(world):
    pruned, full = solve(world), solve(world, exhaustive=True)
    assert (pruned.index_a, pruned.index_b) == (full.index_a, full.index_b)
    assert np.array_equal(pruned.club_a, full.club_a) and np.array_equal(pruned.club_b, full.club_b)


@SETTINGS
@given(random_worlds(), st.integers(0, 10**6))
def test_lemma1_and_lemma2_order_independence(world, seed):
    exact = ref.ExactWorld.from_world(world)
    rng = random.Random(seed)
    for la in range(exact.k):
        club, steps = ref.joining(exact, la)
        assert len(steps) <= 1  # Lemma 1: the shortest process has length one
        for _ in range(3):
            assert ref.joining(exact, la, rng)[0] == club
        after_one = [0 if i in club else None for i in range(exact.n)]
        for lb in range(exact.k):
            end = ref.stage(exact, 1, [la, lb], after_one)[0]
            for _ in range(3):
                assert ref.stage(exact, 1, [la, lb], after_one, rng)[0] == end


def _payoffs(exact, la, lb, profile):
    """Each country's payoff under a profile of choices in {'a', 'b', 0}."""
    clubs = {e: [i for i, c in enumerate(profile) if c == e] for e in "ab"}
    out = []
    for i, c in enumerate(profile):
        if c == 0:
            out.append(0)
            continue
        e, loc = (0, la) if c == "a" else (1, lb)
        total = exact.sp_weight[e] + sum(exact.weight[j] for j in clubs[c])
        out.append(member_payoff(exact.benefit[e][i][loc], exact.weight[i], total))
    return out


def _blocked(exact, la, lb, profile, options):
    """Is there a coalition whose members all gain strictly by changing their choices?"""
    base = _payoffs(exact, la, lb, profile)
    for alt in itertools.product(options, repeat=len(profile)):
        movers = [i for i in range(len(profile)) if alt[i] != profile[i]]
        if movers:
            new = _payoffs(exact, la, lb, alt)
            if all(new[i] > base[i] for i in movers):
                return True
    return False


@SETTINGS
@given(random_worlds(max_n=5, max_k=4))
def test_stage_one_is_the_largest_core_outcome(world):
    exact = ref.ExactWorld.from_world(world)
    for la in range(exact.k):
        club, _ = ref.joining(exact, la)
        profile = tuple("a" if i in club else 0 for i in range(exact.n))
        assert not _blocked(exact, la, None, profile, ("a", 0))
        for other in itertools.product(("a", 0), repeat=exact.n):
            if not _blocked(exact, la, None, other, ("a", 0)):
                assert {i for i, c in enumerate(other) if c == "a"} <= club


@SETTINGS
@given(random_worlds(max_n=5, max_k=3))
def test_stage_two_outcome_is_in_the_core(world):
    exact = ref.ExactWorld.from_world(world)
    for la in range(exact.k):
        club, _ = ref.joining(exact, la)
        for lb in range(exact.k):
            state, _ = ref.stage(exact, 1, [la, lb], [0 if i in club else None for i in range(exact.n)])
            profile = tuple({0: "a", 1: "b", None: 0}[c] for c in state)
            assert not _blocked(exact, la, lb, profile, ("a", "b", 0))


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 15).map(lambda m: 2 * m + 1), st.floats(0, 1), st.floats(0, 1))
def test_superpowers_never_go_beyond_halfway_on_the_section3_line(n, g, scale):
    o = solve(World.symmetric(n, g, g * scale))
    if o.index_a is not None:
        assert o.location_a <= 0.5 + 1e-12
    if o.index_b is not None:
        assert o.location_b >= 0.5 - 1e-12


def test_figure2_every_claim_of_the_text_on_exact_rationals():
    """Countries 1, 2 at 1/3 and 3, 4 at 2/3, L = {0, 1/6, ..., 1}, l_a = 1/3, l_b = 2/3 (our inference)."""
    half, more = F(1, 2), F(7, 10)
    exact = ref.ExactWorld.on_line(
        [F(1, 3), F(1, 3), F(2, 3), F(2, 3)], [F(k, 6) for k in range(7)],
        [[half, half, more, more], [more, more, half, half]], [1, 1, 1, 1], [1, 1], [0, 1],
    )
    la, lb = 2, 4  # 1/3 and 2/3
    club, _ = ref.joining(exact, la)
    assert club == {0, 1, 2, 3}  # all four join a in stage one
    all_a, all_b = ("a",) * 4, ("b",) * 4
    # the stage-two core contains both "all in a" and "all in b"
    assert not _blocked(exact, la, lb, all_a, ("a", "b", 0))
    assert not _blocked(exact, la, lb, all_b, ("a", "b", 0))
    in_a, in_b = _payoffs(exact, la, lb, all_a), _payoffs(exact, la, lb, all_b)
    only_34 = _payoffs(exact, la, lb, ("a", "a", "b", "b"))
    assert in_b[2] > in_a[2] and in_b[3] > in_a[3]  # 3 and 4 gain in b if everyone comes ...
    assert only_34[2] < in_a[2] and only_34[3] < in_a[3]  # ... but not without 1 and 2
    assert in_b[0] < in_a[0] and in_b[1] < in_a[1]  # 1 and 2 are better off staying with a
    final, _ = ref.stage(exact, 1, [la, lb], [0] * 4)
    assert final == [0, 0, 0, 0]  # all four stay in a's club
    spne = ref.solve(exact)
    assert (spne.index_a, spne.index_b) == (la, None)  # and this is the equilibrium path
