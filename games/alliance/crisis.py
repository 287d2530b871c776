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

:class:`CrisisStage` bundles the crisis after every history for the search, the verifier and
the agents: the sequentially rational play above, except at the information sets where a
rule fixes T's answer or A's intervention (the anticipated mode, ``games.alliance.rules``).
It also gives the finitely many *belief regions* of C at a history: the beliefs between
two consecutive breakpoints of the upper envelope of C's payoff lines share one set of
best offers, so a representative belief per region (and each breakpoint) reaches every
offer C can make against *some* belief.
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
    "crisis_play", "crisis_outcome", "c_expected_payoff", "best_offers", "best_offers_bruteforce",
    "CrisisStage", "envelope_breakpoints", "representative_beliefs",
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
    intervene = regime[(committed, intact)]
    accepted = x >= t_war_value(params, intact, intervene)
    return crisis_outcome(params, committed, intact, x, accepted, intervene)


def crisis_outcome(params: AllianceParams, committed: bool, intact: bool, x: Fraction, accepted: bool,
                   intervene: bool) -> CrisisPlay:
    """The crisis payoffs when T accepts x or not and A (in a war) intervenes or not."""
    beta = params.beta(committed)
    if accepted:
        u = settlement(params, beta, x)
        return CrisisPlay(x, True, None, u.A, u.T, u.C)
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


# --------------------------------------------------------------------------- belief regions
def envelope_breakpoints(lines) -> list[Fraction]:
    """Beliefs in (0, 1) where the upper envelope of C's payoff lines changes.

    ``lines``: pairs ``(a, b)``, the payoff ``a + b mu`` of one offer at belief mu (exact).
    Walks the envelope from mu = 0: at each breakpoint the line that takes over is the
    steepest of those meeting the current one first.
    """
    lines = set(lines)
    mu = Fraction(0)
    a, b = max(lines)  # highest at 0; among equals, the steepest
    breaks = []
    while True:
        nxt = None
        for a2, b2 in lines:
            if b2 > b:
                t = (a - a2) / (b2 - b)
                if t > mu and (nxt is None or t < nxt[0] or (t == nxt[0] and b2 > nxt[2])):
                    nxt = (t, a2, b2)
        if nxt is None or nxt[0] >= 1:
            return breaks
        mu, a, b = nxt
        breaks.append(mu)


def representative_beliefs(lines) -> tuple[Fraction, ...]:
    """One belief per belief region of C (0, 1, every breakpoint, a midpoint between each two)."""
    points = [Fraction(0), *envelope_breakpoints(lines), Fraction(1)]
    mids = [(lo + hi) / 2 for lo, hi in zip(points, points[1:])]
    return tuple(sorted(set(points) | set(mids)))


# --------------------------------------------------------------------------- the crisis stage
class CrisisStage:
    """The crisis after every history: T's answer, A's intervention and C's best offers.

    Sequentially rational play (A intervenes as ``regime`` says; T accepts iff the offer is at
    least its war value, accepting when indifferent), except at the information sets
    ``(committed, history, offer)`` where a rule fixes A's intervention (``intervene``) or T's
    answer (``accept``). Without fixed choices the crisis depends on the history only through
    whether the alliance is intact (:meth:`key`) and the fast :func:`best_offers` applies;
    with them C's best offers are found by evaluating every grid offer.
    """

    def __init__(self, params: AllianceParams, offers: tuple[Fraction, ...], regime: Regime,
                 intervene: dict | None = None, accept: dict | None = None) -> None:
        self.params = params
        self.offers = tuple(offers)
        self.regime = regime
        self.fixed_intervene = dict(intervene or {})
        self.fixed_accept = dict(accept or {})
        self.by_history = bool(self.fixed_intervene or self.fixed_accept)
        self._plays: dict = {}

    def key(self, history):
        """What the crisis after ``history`` depends on: the history itself, or only whether the alliance is intact."""
        return history if self.by_history else history.intact

    def intervenes(self, committed: bool, history, x: Fraction) -> bool:
        return self.fixed_intervene.get((committed, history, x), self.regime[(committed, history.intact)])

    def accepts(self, committed: bool, history, x: Fraction) -> bool:
        fixed = self.fixed_accept.get((committed, history, x))
        if fixed is not None:
            return fixed
        return x >= t_war_value(self.params, history.intact, self.intervenes(committed, history, x))

    def play(self, committed: bool, history, x: Fraction) -> CrisisPlay:
        key = (committed, self.key(history), x)
        play = self._plays.get(key)
        if play is None:
            if self.by_history:
                play = crisis_outcome(self.params, committed, history.intact, x, self.accepts(committed, history, x),
                                      self.intervenes(committed, history, x))
            else:
                play = crisis_play(self.params, committed, history.intact, x, self.regime)
            self._plays[key] = play
        return play

    def c_payoff(self, history, mu: Fraction, x: Fraction) -> Fraction:
        """C's expected payoff of offer x at ``history`` with belief mu."""
        total = Fraction(0)
        for committed, weight in ((True, mu), (False, 1 - mu)):
            if weight:
                total += weight * self.play(committed, history, x).C
        return total

    def best_offers(self, history, mu: Fraction) -> tuple[Fraction, ...]:
        """Every grid offer maximising C's expected payoff at ``history`` with belief mu (ascending)."""
        if not self.by_history:
            return best_offers(self.params, self.offers, history.intact, mu, self.regime)
        values = {x: self.c_payoff(history, mu, x) for x in self.offers}
        best = max(values.values())
        return tuple(x for x in self.offers if values[x] == best)

    def beliefs(self, history) -> tuple[Fraction, ...]:
        """A representative belief of each of C's belief regions at ``history`` (see the module doc)."""
        if self.by_history:
            candidates = self.offers
        else:  # the only offers that can be optimal (see best_offers); the rest tie with offers[0] or lose
            candidates = {self.offers[0]}
            for committed in (True, False):
                w = t_war_value(self.params, history.intact, self.regime[(committed, history.intact)])
                i = bisect.bisect_left(self.offers, w)
                if i < len(self.offers):
                    candidates.add(self.offers[i])
        lines = []
        for x in candidates:
            low, high = self.play(False, history, x).C, self.play(True, history, x).C
            lines.append((low, high - low))
        return representative_beliefs(lines)
