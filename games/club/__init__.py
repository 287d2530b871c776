"""The club-goods game of *The Power of Non-Superpowers* (Kikuchi & Liu), for K >= 2 superpowers.

``core``: the world, payoffs, batches of worlds.
``rules``: the players' rules (one interface per role; the built-in rules).
``processes``: the coalition-formation processes (one round, one stage), batched.
``solver``: backward induction (the subgame perfect equilibrium), vectorised.
``reference``: a straightforward, unvectorised implementation on exact rationals.
``theory``: the paper's closed-form thresholds (Propositions 1-3), stated precisely.
``many_poles``: the symmetric three-pole circle (the analogue of Figure 6).
``worldfile``: worlds read from CSV files (``World.from_csv``).
``examples``: the named worlds.
"""

from games.club.core import COST_SHARES, TOL, CostShare, World, WorldBatch, member_payoff, superpower_payoff
from games.club.rules import NO_CLUB, ClubView, NonSuperpowerRule, PayoffRule, Proposal, SuperpowerRule
from games.club.solver import Outcome, Rules, decide, payoff_table, replay, rules_from_names, solve, solve_many

__all__ = [
    "COST_SHARES", "TOL", "NO_CLUB", "CostShare", "World", "WorldBatch", "Outcome", "Rules",
    "ClubView", "Proposal", "NonSuperpowerRule", "PayoffRule", "SuperpowerRule",
    "member_payoff", "superpower_payoff", "decide", "payoff_table", "replay", "rules_from_names", "solve", "solve_many",
]
