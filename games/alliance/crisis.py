"""The crisis-bargaining stage: A's intervention, T's acceptance rule, C's best offers.

Tie rules (documented in docs/alliance.md):
- T accepts an offer when indifferent (x equal to its war value). This is the standard
  ultimatum tie-break; without it C's best offer does not exist on a continuum, and on a
  grid rejecting at the tie only moves C's offer to the next grid point.
- A's intervention is decided by ``beta (p - p_l)`` against ``c_A``; an exact tie (only
  possible with ``check_assumptions=False``) yields both choices, which the search treats
  as separate intervention regimes (intervention depends on A's type and on whether the
  alliance is intact, not on the offer).
- C's offer: every grid offer maximising C's expected payoff given its belief (exact),
  so ties in C's choice are enumerated by the search.
"""

from __future__ import annotations

import bisect
import itertools
from fractions import Fraction
from typing import NamedTuple

from games.alliance.params import AllianceParams
from games.alliance.payoffs import bilateral_war, multilateral_war, settlement, win_probability

__all__ = [
    "Regime", "CrisisPlay", "intervention_options", "regimes", "t_war_value", "t_accepts",
    "crisis_play", "c_expected_payoff", "best_offers", "best_offers_bruteforce",
]

# (committed, intact) -> does A intervene in a war
Regime = dict


def intervention_options(params: AllianceParams, committed: bool, intact: bool) -> tuple[bool, ...]:
    """A's sequentially rational intervention choices: intervene iff beta (p - p_l) > c_A."""
    p = params.p_h if intact else params.p_m
    gain = params.beta(committed) * (p - params.p_l) - params.c_A
    if gain > 0:
        return (True,)
    if gain < 0:
        return (False,)
    return (True, False)


def regimes(params: AllianceParams) -> list[Regime]:
    """All combinations of sequentially rational intervention choices (one under assumption (2))."""
    keys = [(c, i) for c in (True, False) for i in (True, False)]
    choices = [intervention_options(params, c, i) for c, i in keys]
    return [dict(zip(keys, combo)) for combo in itertools.product(*choices)]


def t_war_value(params: AllianceParams, intact: bool, intervene: bool) -> Fraction:
    """T's crisis payoff from war: p - c_T."""
    return win_probability(params, intact, intervene) - params.c_T


def t_accepts(params: AllianceParams, committed: bool, intact: bool, x: Fraction, regime: Regime) -> bool:
    """T's acceptance rule: accept iff x >= its war value (accepts when indifferent)."""
    return x >= t_war_value(params, intact, regime[(committed, intact)])


class CrisisPlay(NamedTuple):
    """What happens in the crisis for one type of A: crisis payoffs exclude lambda."""

    offer: Fraction
    accepted: bool
    intervene: bool | None
    A: Fraction
    T: Fraction
    C: Fraction


def crisis_play(params: AllianceParams, committed: bool, intact: bool, x: Fraction, regime: Regime) -> CrisisPlay:
    """Play out T's response and A's intervention after offer x."""
    beta = params.beta(committed)
    if t_accepts(params, committed, intact, x, regime):
        u = settlement(params, beta, x)
        return CrisisPlay(x, True, None, u.A, u.T, u.C)
    intervene = regime[(committed, intact)]
    if intervene:
        u = multilateral_war(params, beta, params.p_h if intact else params.p_m)
    else:
        u = bilateral_war(params, beta)
    return CrisisPlay(x, False, intervene, u.A, u.T, u.C)


def c_expected_payoff(params: AllianceParams, intact: bool, mu: Fraction, x: Fraction, regime: Regime) -> Fraction:
    """C's expected payoff of offer x when it believes A committed with probability mu."""
    total = Fraction(0)
    for committed, weight in ((True, mu), (False, 1 - mu)):
        if weight:
            total += weight * crisis_play(params, committed, intact, x, regime).C
    return total


def best_offers(params: AllianceParams, offers: tuple[Fraction, ...], intact: bool, mu: Fraction, regime: Regime) -> tuple[Fraction, ...]:
    """All grid offers maximising C's expected payoff (exact), ``offers`` sorted ascending.

    C's payoff is constant between T's acceptance thresholds when nobody accepts and strictly
    decreasing in x when somebody accepts, so the optimum is among: the smallest grid offer
    at or above each type's war value, and the lowest grid offer. If the lowest offer is
    rejected by both types and optimal, every offer below the lowest threshold is optimal too
    (they are all returned). ``best_offers_bruteforce`` checks this against the whole grid.
    """
    candidates = {offers[0]}
    for committed in (True, False):
        w = t_war_value(params, intact, regime[(committed, intact)])
        i = bisect.bisect_left(offers, w)
        if i < len(offers):
            candidates.add(offers[i])
    values = {x: c_expected_payoff(params, intact, mu, x, regime) for x in candidates}
    best = max(values.values())
    chosen = sorted(x for x, v in values.items() if v == best)
    live = [c for c, weight in ((True, mu), (False, 1 - mu)) if weight]
    if chosen[0] == offers[0] and not any(crisis_play(params, c, intact, offers[0], regime).accepted for c in live):
        # every offer rejected by all types C deems possible gives the same (war) payoff
        w_min = min(t_war_value(params, intact, regime[(c, intact)]) for c in live)
        chosen = sorted(set(chosen) | {x for x in offers if x < w_min})
    return tuple(chosen)


def best_offers_bruteforce(params: AllianceParams, offers, intact: bool, mu: Fraction, regime: Regime) -> tuple[Fraction, ...]:
    """Reference implementation of :func:`best_offers`: evaluate every grid offer."""
    values = {x: c_expected_payoff(params, intact, mu, x, regime) for x in offers}
    best = max(values.values())
    return tuple(sorted(x for x, v in values.items() if v == best))
