"""Payoffs of the alliance game, exactly as on the slides (all exact rationals).

Negotiation outcomes ``n`` and the patron's / protégé's negotiation payoffs::

    lambda_A = -pi            (no offer)        lambda_T = -a  (sharing)
               -pi + a + l a  (sharing)                     0  (otherwise)
               -pi + l a      (free-riding)
                0  + l a      (withdrawal)

Crisis utilities (settlement, bilateral war, multilateral war). The slides write the
bilateral-war probability as ``p_I``; it is read as ``p_l`` (T fighting alone), the only
probability the slides define for that case.
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

from games.alliance.params import AllianceParams
from games.validation import SpheresInputError, check_choice

__all__ = [
    "NO_OFFER", "SHARING", "FREE_RIDING", "WITHDRAWAL", "OUTCOMES", "History", "histories_of", "all_histories",
    "lambda_A", "lambda_T", "settlement", "bilateral_war", "multilateral_war", "win_probability",
]

NO_OFFER = "no offer"
SHARING = "sharing"
FREE_RIDING = "free-riding"
WITHDRAWAL = "withdrawal"
OUTCOMES = (NO_OFFER, SHARING, FREE_RIDING, WITHDRAWAL)


class History(NamedTuple):
    """What C observes before its offer: the negotiation outcome and the demand (None: no offer)."""

    outcome: str
    demand: Fraction | None

    @property
    def intact(self) -> bool:
        """The alliance survives every outcome but a withdrawal."""
        return self.outcome != WITHDRAWAL

    def label(self) -> str:
        return self.outcome if self.demand is None else f"{self.outcome} a={self.demand}"


def histories_of(d: Fraction | None) -> tuple[History, ...]:
    """The negotiation histories that start with demand d (None: no offer): sharing, free-riding, withdrawal."""
    if d is None:
        return (History(NO_OFFER, None),)
    return (History(SHARING, d), History(FREE_RIDING, d), History(WITHDRAWAL, d))


def all_histories(demands) -> tuple[History, ...]:
    """Every history C can observe on a demand grid: no offer, then three per demand."""
    return tuple(h for d in (None, *demands) for h in histories_of(d))


def _demand(n: str, a) -> Fraction:
    if n == NO_OFFER:
        return Fraction(0)
    if a is None:
        raise SpheresInputError(f"the demand a is required for the outcome {n!r}")
    a = Fraction(a)
    if a <= 0:
        raise SpheresInputError(f"demand a = {a} is outside the allowed range (0, a_bar]")
    return a


def lambda_A(params: AllianceParams, n: str, a=None) -> Fraction:
    """The patron's negotiation payoff lambda_{A,n}."""
    check_choice("n", n, OUTCOMES)
    a = _demand(n, a)
    if n == NO_OFFER:
        return -params.pi
    if n == SHARING:
        return -params.pi + a + params.l * a
    if n == FREE_RIDING:
        return -params.pi + params.l * a
    return params.l * a


def lambda_T(params: AllianceParams, n: str, a=None) -> Fraction:
    """The protégé's negotiation payoff lambda_{T,n}: it pays a only under sharing."""
    check_choice("n", n, OUTCOMES)
    a = _demand(n, a)
    return -a if n == SHARING else Fraction(0)


def win_probability(params: AllianceParams, intact: bool, intervene: bool) -> Fraction:
    """T's probability of winning: p_l alone, p_m with A outside the alliance, p_h inside it."""
    if not intervene:
        return params.p_l
    return params.p_h if intact else params.p_m


class Utilities(NamedTuple):
    A: Fraction
    T: Fraction
    C: Fraction


def settlement(params: AllianceParams, beta: Fraction, x: Fraction, lam_A=Fraction(0), lam_T=Fraction(0)) -> Utilities:
    """u(Settlement): T gets x, C gets 1 - x, A values T's share at beta."""
    return Utilities(beta * x + lam_A, x + lam_T, 1 - x)


def bilateral_war(params: AllianceParams, beta: Fraction, lam_A=Fraction(0), lam_T=Fraction(0)) -> Utilities:
    """u(Bilateral War): T fights alone (p_I read as p_l); A pays no war cost."""
    p = params.p_l
    return Utilities(beta * p + lam_A, p - params.c_T + lam_T, 1 - p - params.c_C)


def multilateral_war(params: AllianceParams, beta: Fraction, p: Fraction, lam_A=Fraction(0), lam_T=Fraction(0)) -> Utilities:
    """u(Multilateral War): A intervenes (p = p_h inside the alliance, p_m after a withdrawal)."""
    return Utilities(beta * p - params.c_A + lam_A, p - params.c_T + lam_T, 1 - p - params.c_C)
