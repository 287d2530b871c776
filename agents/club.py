"""Mesa agents of the club game: superpowers and non-superpowers, each holding a rule.

A rule is an object of the role's interface (``games.club.rules``), given by name, class
or instance (``games.registry``); assigning anything else to ``agent.rule`` is refused at
once. The agents decide with the game's own functions and their rules: a superpower asks
the solver (``games.club.solver.decide``, which anticipates the rules actually in play on
the agents); a non-superpower computes its payoff with ``member_payoff`` and answers a
proposal through its rule's ``accepts``, the very call the batched processes make.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from games import registry
from games.club.core import TOL, member_payoff, superpower_payoff
from games.club.rules import NO_CLUB, NonSuperpowerRule, Proposal, SuperpowerRule
from games.club.solver import decide

if TYPE_CHECKING:
    from model import ClubModel


class Superpower(mesa.Agent):
    """Superpower ``k`` (0 = a, the status-quo power who moves first; 1 = b, the challenger; ...)."""

    def __init__(self, model: ClubModel, k: int, rule: SuperpowerRule | str = "equilibrium"):
        super().__init__(model)
        self.k = int(k)
        self.rule = rule
        self.location: int | None = None  # index into the world's locations; None: no club (yet)
        self.decided = False

    @property
    def rule(self) -> SuperpowerRule:
        return self._rule

    @rule.setter
    def rule(self, value) -> None:
        self._rule = registry.coerce("superpower", value, f"rule of superpower {self.name}")

    @property
    def name(self) -> str:
        return self.model.world.superpowers[self.k]

    @property
    def role(self) -> str:
        return self.name

    def step(self) -> None:
        """Place the club good (or form no club), following this superpower's rule."""
        model = self.model
        choice = decide(model.world, model.rules, self.k, model.locations(), model.state())
        self.location = choice
        self.decided = True
        later = model.world.superpowers[self.k + 1:]
        if not later:
            why = "best reply to the clubs as they stand"
        elif self.rule.anticipates:
            why = "anticipates the replies of " + ", ".join(later)
        else:
            why = "judges each location by the clubs right after its own stage"
        action = "forms no club" if choice is None else f"places its club good at {_label(model.world.locations[choice])}"
        model.record(self.name, action, f"rule {self.rule.name}: {why}")

    def payoff(self) -> float:
        """(HU) for the current membership; 0 with no club."""
        if self.location is None:
            return 0.0
        w = self.model.world
        weight = float(w.superpower_weight[self.k])
        return float(superpower_payoff(w.home_distance[self.k, self.location], weight, self.model.club_weight(self.k)))


class NonSuperpower(mesa.Agent):
    """A non-superpower: joins a club, may shift to a later superpower's club or leave."""

    def __init__(self, model: ClubModel, index: int, rule: NonSuperpowerRule | str = "coalition"):
        super().__init__(model)
        self.index = index
        self.rule = rule
        self.club: int | None = None  # the superpower whose club it is in
        self.origin: int | None = None  # its club when the current stage began

    @property
    def rule(self) -> NonSuperpowerRule:
        return self._rule

    @rule.setter
    def rule(self, value) -> None:
        self._rule = registry.coerce("non-superpower", value, f"rule of country {self.name}")

    @property
    def name(self) -> str:
        return self.model.world.names[self.index]

    @property
    def weight(self) -> float:
        return float(self.model.world.weight[self.index])

    @property
    def club_name(self) -> str | None:
        return None if self.club is None else self.model.world.superpowers[self.club]

    def benefit(self, k: int) -> float:
        loc = self.model.superpowers[k].location
        return 0.0 if loc is None else float(self.model.world.benefit[k, self.index, loc])

    def payoff(self) -> float:
        """(SU1)/(SU2) for the current membership; 0 outside every club."""
        if self.club is None:
            return 0.0
        return float(member_payoff(self.benefit(self.club), self.weight, self.model.club_weight(self.club)))

    def _code(self, club: int | None) -> int:
        return NO_CLUB if club is None else club

    def may_join(self, k: int) -> bool:
        """Is this country a candidate for superpower k's club now (its rule's ``may_join``)?"""
        return self.club != k and bool(self.rule.may_join(k, np.int64(self._code(self.club)), np.int64(self._code(self.origin))))

    def accepts(self, k: int, proposal_weight: float, proposal_size: int) -> bool:
        """Join k's club as part of a proposed group of this total weight and size (itself included)?

        A country that moves ``together`` counts on the whole group; one that moves alone
        counts only itself. Its rule decides, given its payoff now and there.
        """
        model = self.model
        together = self.rule.moves == "together"
        weight = model.club_weight(k) + (proposal_weight if together else self.weight)
        size = model.club_size(k) + (proposal_size if together else 1)
        loc = model.superpowers[k].location
        current = self._code(self.club)
        proposal = Proposal(
            club=k, location=np.int64(loc), distance=float(model.world.distance[self.index, loc]), weight=weight, size=size,
            current=np.int64(current), current_size=0 if self.club is None else model.club_size(self.club),
            origin=np.int64(self._code(self.origin)), own_weight=self.weight,
        )
        there = member_payoff(self.benefit(k), self.weight, weight)
        return bool(np.asarray(self.rule.accepts(self.payoff(), there, proposal)))

    def wants_to_leave(self, k: int) -> bool:
        """During stage k, a member of an earlier club whose payoff there has turned negative leaves."""
        return self.club is not None and self.club != k and self.payoff() < -TOL


def _label(location) -> str:
    return f"{location:g}" if isinstance(location, (float, np.floating)) else str(location)


def membership_array(countries, k: int) -> np.ndarray:
    """Boolean membership of superpower k's club, in country order."""
    out = np.zeros(len(countries), dtype=bool)
    for c in countries:
        out[c.index] = c.club == k
    return out
