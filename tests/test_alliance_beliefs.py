"""Off-path beliefs: C's belief regions, the outcomes some beliefs support, and which survive the
Intuitive Criterion and D1 (on the Japan scenarios, at points of each proposition's region, and
the documented rule on random points)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from games.alliance import (
    PROPOSITIONS, REFINEMENTS, WITHDRAWAL, History, classify, d1, intuitive_criterion, label_equilibrium, profile,
    refine, regimes, solve,
)
from games.alliance.crisis import CrisisStage, envelope_breakpoints, representative_beliefs
from games.alliance.examples import example, random_params
from games.alliance.grids import offer_grid
from games.alliance.payoffs import NO_OFFER, SHARING
from games.validation import SpheresInputError

F = Fraction


def P(**changes):
    """japan-2019: a* = 1/4, a_bar = 1, pi band [3/40, 13/100], beta_high (p_h - p_m) = 3/25, mu_hat = 2/5."""
    return example("japan-2019", **changes)


def verdicts(params, n_demands=8, n_offers=20):
    """{label: {refinement: survives}} for every outcome some off-path beliefs support."""
    result = solve(params, n_demands=n_demands, n_offers=n_offers, off_path_belief_rule="any")
    out: dict = {}
    for eq, v in refine(result):
        entry = out.setdefault(label_equilibrium(eq, params), {name: False for name in REFINEMENTS})
        for name in REFINEMENTS:
            entry[name] = entry[name] or v[name].survives
    return out


# ----------------------------------------------------------------- belief regions
def test_envelope_breakpoints_of_simple_lines():
    assert envelope_breakpoints([(F(1), F(-1)), (F(0), F(1))]) == [F(1, 2)]
    assert envelope_breakpoints([(F(1), F(0)), (F(0), F(1, 2))]) == []  # the second never catches up on [0, 1]
    assert envelope_breakpoints([(F(1), F(-1)), (F(1, 2), F(0)), (F(0), F(1))]) == [F(1, 2)]  # three meet at 1/2
    assert envelope_breakpoints([(F(1), F(-1)), (F(3, 4), F(0)), (F(0), F(1))]) == [F(1, 4), F(3, 4)]
    assert representative_beliefs([(F(1), F(-1)), (F(0), F(1))]) == (F(0), F(1, 4), F(1, 2), F(3, 4), F(1))


def test_after_a_withdrawal_c_screens_below_mu_hat_and_pools_above():
    p = P()
    offers = offer_grid(p, 20)
    stage = CrisisStage(p, offers, regimes(p)[0])
    withdrawal = History(WITHDRAWAL, p.a_bar)
    assert p.mu_hat in stage.beliefs(withdrawal)
    screen, pool = p.p_l - p.c_T, p.p_m - p.c_T
    assert stage.best_offers(withdrawal, p.mu_hat / 2) == (screen,)
    assert stage.best_offers(withdrawal, p.mu_hat) == (screen, pool)
    assert stage.best_offers(withdrawal, (1 + p.mu_hat) / 2) == (pool,)
    # with the alliance intact both types intervene (assumption (2)): the belief changes nothing
    assert stage.beliefs(History(NO_OFFER, None)) == (0, F(1, 2), 1)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_belief_regions_reach_every_offer_optimal_at_some_belief(seed):
    rng = np.random.default_rng(seed)
    for _ in range(10):
        p = random_params(rng)
        offers = offer_grid(p, 20)
        for regime in regimes(p):
            stage = CrisisStage(p, offers, regime)
            for h in (History(NO_OFFER, None), History(SHARING, p.a_bar), History(WITHDRAWAL, p.a_bar)):
                found = {x for mu in stage.beliefs(h) for x in stage.best_offers(h, mu)}
                fine = {x for k in range(201) for x in stage.best_offers(h, F(k, 200))}
                assert fine <= found  # every offer optimal on a fine grid of beliefs is reached ...
                for mu in stage.beliefs(h):  # ... and each one reached is optimal at its belief
                    values = {x: stage.c_payoff(h, mu, x) for x in offers}
                    assert all(values[x] == max(values.values()) for x in stage.best_offers(h, mu))


def test_the_convention_is_stated_with_every_result():
    assert "off-path belief 0" in solve(P(), n_demands=4, n_offers=10).convention()
    assert "supported by some off-path beliefs" in solve(P(), n_demands=4, n_offers=10, off_path_belief_rule="any").convention()
    with pytest.raises(SpheresInputError, match="'any' is not a belief rule"):
        classify(P(), "any")


# ----------------------------------------------------------------- the Japan scenarios
def test_japan_1978_only_separating_1_survives():
    params = example("japan-1978")
    found = verdicts(params)
    assert found["Separating 1"] == {"Intuitive Criterion": True, "D1": True}
    # free beliefs also support the uncommitted patron asking less than a*; no refinement keeps that
    assert found["sep C:none/U:share"] == {"Intuitive Criterion": False, "D1": False}


def test_japan_2019_only_separating_2_survives_and_separating_3_needs_unreasonable_beliefs():
    params = P()
    # 20 demands: the grid holds a demand (1/5) between p_h - p_m and a* that free beliefs can support
    result = solve(params, n_demands=20, n_offers=20, off_path_belief_rule="any")
    found = verdicts(params, n_demands=20)
    assert set(found) == {"Separating 2", "Separating 3", "sep C:free-ride/U:share"}
    assert found["Separating 2"] == {"Intuitive Criterion": True, "D1": True}
    assert found["Separating 3"] == found["sep C:free-ride/U:share"] == {"Intuitive Criterion": False, "D1": False}
    sep3 = next(e for e in result if label_equilibrium(e, params) == "Separating 3")
    verdict = intuitive_criterion(params, sep3, result.demands, result.offers)
    # only the uncommitted type could gain from asking a* (or a little less): read so, C screens and T pays
    assert verdict.message.startswith("demand ") and "only the uncommitted type could gain" in verdict.reason
    assert not d1(params, sep3, result.demands, result.offers).survives


# ----------------------------------------------------------------- points of each region
@pytest.mark.parametrize("changes, proposition, survives", [
    (dict(l=-0.2), "Separating 1", True),
    (dict(l=-0.2, pi=0.125), "Separating 1", False),  # pi > beta_high (p_h - p_m) = 0.12
    (dict(l=0.2), "Separating 2", True),
    (dict(l=0.2, pi=0.125), "Separating 2", False),
    (dict(l=0.5), "Separating 3", True),
    (dict(l=0.5, pi=0.125), "Separating 3", True),
    (dict(l=0.1, pi=0.075), "Separating 3", True),  # pi = pi_low: the uncommitted patron indifferent
    (dict(l=0), "Separating 1", True),
    (dict(l=0), "Separating 2", True),
])
def test_each_proposition_at_points_of_its_region(changes, proposition, survives):
    params = P(**changes)
    assert classify(params)[proposition]
    found = verdicts(params)
    assert found[proposition] == {"Intuitive Criterion": survives, "D1": survives}


def test_when_withdrawal_pays_the_committed_patron_a_refinement_picks_its_withdrawal():
    # pi = 0.125 > beta_high (p_h - p_m): believed committed after a withdrawal, C pools and the
    # committed patron would rather withdraw than free-ride: withdrawal signals commitment
    params = P(l=0.2, pi=0.125)
    survivors = {label for label, v in verdicts(params).items() if all(v.values())}
    assert survivors == {"sep C:withdraw/U:share"}
    result = solve(params, n_demands=8, n_offers=20, off_path_belief_rule="any")
    eq = next(e for e in result if label_equilibrium(e, params) == "sep C:withdraw/U:share")
    assert eq.committed.belief == 1 and eq.committed.offer == params.p_m - params.c_T


def test_the_documented_rule_on_random_points():
    """Inside its region (classify), Separating 1 and 2 survive both refinements iff
    pi <= beta_high (p_h - p_m), Separating 3 always; outside it no refinement keeps a profile."""
    rng = np.random.default_rng(11)
    seen = {(name, ok): 0 for name in PROPOSITIONS for ok in (True, False)}
    checked = 0
    while checked < 40:
        params = random_params(rng)
        holds = classify(params)
        if not any(holds.values()):
            continue
        checked += 1
        result = solve(params, n_demands=4, n_offers=10, off_path_belief_rule="any")
        by_signature = {eq.signature(): v for eq, v in refine(result)}
        for name in PROPOSITIONS:
            v = by_signature.get(profile(name, params))
            if not holds[name]:
                assert v is None or not all(x.survives for x in v.values()), (name, params)
                continue
            expected = name == "Separating 3" or params.pi <= params.beta_high * (params.p_h - params.p_m)
            assert {r: x.survives for r, x in v.items()} == dict.fromkeys(REFINEMENTS, expected), (name, params)
            seen[(name, expected)] += 1
    assert all(seen[(name, True)] for name in PROPOSITIONS) and seen[("Separating 1", False)] and seen[("Separating 2", False)]


def test_refinements_apply_to_the_game_without_rules():
    params = P(l=0.2)
    result = solve(params, n_demands=4, n_offers=10, rules={"patron": "never-withdraw"})
    with pytest.raises(SpheresInputError, match="refinements apply to the game without rules"):
        refine(result)
