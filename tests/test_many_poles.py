"""K >= 2 superpowers (docs/many_poles.md): the fast solver equals the exact reference, the
step-by-step model equals the solver, and what carries over from Lemmas 1 and 2 (and what does not)."""

import itertools
import random
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from games import registry
from games.club import World, solve
from games.club import reference as ref
from games.club.core import member_payoff
from games.club.solver import Rules
from games.validation import SpheresInputError
from model import ClubModel

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def poles(draw, k_poles=(2, 3, 4), max_n=5, max_loc=4):
    """A random line world with K superpowers (distinct homes), and its exact twin."""
    k = draw(st.sampled_from(k_poles))
    n = draw(st.integers(1, max_n))
    n_loc = draw(st.integers(1, max_loc if k < 4 else 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    world = World.on_line(
        rng.random(n), g=rng.random((k, n)), omega=rng.lognormal(0, 1, n), homes=rng.random(k),
        superpower_omega=rng.lognormal(0, 1, k), locations=np.sort(rng.random(n_loc)),
    )
    return world


@SETTINGS
@given(poles())
def test_fast_solver_equals_exact_reference_for_k_superpowers(world):
    fast, exact = solve(world), ref.solve(ref.ExactWorld.from_world(world))
    assert fast.indices == exact.indices
    for e in range(world.n_superpowers):
        assert set(np.flatnonzero(fast.club(e))) == set(exact.clubs[e])
        assert fast.payoffs[e] == pytest.approx(float(exact.payoffs[e]), abs=1e-9)


@SETTINGS
@given(poles(k_poles=(3, 4), max_n=10, max_loc=8))
def test_pruning_never_changes_the_answer_for_k_superpowers(world):
    pruned, full = solve(world), solve(world, exhaustive=True)
    assert pruned.indices == full.indices and np.array_equal(pruned.stages, full.stages)


@SETTINGS
@given(poles(k_poles=(3, 4), max_n=8, max_loc=6), st.data())
def test_step_by_step_model_equals_the_solver_for_k_superpowers(world, data):
    k = world.n_superpowers
    sp = [data.draw(st.sampled_from(registry.names("superpower"))) for _ in range(k)]
    countries = [data.draw(st.sampled_from(registry.names("non-superpower"))) for _ in range(world.n_countries)]
    model = ClubModel(world, superpower_rules=sp, rule_countries=countries, rng=data.draw(st.integers(0, 100)))
    model.run_to_end()
    fast = solve(world, Rules(superpowers=sp, countries=countries))
    assert [s.location for s in model.superpowers] == list(fast.indices)
    assert np.array_equal(np.array(model.stages), fast.stages)
    assert [s.payoff() for s in model.superpowers] == pytest.approx(list(fast.payoffs), abs=1e-12)
    assert {n for n, d in model.graph.nodes(data=True) if d["kind"] == "superpower"} == set(world.superpowers)


@SETTINGS
@given(poles(k_poles=(3, 4), max_n=6, max_loc=3), st.integers(0, 10**6))
def test_every_stage_is_order_independent(world, seed):
    """Lemmas 1 and 2 carry over: moving one feasible group at a time, in any order, ends in the same clubs."""
    exact = ref.ExactWorld.from_world(world)
    rng = random.Random(seed)
    k = world.n_superpowers
    for locs in itertools.islice(itertools.product(range(exact.k), repeat=k), 12):
        state = [None] * exact.n
        for stage in range(k):
            end, _ = ref.stage(exact, stage, list(locs[: stage + 1]), state)
            for _ in range(3):
                assert ref.stage(exact, stage, list(locs[: stage + 1]), state, rng)[0] == end
            state = end


def _payoffs(exact, locs, profile):
    out = []
    for i, c in enumerate(profile):
        if c is None:
            out.append(0)
            continue
        total = exact.sp_weight[c] + sum(exact.weight[j] for j, cc in enumerate(profile) if cc == c)
        out.append(member_payoff(exact.benefit[c][i][locs[c]], exact.weight[i], total))
    return out


def _blocking(exact, locs, profile, options_of):
    """A coalition and new choices (from ``options_of(i)``) that make every mover strictly better off, or None."""
    base = _payoffs(exact, locs, profile)
    for alt in itertools.product(*(options_of(i) for i in range(len(profile)))):
        movers = [i for i in range(len(profile)) if alt[i] != profile[i]]
        if movers:
            new = _payoffs(exact, locs, alt)
            if all(new[i] > base[i] for i in movers):
                return alt
    return None


@SETTINGS
@given(poles(k_poles=(3,), max_n=4, max_loc=3))
def test_each_stage_ends_where_no_group_gains_by_the_moves_it_allows(world):
    """What carries over from the core: after stage k nobody gains by moving to k's club or out, in any group."""
    exact = ref.ExactWorld.from_world(world)
    for locs in itertools.product(range(exact.k), repeat=3):
        state = [None] * exact.n
        for stage in range(3):
            state, _ = ref.stage(exact, stage, list(locs[: stage + 1]), state)

            def allowed(i, s=state, k=stage):
                return sorted({s[i], k, None}, key=lambda x: -1 if x is None else x)

            assert _blocking(exact, list(locs), state, allowed) is None


def test_the_full_core_fails_with_three_superpowers():
    """The counterexample of docs/many_poles.md: country 3 would rather go back to a's club than stay in b's."""
    exact = ref.ExactWorld.on_line(
        [F(2, 5), F(0), F(1, 10)], [F(1, 10), F(2, 5)],
        [[F(3, 10), F(1), F(2, 5)], [F(2, 5), F(1, 5), F(1)], [F(4, 5), F(2, 5), F(3, 10)]],
        [1, 3, 2], [1, 1, 1], [F(1, 5), F(2, 5), F(7, 10)],
    )
    out = ref.solve(exact)
    assert out.indices == (0, 1, 1)  # a at 1/10; b and c at 2/5
    states = [[None] * 3]
    for k in range(3):
        states.append(ref.stage(exact, k, list(out.indices[: k + 1]), states[-1])[0])
    assert states[1:] == [[0, 0, 0], [1, 0, 1], [2, 0, 1]]  # all join a; 1 and 3 move to b; 1 moves on to c
    final = states[-1]
    assert _payoffs(exact, list(out.indices), final) == [F(3, 10), F(3, 20), F(1, 30)]
    assert _payoffs(exact, list(out.indices), [2, 0, 0]) == [F(3, 10), F(2, 5), F(1, 15)]  # 3 back in a: 1/30 -> 1/15
    assert _blocking(exact, list(out.indices), final, lambda i: [0, 1, 2, None]) == (2, 0, 0)
    fast = solve(World.on_line([0.4, 0.0, 0.1], g=[[0.3, 1, 0.4], [0.4, 0.2, 1], [0.8, 0.4, 0.3]], omega=[1, 3, 2],
                               homes=[0.2, 0.4, 0.7], superpower_omega=[1, 1, 1], locations=[0.1, 0.4]))
    assert fast.indices == (0, 1, 1) and fast.state.tolist() == [2, 0, 1]


def test_two_superpowers_are_the_paper_unchanged():
    """K = 2 written with g/homes is the same world as with g_a/g_b/home_a/home_b."""
    rng = np.random.default_rng(7)
    pos, ga, gb, om = rng.random(6), rng.random(6), rng.random(6), rng.lognormal(0, 1, 6)
    old = World.on_line(pos, ga, gb, om, omega_a=2.0, omega_b=0.5, home_a=0.1, home_b=0.9)
    new = World.on_line(pos, g=[ga, gb], omega=om, superpower_omega=[2.0, 0.5], homes=[0.1, 0.9])
    a, b = solve(old), solve(new)
    assert a.indices == b.indices and np.array_equal(a.stages, b.stages)
    assert old.superpowers == new.superpowers == ("a", "b")


def test_the_move_order_can_be_changed_by_name():
    w = World.on_line([0.2, 0.5, 0.8], g=[[0.5] * 3] * 3, homes=[0.0, 1.0, 0.5], superpowers=("US", "CN", "IN"))
    swapped = w.in_order(["CN", "US", "IN"])
    assert swapped.superpowers == ("CN", "US", "IN") and swapped.homes == (1.0, 0.0, 0.5)
    assert np.array_equal(swapped.home_distance[0], w.home_distance[1])
    with pytest.raises(SpheresInputError, match=r"unknown superpower\(s\) \['EU'\]"):
        w.in_order(["CN", "EU", "IN"])
    with pytest.raises(SpheresInputError, match="exactly once"):
        w.in_order(["CN", "US"])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"g": [[0.5, 0.5]], "homes": [0.0]}, r"K = 1 is outside the allowed range \[2, 26\]"),
        ({"g": [[0.5, 0.5]] * 3, "homes": [0.0, 1.0, 0.0]}, "superpowers a and c have one home"),
        ({"g": [[0.5, 0.5]] * 3, "homes": [0.0, 1.0]}, "homes must hold one point per superpower"),
        ({"g": [[0.5, 0.5]] * 2, "homes": [0.0, 1.0], "superpowers": ("x", "x")}, "distinct"),
        ({"g": [[0.5, 1.5]] * 2, "homes": [0.0, 1.0]}, r"g\[0\]\[1\] = 1.5 is outside"),
        ({"g_a": 0.5, "g_b": 0.5, "home_a": 0.3, "home_b": 0.3}, "a and b have one home"),
        ({"g": [[0.5, 0.5]] * 2, "g_a": 0.5, "homes": [0.0, 1.0]}, "either g_a/g_b"),
    ],
)
def test_bad_superpowers_are_refused(kwargs, message):
    with pytest.raises(SpheresInputError, match=message):
        World.on_line([0.2, 0.7], **kwargs)


def test_more_superpower_rules_than_superpowers_are_refused():
    w = World.on_line([0.2, 0.7], 0.5, 0.5)
    with pytest.raises(SpheresInputError, match="3 superpower rules given for a world of 2 superpowers"):
        solve(w, Rules(superpowers=["equilibrium"] * 3))
    with pytest.raises(SpheresInputError, match="one rule per superpower"):
        ClubModel(w, superpower_rules=["equilibrium"] * 3)


# --------------------------------------------------------------------------- the symmetric three-pole circle
@pytest.mark.parametrize("n", range(12, 61, 3))
def test_no_club_below_the_closed_form_and_a_club_at_home_at_it(n):
    from games.club.many_poles import g_none, symmetric_poles

    threshold = g_none(n)
    at, below = solve(symmetric_poles(n, float(threshold))), solve(symmetric_poles(n, float(threshold) * (1 - 1e-6)))
    assert all(i is None for i in below.indices)
    assert at.indices[0] == 0 and at.indices[1:] == (None, None)  # a at home, alone
    best = {m: (2 * m + 1) * (n - 2 * m) for m in {(n - 1) // 4, -(-(n - 1) // 4)}}
    m = max(m for m in best if best[m] == max(best.values()))  # on a tie (n = 15: m = 3 or 4) the larger club
    assert at.size("a") == 2 * m  # the 2m countries nearest a's home, whose farthest pay 1/(2m + 1)


@pytest.mark.parametrize("n", [30, 60])
def test_three_pole_phases_no_hegemon_unipolar_bipolar_tripolar(n):
    from games.club.many_poles import g_none, sweep

    table = sweep(n, np.linspace(0, 1, 201))
    clubs = table["clubs"].to_numpy()
    assert (np.diff(clubs) >= 0).all() and clubs[0] == 0 and clubs[-1] == 3  # 0 -> 1 -> 2 -> 3 clubs as g grows
    assert set(clubs) == {0, 1, 2, 3}
    assert table.loc[clubs > 0, "g"].min() >= float(g_none(n))
    last = table.iloc[-1]
    assert [last.location_a, last.location_b, last.location_c] == pytest.approx([0, 1 / 3, 2 / 3])  # all at home
    assert last.size_a >= last.size_b >= last.size_c and last.size_a > last.size_c  # the first mover's advantage
    assert last.size_a + last.size_b + last.size_c == n - 3


def test_poles_command_writes_the_sweep_and_its_figure(tmp_path, capsys):
    import run

    assert run.main(["poles", "--n", "12", "--points", "21", "--out", str(tmp_path / "p")]) == 0
    assert "no club below g = 2/7" in capsys.readouterr().out
    assert {p.name for p in (tmp_path / "p").iterdir()} >= {"poles.csv", "poles.png", "manifest.json"}
    assert run.main(["poles", "--n", "13", "--out", str(tmp_path / "q")]) == 2


def test_club_command_plays_the_three_pole_world(tmp_path, capsys):
    import run

    args = ["club", "--world", "poles", "--n", "12", "--g-a", "0.6", "--rule-c", "myopic", "--quiet", "--out", str(tmp_path / "c")]
    assert run.main(args) == 0
    assert "c at 0.666667 with 2 members" in capsys.readouterr().out
    for bad, message in ((["--world", "poles", "--g-b", "0.3"], "--g-b applies only with --world section3"),
                         (["--world", "figure3", "--rule-c", "home"], "--rule-c applies only to a world with three"),
                         (["--world", "poles", "--n", "13"], "--n = 13 must be a multiple of 3")):
        assert run.main(["club", *bad, "--out", str(tmp_path / "bad")]) == 2
        assert message in capsys.readouterr().err
