"""The equilibrium search: the propositions' profiles, the slides' errors and gaps, the
classifier against the search, and a brute-force cross-check of 'all equilibria'."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from alliance_user_rules import FairWeather, FightsBelowHalf
from games.alliance import (
    FREE_RIDING, NO_OFFER, PROPOSITIONS, SHARING, WITHDRAWAL, History, classify, label_equilibrium,
    profile, regimes, slide_classify, slide_conditions, slide_profile, solve, verify_assessment,
)
from games import registry
from games.alliance.beliefs import bayes_belief, off_path_belief
from games.alliance.crisis import CrisisStage
from games.alliance.examples import example, random_params
from games.alliance.payoffs import all_histories
from games.alliance.rules import EQUILIBRIUM, ChallengerRule, Game, fixed_choices
from games.alliance.solver import Assessment
from games.validation import SpheresInputError

F = Fraction


def P(**changes):
    """japan-2019: a* = 1/4, a_bar = 1, pi band [3/40, 13/100], l* = 3/10 at pi = 1/10, mu_hat = 2/5."""
    return example("japan-2019", **changes)


def found(params, **kwargs):
    result = solve(params, n_demands=kwargs.pop("n_demands", 8), n_offers=kwargs.pop("n_offers", 20), **kwargs)
    return result, {label_equilibrium(e, params) for e in result}


# ----------------------------------------------------------------- each proposition's profile
def test_separating_1_profile():
    params = P(l=-0.2)
    result, labels = found(params)
    assert labels == {"Separating 1"}
    eq = result.equilibria[0]
    assert eq.committed.demand is None and eq.committed.outcome == NO_OFFER
    assert eq.uncommitted.demand == params.a_star == F(1, 4) and eq.uncommitted.outcome == SHARING
    assert eq.committed.offer == eq.uncommitted.offer == params.p_h - params.c_T
    assert eq.committed.belief == 1 and eq.uncommitted.belief == 0
    assert eq.committed.crisis_accepted and eq.uncommitted.crisis_accepted


def test_separating_1_with_a_bar_below_a_star_demands_a_bar():
    params = P(l=-0.2, a_bar=0.2)
    result, labels = found(params)
    assert labels == {"Separating 1"}
    assert result.equilibria[0].uncommitted.demand == F(1, 5)  # min{a*, a_bar}


def test_separating_2_profile():
    params = P(l=0.2)
    result, labels = found(params)
    assert labels == {"Separating 2"}
    eq = result.equilibria[0]
    assert (eq.committed.demand, eq.committed.outcome) == (params.a_bar, FREE_RIDING)
    assert (eq.uncommitted.demand, eq.uncommitted.outcome) == (params.a_star, SHARING)


def test_separating_3_offer_after_withdrawal_is_p_l_minus_c_T_not_p_h_minus_c_T():
    params = P(l=0.5)
    result, labels = found(params)
    assert labels == {"Separating 3"}
    eq = result.equilibria[0]
    assert (eq.uncommitted.demand, eq.uncommitted.outcome) == (params.a_bar, WITHDRAWAL)
    # C knows it faces the uncommitted patron, who stays out of a war without the alliance
    assert eq.uncommitted.belief == 0
    assert eq.uncommitted.offer == params.p_l - params.c_T == F(1, 4)
    # the slides' profile (C offers p_h - c_T = 1/2 after the withdrawal) is not an equilibrium
    assert slide_profile("Separating 3", params) not in result.signatures()
    assert slide_profile("Separating 3", params)[1][2] == F(1, 2)


@pytest.mark.parametrize("l", [-0.2, 0.2, 0.5])
def test_every_equilibrium_found_passes_the_brute_force_verifier(l):
    params = P(l=l)
    result = solve(params, n_demands=6, n_offers=20)
    for eq in result:
        assert verify_assessment(params, eq.assessment, result.demands, result.offers) == []


def test_verifier_catches_a_broken_assessment():
    params = P(l=0.5)
    result = solve(params, n_demands=6, n_offers=20)
    eq = result.equilibria[0]
    a = eq.assessment
    h = History(WITHDRAWAL, params.a_bar)
    broken = Assessment(dict(a.demand), dict(a.respond), dict(a.withdraw), {**a.offer, h: params.p_h - params.c_T},
                        dict(a.belief), dict(a.regime))
    problems = verify_assessment(params, broken, result.demands, result.offers)
    assert any("C's offer" in p for p in problems)
    wrong_belief = Assessment(dict(a.demand), dict(a.respond), dict(a.withdraw), dict(a.offer), {**a.belief, h: F(1)},
                              dict(a.regime))
    assert any("Bayes" in p for p in verify_assessment(params, wrong_belief, result.demands, result.offers))


# ----------------------------------------------------------------- where the slides are incomplete
def test_l_zero_supports_separating_1_and_2_although_slides_say_l_below_0_for_1():
    params = P(l=0)
    result, labels = found(params)
    assert {"Separating 1", "Separating 2"} <= labels
    assert classify(params) == {"Separating 1": True, "Separating 2": True, "Separating 3": False}
    assert slide_classify(params)["Separating 1"] is False
    # and the committed patron may make any rejected demand: one outcome per demand (+ no offer)
    committed_demands = {e.committed.demand for e in result if e.uncommitted.outcome == SHARING}
    assert committed_demands == {None, *result.demands}


def test_l_equal_l_star_supports_separating_2_and_3_where_slides_claim_neither():
    params = P(l=0.3)  # exactly l* = 3/10: decided by exact rationals
    assert params.l_star == params.l
    _, labels = found(params)
    assert {"Separating 2", "Separating 3"} <= labels
    assert classify(params)["Separating 2"] and classify(params)["Separating 3"]
    assert not slide_classify(params)["Separating 2"] and not slide_classify(params)["Separating 3"]


def test_pi_at_credibility_threshold_supports_separating_3_for_any_nonnegative_l():
    params = P(pi=0.075, l=0.1)  # pi = beta_low a*, l well below l* = 1/3
    assert params.pi == params.pi_low and params.l < params.l_star
    _, labels = found(params)
    assert "Separating 3" in labels and "Separating 2" in labels
    assert classify(params)["Separating 3"]
    assert not slide_conditions(params)["(7)"]


@pytest.mark.parametrize("l, proposition", [(0.25, "Separating 2"), (0.5, "Separating 3")])
def test_pooled_withdrawal_coexists_with_the_propositions(l, proposition):
    # pi in [beta_high (p_h - p_m), pi_high], c_A > beta_high c_T and phi > mu_hat:
    # both types demand a_bar, are refused and abandon the alliance; C pools at p_m - c_T
    params = P(pi=0.125, l=l)
    assert params.phi > params.mu_hat and params.c_A > params.beta_high * params.c_T
    result, labels = found(params)
    assert labels == {proposition, "pool withdraw"}
    pooled = next(e for e in result if e.pooling)
    assert pooled.committed.outcome == WITHDRAWAL and pooled.committed.belief == params.phi
    assert pooled.committed.offer == params.p_m - params.c_T
    # it needs C to pool: with phi below mu_hat it disappears
    _, labels_low_phi = found(params.replace(phi=0.3))
    assert labels_low_phi == {proposition}


def test_optimistic_off_path_beliefs_break_the_propositions():
    # C reading an unexpected withdrawal as the committed type pools at p_m - c_T: the
    # uncommitted protégé then pays only p_h - p_m, and Separating 2 and 3 have no pure PBE
    _, labels = found(P(l=-0.2), off_path_belief_rule="committed")
    assert labels == {"sep C:none/U:share"}
    result = solve(P(l=-0.2), n_demands=8, n_offers=20, off_path_belief_rule="committed")
    assert result.equilibria[0].uncommitted.demand == F(3, 20)  # p_h - p_m, not a* = 1/4
    assert len(solve(P(l=0.2), n_demands=8, n_offers=20, off_path_belief_rule="committed")) == 0
    # Separating 3 survives only as a grid artefact: deviating to the demand just below a_bar
    # gains beta_low (p_m - p_l) = 3/100 at a cost l (a_bar - a_prev), < 3/100 on a fine grid
    coarse = solve(P(l=0.5), n_demands=8, n_offers=20, off_path_belief_rule="committed")
    fine = solve(P(l=0.5), n_demands=25, n_offers=20, off_path_belief_rule="committed")
    assert {label_equilibrium(e, P(l=0.5)) for e in coarse} == {"Separating 3"} and len(fine) == 0
    with pytest.raises(SpheresInputError, match="mu_hat"):
        classify(P(l=0.2), "committed")


def test_outside_assumption_2_the_uncommitted_demand_is_not_a_star():
    params = P(c_A=0.02, l=-0.2, check_assumptions=False)  # c_A < beta_low (p_m - p_l): it intervenes anyway
    _, labels = found(params)
    assert "Separating 1" not in labels
    result = solve(params, n_demands=8, n_offers=20)
    assert {e.uncommitted.demand for e in result} == {params.p_h - params.p_m}
    with pytest.raises(SpheresInputError, match="assumption"):
        classify(params)


# ----------------------------------------------------------------- closed forms vs the search
def test_classifier_agrees_with_the_search_on_random_parameters():
    rng = np.random.default_rng(20250124)
    counts = dict.fromkeys(PROPOSITIONS, 0)
    for _ in range(150):
        params = random_params(rng)
        result = solve(params, n_demands=4, n_offers=10)
        searched = {name: profile(name, params) in result.signatures() for name in PROPOSITIONS}
        assert searched == classify(params), params
        for name in PROPOSITIONS:
            counts[name] += searched[name]
    assert all(c >= 5 for c in counts.values()), counts  # every proposition exercised


def test_slide_conditions_are_sufficient_and_4_5_6_are_redundant():
    rng = np.random.default_rng(7)
    for _ in range(400):
        params = random_params(rng)
        derived, slides, cond = classify(params), slide_classify(params), slide_conditions(params)
        for name in PROPOSITIONS:
            assert derived[name] or not slides[name]
        if cond["(2)"] and cond["(7)"]:
            assert cond["(4)"] and cond["(5)"] and cond["(6)"]
        if params.a_bar > params.a_star:
            assert cond["(10)"] == (params.l_star < 1)


def test_grid_must_be_valid():
    params = P()
    with pytest.raises(SpheresInputError, match=r"demands\[0\]"):
        solve(params, demands=[2])
    with pytest.raises(SpheresInputError, match=r"offers\[1\]"):
        solve(params, offers=[0.5, 1.0])
    with pytest.raises(SpheresInputError, match="n_demands"):
        solve(params, n_demands=0)


# ----------------------------------------------------------------- 'all equilibria': brute force
def supportable_offers(stage, h, offers) -> dict:
    """Every offer C may make at h against *some* belief, with one such belief. Offer x is optimal
    at belief mu iff a_x + b_x mu >= a_y + b_y mu for every offer y: an interval of mu, found
    here exactly and independently of the search's walk along the envelope."""
    lines = {}
    for x in offers:
        low, high = stage.play(False, h, x).C, stage.play(True, h, x).C
        lines[x] = (low, high - low)
    out = {}
    for x, (ax, bx) in lines.items():
        lo, hi = F(0), F(1)
        for ay, by in lines.values():
            k, c = bx - by, ay - ax  # needs k mu >= c
            if k > 0:
                lo = max(lo, c / k)
            elif k < 0:
                hi = min(hi, c / k)
            elif c > 0:
                lo, hi = F(1), F(0)
        if lo <= hi:
            out[x] = lo
    return out


def brute_force_outcomes(params, demands, offers, rule="uncommitted", rules=None):
    """Enumerate every pure assessment (restricted to the moves ``rules`` fix, if any) whose C
    offers are optimal against its beliefs (Bayes on the path; off it the stated rule, or with
    "any" some belief) and keep those the independent verifier accepts; return their path signatures."""
    D = (None,) + tuple(demands)
    mu_off = off_path_belief(params, rule)
    rule_objects = {role: registry.coerce(role, r) for role, r in (rules or {}).items()}
    fixed = fixed_choices(Game(params, tuple(demands), tuple(offers)), rule_objects)
    hs = all_histories(demands)
    keys = [(c, a) for c in (True, False) for a in demands]
    out = set()
    for regime in regimes(params):
        stage = CrisisStage(params, offers, regime, fixed.intervene, fixed.accept)
        for d_H, d_L in itertools.product(*[(fixed.demand[c],) if c in fixed.demand else D for c in (True, False)]):
            for respond_bits in itertools.product((True, False), repeat=len(keys)):
                respond = dict(zip(keys, respond_bits))
                if any(respond[k] != v for k, v in fixed.respond.items()):
                    continue
                for withdraw_bits in itertools.product((True, False), repeat=len(keys)):
                    withdraw = dict(zip(keys, withdraw_bits))
                    if any(withdraw[k] != v for k, v in fixed.withdraw.items()):
                        continue
                    partial = Assessment({True: d_H, False: d_L}, respond, withdraw, {}, {}, regime)
                    reach = {c: partial.history_of(c) for c in (True, False)}
                    choices = []
                    for h in hs:
                        mu = fixed.belief.get(h, bayes_belief(params.phi, reach[True] == h, reach[False] == h))
                        if mu is None and mu_off == "any":
                            choices.append(list(supportable_offers(stage, h, offers).items()))
                            continue
                        mu = mu_off if mu is None else mu
                        x = fixed.offer(h, mu)
                        choices.append([(x, mu)] if x is not None else [(y, mu) for y in stage.best_offers(h, mu)])
                    for combo in itertools.product(*choices):
                        a = Assessment(partial.demand, respond, withdraw, {h: x for h, (x, _) in zip(hs, combo)},
                                       {h: mu for h, (_, mu) in zip(hs, combo)}, regime, None if fixed.empty else fixed)
                        if not verify_assessment(params, a, demands, offers, stop_at_first=True):
                            out.add(tuple((a.demand[c], reach[c].outcome, a.offer[reach[c]]) for c in (True, False)))
    return out


def small_grids(params, rule="uncommitted"):
    # the demand that matters: a* under screening, p_h - p_m when C pools after a withdrawal
    demands = (params.a_star if rule == "uncommitted" else params.p_h - params.p_m, params.a_bar)
    offers = (F(1, 10), params.p_l - params.c_T, params.p_m - params.c_T, params.p_h - params.c_T, F(9, 10))
    return demands, offers


@pytest.mark.parametrize("changes, rule", [
    (dict(l=-0.2), "uncommitted"), (dict(l=0.2), "uncommitted"), (dict(l=0), "uncommitted"),
    (dict(pi=0.125, l=0.5), "uncommitted"), (dict(pi=0.2, l=0.1), "uncommitted"), (dict(l=-0.2), "committed"),
])
def test_search_finds_exactly_the_brute_force_equilibria(changes, rule):
    params = P(**changes)
    demands, offers = small_grids(params, rule)
    result = solve(params, demands=demands, offers=offers, off_path_belief_rule=rule)
    assert result.signatures() == brute_force_outcomes(params, demands, offers, rule)
    assert len(result) >= 1


@pytest.mark.parametrize("changes", [dict(l=-0.2), dict(pi=0.125, l=0.2), dict(pi=0.125, l=0.5)])
def test_with_any_off_path_beliefs_the_search_finds_exactly_the_brute_force_outcomes(changes):
    params = P(**changes)
    demands, offers = small_grids(params)
    result = solve(params, demands=demands, offers=offers, off_path_belief_rule="any")
    assert result.signatures() == brute_force_outcomes(params, demands, offers, "any")
    # every outcome under a stated belief is one that some beliefs support
    for stated in ("uncommitted", "prior", "committed"):
        assert solve(params, demands=demands, offers=offers, off_path_belief_rule=stated).signatures() <= result.signatures()
    for eq in result:
        assert verify_assessment(params, eq.assessment, demands, offers) == []


class LowballAfterWithdrawal(ChallengerRule):
    """Written here: offers the lowest grid offer after any withdrawal."""

    name = "lowball-after-withdrawal"

    def offer(self, game, history, belief):
        return EQUILIBRIUM if history.intact else game.offers[0]


@pytest.mark.parametrize("changes, rules", [
    (dict(l=0.2), {"patron": "never-withdraw"}),
    (dict(l=0.2), {"protege": "always-pay"}),
    (dict(l=0.5), {"challenger": "ignore-signal"}),
    (dict(l=-0.2), {"patron": "max-demand", "protege": "never-pay"}),
    (dict(l=0.5), {"protege": FightsBelowHalf}),
    (dict(pi=0.125, l=0.2), {"patron": FairWeather}),
    (dict(l=0.5), {"challenger": LowballAfterWithdrawal}),
])
def test_anticipated_search_finds_exactly_the_pbe_of_the_restricted_game(changes, rules):
    params = P(**changes)
    demands, offers = small_grids(params)
    result = solve(params, demands=demands, offers=offers, rules=rules)
    assert result.fixed is not None and "restricted" in result.convention()
    assert result.signatures() == brute_force_outcomes(params, demands, offers, rules=rules)
    assert len(result) >= 1
    for eq in result:
        assert verify_assessment(params, eq.assessment, demands, offers) == []


def test_war_on_the_path_when_c_screens_a_pooled_withdrawal():
    # far above pi_high both types abandon; with phi below mu_hat C screens at p_l - c_T, the
    # committed patron's protégé fights and the patron intervenes: war on the equilibrium path
    params = P(pi=0.3, l=0.5, phi=0.3)
    assert params.pi > params.pi_high and params.phi < params.mu_hat
    result = solve(params, n_demands=4, n_offers=10)
    war = [e for e in result if e.committed.war]
    assert war, [e.describe() for e in result]
    eq = war[0]
    assert eq.pooling and eq.committed.outcome == WITHDRAWAL and eq.committed.intervene
    assert eq.committed.offer == params.p_l - params.c_T and eq.uncommitted.crisis_accepted
    assert verify_assessment(params, eq.assessment, result.demands, result.offers) == []
