"""The Mesa model of the alliance game: step order, seeded frequencies, rules, graph, collector."""

from __future__ import annotations

from fractions import Fraction

import mesa
import pytest

from agents.alliance import Challenger, Patron, Protege
from games import registry
from games.alliance.examples import example
from games.validation import SpheresInputError
from model import AllianceModel, AllianceStage

SEP2 = example("japan-2019")            # committed: a_bar refused, stays; uncommitted: a* paid
SEP3 = example("japan-2019", l=0.5)     # uncommitted: a_bar refused, withdraws


def model(params=SEP2, seed=3, **kwargs):
    return AllianceModel(params, n_demands=kwargs.pop("n_demands", 8), seed=seed, **kwargs)


def episodes(m, n):
    m.run_episodes(n)
    return m.outcome_table()


def test_mesa_idioms():
    m = model()
    assert isinstance(m, mesa.Model)
    assert len(m.agents) == 3
    assert {type(a) for a in m.agents} == {Patron, Protege, Challenger}
    assert all(isinstance(a, mesa.Agent) for a in m.agents)
    assert len(m.agents_by_type[Patron]) == 1
    assert set(registry.names("patron")) >= {"equilibrium", "never-withdraw"}
    assert set(registry.names("protege")) >= {"equilibrium", "always-pay"}
    assert set(registry.names("challenger")) >= {"equilibrium", "ignore-signal"}


def test_one_stage_event_per_step_in_the_stated_order():
    m = model(SEP3, seed=11)
    order = list(AllianceStage)
    seen_types = set()
    for _ in range(40):
        episode_stages = []
        m.step()
        assert m.last_stage is AllianceStage.NATURE
        episode_stages.append(m.last_stage)
        while m.next_stage is not AllianceStage.NATURE:
            m.step()
            episode_stages.append(m.last_stage)
            assert len(m.path) == len(episode_stages)  # exactly one event per step
        assert [order.index(s) for s in episode_stages] == sorted(order.index(s) for s in episode_stages)
        seen_types.add(m.committed)
        if m.committed:  # a_bar refused, A stays, C offers p_h - c_T
            assert m.tree_path() == ["committed", "a=1", "reject", "stay", "x=1/2", "accept"]
        else:  # a_bar refused, A withdraws, C knows it is uncommitted and offers p_l - c_T
            assert m.tree_path() == ["uncommitted", "a=1", "reject", "withdraw", "x=1/4", "accept"]
            assert m.challenger_belief == 0
    assert seen_types == {True, False}


def test_graph_records_the_alliance_after_each_step():
    m = model(SEP3, seed=11)
    m.run_episodes(5)
    log = m.graph.graph["log"]
    assert len(log) == m.steps
    statuses = {entry["AT"]["status"] for entry in log}
    assert {"intact", "demand", "rejected", "free-riding", "withdrawn"} <= statuses
    assert all(entry["AT"]["amount"] == 1.0 for entry in log if entry["AT"]["status"] == "withdrawn")
    assert {entry["CT"]["status"] for entry in log} >= {"none", "offer", "settled"}
    assert len(m.datacollector.get_model_vars_dataframe()) == m.steps


def test_seeded_outcome_frequencies():
    a, b = model(seed=42), model(seed=42)
    table_a, table_b = episodes(a, 1500), episodes(b, 1500)
    assert table_a.equals(table_b)  # reproducible from the seed
    committed_share = table_a.loc["free-riding", "all share"]
    assert abs(committed_share - float(SEP2.phi)) < 0.05  # nature's draws: phi = 3/5
    assert table_a.loc["sharing", "all share"] == pytest.approx(1 - committed_share)
    assert table_a.loc["sharing", "uncommitted share"] == 1.0
    assert table_a.loc["war", "all count"] == 0
    assert table_a.loc["settlement", "all share"] == 1.0
    c = model(seed=43)
    assert not episodes(c, 1500).equals(table_a)  # another seed, other draws


def test_counterfactual_rules_change_the_outcome_table():
    base = episodes(model(SEP2, seed=5), 400)
    always_pay = episodes(model(SEP2, seed=5, protege_rule="always-pay"), 400)
    assert base.loc["sharing", "committed share"] == 0 and always_pay.loc["sharing", "committed share"] == 1.0

    sep3 = episodes(model(SEP3, seed=5), 400)
    never_withdraw = episodes(model(SEP3, seed=5, patron_rule="never-withdraw"), 400)
    assert sep3.loc["withdrawal", "uncommitted share"] == 1.0
    assert never_withdraw.loc["withdrawal", "all count"] == 0
    assert never_withdraw.loc["free-riding", "all share"] == 1.0

    # ignoring the signal C keeps the prior 3/5 > mu_hat = 2/5 and pools at p_m - c_T after a withdrawal
    ignore = model(SEP3, seed=5, challenger_rule="ignore-signal")
    ignore_table = episodes(ignore, 400)
    assert ignore_table.attrs["mean offer"] > sep3.attrs["mean offer"]
    rows = ignore.episodes_table()
    assert set(rows.loc[rows["negotiation"] == "withdrawal", "offer"]) == {0.35}

    # a committed patron that abandons: C reads it as uncommitted, low-balls, T fights, A intervenes
    abandon = episodes(model(SEP2, seed=5, patron_rule="always-withdraw"), 400)
    assert abandon.loc["war", "committed share"] == 1.0
    assert abandon.loc["intervention", "committed share"] == 1.0
    assert abandon.loc["war", "uncommitted share"] == 0.0


def test_rules_can_be_swapped_between_steps():
    m = model(SEP2, seed=1)
    m.run_episodes(50)
    assert m.rule_names == {"patron": "equilibrium", "protege": "equilibrium", "challenger": "equilibrium"}
    m.protege.rule = "always-pay"
    assert m.rule_names["protege"] == "always-pay"
    m.run_episodes(50)
    rows = m.episodes_table()
    assert (rows.iloc[:50]["negotiation"] == "free-riding").any()
    late = rows.iloc[50:]
    assert (late["negotiation"] == "sharing").all()


def test_equilibrium_selection_and_bad_input():
    both = example("japan-2019", l=0.3)  # l = l*: Separating 2 and 3
    assert model(both).equilibrium_label == "Separating 2"
    assert model(both, equilibrium="Separating 3").equilibrium_label == "Separating 3"
    with pytest.raises(SpheresInputError, match="does not hold"):
        model(SEP2, equilibrium="Separating 1")
    with pytest.raises(SpheresInputError, match="patron_rule = 'loyal'"):
        model(SEP2, patron_rule="loyal")
    with pytest.raises(SpheresInputError, match="equilibrium = 7"):
        model(SEP2, equilibrium=7)
    with pytest.raises(SpheresInputError, match="no pure-strategy PBE"):
        model(example("japan-2019", l=0.2), off_path_belief="committed")
    with pytest.raises(SpheresInputError, match="role"):
        registry.coerce("ally", "equilibrium")
    with pytest.raises(SpheresInputError, match="episodes"):
        model().run_episodes(-1)


def test_payoffs_of_an_episode():
    m = model(SEP2, seed=2)
    m.run_episodes(1)
    row = m.episodes_table().iloc[0]
    p = SEP2
    if row["type"] == "committed":  # free-riding on a_bar, settles at p_h - c_T
        assert row["payoff_A"] == pytest.approx(float(-p.pi + p.l * p.a_bar + p.beta_high * (p.p_h - p.c_T)))
    else:
        assert row["payoff_A"] == pytest.approx(float(-p.pi + (1 + p.l) * p.a_star + p.beta_low * (p.p_h - p.c_T)))
    assert m.payoffs()[2] == 1 - (p.p_h - p.c_T)
    assert isinstance(m.challenger_belief, Fraction)
