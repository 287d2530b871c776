"""The club-goods game of *The Power of Non-Superpowers* (Kikuchi & Liu).

``core``: the world, payoffs, the rounds of both coalition processes, the rules.
``solver``: backward induction (the subgame perfect equilibrium), vectorised.
``reference``: a straightforward, unvectorised implementation on exact rationals.
``theory``: the paper's closed-form thresholds (Propositions 1-3).
"""

from games.club.core import (
    COST_SHARES,
    NONSUPERPOWER_RULES,
    SUPERPOWER_RULES,
    TOL,
    CostShare,
    NonSuperpowerRule,
    SuperpowerRule,
    World,
    member_payoff,
    superpower_payoff,
)
from games.club.solver import NO_CLUB, Outcome, Rules, follower_reply, outcome_for, payoff_table, rules_from_names, solve

__all__ = [
    "COST_SHARES", "NONSUPERPOWER_RULES", "SUPERPOWER_RULES", "TOL", "NO_CLUB",
    "CostShare", "NonSuperpowerRule", "SuperpowerRule", "World", "Outcome", "Rules",
    "member_payoff", "superpower_payoff", "follower_reply", "outcome_for", "payoff_table",
    "rules_from_names", "solve",
]
