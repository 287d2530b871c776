"""Payoffs, the crisis stage (intervention, acceptance, C's offers) and beliefs."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from games.alliance import (
    FREE_RIDING, NO_OFFER, SHARING, WITHDRAWAL, best_offers, bilateral_war, intervention_options, lambda_A, lambda_T,
    multilateral_war, off_path_belief, offer_grid, regimes, settlement, t_accepts,
)
from games.alliance.beliefs import bayes_belief
from games.alliance.crisis import best_offers_bruteforce
from games.alliance.examples import example
from games.validation import SpheresInputError

P = example("japan-2019")  # pi=1/10, l=1/5, beta_low=3/10, beta_high=4/5, p=(3/10, 2/5, 11/20), c_T=1/20
F = Fraction


def test_negotiation_payoffs_match_the_slides():
    a = F(1, 2)
    assert lambda_A(P, NO_OFFER) == -F(1, 10)
    assert lambda_A(P, SHARING, a) == -F(1, 10) + a + F(1, 5) * a
    assert lambda_A(P, FREE_RIDING, a) == -F(1, 10) + F(1, 5) * a
    assert lambda_A(P, WITHDRAWAL, a) == F(1, 5) * a
    assert lambda_T(P, SHARING, a) == -a
    assert lambda_T(P, FREE_RIDING, a) == lambda_T(P, WITHDRAWAL, a) == lambda_T(P, NO_OFFER) == 0
    with pytest.raises(SpheresInputError, match="n = 'bargain'"):
        lambda_A(P, "bargain", a)
    with pytest.raises(SpheresInputError, match="demand a"):
        lambda_A(P, SHARING, None)


def test_crisis_utilities_match_the_slides():
    beta, x = F(4, 5), F(1, 2)
    assert settlement(P, beta, x, F(1), F(2)) == (beta * x + 1, x + 2, 1 - x)
    # bilateral war: p_I read as p_l
    assert bilateral_war(P, beta) == (beta * F(3, 10), F(3, 10) - F(1, 20), 1 - F(3, 10) - F(1, 10))
    assert multilateral_war(P, beta, F(11, 20)) == (beta * F(11, 20) - F(1, 20), F(11, 20) - F(1, 20), 1 - F(11, 20) - F(1, 10))


def test_assumption_2_fixes_who_intervenes():
    # both types fight inside the alliance; outside it only the committed one does
    assert intervention_options(P, True, True) == (True,)
    assert intervention_options(P, False, True) == (True,)
    assert intervention_options(P, True, False) == (True,)
    assert intervention_options(P, False, False) == (False,)
    assert len(regimes(P)) == 1


def test_an_intervention_tie_gives_two_regimes():
    tie = P.replace(c_A=F(3, 10) * (F(2, 5) - F(3, 10)), check_assumptions=False)  # beta_low (p_m - p_l) = c_A
    assert intervention_options(tie, False, False) == (True, False)
    assert len(regimes(tie)) == 2


def test_protege_accepts_when_indifferent():
    regime = regimes(P)[0]
    war_value = P.p_h - P.c_T
    assert t_accepts(P, True, True, war_value, regime)
    assert not t_accepts(P, True, True, war_value - F(1, 1000), regime)
    # after a withdrawal the uncommitted patron stays out: T's war value is p_l - c_T
    assert t_accepts(P, False, False, P.p_l - P.c_T, regime)
    assert not t_accepts(P, True, False, P.p_l - P.c_T, regime)


def test_challenger_screens_or_pools_after_a_withdrawal():
    offers, regime = offer_grid(P, 20), regimes(P)[0]
    assert best_offers(P, offers, False, F(0), regime) == (P.p_l - P.c_T,)
    assert best_offers(P, offers, False, F(1), regime) == (P.p_m - P.c_T,)
    assert best_offers(P, offers, False, P.mu_hat, regime) == (P.p_l - P.c_T, P.p_m - P.c_T)  # exact tie
    assert best_offers(P, offers, True, F(1, 2), regime) == (P.p_h - P.c_T,)  # intact: belief irrelevant


@settings(max_examples=80, deadline=None)
@given(
    mu=st.fractions(min_value=0, max_value=1, max_denominator=50),
    intact=st.booleans(),
    c_A=st.sampled_from([F(1, 100), F(3, 100), F(5, 100), F(8, 100)]),
    n=st.integers(min_value=2, max_value=30),
)
def test_best_offers_equal_brute_force(mu, intact, c_A, n):
    params = P.replace(c_A=c_A, check_assumptions=False)
    offers = offer_grid(params, n)
    for regime in regimes(params):
        assert best_offers(params, offers, intact, mu, regime) == best_offers_bruteforce(params, offers, intact, mu, regime)


def test_beliefs():
    assert off_path_belief(P) == 0
    assert off_path_belief(P, "prior") == P.phi
    assert off_path_belief(P, "committed") == 1
    assert off_path_belief(P, 0.25) == F(1, 4)
    with pytest.raises(SpheresInputError, match="off_path_belief"):
        off_path_belief(P, 1.5)
    with pytest.raises(SpheresInputError, match="off_path_belief"):
        off_path_belief(P, "optimistic")
    assert bayes_belief(F(3, 5), True, True) == F(3, 5)
    assert bayes_belief(F(3, 5), True, False) == 1
    assert bayes_belief(F(3, 5), False, True) == 0
    assert bayes_belief(F(3, 5), False, False) is None


def test_negotiation_stage_rules():
    from games.alliance import crisis_play, protege_accepts_demand, withdrawal_choices

    regime = regimes(P)[0]
    a = P.a_star
    intact = crisis_play(P, False, True, P.p_h - P.c_T, regime)
    screened = crisis_play(P, False, False, P.p_l - P.c_T, regime)
    # uncommitted: pi = 1/10 > beta_low a* = 3/40, so it withdraws; its protégé pays a* (indifferent) but not more
    assert withdrawal_choices(P, a, intact, screened) == (True,)
    assert protege_accepts_demand(a, intact, screened)
    assert not protege_accepts_demand(a + F(1, 100), intact, screened)
    # at pi = beta_low a* the uncommitted patron is indifferent: both choices are optimal
    tie = P.replace(pi=P.beta_low * a)
    assert withdrawal_choices(tie, a, intact, screened) == (False, True)
    # committed: after a withdrawal C screens, its protégé fights, it intervenes; pi < pi_high so it stays
    c_intact = crisis_play(P, True, True, P.p_h - P.c_T, regime)
    c_screened = crisis_play(P, True, False, P.p_l - P.c_T, regime)
    assert not c_screened.accepted and c_screened.intervene
    assert withdrawal_choices(P, a, c_intact, c_screened) == (False,)
    assert not protege_accepts_demand(F(1, 100), c_intact, c_intact)  # free-riding beats paying anything
