"""The Mesa model of the club game: step-by-step enactment equals the fast solver."""

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from games import registry
from games.club import World, rules_from_names, solve
from games.club.examples import figure2, figure3
from games.validation import SpheresInputError
from model import ClubModel


@st.composite
def worlds_and_rules(draw):
    n = draw(st.integers(1, 12))
    k = draw(st.integers(1, 15))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    world = World.on_line(
        rng.random(n), rng.random(n), rng.random(n), rng.lognormal(0, 1, n),
        omega_a=float(rng.lognormal()), omega_b=float(rng.lognormal()),
        home_a=float(rng.random()), home_b=float(rng.random()), locations=np.sort(rng.random(k)),
        cost_share=draw(st.sampled_from(["proportional", "equal"])),
    )
    rule_a = draw(st.sampled_from(registry.names("superpower")))
    rule_b = draw(st.sampled_from(registry.names("superpower")))
    countries = [draw(st.sampled_from(registry.names("non-superpower"))) for _ in range(n)]
    return world, rule_a, rule_b, countries


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds_and_rules(), st.integers(0, 1000))
def test_step_by_step_run_equals_the_fast_solver(case, seed):
    world, rule_a, rule_b, countries = case
    model = ClubModel(world, rule_a=rule_a, rule_b=rule_b, rule_countries=countries, rng=seed)
    model.run_to_end()
    fast = solve(world, rules_from_names(rule_a, rule_b, countries))
    assert model.leader.location == fast.index_a
    assert model.challenger.location == fast.index_b
    assert np.array_equal(model.membership("a"), fast.club_a)
    assert np.array_equal(model.membership("b"), fast.club_b)
    assert model.leader.payoff() == pytest.approx(fast.payoff_a, abs=1e-12)
    assert model.challenger.payoff() == pytest.approx(fast.payoff_b, abs=1e-12)
    assert np.array_equal(np.array(model.stages), fast.stages)  # the clubs after each stage, too


def test_section3_worlds_step_by_step():
    for n, g in [(31, 0.07), (31, 0.117), (21, 0.3), (41, 0.09)]:
        model = ClubModel(world_name="section3", n=n, g_a=g, rng=0)
        model.run_to_end()
        fast = solve(World.symmetric(n, g))
        assert (model.leader.location, model.challenger.location) == (fast.index_a, fast.index_b)
        assert np.array_equal(model.membership("b"), fast.club_b)


def test_one_stage_event_per_step_figure3():
    model = ClubModel(figure3(), rng=0)
    phases = [model.event]
    while model.running:
        model.step()
        phases.append(model.event)
    assert phases == [
        "start", "a places its club good at 0.5", "stage 1, round 1: countries move to a's club", "stage 1 ends",
        "b forms no club", "the game ends",
    ]
    actors = [e["actor"] for e in model.events]
    assert actors[0] == "a" and sorted(actors[1:4]) == ["1", "2", "3"] and actors[4:6] == ["stage 1", "b"]
    assert model.location("a") == 0.5 and np.isnan(model.location("b"))
    table = model.datacollector.get_model_vars_dataframe()
    assert list(table["phase"]) == phases  # each row says what its own step did
    assert list(table["size_a"]) == [0, 0, 3, 3, 3, 3]
    assert list(table["endowment_a"]) == [0.0, 1.0, 4.0, 4.0, 4.0, 4.0]
    countries = model.datacollector.get_agenttype_vars_dataframe(agent_type=type(model.countries[0]))
    assert set(countries.columns) >= {"country", "club", "payoff"}
    steps = model.steps
    model.step()  # after the end a step changes nothing, and collects nothing
    assert len(model.datacollector.get_model_vars_dataframe()) == len(table) and len(model.events) == len(actors)
    assert model.steps == steps


def test_a_rule_can_be_swapped_between_the_end_of_stage_one_and_b_placing():
    model = ClubModel(figure3(), rule_a="myopic", rng=0)  # a at 1/4 and all three join: b would take them
    while model.event != "stage 1 ends":
        model.step()
    assert model.location("a") == 0.25 and model.membership("a").all()
    model.challenger.rule = "home"  # b may now only place its good at home (1), where nobody follows
    model.run_to_end()
    assert np.isnan(model.location("b")) and model.membership("a").all()


def test_shifting_rounds_are_recorded_with_reasons():
    model = ClubModel(figure3(), rule_a="myopic", rng=0)  # a ignores b: b takes everyone
    model.run_to_end()
    moves = [e for e in model.events if e["action"] == "moves from a's club to b's"]
    assert {e["actor"] for e in moves} == {"1", "2", "3"}
    assert all("->" in e["why"] for e in moves)
    # country 1 (at 1/4, where a sits) waits for 2 and 3 to move first: two rounds
    assert len({e["step"] for e in moves}) == 2
    spells = {(m["country"], m["club"]): (m["start"], m["end"]) for m in model.memberships()}
    assert spells[("1", "a")][1] == spells[("1", "b")][0]  # left a the step it joined b
    assert spells[("1", "b")][1] is None


@pytest.mark.parametrize("suffix", [".gexf", ".graphml", ".json"])
def test_membership_graph_exports(tmp_path, suffix):
    model = ClubModel(figure3(), rule_a="myopic", rng=0)
    model.run_to_end()
    path = model.export_membership(tmp_path / f"clubs{suffix}")
    assert path.stat().st_size > 0
    if suffix == ".gexf":
        g = nx.read_gexf(path)
        assert g.number_of_edges() == 6  # three countries, each once in a's club and once in b's
    if suffix == ".graphml":
        g = nx.read_graphml(path)
        assert {d.get("kind") for _, d in g.nodes(data=True)} == {"superpower", "country"}


def test_export_rejects_unknown_formats(tmp_path):
    with pytest.raises(SpheresInputError, match="must end in"):
        ClubModel(figure3()).export_membership(tmp_path / "x.csv")


def test_event_order_is_reproducible_from_the_seed():
    def run(seed):
        m = ClubModel(world_name="random", rng=seed)
        m.run_to_end()
        return [(e["actor"], e["action"]) for e in m.events], m.membership("a")

    events_3, clubs_3 = run(3)
    events_3b, clubs_3b = run(3)
    assert events_3 == events_3b
    events_4, clubs_4 = run(4)
    assert np.array_equal(clubs_3, clubs_4)  # the order of asking changes nothing else
    assert sorted(events_3) == sorted(events_4)


def test_counterfactual_rules_change_figure3():
    def final(**rules):
        m = ClubModel(figure3(), rng=0, **rules)
        m.run_to_end()
        return m.location("a"), m.location("b"), int(m.membership("a").sum()), int(m.membership("b").sum())

    nan = pytest.approx(np.nan, nan_ok=True)
    assert final() == (0.5, nan, 3, 0)
    assert final(rule_a="myopic") == (0.25, 0.5, 0, 3)  # the text: without deterrence b takes all
    assert final(rule_a="home") == (nan, 0.75, 0, 3)  # nobody joins a at home: no club; b takes all
    # Countries that cannot coordinate cannot defect together: a need not compromise.
    assert final(rule_countries="unilateral") == (0.25, nan, 3, 0)
    assert final(rule_countries="loyal") == (0.25, nan, 3, 0)


def test_swapped_rules_are_anticipated():
    """Swapping a rule on the agents before a moves changes what a anticipates."""
    model = ClubModel(figure3(), rng=0)
    for c in model.countries:
        c.rule = "loyal"
    model.run_to_end()
    # with loyal members a need not compromise: b cannot take anybody from a's stage-one club
    expected = solve(figure3(), rules_from_names(countries="loyal"))
    assert model.leader.location == expected.index_a
    assert model.location("a") == 0.25  # a's stand-alone optimum: it no longer needs to deter


def test_figure2_first_mover_advantage():
    m = ClubModel(figure2(), rng=0)
    m.run_to_end()
    assert m.location("a") == pytest.approx(1 / 3) and np.isnan(m.location("b"))
    assert m.membership("a").all()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"rule_a": "nonsense"}, "rule of a = 'nonsense' is not one of"),
        ({"rule_countries": "nope"}, "non-superpower rule|rule of country"),
        ({"rule_countries": ["coalition"]}, "rule_countries"),
        ({"rule_a": 42}, "is not a rule"),
        ({"rule_a": "coalition"}, "is not one of: equilibrium"),
        ({"world_name": "atlantis"}, "world"),
        ({"world_name": "section3", "g_a": 1.5}, r"g_a = 1.5 is outside the allowed range \[0, 1\]"),
        ({"world_name": "section3", "n": "abc"}, "n = 'abc' must be an integer"),
        ({"world_name": "section3", "n": 31.7}, "n = 31.7 must be an integer"),
        ({"world_name": "section3", "n": float("nan")}, "n = nan must be an integer"),
        ({"world_name": "section3", "g_a": float("nan")}, "g_a"),
        ({"world_name": "figure3", "n": 11}, "n does not apply to world 'figure3'"),
        ({"world_name": "random", "g_a": 0.2}, "g_a does not apply to world 'random'"),
        ({"world": 42}, "world must be a games.club.World"),
        ({"rng": -1}, "rng = -1 is outside the allowed range"),
        ({"rng": "x"}, "rng = 'x' must be an integer"),
        ({"country": 7, "omega_country": 2.0}, r"country = 7 is outside the allowed range \[1, 3\]"),
        ({"country": 1.9, "omega_country": 2.0}, "country = 1.9 must be an integer"),
        ({"country": None, "omega_country": 2.0}, "omega_country needs country"),
        ({"country": 1}, "country needs omega_country"),
        ({"country": 1, "omega_country": -1.0}, "omega"),
        ({"country": 1, "omega_country": float("inf")}, "omega"),
    ],
)
def test_bad_parameters_are_named(kwargs, message):
    with pytest.raises(SpheresInputError, match=message):
        ClubModel(**kwargs)


def test_assigning_a_non_rule_to_an_agent_is_refused_at_once():
    model = ClubModel(figure3(), rng=0)
    with pytest.raises(SpheresInputError, match="is not a rule"):
        model.leader.rule = 3.5
    with pytest.raises(SpheresInputError, match="non-superpower rule, not a superpower rule"):
        model.leader.rule = registry.get("non-superpower", "loyal")
    with pytest.raises(SpheresInputError, match="is not one of"):
        model.countries[0].rule = "myopic"
    assert model.leader.rule.name == "equilibrium"  # unchanged


def test_countries_are_numbered_from_one():
    model = ClubModel(figure3(), country=1, omega_country=5.0, rng=0)
    assert model.world.omega.tolist() == [5.0, 1.0, 1.0] and model.countries[0].name == "1"
