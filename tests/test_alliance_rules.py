"""Rules of the alliance game written as a user would: the interface, both counterfactual modes in
AllianceModel, the CLI and the visual server; bad input; and docs/rules.md's example, run as written."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

import run
from alliance_user_rules import FairWeather, FightsBelowHalf
from games import registry
from games.alliance import (
    EQUILIBRIUM, ChallengerRule, NoEquilibrium, PatronRule, ProtegeRule, solve, verify_assessment,
)
from games.alliance.examples import example
from games.alliance.rules import EquilibriumProtege
from games.validation import SpheresInputError
from model import AllianceModel

ROOT = Path(__file__).resolve().parents[1]
F = Fraction
SEP2 = example("japan-2019")
SEP3 = example("japan-2019", l=0.5)


# ------------------------------------------------------------------ rules written here, as a user would
class Sceptic(ChallengerRule):
    """Reads every withdrawal as the committed type's (belief 1) and best-responds."""

    name = "test-sceptic"

    def belief(self, game, history):
        return EQUILIBRIUM if history.intact else 1


@pytest.fixture
def registered():
    """Register the test rules by name for one test (and remove them after)."""
    rules = (FightsBelowHalf, FairWeather, Sceptic)
    for rule in rules:
        registry.register(rule)
    yield
    for rule in rules:
        registry.unregister(registry._role_of(rule), rule.name)


def model(params=SEP2, **kwargs):
    return AllianceModel(params, n_demands=kwargs.pop("n_demands", 8), n_offers=kwargs.pop("n_offers", 20),
                         seed=kwargs.pop("seed", 3), **kwargs)


def first_of_each_type(m) -> dict:
    rows = m.episodes_table()
    return {t: rows[rows["type"] == t].iloc[0] for t in ("committed", "uncommitted")}


# ------------------------------------------------------------------ the interface
def test_built_in_rules_are_ordinary_registered_rules_and_the_game_code_has_no_mesa():
    assert registry.names("patron") == ["equilibrium", "never-withdraw", "always-withdraw", "no-offer", "max-demand"]
    assert registry.names("protege") == ["equilibrium", "always-pay", "never-pay"]
    assert registry.names("challenger") == ["equilibrium", "ignore-signal"]
    for role in ("patron", "protege", "challenger"):
        assert all(isinstance(registry.get(role, n), registry.base_class(role)) for n in registry.names(role))
    for path in (ROOT / "games" / "alliance").glob("*.py"):
        assert "import mesa" not in path.read_text(), path


def test_the_same_rule_object_serves_the_agents_and_the_search():
    rule = FightsBelowHalf()
    m = model(SEP3, protege_rule=rule, mode="anticipated")
    assert m.protege.rule is rule
    assert m.search.fixed.rules["protege"] is rule


@pytest.mark.parametrize("rule, role, params", [
    (FightsBelowHalf, "protege", SEP3), (FairWeather, "patron", example("japan-2019", pi=0.125)), (Sceptic, "challenger", SEP3),
])
def test_a_user_rule_works_in_both_modes(rule, role, params):
    plain = solve(params, n_demands=8, n_offers=20)
    restricted = solve(params, n_demands=8, n_offers=20, rules={role: rule})
    for mode, result in (("surprise", plain), ("anticipated", restricted)):
        m = model(params, mode=mode, **{f"{role}_rule": rule})
        # surprise: the others play the equilibrium of the game without the rule; anticipated: one of the restricted game's
        assert m.equilibrium.signature() in result.signatures()
        assert verify_assessment(params, m.assessment, m.demands, m.offers) == []
        m.run_episodes(30)
        assert m.rule_names[role] == rule.name
    assert restricted.signatures() != plain.signatures()  # the rule, known, changes the equilibrium


def test_a_protege_that_fights_low_offers_makes_war_and_c_anticipates_it():
    # Separating 3: after the uncommitted patron's withdrawal C offers p_l - c_T = 1/4
    surprise = model(SEP3, protege_rule=FightsBelowHalf, mode="surprise")
    surprise.run_episodes(60)
    rows = surprise.episodes_table()
    withdrawn = rows[rows["negotiation"] == "withdrawal"]
    assert len(withdrawn) and set(withdrawn["offer"]) == {0.25} and withdrawn["war"].all()
    assert not withdrawn["intervention"].any()  # the uncommitted patron stays out: T fights alone
    anticipated = model(SEP3, protege_rule=FightsBelowHalf, mode="anticipated")
    assert anticipated.equilibrium_label != "Separating 3"
    # C knows T fights anything below 1/2: it prefers the war (1 - p_l - c_C = 3/5) to paying 1/2
    assert anticipated.equilibrium.uncommitted.war


def test_a_challenger_reading_withdrawals_as_committed_pools_after_them():
    surprise = model(SEP3, challenger_rule=Sceptic, mode="surprise")
    surprise.run_episodes(60)
    rows = surprise.episodes_table()
    withdrawn = rows[rows["negotiation"] == "withdrawal"]
    assert set(withdrawn["belief"]) == {1.0} and set(withdrawn["offer"]) == {0.35}  # p_m - c_T against belief 1
    # anticipated: the withdrawal now brings the pooling offer, which the uncommitted patron likes
    anticipated = model(SEP3, challenger_rule=Sceptic, mode="anticipated")
    assert anticipated.equilibrium.uncommitted.offer == F(7, 20)


def test_rules_by_name_class_or_object_and_swapped_mid_run(registered):
    for rule in ("test-fights-below-half", FightsBelowHalf, FightsBelowHalf()):
        assert model(protege_rule=rule).protege.rule.name == "test-fights-below-half"
    m = model()
    m.run_episodes(5)
    m.protege.rule = "test-fights-below-half"
    m.patron.rule = FairWeather
    assert m.rule_names == {"patron": "test-fair-weather", "protege": "test-fights-below-half", "challenger": "equilibrium"}
    m.run_episodes(5)
    with pytest.raises(SpheresInputError, match="protege rule = 3.5 is not a rule"):
        m.protege.rule = 3.5
    with pytest.raises(SpheresInputError, match="is a patron rule, not a challenger rule"):
        m.challenger.rule = FairWeather
    assert m.protege.rule.name == "test-fights-below-half"  # a refused assignment changes nothing


# ------------------------------------------------------------------ the CLI and the visual server
RULES_FILE = '''
from fractions import Fraction
from games.alliance import EQUILIBRIUM, ProtegeRule
from games.registry import register


@register
class PaysLittle(ProtegeRule):
    """Pays a demand of at most 1/5."""

    name = "cli-pays-little"

    def respond_demand(self, game, committed, demand):
        return EQUILIBRIUM if demand <= Fraction(1, 5) else False
'''


@pytest.fixture
def rules_file(tmp_path):
    path = tmp_path / "my_rules.py"
    path.write_text(RULES_FILE)
    yield path
    registry.unregister("protege", "cli-pays-little")


@pytest.mark.parametrize("mode, played", [("surprise", "Separating 2"), ("anticipated", "sep C:free-ride/U:share")])
def test_a_users_rules_module_on_the_command_line(rules_file, tmp_path, capsys, mode, played):
    code = run.main(["alliance", "--example", "japan-2019", "--episodes", "40",  # 20 demands: 1/5 is one
                     "--rules-module", str(rules_file), "--protege-rule", "cli-pays-little", "--mode", mode,
                     "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 0
    assert f"the equilibrium rules play: {played}" in out
    assert f"protege=cli-pays-little, challenger=equilibrium ({mode})" in out


def test_alliance_japan_plays_the_rules_given_in_both_modes(rules_file, tmp_path, capsys):
    code = run.main(["alliance-japan", "--year", "2019", "--rules-module", str(rules_file),
                     "--protege-rule", "cli-pays-little", "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 0
    assert "[protege cli-pays-little, surprise] equilibrium played: Separating 2" in out
    assert "uncommitted A demands 0.2, T pays" in out  # anticipated: it asks what Japan pays


@pytest.mark.parametrize("argv, message", [
    (["alliance", "--patron-rule", "loyal"], "--patron-rule"),
    (["alliance", "--mode", "both"], "--mode"),
    (["alliance-japan", "--challenger-rule", "stubborn"], "--challenger-rule"),
])
def test_bad_rule_options_are_one_line_and_exit_status_2(argv, message, capsys, tmp_path):
    code = run.main(argv + ["--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and message in err[0]


def test_a_rule_that_breaks_on_the_command_line_is_one_line(tmp_path, capsys):
    path = tmp_path / "broken_rules.py"
    path.write_text(RULES_FILE.replace("cli-pays-little", "cli-broken").replace(
        "return EQUILIBRIUM if demand <= Fraction(1, 5) else False", "return 'maybe'"))
    try:
        code = run.main(["alliance", "--rules-module", str(path), "--protege-rule", "cli-broken", "--episodes", "5",
                         "--out", str(tmp_path / "out")])
    finally:
        registry.unregister("protege", "cli-broken")
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert "protege rule 'cli-broken' returned 'maybe' at respond_demand(committed, " in err[0]


def test_the_visual_server_lists_a_users_rule_and_plays_it_in_both_modes(registered):
    from visualization import alliance_app

    controls = alliance_app.controls()
    assert "test-fights-below-half" in controls["protege_rule"]["values"]
    assert controls["mode"]["values"] == ["surprise", "anticipated"]
    for mode in ("surprise", "anticipated"):
        m = alliance_app.AllianceVizModel(**{**alliance_app.default_params(), "example": "japan-2019", "l": 0.5,
                                            "protege_rule": "test-fights-below-half", "mode": mode,
                                            "n_demands": 6, "n_offers": 20})
        assert m.input_error is None and m.mode == mode
        m.run_episodes(3)
        assert f"T test-fights-below-half, C equilibrium ({mode})" in alliance_app.status_html(m)
    with pytest.raises(SpheresInputError, match="mode"):
        alliance_app.AllianceVizModel.checked(**{**alliance_app.default_params(), "mode": "later"})


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("kwargs, message", [
    (dict(patron_rule=42), "patron_rule = 42 is not a rule"),
    (dict(patron_rule=EquilibriumProtege), "is a protege rule, not a patron rule"),
    (dict(challenger_rule="psychic"), "challenger_rule = 'psychic' is not one of: equilibrium, ignore-signal"),
    (dict(mode="both"), "mode = 'both' is not one of: surprise, anticipated"),
    (dict(mode=1), "mode = 1 is not one of"),
    (dict(n_demands="8"), "n_demands = '8' must be an integer"),
    (dict(n_offers=1), "n_offers = 1"),
    (dict(seed=-1), "seed = -1"),
    (dict(off_path_belief="sceptical"), "off_path_belief = 'sceptical'"),
    (dict(equilibrium=2.5), "equilibrium = 2.5"),
])
def test_bad_constructor_arguments_are_refused_before_the_model_exists(kwargs, message):
    with pytest.raises(SpheresInputError, match=re.escape(message)):
        model(**kwargs)


class OffGrid(PatronRule):
    name = "test-off-grid"

    def demand(self, game, committed):
        return 0.3


class Silent(ProtegeRule):
    name = "test-silent"

    def respond_offer(self, game, committed, history, offer):
        raise NotImplementedError("not decided yet")


class Crashes(ChallengerRule):
    name = "test-crashes"

    def belief(self, game, history):
        return 1 / 0


class Vague(PatronRule):
    name = "test-vague"

    def withdraw(self, game, committed, demand):
        return "perhaps"


class Overconfident(ChallengerRule):
    name = "test-overconfident"

    def belief(self, game, history):
        return 1.5


class FixedOfferAnyBelief(ChallengerRule):
    """Fixes its offer after a withdrawal whatever it believes."""

    name = "test-fixed-offer"

    def offer(self, game, history, belief):
        return EQUILIBRIUM if history.intact else game.offers[-1]


@pytest.mark.parametrize("mode", ["surprise", "anticipated"])
@pytest.mark.parametrize("kwargs, message", [
    (dict(patron_rule=OffGrid), "patron rule 'test-off-grid' returned 0.3 at demand(committed); it must return None "
                                "(no offer), a value of game.demands"),
    (dict(protege_rule=Silent), "protege rule 'test-silent' does not say what it does at respond_offer(committed, "
                                "after 'no offer', 1/20) (NotImplementedError: not decided yet)"),
    (dict(challenger_rule=Crashes), "challenger rule 'test-crashes' failed at belief(after 'no offer'): "
                                    "ZeroDivisionError: division by zero"),
    (dict(patron_rule=Vague), "patron rule 'test-vague' returned 'perhaps' at withdraw(committed, "),
    (dict(challenger_rule=Overconfident), "returned 1.5 at belief(after 'no offer'); it must return a number in [0, 1]"),
])
def test_a_rule_with_an_illegal_move_anywhere_is_refused_when_the_model_is_built(kwargs, message, mode):
    with pytest.raises(SpheresInputError, match=re.escape(message)):
        model(mode=mode, **kwargs)


def test_a_rule_the_mode_cannot_honour_is_refused_saying_what_is_missing():
    model(SEP3, challenger_rule=FixedOfferAnyBelief, mode="anticipated")  # fine with a stated belief rule
    with pytest.raises(SpheresInputError, match="fix the rule's belief\\(\\) there too, or state an off-path belief rule"):
        model(SEP3, challenger_rule=FixedOfferAnyBelief, mode="anticipated", off_path_belief="any")


def test_a_restricted_game_without_pure_equilibrium_is_named():
    # a protégé known never to pay, and C reading an unexpected history as the committed patron
    sep1 = example("japan-2019", l=-0.2)
    assert model(sep1, off_path_belief="committed", mode="surprise", protege_rule="never-pay").steps == 0
    with pytest.raises(NoEquilibrium, match="off-path belief 1 .*restricted to the moves of the protege rule 'never-pay'"):
        model(sep1, off_path_belief="committed", mode="anticipated", protege_rule="never-pay")


def test_solve_checks_its_rules_argument():
    with pytest.raises(SpheresInputError, match="rules: role = 'ally'"):
        solve(SEP2, n_demands=4, n_offers=10, rules={"ally": "equilibrium"})
    with pytest.raises(SpheresInputError, match="rules must be a dict"):
        solve(SEP2, n_demands=4, n_offers=10, rules=["never-withdraw"])
    with pytest.raises(SpheresInputError, match="rules\\['patron'\\] = 'loyal'"):
        solve(SEP2, n_demands=4, n_offers=10, rules={"patron": "loyal"})


