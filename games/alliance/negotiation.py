"""The negotiation stage given what the crisis will bring: A's withdrawal choice, T's
acceptance of a demand, and the patron's value of each negotiation outcome.

A ``CrisisPlay`` (from :func:`games.alliance.crisis.crisis_play`) summarises the crisis that
follows a negotiation history (C's offer, T's answer, A's intervention, crisis payoffs).
"""

from __future__ import annotations

from fractions import Fraction

from games.alliance.crisis import CrisisPlay
from games.alliance.params import AllianceParams
from games.alliance.payoffs import FREE_RIDING, WITHDRAWAL, lambda_A, lambda_T

__all__ = ["patron_value", "protege_value", "withdrawal_choices", "protege_accepts_demand"]


def patron_value(params: AllianceParams, outcome: str, demand, play: CrisisPlay) -> Fraction:
    """A's whole-game payoff: lambda_{A,n} plus its crisis payoff."""
    return lambda_A(params, outcome, demand) + play.A


def protege_value(params: AllianceParams, outcome: str, demand, play: CrisisPlay) -> Fraction:
    """T's whole-game payoff: lambda_{T,n} plus its crisis payoff."""
    return lambda_T(params, outcome, demand) + play.T


def withdrawal_choices(params: AllianceParams, demand: Fraction, stay: CrisisPlay, withdraw: CrisisPlay) -> tuple[bool, ...]:
    """A's optimal choices after T rejects ``demand`` (True = withdraw); both when indifferent.

    Staying is worth ``-pi + l a`` plus the crisis with the alliance intact; withdrawing ``l a``
    plus the crisis after the withdrawal.
    """
    v_stay = patron_value(params, FREE_RIDING, demand, stay)
    v_withdraw = patron_value(params, WITHDRAWAL, demand, withdraw)
    if v_stay == v_withdraw:
        return (False, True)
    return (v_withdraw > v_stay,)


def protege_accepts_demand(demand: Fraction, accept: CrisisPlay, reject: CrisisPlay) -> bool:
    """T pays ``demand`` iff ``-a`` plus the crisis after sharing is at least its crisis payoff
    after the rejection (whatever A then does); T accepts when indifferent."""
    return -demand + accept.T >= reject.T
