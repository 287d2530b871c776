"""Mesa agents of the club game: superpowers and non-superpowers, each holding a rule.

A rule is a small object (``games.club.core.SuperpowerRule`` / ``NonSuperpowerRule``),
chosen by name from ``SUPERPOWER_RULES`` / ``NONSUPERPOWER_RULES``; the equilibrium rules
are the defaults. The agents decide with the game's own functions: a superpower asks the
solver (which anticipates the rules actually in play), a non-superpower evaluates its
payoff with ``member_payoff`` and decides with ``prefers``, the same test the batched
processes apply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from games.club.core import (
    NONSUPERPOWER_RULES,
    SUPERPOWER_RULES,
    NonSuperpowerRule,
    Role,
    SuperpowerRule,
    member_payoff,
    prefers,
    superpower_payoff,
)
from games.club.solver import NO_CLUB, follower_reply, solve

if TYPE_CHECKING:
    from model import ClubModel


class Superpower(mesa.Agent):
    """Superpower a (status quo, moves first) or b (challenger, moves second)."""

    def __init__(self, model: ClubModel, role: Role, rule: SuperpowerRule = SUPERPOWER_RULES["equilibrium"]):
        super().__init__(model)
        self.role: Role = role
        self.rule = rule
        self.location: int | None = None  # index into the world's locations; None: no club (yet)
        self.decided = False

    @property
    def name(self) -> str:
        return self.role

    def step(self) -> None:
        """Place the club good (or form no club), following this superpower's rule."""
        model = self.model
        if self.role == "a":
            # Backward induction through the fast solver, with every player's actual rule.
            choice = solve(model.world, model.rules).index_a
            why = "anticipates b's reply" if self.rule.anticipates else "ignores b's reply"
        else:
            a = model.leader
            stage_one = model.membership("a")
            index_a = NO_CLUB if a.location is None else a.location
            reply = follower_reply(model.world, [index_a], stage_one[None], model.rules)[0][0]
            choice = None if reply == NO_CLUB else int(reply)
            why = "best reply to a's club"
        self.location = choice
        self.decided = True
        action = "forms no club" if choice is None else f"places its club good at {model.world.locations[choice]:g}"
        model.record(self.role, action, f"rule {self.rule.name}: {why}")

    def payoff(self) -> float:
        """(HU) for the current membership; 0 with no club."""
        if self.location is None:
            return 0.0
        w = self.model.world
        weight = w.superpower_weight(self.role)
        club = weight + float(w.weight[self.model.membership(self.role)].sum())
        return float(superpower_payoff(w.home_distance(self.role)[self.location], weight, club))


class NonSuperpower(mesa.Agent):
    """A non-superpower: joins a's club in stage one, may shift to b's or leave in stage two."""

    def __init__(self, model: ClubModel, index: int, rule: NonSuperpowerRule = NONSUPERPOWER_RULES["coalition"]):
        super().__init__(model)
        self.index = index
        self.rule = rule
        self.club: Role | None = None
        self.in_stage_one = False  # was a member of a's club at the end of stage one

    @property
    def name(self) -> str:
        return self.model.world.names[self.index]

    @property
    def weight(self) -> float:
        return float(self.model.world.weight[self.index])

    def benefit(self, role: Role) -> float:
        superpower = self.model.superpower(role)
        if superpower.location is None:
            return 0.0
        return float(self.model.world.benefit(role)[self.index, superpower.location])

    def payoff(self) -> float:
        """(SU1)/(SU2) for the current membership; 0 outside every club."""
        if self.club is None:
            return 0.0
        return float(member_payoff(self.benefit(self.club), self.weight, self.model.club_weight(self.club)))

    def may_join(self, role: Role) -> bool:
        """Is this country a candidate for ``role``'s club now?"""
        if self.club == role:
            return False
        if role == "a":
            return self.club is None
        return self.rule.defects or not self.in_stage_one

    def accepts(self, role: Role, proposal_weight: float) -> bool:
        """Join ``role``'s club as part of a proposal whose members (itself included) weigh ``proposal_weight``?

        A coordinating country counts on the whole proposal; one that does not coordinate
        counts only itself. It compares with its current payoff: strictly when leaving a's
        club for b's, weakly otherwise, and never takes a negative payoff.
        """
        base = self.model.club_weight(role)
        club = base + (proposal_weight if self.rule.coordinates else self.weight)
        u = member_payoff(self.benefit(role), self.weight, club)
        return bool(prefers(u, self.payoff(), self.club == "a"))

    def wants_to_leave(self) -> bool:
        """A member of a's club whose payoff there has turned negative leaves (stage two)."""
        return self.club == "a" and not bool(prefers(self.payoff(), 0.0, False))


def rule_names() -> dict[str, list[str]]:
    """The rules each role may follow, by name (the equilibrium rule first)."""
    return {"superpower": list(SUPERPOWER_RULES), "non-superpower": list(NONSUPERPOWER_RULES)}


def membership_array(countries, role: Role) -> np.ndarray:
    """Boolean membership of ``role``'s club, in country order."""
    out = np.zeros(len(countries), dtype=bool)
    for c in countries:
        out[c.index] = c.club == role
    return out
