"""The rules of the alliance game's players: one interface per role, and the built-in rules.

A *rule* is a pure strategy of one role (as a strategy is in the Axelrod library): at every
information set of that role it says what the player does. Rules are plain classes (no
Mesa). The Mesa agents (``agents.alliance``) hold one each and ask it at every stage event;
the equilibrium search (``games.alliance.solve(..., rules=...)``) asks the *same* objects at
every information set of the discretised game.

Decision methods
----------------
Each method gets ``game`` (a :class:`Game`: the parameters and the demand and offer grids)
and what the player knows at that information set, and returns a move or
:data:`EQUILIBRIUM`:

==========  ==============================================  ===================================
role        method (information set)                        move
==========  ==============================================  ===================================
patron      ``demand(game, committed)``                     ``None`` (no offer) or a value of
                                                            ``game.demands``
patron      ``withdraw(game, committed, demand)``           ``True`` = withdraw after T refused
patron      ``intervene(game, committed, history, offer)``  ``True`` = intervene after T fought
protege     ``respond_demand(game, committed, demand)``     ``True`` = pay the demand
protege     ``respond_offer(game, committed, history,       ``True`` = accept C's offer
            offer)``
challenger  ``belief(game, history)``                       a number in [0, 1]: P(A committed)
challenger  ``offer(game, history, belief)``                a value of ``game.offers``
==========  ==============================================  ===================================

``committed`` is A's type (A and T see it, C does not); ``history`` is what C saw of the
negotiation (a :class:`~games.alliance.payoffs.History`: outcome and demand). The base
classes return :data:`EQUILIBRIUM` everywhere, so a rule overrides only the decisions it
changes. Rules hold no state of a game and must answer the same at the same information set.

:data:`EQUILIBRIUM` means "not fixed by this rule: the player plays its part of the
equilibrium being played". For C's offer it means the equilibrium's offer when C's belief
is the equilibrium's, else C's best offer against its own belief (the lowest if several tie).

Two counterfactual modes (:data:`MODES`)
----------------------------------------
``surprise``
    The rules' moves are a surprise: the other players keep the equilibrium assessment of
    the game without the rules (found by the search with the stated off-path beliefs).
``anticipated``
    The rules are known: the search finds every pure PBE of the game in which each role
    whose rule fixes something is restricted to the rule's moves (:class:`FixedChoices`),
    and everybody plays one of them; the others re-optimise.

In both modes every move a rule makes is checked when the model is built (and again when
an agent plays it): a move that is not allowed at its information set, a method that
raises, or an answer the anticipated search cannot use is refused with a
``SpheresInputError`` that says which rule, which information set and what is missing.

Register a rule by name with :func:`games.registry.register`; ``docs/rules.md`` has a
worked example.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from games import registry
from games.alliance.params import AllianceParams
from games.alliance.payoffs import History, all_histories
from games.validation import SpheresInputError

__all__ = [
    "EQUILIBRIUM", "MODES", "ROLES", "Game", "PatronRule", "ProtegeRule", "ChallengerRule",
    "EquilibriumPatron", "NeverWithdrawPatron", "AlwaysWithdrawPatron", "NoOfferPatron", "MaxDemandPatron",
    "EquilibriumProtege", "AlwaysPayProtege", "NeverPayProtege", "EquilibriumChallenger", "IgnoreSignalChallenger",
    "FixedChoices", "fixed_choices", "ask", "rule_label",
]

MODES = ("surprise", "anticipated")
"""The counterfactual modes of a swapped rule (see the module docstring)."""

ROLES = ("patron", "protege", "challenger")
"""The roles of the alliance game, in the order they move."""


class _Equilibrium:
    """The type of :data:`EQUILIBRIUM` (a single instance)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "EQUILIBRIUM"

    def __reduce__(self):
        return (_Equilibrium, ())


EQUILIBRIUM = _Equilibrium()
"""A rule's answer meaning "not fixed by this rule: play the equilibrium's move here"."""


@dataclass(frozen=True)
class Game:
    """What a rule may read: the parameters and the grids of the discretised game."""

    params: AllianceParams
    demands: tuple[Fraction, ...]
    offers: tuple[Fraction, ...]

    @property
    def histories(self) -> tuple[History, ...]:
        """Every history C can observe (no offer, then sharing, free-riding, withdrawal per demand)."""
        return all_histories(self.demands)


# =========================================================================== the interface
class _Rule:
    name = ""
    description = ""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class PatronRule(_Rule):
    """How the patron A demands, withdraws after a refusal and intervenes in a war."""

    def demand(self, game: Game, committed: bool):
        """``None`` (no offer), a demand from ``game.demands``, or EQUILIBRIUM."""
        return EQUILIBRIUM

    def withdraw(self, game: Game, committed: bool, demand: Fraction):
        """After T refused ``demand``: ``True`` to withdraw, ``False`` to stay, or EQUILIBRIUM."""
        return EQUILIBRIUM

    def intervene(self, game: Game, committed: bool, history: History, offer: Fraction):
        """After T refused C's ``offer`` at ``history`` (a war): ``True`` to intervene, or EQUILIBRIUM."""
        return EQUILIBRIUM


class ProtegeRule(_Rule):
    """How the protégé T answers A's demand and C's offer (it knows A's type)."""

    def respond_demand(self, game: Game, committed: bool, demand: Fraction):
        """``True`` to pay ``demand``, ``False`` to refuse, or EQUILIBRIUM."""
        return EQUILIBRIUM

    def respond_offer(self, game: Game, committed: bool, history: History, offer: Fraction):
        """``True`` to accept C's ``offer`` at ``history``, ``False`` to fight, or EQUILIBRIUM."""
        return EQUILIBRIUM


class ChallengerRule(_Rule):
    """How the challenger C forms its belief (P(A committed)) and makes its offer."""

    def belief(self, game: Game, history: History):
        """C's belief that A is committed after ``history`` (in [0, 1]), or EQUILIBRIUM."""
        return EQUILIBRIUM

    def offer(self, game: Game, history: History, belief: Fraction):
        """C's offer (a value of ``game.offers``) after ``history`` holding ``belief``, or EQUILIBRIUM."""
        return EQUILIBRIUM


registry.define_role("patron", PatronRule)
registry.define_role("protege", ProtegeRule)
registry.define_role("challenger", ChallengerRule)


# =========================================================================== the built-in rules
class EquilibriumPatron(PatronRule):
    """Plays the patron's part of the equilibrium."""

    name = "equilibrium"


class NeverWithdrawPatron(PatronRule):
    """Never abandons the alliance after a refusal (no threat of abandonment)."""

    name = "never-withdraw"

    def withdraw(self, game, committed, demand):
        return False


class AlwaysWithdrawPatron(PatronRule):
    """Always abandons the alliance after a refusal."""

    name = "always-withdraw"

    def withdraw(self, game, committed, demand):
        return True


class NoOfferPatron(PatronRule):
    """Never asks for cost-sharing."""

    name = "no-offer"

    def demand(self, game, committed):
        return None


class MaxDemandPatron(PatronRule):
    """Always demands a_bar (both types)."""

    name = "max-demand"

    def demand(self, game, committed):
        return game.params.a_bar


class EquilibriumProtege(ProtegeRule):
    """Plays the protégé's part of the equilibrium (in the crisis: accepts any offer at least its war value)."""

    name = "equilibrium"


class AlwaysPayProtege(ProtegeRule):
    """Pays every cost-sharing demand."""

    name = "always-pay"

    def respond_demand(self, game, committed, demand):
        return True


class NeverPayProtege(ProtegeRule):
    """Refuses every cost-sharing demand."""

    name = "never-pay"

    def respond_demand(self, game, committed, demand):
        return False


class EquilibriumChallenger(ChallengerRule):
    """Bayes' rule on the path, the stated off-path belief elsewhere, and the equilibrium offer."""

    name = "equilibrium"


class IgnoreSignalChallenger(ChallengerRule):
    """Ignores the negotiation: keeps the prior phi after every history and best-responds to it."""

    name = "ignore-signal"

    def belief(self, game, history):
        return game.params.phi


for _rule in (EquilibriumPatron, NeverWithdrawPatron, AlwaysWithdrawPatron, NoOfferPatron, MaxDemandPatron,
              EquilibriumProtege, AlwaysPayProtege, NeverPayProtege, EquilibriumChallenger, IgnoreSignalChallenger):
    registry.register(_rule, _builtin_rule=True)
del _rule


# =========================================================================== asking a rule, checked
def rule_label(role: str, rule) -> str:
    """E.g. "patron rule 'never-withdraw'"."""
    return f"{role} rule {getattr(rule, 'name', '') or type(rule).__name__!r}"


def _type(committed: bool) -> str:
    return "committed" if committed else "uncommitted"


def _where(method: str, args: tuple) -> str:
    shown = []
    for a in args:
        if isinstance(a, (bool, np.bool_)):
            shown.append(_type(bool(a)))
        elif isinstance(a, History):
            shown.append(f"after {a.label()!r}")
        else:
            shown.append(str(a))
    return f"{method}({', '.join(shown)})"


def _move(value, method: str, game: Game):
    """``value`` as a legal move of ``method``, or the reason it is not one."""
    if value is EQUILIBRIUM:
        return value, None
    if method in ("withdraw", "intervene", "respond_demand", "respond_offer"):
        if isinstance(value, (bool, np.bool_)):
            return bool(value), None
        return None, "must return True, False or EQUILIBRIUM"
    if method == "belief":
        if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
            mu = Fraction(repr(float(value))) if isinstance(value, float) else Fraction(value)
            if 0 <= mu <= 1:
                return mu, None
        return None, "must return a number in [0, 1] or EQUILIBRIUM"
    grid, what = (game.demands, "demand") if method == "demand" else (game.offers, "offer")
    if value is None and method == "demand":
        return None, None
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        x = Fraction(repr(float(value))) if isinstance(value, float) else Fraction(value)
        if x in grid:
            return x, None
    allowed = "None (no offer), " if method == "demand" else ""
    return None, (f"must return {allowed}a value of game.{what}s (the {len(grid)}-point {what} grid, "
                  f"{grid[0]} to {grid[-1]}) or EQUILIBRIUM")


def ask(role: str, rule, method: str, game: Game, *args):
    """The rule's move at one information set, checked: a legal move, or EQUILIBRIUM.

    Anything else (an illegal move, an exception in the rule) is a ``SpheresInputError``
    naming the rule, the information set and what is wrong.
    """
    try:
        value = getattr(rule, method)(game, *args)
    except SpheresInputError:
        raise
    except NotImplementedError as exc:
        raise SpheresInputError(
            f"{rule_label(role, rule)} does not say what it does at {_where(method, args)} (NotImplementedError: "
            f"{exc}); return a move or EQUILIBRIUM"
        ) from exc
    except Exception as exc:  # noqa: BLE001 - a user's rule failing becomes one line naming it
        raise SpheresInputError(
            f"{rule_label(role, rule)} failed at {_where(method, args)}: {type(exc).__name__}: {exc}"
        ) from exc
    move, problem = _move(value, method, game)
    if problem:
        raise SpheresInputError(f"{rule_label(role, rule)} returned {value!r} at {_where(method, args)}; it {problem}")
    return move


# =========================================================================== what the rules fix
@dataclass
class FixedChoices:
    """The moves the rules fix, information set by information set (absent keys are free).

    demand[committed], respond[(committed, demand)], withdraw[(committed, demand)],
    intervene[(committed, history, offer)], accept[(committed, history, offer)],
    belief[history]; C's offer depends on its belief, so :meth:`offer` asks the challenger's
    rule when the search needs it (remembering the answer).
    """

    game: Game
    rules: dict = field(default_factory=dict)  # role -> rule, the roles whose rule fixes something
    demand: dict = field(default_factory=dict)
    respond: dict = field(default_factory=dict)
    withdraw: dict = field(default_factory=dict)
    intervene: dict = field(default_factory=dict)
    accept: dict = field(default_factory=dict)
    belief: dict = field(default_factory=dict)
    _offers: dict = field(default_factory=dict, repr=False)

    def offer(self, history: History, mu: Fraction):
        """C's fixed offer at ``history`` holding belief ``mu``, or None when the rule leaves it free."""
        rule = self.rules.get("challenger")
        if rule is None:
            return None
        key = (history, mu)
        if key not in self._offers:
            move = ask("challenger", rule, "offer", self.game, history, mu)
            self._offers[key] = None if move is EQUILIBRIUM else move
        return self._offers[key]

    @property
    def empty(self) -> bool:
        return not self.rules

    def describe(self) -> str:
        """E.g. "patron rule 'never-withdraw'" (the rules that fix something)."""
        return ", ".join(rule_label(role, rule) for role, rule in self.rules.items()) or "no rule"


def fixed_choices(game: Game, rules: dict) -> FixedChoices:
    """Ask every rule at every information set of its role and record the moves it fixes.

    ``rules``: role -> rule object. Rules answering EQUILIBRIUM everywhere fix nothing. C's
    offers are asked later, at the beliefs the search meets (:meth:`FixedChoices.offer`).
    Refuses (``SpheresInputError``) a rule whose answer is illegal anywhere.
    """
    out = FixedChoices(game)
    types = (True, False)
    histories = game.histories
    for role, rule in rules.items():
        fixes = False
        if role == "patron":
            for c in types:
                move = ask(role, rule, "demand", game, c)
                if move is not EQUILIBRIUM:
                    out.demand[c], fixes = move, True
                for d in game.demands:
                    move = ask(role, rule, "withdraw", game, c, d)
                    if move is not EQUILIBRIUM:
                        out.withdraw[(c, d)], fixes = move, True
                for h in histories:
                    for x in game.offers:
                        move = ask(role, rule, "intervene", game, c, h, x)
                        if move is not EQUILIBRIUM:
                            out.intervene[(c, h, x)], fixes = move, True
        elif role == "protege":
            for c in types:
                for d in game.demands:
                    move = ask(role, rule, "respond_demand", game, c, d)
                    if move is not EQUILIBRIUM:
                        out.respond[(c, d)], fixes = move, True
                for h in histories:
                    for x in game.offers:
                        move = ask(role, rule, "respond_offer", game, c, h, x)
                        if move is not EQUILIBRIUM:
                            out.accept[(c, h, x)], fixes = move, True
        elif role == "challenger":
            for h in histories:
                move = ask(role, rule, "belief", game, h)
                if move is not EQUILIBRIUM:
                    out.belief[h], fixes = move, True
            # the offer depends on the belief: asked where the search needs it; a rule that
            # overrides offer() may fix it, so the challenger's rule is kept
            fixes = fixes or type(rule).offer is not ChallengerRule.offer
        else:
            raise SpheresInputError(f"role = {role!r} is not one of: {', '.join(ROLES)}")
        if fixes:
            out.rules[role] = rule
    return out
