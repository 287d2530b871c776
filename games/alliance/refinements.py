"""The Intuitive Criterion and D1: which pure PBE outcomes survive the standard refinements of signalling games.

A's type is private (T also knows it); C, who does not, is the receiver whose off-path
beliefs the refinements restrict. Use them on the outcomes that *some* off-path beliefs
support (``solve(..., off_path_belief_rule="any")``); the verdict depends only on the
outcome, so they apply as well to an outcome found under a stated belief rule.

Messages and replies
--------------------
A moves twice before C: it demands (or makes no offer), and after a refusal it withdraws or
stays. Each is a *message* when no type makes it in the equilibrium:

- a **demand message** ``d``: a demand (or no offer) that no type makes. C's *reply* is an
  offer at each history that can follow (sharing, free-riding, withdrawal at ``d``; all off
  the path); T then answers the demand and A withdraws or stays *sequentially rationally*
  given the reply (A cannot commit to withdraw: it withdraws only if that pays then).
- a **withdrawal message**: at a refusal of ``d`` that some types reach on the path (the
  *senders*), the withdrawal choice they do not make; C's reply is an offer at the history
  it leads to. The other types would have to deviate twice to get there and are not senders.

A reply is a best offer at each history against some belief (every belief region of C is
tried, see :meth:`games.alliance.crisis.CrisisStage.beliefs`), or against beliefs restricted
to a set of types (a single type: belief 1 or 0). ``u_c(m, r)`` is type c's payoff from
message m and reply r (when A is indifferent between withdrawing and staying, both
continuations are kept: the best for "could gain", the worst for "gains for sure"); ``u*_c``
is its equilibrium payoff. ``S(m)`` is the senders (every type for a demand message).

Intuitive Criterion (Cho and Kreps 1987)
    A sender c is equilibrium-dominated at m when ``u_c(m, r) < u*_c`` for every reply r.
    With J the senders that are not (all senders if every one is), the outcome fails at m
    when some sender gets more than its equilibrium payoff from *every* reply to beliefs on J.
D1 (Cho and Kreps 1987, after Banks and Sobel 1987)
    ``D_c(m)`` / ``D0_c(m)``: the replies giving sender c more than / exactly ``u*_c``. Sender c
    is deleted at m when ``D_c ∪ D0_c ⊆ D_c'`` for the other sender c' (the other type gains
    whenever c would weakly gain; "c would weakly gain" with its best continuation, "c'
    gains" with its worst); J is the senders not deleted (all senders if every one is). The
    outcome fails at m when no reply to beliefs on J keeps every sender at or below its
    equilibrium payoff (with the worst continuation, which the equilibrium may choose).

Replies are C's *pure* best replies; D1 compares these sets of pure replies.
Everything is exact (``fractions.Fraction``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

from games.alliance.negotiation import patron_value, protege_accepts_demand, withdrawal_choices
from games.alliance.params import AllianceParams
from games.alliance.payoffs import FREE_RIDING, SHARING, WITHDRAWAL, History, histories_of, lambda_A
from games.alliance.solver import TYPES, Equilibrium, type_name
from games.validation import SpheresInputError

__all__ = ["REFINEMENTS", "Verdict", "intuitive_criterion", "d1", "refine"]

REFINEMENTS = ("Intuitive Criterion", "D1")


@dataclass(frozen=True)
class Verdict:
    """Does the outcome survive the refinement; if not, at which message and why."""

    refinement: str
    survives: bool
    message: str = ""
    reason: str = ""

    def describe(self) -> str:
        if self.survives:
            return f"{self.refinement}: survives"
        return f"{self.refinement}: fails at '{self.message}': {self.reason}"


@dataclass(frozen=True)
class _Message:
    label: str
    histories: tuple  # the histories C may see after it
    senders: frozenset
    demand: Fraction | None = None
    withdrawal: bool = False  # a withdrawal message (else a demand message)


class _Refiner:
    def __init__(self, params: AllianceParams, eq: Equilibrium, demands, offers, shared: dict | None = None) -> None:
        if eq.assessment.fixed is not None:
            raise SpheresInputError(
                "the refinements apply to the game without rules; this equilibrium restricts "
                f"{eq.assessment.fixed.describe()} (anticipated mode)"
            )
        self.p = params
        # C's replies at a history depend on the crisis only, not on the equilibrium: shared by ``refine``
        shared = {} if shared is None else shared
        key = (tuple(sorted(eq.assessment.regime.items())), tuple(offers))
        if key not in shared:
            shared[key] = (eq.assessment.crisis(params, offers), {})
        self.stage, self._best = shared[key]
        self.u_star = {c: eq.path(c).payoff_A for c in TYPES}
        self.on_path = {eq.path(c).history: eq.path(c).offer for c in TYPES}
        self.messages = self._messages(eq, demands)

    def _messages(self, eq: Equilibrium, demands) -> list[_Message]:
        made = {eq.path(c).demand for c in TYPES}
        out = [_Message("no offer" if d is None else f"demand {d}", histories_of(d), frozenset(TYPES), d)
               for d in (None, *demands) if d not in made]
        refused: dict = {}
        for c in TYPES:
            h = eq.path(c).history
            if h.outcome in (FREE_RIDING, WITHDRAWAL):
                refused.setdefault(h.demand, set()).add(c)
        for d, senders in refused.items():
            for h in (History(FREE_RIDING, d), History(WITHDRAWAL, d)):
                if h not in self.on_path:
                    verb = "withdraw" if h.outcome == WITHDRAWAL else "stay"
                    out.append(_Message(f"{verb} after a refused demand {d}", (h,), frozenset(senders), d, True))
        return out

    def best(self, h: History, types: frozenset) -> tuple[Fraction, ...]:
        """C's best offers at h against some belief on ``types``."""
        key = (self.stage.key(h), types)
        if key not in self._best:
            mus = self.stage.beliefs(h) if len(types) == 2 else (Fraction(1) if True in types else Fraction(0),)
            self._best[key] = tuple(sorted({x for mu in mus for x in self.stage.best_offers(h, mu)}))
        return self._best[key]

    def replies(self, m: _Message, types: frozenset) -> list[dict]:
        """C's pure replies at m's histories, against beliefs on ``types``."""
        per_history = [self.best(h, types) for h in m.histories]
        return [dict(zip(m.histories, combo)) for combo in itertools.product(*per_history)]

    def payoffs(self, c: bool, m: _Message, reply: dict) -> tuple[Fraction, ...]:
        """Type c's possible payoffs from m when C replies ``reply`` (one per tied withdrawal choice)."""
        p, d = self.p, m.demand
        if m.withdrawal or d is None:
            (h,) = m.histories
            return (lambda_A(p, h.outcome, d) + self.stage.play(c, h, reply[h]).A,)
        h_share, h_stay, h_wd = m.histories
        share, stay, wd = (self.stage.play(c, h, reply[h]) for h in m.histories)
        out = []
        for w in withdrawal_choices(p, d, stay, wd):
            h_rej, rej = (h_wd, wd) if w else (h_stay, stay)
            if protege_accepts_demand(d, share, rej):
                out.append(patron_value(p, SHARING, d, share))
            else:
                out.append(patron_value(p, h_rej.outcome, d, rej))
        return tuple(out)


def _who(types) -> str:
    return " and ".join(type_name(t) for t in TYPES if t in types)


def intuitive_criterion(params: AllianceParams, eq: Equilibrium, demands, offers, _shared: dict | None = None) -> Verdict:
    """Does ``eq`` survive the Intuitive Criterion (see the module docstring)?"""
    r = _Refiner(params, eq, demands, offers, _shared)
    name = REFINEMENTS[0]
    for m in r.messages:
        every = r.replies(m, m.senders)
        dominated = {c for c in m.senders if max(max(r.payoffs(c, m, x)) for x in every) < r.u_star[c]}
        J = (m.senders - dominated) or m.senders
        for c in m.senders:
            worst = min(min(r.payoffs(c, m, x)) for x in r.replies(m, J))
            if worst > r.u_star[c]:
                return Verdict(name, False, m.label,
                               f"only the {_who(J)} type could gain from it; against beliefs on it the {type_name(c)} "
                               f"type gets at least {worst} > its equilibrium payoff {r.u_star[c]}")
    return Verdict(name, True)


def d1(params: AllianceParams, eq: Equilibrium, demands, offers, _shared: dict | None = None) -> Verdict:
    """Does ``eq`` survive D1 (see the module docstring)?"""
    r = _Refiner(params, eq, demands, offers, _shared)
    name = REFINEMENTS[1]
    for m in r.messages:
        every = r.replies(m, m.senders)
        # could gain (best continuation) and gains for sure (worst continuation), reply by reply
        could = {c: [max(r.payoffs(c, m, x)) >= r.u_star[c] for x in every] for c in m.senders}
        sure = {c: [min(r.payoffs(c, m, x)) > r.u_star[c] for x in every] for c in m.senders}
        deleted = {c for c in m.senders if len(m.senders) == 2
                   and all(s for w, s in zip(could[c], sure[not c]) if w)}
        J = (m.senders - deleted) or m.senders
        if not any(all(min(r.payoffs(c, m, x)) <= r.u_star[c] for c in m.senders) for x in r.replies(m, J)):
            return Verdict(name, False, m.label,
                           f"D1 puts C's belief on the {_who(J)} type; no reply to such beliefs keeps "
                           f"{'both types' if len(m.senders) == 2 else 'it'} from deviating")
    return Verdict(name, True)


def refine(result, equilibria=None) -> list[tuple[Equilibrium, dict[str, Verdict]]]:
    """Each equilibrium of a ``SearchResult`` (or the given ones) with its verdict under each refinement."""
    eqs = result.equilibria if equilibria is None else equilibria
    shared: dict = {}
    return [(eq, {REFINEMENTS[0]: intuitive_criterion(result.params, eq, result.demands, result.offers, shared),
                  REFINEMENTS[1]: d1(result.params, eq, result.demands, result.offers, shared)}) for eq in eqs]
