"""Mesa agents of the alliance cost-sharing game: each holds a rule and asks it at every stage event.

The rules are the pure classes of :mod:`games.alliance.rules` (one interface per role, the
same objects the equilibrium search uses), chosen through :mod:`games.registry`. An agent
asks its rule at the information set it is at (``games.alliance.rules.ask`` checks the
answer); where the rule answers ``EQUILIBRIUM`` the agent plays its part of the model's
equilibrium assessment (``model.assessment``, with ``model.crisis`` for the crisis stage).

``agent.rule`` takes a registered name, a rule class or a rule object; anything else is
refused at once with a ``SpheresInputError``. A rule may be swapped between steps; the
other players then keep the assessment they play (a surprise to them, whatever the mode).
"""

from __future__ import annotations

from fractions import Fraction

import mesa

from games import registry
from games.alliance import History
from games.alliance.rules import EQUILIBRIUM, ask

__all__ = ["Patron", "Protege", "Challenger"]


class _RuleAgent(mesa.Agent):
    role = ""

    def __init__(self, model, rule="equilibrium"):
        super().__init__(model)
        self.rule = rule
        self.last_action: str | None = None

    @property
    def rule(self):
        """The rule this agent plays (set it to a registered name, a rule class or a rule object)."""
        return self._rule

    @rule.setter
    def rule(self, value) -> None:
        self._rule = registry.coerce(self.role, value, f"{self.role} rule")

    def ask(self, method: str, *args):
        """The rule's move at this information set (checked), or EQUILIBRIUM."""
        return ask(self.role, self._rule, method, self.model.game, *args)


class Patron(_RuleAgent):
    """Ally A. Its type (committed or not) is drawn by nature at the start of each episode."""

    role = "patron"

    @property
    def committed(self) -> bool:
        return self.model.committed

    def make_demand(self) -> Fraction | None:
        demand = self.ask("demand", self.committed)
        if demand is EQUILIBRIUM:
            demand = self.model.assessment.demand[self.committed]
        self.last_action = "no offer" if demand is None else f"demands a={demand}"
        return demand

    def decide_withdrawal(self, demand: Fraction) -> bool:
        withdraw = self.ask("withdraw", self.committed, demand)
        if withdraw is EQUILIBRIUM:
            withdraw = self.model.assessment.withdraw[(self.committed, demand)]
        self.last_action = "withdraws" if withdraw else "stays (free-riding)"
        return withdraw

    def decide_intervention(self, history: History, offer: Fraction) -> bool:
        intervene = self.ask("intervene", self.committed, history, offer)
        if intervene is EQUILIBRIUM:
            intervene = self.model.crisis.intervenes(self.committed, history, offer)
        self.last_action = "intervenes" if intervene else "stays out"
        return intervene


class Protege(_RuleAgent):
    """Target T: knows A's type; pays or not, then accepts C's offer or fights."""

    role = "protege"

    def respond_to_demand(self, demand: Fraction) -> bool:
        accept = self.ask("respond_demand", self.model.committed, demand)
        if accept is EQUILIBRIUM:
            accept = self.model.assessment.respond[(self.model.committed, demand)]
        self.last_action = "pays" if accept else "refuses"
        return accept

    def respond_to_offer(self, history: History, offer: Fraction) -> bool:
        accept = self.ask("respond_offer", self.model.committed, history, offer)
        if accept is EQUILIBRIUM:
            accept = self.model.crisis.accepts(self.model.committed, history, offer)
        self.last_action = "accepts the offer" if accept else "fights"
        return accept


class Challenger(_RuleAgent):
    """Challenger C: sees the negotiation, not A's type; forms its belief and offers x."""

    role = "challenger"

    def __init__(self, model, rule="equilibrium"):
        super().__init__(model, rule)
        self.belief: Fraction = model.params.phi

    def observe(self, history: History) -> Fraction:
        belief = self.ask("belief", history)
        self.belief = self.model.assessment.belief[history] if belief is EQUILIBRIUM else belief
        return self.belief

    def make_offer(self, history: History) -> Fraction:
        self.observe(history)
        offer = self.ask("offer", history, self.belief)
        if offer is EQUILIBRIUM:
            assessment = self.model.assessment
            if self.belief == assessment.belief[history]:
                offer = assessment.offer[history]
            else:  # its own belief: its best offer against it (the lowest if several tie)
                offer = self.model.crisis.best_offers(history, self.belief)[0]
        self.last_action = f"offers x={offer}"
        return offer
