"""Rules written by a user through the public interface are honoured everywhere: by the agents and by the solver.

The three rules here are written only in this file, as a user would write them:
a superpower that stays within a distance of home, a country that bandwagons (joins the
larger club), and a country that never joins a club whose good is farther than d.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from games import registry
from games.club import World, solve
from games.club.examples import figure3
from games.club.rules import (
    Coalition, EquilibriumSuperpower, NonSuperpowerRule, PayoffRule, SuperpowerRule, declares, superpower_is_monotone,
    uses_thresholds,
)
from games.club.solver import Rules
from games.validation import SpheresInputError
from model import ClubModel

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- the users' rules
class NearHome(EquilibriumSuperpower):
    """Places its good only within ``radius`` of home (otherwise the equilibrium rule)."""

    name = "test-near-home"

    def __init__(self, radius: float = 0.3):
        self.radius = radius

    def locations(self, world, k):
        return np.flatnonzero(world.home_distance[k] <= self.radius + 1e-12)


class Bandwagon(NonSuperpowerRule):
    """Joins any club with a non-negative payoff from outside; leaves its club for a larger one."""

    name = "test-bandwagon"
    monotone = True  # a heavier (larger) club is only easier to accept

    def accepts(self, now, there, proposal):
        larger = np.asarray(proposal.size) > np.asarray(proposal.current_size)
        return (np.asarray(there) >= -1e-9) & (~proposal.in_club | larger)


class NotFar(Coalition):
    """The paper's rule, but never a club whose good is farther than ``d``."""

    name = "test-not-far"

    def __init__(self, d: float = 0.4):
        self.d = d

    def accepts(self, now, there, proposal):
        return super().accepts(now, there, proposal) & (np.asarray(proposal.distance) <= self.d)


class NotFarBar(Coalition):
    """The same rule written as a bar (the solver's one-pass path): an unreachable bar when too far."""

    name = "test-not-far-bar"

    def __init__(self, d: float = 0.4):
        self.d = d

    def bar(self, now, proposal):
        bar, strict = super().bar(now, proposal)
        return np.where(np.asarray(proposal.distance) <= self.d, bar, np.inf), strict


class CoalitionByAccepts(NonSuperpowerRule):
    """The paper's acceptance written out in accepts (no bar): the solver's round-by-round path."""

    name = "test-coalition-accepts"
    monotone = True

    def accepts(self, now, there, proposal):
        in_club = proposal.in_club
        return np.where(in_club, there - now > 1e-9, there - 0.0 >= -1e-9) & (there >= -1e-9)


class SmallClub(SuperpowerRule):
    """Prefers a small club (fewest members, then payoff): not monotone, so never pruned."""

    name = "test-small-club"

    def objective(self, view):
        return (-view.size.astype(float), view.payoff)

    def forms_club(self, view, value):
        return (view.size >= 1) & (view.payoff > 1e-9)


@pytest.fixture(autouse=True, scope="module")
def registered():
    for rule in (NearHome, Bandwagon, NotFar, NotFarBar, CoalitionByAccepts, SmallClub):
        registry.register(rule, replace=True)
    yield
    for role, rule in (("superpower", NearHome), ("non-superpower", Bandwagon), ("non-superpower", NotFar),
                       ("non-superpower", NotFarBar), ("non-superpower", CoalitionByAccepts), ("superpower", SmallClub)):
        registry.unregister(role, rule.name)


# --------------------------------------------------------------------------- worlds
@st.composite
def worlds(draw, max_n=9, max_loc=9):
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(1, max_loc))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return World.on_line(
        rng.random(n), rng.random(n), rng.random(n), rng.lognormal(0, 1, n),
        omega_a=float(rng.lognormal()), omega_b=float(rng.lognormal()),
        home_a=float(rng.random()), home_b=float(rng.random()), locations=np.sort(rng.random(k)),
    )


def played(world, **rules):
    model = ClubModel(world, rng=0, **rules)
    model.run_to_end()
    return model


def assert_model_equals_solver(world, rules: Rules, **model_rules):
    model = played(world, **model_rules)
    fast = solve(world, rules)
    assert [s.location for s in model.superpowers] == list(fast.indices)
    assert np.array_equal(model.state(), fast.state)
    assert np.array_equal(np.array(model.stages), fast.stages)
    assert [s.payoff() for s in model.superpowers] == pytest.approx(list(fast.payoffs), abs=1e-12)


# --------------------------------------------------------------------------- the step-by-step model equals the solver
@SETTINGS
@given(worlds(), st.sampled_from(["a", "b", "both"]))
def test_near_home_superpower_model_equals_solver(world, who):
    rule_a = NearHome() if who in ("a", "both") else "equilibrium"
    rule_b = NearHome(0.2) if who in ("b", "both") else "equilibrium"
    assert_model_equals_solver(world, Rules(a=rule_a, b=rule_b), rule_a=rule_a, rule_b=rule_b)
    out = solve(world, Rules(a=rule_a, b=rule_b))
    for k, rule in enumerate((rule_a, rule_b)):
        if isinstance(rule, NearHome) and out.indices[k] is not None:
            assert world.home_distance[k, out.indices[k]] <= rule.radius + 1e-12


@SETTINGS
@given(worlds(), st.data())
def test_user_country_rules_model_equals_solver(world, data):
    choice = [Bandwagon(), NotFar(), NotFarBar(), "coalition", "loyal", "unilateral"]
    countries = [data.draw(st.sampled_from(choice)) for _ in range(world.n_countries)]
    rule_a = data.draw(st.sampled_from(["equilibrium", "myopic", NearHome()]))
    assert_model_equals_solver(world, Rules(a=rule_a, countries=countries), rule_a=rule_a, rule_countries=countries)


@SETTINGS
@given(worlds())
def test_non_monotone_superpower_model_equals_solver(world):
    assert_model_equals_solver(world, Rules(a=SmallClub(), b=SmallClub()), rule_a=SmallClub(), rule_b=SmallClub())


# --------------------------------------------------------------------------- one rule, two paths
@SETTINGS
@given(worlds(max_n=12, max_loc=12))
def test_threshold_pass_equals_round_by_round_elimination(world):
    """The paper's rule as a bar (one sorted pass) and written out in accepts (rounds): the same game."""
    fast, slow = solve(world, Rules(countries="coalition")), solve(world, Rules(countries=CoalitionByAccepts()))
    assert fast.indices == slow.indices and np.array_equal(fast.stages, slow.stages)
    bar, acc = solve(world, Rules(countries=NotFarBar())), solve(world, Rules(countries=NotFar()))
    assert bar.indices == acc.indices and np.array_equal(bar.stages, acc.stages)


@SETTINGS
@given(worlds(max_n=12, max_loc=12))
def test_pruning_with_user_rules_never_changes_the_answer(world):
    for rules in (Rules(a=NearHome(), countries=Bandwagon()), Rules(countries=NotFarBar()), Rules(a=SmallClub())):
        pruned, full = solve(world, rules), solve(world, rules, exhaustive=True)
        assert pruned.indices == full.indices and np.array_equal(pruned.stages, full.stages)


# --------------------------------------------------------------------------- anticipation reflects the rules
def test_a_near_home_leader_is_no_longer_ignored():
    """The bug of issue 8: a NearHome leader registered by name used to place its good at the equilibrium spot."""
    free = played(figure3())
    assert free.location("a") == 0.5
    near = played(figure3(), rule_a="test-near-home")  # 0 or 1/4 only: nobody joins at 0, b takes all from 1/4
    assert np.isnan(near.location("a")) and near.membership("b").all()
    assert solve(figure3(), Rules(a=NearHome())).index_a is None


def test_the_leader_anticipates_a_country_rule_that_changes_its_choice():
    # With the paper's countries a compromises to 1/2 (Figure 3). Countries that never join a
    # club farther than 0.3 cannot all follow b to 1/2 from a's club at 1/4... a need not deter.
    paper = solve(figure3())
    near = solve(figure3(), Rules(countries=NotFar(0.3)))
    assert paper.location_a == 0.5 and near.location_a != paper.location_a
    model = played(figure3(), rule_countries=NotFar(0.3))
    assert model.location("a") == near.location_a


def test_the_leader_anticipates_bandwagoning_countries():
    """Bandwagoners leave a's club of three for b's only if b's is larger: b can never take them, so a stays near home."""
    out = solve(figure3(), Rules(countries=Bandwagon()))
    assert out.location_a == 0.25 and out.index_b is None and out.size_a == 3
    model = played(figure3(), rule_countries=Bandwagon())
    assert model.location("a") == 0.25 and model.membership("a").all()


def test_a_swapped_superpower_rule_is_anticipated_mid_run():
    model = ClubModel(figure3(), rng=0)
    model.leader.rule = NearHome(0.3)  # before a moves
    model.run_to_end()
    expected = solve(figure3(), Rules(a=NearHome(0.3)))
    assert model.leader.location == expected.index_a and model.challenger.location == expected.index_b


# --------------------------------------------------------------------------- declarations and refusals
def test_declarations_hold_only_where_they_were_declared():
    class Reweighted(EquilibriumSuperpower):  # inherits monotone = True but redefines the objective
        name = "reweighted"

        def objective(self, view):
            return -view.payoff

    assert superpower_is_monotone(EquilibriumSuperpower()) and not superpower_is_monotone(Reweighted())

    class Declared(Reweighted):
        monotone = False

    assert not declares(Declared(), "monotone", ("objective",))
    assert uses_thresholds(Coalition()) and uses_thresholds(NotFarBar()) and not uses_thresholds(NotFar())


def test_a_bar_that_reads_the_group_weight_is_refused():
    class Greedy(PayoffRule):
        name = "greedy"

        def bar(self, now, proposal):
            return proposal.weight * 0.0, np.zeros(np.shape(now), dtype=bool)

    with pytest.raises(SpheresInputError, match="override accepts"):
        solve(figure3(), Rules(countries=Greedy()))


def test_rules_that_break_the_interface_are_refused():
    class Outside(EquilibriumSuperpower):
        name = "outside"

        def locations(self, world, k):
            return np.array([world.n_locations + 3])

    class TwoPicks(EquilibriumSuperpower):
        name = "two-picks"

        def tie_break(self, view, tied):
            return tied

    with pytest.raises(SpheresInputError, match="locations\\(\\) must return indices"):
        solve(figure3(), Rules(a=Outside()))
    w = World.on_line([0.5], [1.0], [0.0], home_a=0.5, home_b=1.0, locations=[0.4, 0.6])  # 0.4 and 0.6 tie for a
    with pytest.raises(SpheresInputError, match="exactly one"):
        solve(w, Rules(a=TwoPicks()))


def test_the_registry_refuses_what_is_not_a_rule():
    with pytest.raises(SpheresInputError, match="is not a rule"):
        registry.register(object())
    with pytest.raises(SpheresInputError, match="built in and cannot be replaced"):
        registry.register(NearHome, name="equilibrium")
    with pytest.raises(SpheresInputError, match="already registered"):
        registry.register(NearHome(0.1), name="test-near-home")
    with pytest.raises(SpheresInputError, match="non-superpower rule, not a superpower rule"):
        registry.register(Bandwagon, role="superpower")
    with pytest.raises(SpheresInputError, match="is not one of"):
        registry.get("superpower", "no-such-rule")
    assert registry.names("superpower")[:4] == ["equilibrium", "home", "myopic", "size"]
    assert "test-near-home" in registry.names("superpower")


def test_a_rules_module_is_imported_and_its_errors_are_one_line(tmp_path):
    good = tmp_path / "my_rules.py"
    good.write_text(
        "import numpy as np\n"
        "from games.registry import register\n"
        "from games.club.rules import EquilibriumSuperpower\n\n"
        "@register\n"
        "class AtHomeOrNear(EquilibriumSuperpower):\n"
        "    name = 'module-near-home'\n"
        "    def locations(self, world, k):\n"
        "        return np.flatnonzero(world.home_distance[k] <= 0.25)\n"
    )
    registry.load_rules_module(good)
    try:
        assert "module-near-home" in registry.names("superpower")
        assert np.isnan(played(figure3(), rule_a="module-near-home").location("a"))  # as NearHome above
    finally:
        registry.unregister("superpower", "module-near-home")
    bad = tmp_path / "broken.py"
    bad.write_text("x = 1\nraise RuntimeError('boom')\n")
    with pytest.raises(SpheresInputError, match=r"broken.py' failed to import, line 2: RuntimeError: boom"):
        registry.load_rules_module(bad)
    with pytest.raises(SpheresInputError, match="does not exist"):
        registry.load_rules_module(tmp_path / "missing.py")

