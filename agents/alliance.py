"""Mesa agents of the alliance cost-sharing game and the swappable rules they hold.

Each agent holds a *rule object* (like an Axelrod strategy) that decides its moves; the
agent's stage methods ask the rule and record the move. Equilibrium rules read a perfect
Bayesian equilibrium assessment computed by the pure package (``games.alliance.solve``),
so no game theory is re-implemented here. Counterfactual rules sit beside them and are
chosen by name through the registries ``PATRON_RULES``, ``PROTEGE_RULES`` and
``CHALLENGER_RULES`` (name -> rule class). A rule may be swapped between steps.

Every rule is a small class with the decision methods of its role:

- patron: ``demand(agent)``, ``withdraw(agent, demand)``, ``intervene(agent, intact)``
- protégé: ``respond_demand(agent, demand)``, ``respond_offer(agent, offer, intact)``
- challenger: ``belief(agent, history)``, ``offer(agent, history, belief)``
"""

from __future__ import annotations

from fractions import Fraction

import mesa

from games.alliance import History, best_offers, t_accepts
from games.validation import check_choice

__all__ = [
    "Patron", "Protege", "Challenger",
    "PATRON_RULES", "PROTEGE_RULES", "CHALLENGER_RULES", "make_rule",
    "EquilibriumPatron", "NeverWithdrawPatron", "AlwaysWithdrawPatron", "NoOfferPatron", "MaxDemandPatron",
    "EquilibriumProtege", "AlwaysPayProtege", "NeverPayProtege",
    "EquilibriumChallenger", "IgnoreSignalChallenger",
]


# ------------------------------------------------------------------ patron rules
class EquilibriumPatron:
    """Plays the patron's part of the model's equilibrium assessment."""

    name = "equilibrium"

    def demand(self, agent: "Patron") -> Fraction | None:
        return agent.model.assessment.demand[agent.committed]

    def withdraw(self, agent: "Patron", demand: Fraction) -> bool:
        return agent.model.assessment.withdraw[(agent.committed, demand)]

    def intervene(self, agent: "Patron", intact: bool) -> bool:
        return agent.model.assessment.regime[(agent.committed, intact)]


class NeverWithdrawPatron(EquilibriumPatron):
    """Equilibrium demands, but never abandons the alliance after a rejection (no credible threat)."""

    name = "never-withdraw"

    def withdraw(self, agent, demand) -> bool:
        return False


class AlwaysWithdrawPatron(EquilibriumPatron):
    """Equilibrium demands, and always abandons the alliance after a rejection."""

    name = "always-withdraw"

    def withdraw(self, agent, demand) -> bool:
        return True


class NoOfferPatron(EquilibriumPatron):
    """Never asks for cost-sharing."""

    name = "no-offer"

    def demand(self, agent) -> Fraction | None:
        return None


class MaxDemandPatron(EquilibriumPatron):
    """Always demands a_bar (both types), then withdraws or stays as in the equilibrium."""

    name = "max-demand"

    def demand(self, agent) -> Fraction | None:
        return agent.model.params.a_bar


# ------------------------------------------------------------------ protégé rules
class EquilibriumProtege:
    """Plays the protégé's part of the equilibrium; in the crisis it accepts any offer at
    least its war value (given how the patron it knows will act)."""

    name = "equilibrium"

    def respond_demand(self, agent: "Protege", demand: Fraction) -> bool:
        return agent.model.assessment.respond[(agent.model.committed, demand)]

    def respond_offer(self, agent: "Protege", offer: Fraction, intact: bool) -> bool:
        model = agent.model
        regime = {(model.committed, intact): model.patron.rule.intervene(model.patron, intact)}
        return t_accepts(model.params, model.committed, intact, offer, regime)


class AlwaysPayProtege(EquilibriumProtege):
    """Accepts every cost-sharing demand."""

    name = "always-pay"

    def respond_demand(self, agent, demand) -> bool:
        return True


class NeverPayProtege(EquilibriumProtege):
    """Rejects every cost-sharing demand."""

    name = "never-pay"

    def respond_demand(self, agent, demand) -> bool:
        return False


# ------------------------------------------------------------------ challenger rules
class EquilibriumChallenger:
    """Bayes' rule on the path, the model's off-path rule elsewhere (the assessment's
    beliefs), and the equilibrium offer."""

    name = "equilibrium"

    def belief(self, agent: "Challenger", history: History) -> Fraction:
        return agent.model.assessment.belief[history]

    def offer(self, agent: "Challenger", history: History, belief: Fraction) -> Fraction:
        model = agent.model
        if belief == model.assessment.belief[history]:
            return model.assessment.offer[history]
        return min(best_offers(model.params, model.offers, history.intact, belief, model.assessment.regime))


class IgnoreSignalChallenger(EquilibriumChallenger):
    """Ignores the negotiation: keeps the prior phi and best-responds to it."""

    name = "ignore-signal"

    def belief(self, agent, history) -> Fraction:
        return agent.model.params.phi

    def offer(self, agent, history, belief) -> Fraction:
        model = agent.model
        return min(best_offers(model.params, model.offers, history.intact, belief, model.assessment.regime))


PATRON_RULES = {cls.name: cls for cls in (EquilibriumPatron, NeverWithdrawPatron, AlwaysWithdrawPatron, NoOfferPatron, MaxDemandPatron)}
PROTEGE_RULES = {cls.name: cls for cls in (EquilibriumProtege, AlwaysPayProtege, NeverPayProtege)}
CHALLENGER_RULES = {cls.name: cls for cls in (EquilibriumChallenger, IgnoreSignalChallenger)}
_REGISTRIES = {"patron": PATRON_RULES, "protege": PROTEGE_RULES, "challenger": CHALLENGER_RULES}


def make_rule(role: str, name: str):
    """A fresh rule object of ``role`` ('patron', 'protege', 'challenger') by name."""
    check_choice("role", role, tuple(_REGISTRIES))
    registry = _REGISTRIES[role]
    check_choice(f"{role}_rule", name, tuple(registry))
    return registry[name]()


# ------------------------------------------------------------------ agents
class _RuleAgent(mesa.Agent):
    role = ""

    def __init__(self, model, rule="equilibrium"):
        super().__init__(model)
        self.rule = make_rule(self.role, rule) if isinstance(rule, str) else rule
        self.last_action: str | None = None

    def set_rule(self, name: str) -> None:
        """Swap the rule (by registry name) between steps."""
        self.rule = make_rule(self.role, name)


class Patron(_RuleAgent):
    """Ally A. Its type (committed or not) is drawn by nature at the start of each episode."""

    role = "patron"

    @property
    def committed(self) -> bool:
        return self.model.committed

    def make_demand(self) -> Fraction | None:
        demand = self.rule.demand(self)
        self.last_action = "no offer" if demand is None else f"demands a={demand}"
        return demand

    def decide_withdrawal(self, demand: Fraction) -> bool:
        withdraw = bool(self.rule.withdraw(self, demand))
        self.last_action = "withdraws" if withdraw else "stays (free-riding)"
        return withdraw

    def decide_intervention(self, intact: bool) -> bool:
        intervene = bool(self.rule.intervene(self, intact))
        self.last_action = "intervenes" if intervene else "stays out"
        return intervene


class Protege(_RuleAgent):
    """Target T: knows A's type; pays or not, then accepts C's offer or fights."""

    role = "protege"

    def respond_to_demand(self, demand: Fraction) -> bool:
        accept = bool(self.rule.respond_demand(self, demand))
        self.last_action = "pays" if accept else "refuses"
        return accept

    def respond_to_offer(self, offer: Fraction, intact: bool) -> bool:
        accept = bool(self.rule.respond_offer(self, offer, intact))
        self.last_action = "accepts the offer" if accept else "fights"
        return accept


class Challenger(_RuleAgent):
    """Challenger C: sees the negotiation, not A's type; updates its belief and offers x."""

    role = "challenger"

    def __init__(self, model, rule="equilibrium"):
        super().__init__(model, rule)
        self.belief: Fraction = model.params.phi

    def observe(self, history: History) -> Fraction:
        self.belief = Fraction(self.rule.belief(self, history))
        return self.belief

    def make_offer(self, history: History) -> Fraction:
        self.observe(history)
        offer = self.rule.offer(self, history, self.belief)
        self.last_action = f"offers x={offer}"
        return offer
