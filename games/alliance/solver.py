"""Equilibrium search: every pure-strategy perfect Bayesian equilibrium outcome on a grid,
under a stated off-path belief convention.

The discretised game: nature draws A's type; A makes no offer or demands a from the demand
grid; T (who knows the type) accepts or rejects; after a rejection A withdraws or stays;
C, who sees the negotiation history but not the type, offers x from the offer grid; T
accepts or fights; in a war A intervenes or not.

An assessment (a pure strategy for every information set plus C's beliefs) is a PBE when
every move is optimal at its information set given the beliefs and the continuation, and
the beliefs follow Bayes' rule on the path. Off the path Bayes' rule says nothing; the
search takes C's belief there from ``off_path_belief_rule`` (one number for every
unexpected history: "every pure PBE" is then every pure PBE *with that convention*), or,
with ``"any"``, lets C hold any belief at each unexpected history (every pure PBE outcome
that *some* off-path beliefs support; see :mod:`games.alliance.beliefs`).

The search is exhaustive over the path:

1. For each intervention regime (one under assumption (2)) and each pair of demands
   ``(d_committed, d_uncommitted)`` and each pair of negotiation histories they can lead to,
   C's beliefs are fixed: Bayes on the two on-path histories, the off-path rule elsewhere
   (with ``"any"``: one belief per belief region of C).
2. C's best offers at each history follow from the belief (exact rationals; every optimal
   offer is tried). T accepts an offer or a demand when indifferent (documented tie rule);
   A's ties (withdraw or stay) are enumerated.
3. The candidate path is kept when each type's on-path history is reachable by sequentially
   rational play and no demand gives either type more. At an off-path demand the
   equilibrium may pick any of C's optimal offers and any of A's tied withdrawal choices, so
   a deviation is deterred when *some* such selection keeps it unprofitable.

With ``rules`` (the *anticipated* mode of ``games.alliance.rules``), each role whose rule
fixes moves is restricted to them: a fixed move is the only one tried at its information
set and is exempt from the optimality test there; the other players re-optimise. A fixed
demand leaves that type no deviation; fixed crisis moves make the crisis depend on the whole
history, and C's best offers are then found by evaluating every grid offer.

Each equilibrium found carries a full assessment that :func:`verify_assessment` re-checks
by brute force over every information set and every grid offer.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction

from games.alliance.beliefs import ANY, DEFAULT_OFF_PATH, bayes_belief, describe_off_path, off_path_belief
from games.alliance.crisis import CrisisStage, Regime, regimes
from games.alliance.grids import demand_grid, offer_grid
from games.alliance.negotiation import patron_value, protege_accepts_demand, withdrawal_choices
from games.alliance.params import AllianceParams, to_fraction
from games.alliance.payoffs import (
    FREE_RIDING, NO_OFFER, SHARING, WITHDRAWAL, History, all_histories, histories_of, lambda_A, lambda_T,
)
from games.alliance.rules import ROLES, FixedChoices, Game, fixed_choices
from games.validation import SpheresInputError

__all__ = ["TypePath", "Assessment", "Equilibrium", "SearchResult", "solve", "verify_assessment", "histories_of",
           "TYPES", "type_name", "NoEquilibrium"]


class NoEquilibrium(SpheresInputError):
    """No pure-strategy PBE at these parameters, grids, beliefs and rules (when one is needed to play)."""

TYPES = (True, False)  # committed, uncommitted


def type_name(committed: bool) -> str:
    return "committed" if committed else "uncommitted"


@dataclass(frozen=True)
class TypePath:
    """The path of play for one type of A (payoffs are whole-game utilities)."""

    committed: bool
    demand: Fraction | None
    outcome: str  # negotiation outcome
    belief: Fraction  # C's belief (prob. committed) at this history
    offer: Fraction
    crisis_accepted: bool
    intervene: bool | None
    payoff_A: Fraction
    payoff_T: Fraction
    payoff_C: Fraction

    @property
    def history(self) -> History:
        return History(self.outcome, self.demand)

    @property
    def war(self) -> bool:
        return not self.crisis_accepted

    def describe(self) -> str:
        demand = "no offer" if self.demand is None else f"demands a={self.demand} -> {self.outcome}"
        crisis = "T accepts" if self.crisis_accepted else ("war, A intervenes" if self.intervene else "war, A stays out")
        return f"{type_name(self.committed)} A {demand}; C (belief {self.belief}) offers x={self.offer}; {crisis}"


@dataclass
class Assessment:
    """A complete pure assessment of the discretised game.

    demand[committed] : A's demand (None = no offer)
    respond[(committed, a)] : does T accept the demand a
    withdraw[(committed, a)] : does A withdraw after a rejection of a
    offer[history] : C's offer after each negotiation history
    belief[history] : C's belief (prob. committed) there
    regime[(committed, intact)] : does A intervene in a war
    fixed : the moves rules fix (the anticipated mode), None in the game without rules;
        A's intervention and T's answer in the crisis are the rules' where they fix them
    In the crisis T accepts iff the offer is at least its war value (see :meth:`crisis`).
    """

    demand: dict
    respond: dict
    withdraw: dict
    offer: dict
    belief: dict
    regime: Regime
    fixed: FixedChoices | None = None

    def crisis(self, params: AllianceParams, offers) -> CrisisStage:
        """The crisis this assessment plays after every history (T's answers, A's interventions, C's best offers)."""
        f = self.fixed
        return CrisisStage(params, tuple(offers), self.regime, f.intervene if f else None, f.accept if f else None)

    def history_of(self, committed: bool) -> History:
        d = self.demand[committed]
        if d is None:
            return History(NO_OFFER, None)
        if self.respond[(committed, d)]:
            return History(SHARING, d)
        return History(WITHDRAWAL if self.withdraw[(committed, d)] else FREE_RIDING, d)


@dataclass(frozen=True)
class Equilibrium:
    """A pure-strategy PBE outcome: the two types' paths (+ one supporting assessment)."""

    committed: TypePath
    uncommitted: TypePath
    assessment: Assessment = field(compare=False, hash=False, repr=False)

    @property
    def pooling(self) -> bool:
        return self.committed.history == self.uncommitted.history

    def path(self, committed: bool) -> TypePath:
        return self.committed if committed else self.uncommitted

    def signature(self) -> tuple:
        """(demand, outcome, offer) per type: what the propositions describe."""
        return tuple((p.demand, p.outcome, p.offer) for p in (self.committed, self.uncommitted))

    def describe(self) -> str:
        kind = "pooling" if self.pooling else "separating"
        return f"{kind}: {self.committed.describe()} | {self.uncommitted.describe()}"


@dataclass
class SearchResult:
    """Every pure PBE outcome found: ``off_path_belief`` is the convention (a Fraction, or
    ``"any"``); ``fixed`` the moves the rules fixed (None: the game without rules)."""

    params: AllianceParams
    demands: tuple
    offers: tuple
    off_path_belief: Fraction | str
    equilibria: list
    fixed: FixedChoices | None = None

    def convention(self) -> str:
        """What "every pure PBE" means here: the belief convention and the rules that restrict the game."""
        text = describe_off_path(self.off_path_belief)
        if self.fixed is not None:
            text += f"; in the game restricted to the moves of the {self.fixed.describe()}"
        return text

    def signatures(self) -> set:
        return {e.signature() for e in self.equilibria}

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)


# --------------------------------------------------------------------------- search
class _Search:
    def __init__(self, params: AllianceParams, demands, offers, mu_off, regime: Regime, fixed: FixedChoices) -> None:
        self.p = params
        self.demands = demands
        self.offers = offers
        self.mu_off = mu_off  # a Fraction, or ANY: any belief at an unexpected history
        self.regime = regime
        self.fixed = fixed
        self.stage = CrisisStage(params, offers, regime, fixed.intervene, fixed.accept)
        # C's options depend on the whole history when the crisis or C's own rule does
        self.per_history = self.stage.by_history or "challenger" in fixed.rules
        self._crisis: dict = {}
        self._sel_cache: dict = {}
        self._opt_cache: dict = {}
        self._histories = {d: histories_of(d) for d in (None,) + tuple(demands)}
        everything = (None,) + tuple(demands)
        self.allowed = {c: (fixed.demand[c],) if c in fixed.demand else everything for c in TYPES}
        self.free = {c: c not in fixed.demand for c in TYPES}  # may this type deviate?

    def belief_at(self, h: History, on_path: dict):
        """C's belief at h: the challenger rule's, Bayes' on the path, else the off-path convention."""
        if h in self.fixed.belief:
            return self.fixed.belief[h]
        return on_path.get(h, self.mu_off)

    # crisis entries: (history or intact, mu) -> tuple of (x, {committed: CrisisPlay}, belief held, members):
    # offers that give every player the same payoffs (both types of T fight them, with the same
    # war) are one entry, the lowest standing for all ``members``; only on the path do they differ
    def crisis(self, h: History, mu):
        key = (h if self.per_history else h.intact, mu)
        if key not in self._crisis:
            options: dict = {}
            for m in (self.stage.beliefs(h) if mu is ANY else (mu,)):
                fixed = self.fixed.offer(h, m)
                if fixed is not None and mu is ANY:
                    raise SpheresInputError(
                        f"{self.fixed.describe()} fixes C's offer after {h.label()!r} at belief {m}, where C's belief "
                        "is free (off-path beliefs 'any'): the search cannot try every belief such an offer may "
                        "depend on; fix the rule's belief() there too, or state an off-path belief rule"
                    )
                for x in (fixed,) if fixed is not None else self.stage.best_offers(h, m):
                    options.setdefault(x, m)
            classes: dict = {}
            for x in sorted(options):
                plays = {c: self.stage.play(c, h, x) for c in TYPES}
                payoffs = tuple((pl.accepted, pl.intervene, pl.A, pl.T, pl.C) for pl in plays.values())
                if payoffs in classes:
                    classes[payoffs][3].append(x)
                else:
                    classes[payoffs] = (x, plays, options[x], [x])
            self._crisis[key] = tuple((x, plays, m, tuple(members)) for x, plays, m, members in classes.values())
        return self._crisis[key]

    def selections(self, d, on_path: dict) -> list:
        """All combinations of C's optimal offers at the histories after demand d, as
        ``(key, selection)`` pairs; ``key`` identifies the selection for caching."""
        hs = self._histories[d]
        mus = tuple(self.belief_at(h, on_path) for h in hs)
        key = (d, mus)
        cached = self._sel_cache.get(key)
        if cached is None:
            choices = [self.crisis(h, mu) for h, mu in zip(hs, mus)]
            cached = [((key, i), dict(zip(hs, combo))) for i, combo in enumerate(itertools.product(*choices))]
            self._sel_cache[key] = cached
        return cached

    def cached_options(self, committed: bool, d, sel_key, sel: dict) -> list:
        key = (committed, sel_key)
        cached = self._opt_cache.get(key)
        if cached is None:
            cached = self._opt_cache[key] = self.options(committed, d, sel)
        return cached

    def options(self, committed: bool, d, sel: dict) -> list:
        """Sequentially rational continuations for a type after demand d, given C's offers:
        a list of (history reached, A's payoff, does T accept, A's withdrawal choice)."""
        p = self.p
        if d is None:
            h = History(NO_OFFER, None)
            play = sel[h][1][committed]
            return [(h, lambda_A(p, NO_OFFER) + play.A, None, None)]
        h_acc, h_stay, h_wd = histories_of(d)
        acc, stay, wd = (sel[h][1][committed] for h in (h_acc, h_stay, h_wd))
        fixed_w = self.fixed.withdraw.get((committed, d))
        fixed_r = self.fixed.respond.get((committed, d))
        out = []
        for w in (fixed_w,) if fixed_w is not None else withdrawal_choices(p, d, stay, wd):
            play, h_rej = (wd, h_wd) if w else (stay, h_stay)
            accepts = fixed_r if fixed_r is not None else protege_accepts_demand(d, acc, play)
            if accepts:
                opt = (h_acc, patron_value(p, SHARING, d, acc), True, w)
            else:
                opt = (h_rej, patron_value(p, h_rej.outcome, d, play), False, w)
            if all(o[0] != opt[0] for o in out):
                out.append(opt)
        return out

    def run(self, found: dict) -> None:
        p = self.p
        D = (None,) + tuple(self.demands)
        free = self.free
        # what a deviation to a demand whose histories are all off the path can be held to:
        # one row per selection of C's offers there, (worst payoff of each type, selection, options)
        off = {}
        for d in D:
            rows = []
            for sel_key, sel in self.selections(d, {}):
                opts = {c: self.cached_options(c, d, sel_key, sel) for c in TYPES}
                rows.append(({c: min(o[1] for o in opts[c]) for c in TYPES}, sel, opts))
            off[d] = rows
        floor = {d: {c: min(r[0][c] for r in rows) for c in TYPES} for d, rows in off.items()}
        # a demand is "simple" when one selection holds both types to their floors at once
        simple = {d: next((r for r in rows if all(r[0][c] == floor[d][c] for c in TYPES)), None)
                  for d, rows in off.items()}
        multi = [d for d in D if simple[d] is None]
        ranked = {c: sorted(((floor[d][c], i) for i, d in enumerate(D)), key=lambda t: t[0], reverse=True)
                  for c in TYPES if free[c]}

        def max_dev(c, exclude):
            for value, i in ranked[c]:
                if D[i] not in exclude:
                    return value
            return None

        for d_H in self.allowed[True]:
            for d_L in self.allowed[False]:
                R = (d_H,) if d_H == d_L else (d_H, d_L)
                exclude = set(R)
                caps = {c: max_dev(c, exclude) for c in TYPES if free[c]}
                for h_H in self._histories[d_H]:
                    for h_L in self._histories[d_L]:
                        if h_H == h_L:
                            on_path = {h_H: p.phi}
                        else:
                            on_path = {h_H: Fraction(1), h_L: Fraction(0)}
                        sel_lists = [self.selections(d, on_path) for d in R]
                        for combo in itertools.product(*sel_lists):
                            sels = {d: sel for d, (_k, sel) in zip(R, combo)}
                            keys = {d: k for d, (k, _sel) in zip(R, combo)}
                            opt_H = next((o for o in self.cached_options(True, d_H, keys[d_H], sels[d_H]) if o[0] == h_H), None)
                            if opt_H is None:
                                continue
                            opt_L = next((o for o in self.cached_options(False, d_L, keys[d_L], sels[d_L]) if o[0] == h_L), None)
                            if opt_L is None:
                                continue
                            v = {True: opt_H[1], False: opt_L[1]}
                            if any(cap is not None and cap > v[c] for c, cap in caps.items()):
                                continue
                            ok = True
                            chosen_opts = {}
                            for d in R:
                                for c in TYPES:
                                    if (d_H if c else d_L) == d or not free[c]:
                                        continue
                                    opts = self.cached_options(c, d, keys[d], sels[d])
                                    worst = min(opts, key=lambda o: o[1])
                                    if worst[1] > v[c]:
                                        ok = False
                                        break
                                    chosen_opts[(c, d)] = worst
                                if not ok:
                                    break
                            if not ok:
                                continue
                            multi_sel = {}
                            for d in multi:
                                if d in exclude:
                                    continue
                                row = next((r for r in off[d] if all(r[0][c] <= v[c] for c in TYPES if free[c])), None)
                                if row is None:
                                    ok = False
                                    break
                                multi_sel[d] = row
                            if not ok:
                                continue
                            for eq in self._build(d_H, d_L, opt_H, opt_L, sels, chosen_opts, simple, multi_sel):
                                key = (eq.committed, eq.uncommitted)
                                if key not in found:
                                    found[key] = eq

    def _build(self, d_H, d_L, opt_H, opt_L, sels, chosen_opts, simple, multi_sel) -> list[Equilibrium]:
        """The equilibria of a candidate: one per choice among payoff-equivalent offers on the path."""
        p = self.p
        D = (None,) + tuple(self.demands)
        offer, belief, respond, withdraw = {}, {}, {}, {}
        for d in D:
            if d in sels:
                sel = sels[d]
                for c in TYPES:
                    if (d_H if c else d_L) == d:
                        opt = opt_H if c else opt_L
                    elif (c, d) in chosen_opts:
                        opt = chosen_opts[(c, d)]
                    else:  # a type whose demand is fixed elsewhere: its (unreached) continuation
                        opt = min(self.options(c, d, sel), key=lambda o: o[1])
                    if d is not None:
                        respond[(c, d)] = opt[2]
                        withdraw[(c, d)] = opt[3]
            else:
                row = multi_sel.get(d) or simple[d]
                sel = row[1]
                for c in TYPES:
                    opt = min(row[2][c], key=lambda o: o[1])
                    if d is not None:
                        respond[(c, d)] = opt[2]
                        withdraw[(c, d)] = opt[3]
            for h, (x, _plays, mu, _members) in sel.items():
                offer[h] = x
                belief[h] = mu
        fixed = None if self.fixed.empty else self.fixed
        on_path = {opt_H[0]: sels[d_H][opt_H[0]][3], opt_L[0]: sels[d_L][opt_L[0]][3]}
        out = []
        for combo in itertools.product(*on_path.values()):
            chosen = dict(zip(on_path, combo))
            assessment = Assessment({True: d_H, False: d_L}, respond, withdraw, {**offer, **chosen}, belief,
                                    dict(self.regime), fixed)
            paths = {}
            for c, opt, d in ((True, opt_H, d_H), (False, opt_L, d_L)):
                h = opt[0]
                play = sels[d][h][1][c]
                paths[c] = TypePath(
                    committed=c, demand=d, outcome=h.outcome, belief=belief[h], offer=chosen[h],
                    crisis_accepted=play.accepted, intervene=play.intervene,
                    payoff_A=opt[1], payoff_T=lambda_T(p, h.outcome, d) + play.T, payoff_C=play.C,
                )
            out.append(Equilibrium(paths[True], paths[False], assessment))
        return out


def _check_grid(name: str, values, low: Fraction, high: Fraction, high_closed: bool) -> tuple[Fraction, ...]:
    out = set()
    for i, v in enumerate(values):
        f = to_fraction(f"{name}[{i}]", v)
        if not (low < f and (f <= high if high_closed else f < high)):
            right = "]" if high_closed else ")"
            raise SpheresInputError(f"{name}[{i}] = {f} is outside the allowed range ({low}, {high}{right}")
        out.add(f)
    if not out:
        raise SpheresInputError(f"{name} must not be empty")
    return tuple(sorted(out))


def solve(
    params: AllianceParams,
    demands=None,
    offers=None,
    off_path_belief_rule=DEFAULT_OFF_PATH,
    n_demands: int = 50,
    n_offers: int = 100,
    rules=None,
) -> SearchResult:
    """Find every pure-strategy PBE outcome of the discretised game, under the off-path
    belief convention ``off_path_belief_rule`` (see :mod:`games.alliance.beliefs`; ``"any"``:
    every outcome some off-path beliefs support).

    demands / offers: explicit grids (validated: demands in (0, a_bar], offers in (0, 1));
    by default :func:`~games.alliance.grids.demand_grid` with ``n_demands`` points and
    :func:`~games.alliance.grids.offer_grid` with ``n_offers``.
    rules: ``{role: rule}`` (a registered name, a rule class or a rule object; roles
    ``patron``, ``protege``, ``challenger``): the game in which each role is restricted to
    the moves its rule fixes (the anticipated mode of :mod:`games.alliance.rules`).
    """
    if not isinstance(params, AllianceParams):
        raise SpheresInputError(f"params must be an AllianceParams, got {type(params).__name__}")
    mu_off = off_path_belief(params, off_path_belief_rule)
    demands = demand_grid(params, n_demands) if demands is None else _check_grid("demands", demands, Fraction(0), params.a_bar, True)
    offers = offer_grid(params, n_offers) if offers is None else _check_grid("offers", offers, Fraction(0), Fraction(1), False)
    fixed = fixed_choices(Game(params, demands, offers), _coerce_rules(rules))
    found: dict = {}
    for regime in regimes(params):
        _Search(params, demands, offers, mu_off, regime, fixed).run(found)
    equilibria = sorted(found.values(), key=_sort_key)
    return SearchResult(params, demands, offers, mu_off, equilibria, None if fixed.empty else fixed)


def _coerce_rules(rules) -> dict:
    """``{role: rule object}`` from ``{role: name | class | object}`` (checked)."""
    from games import registry

    if rules is None:
        return {}
    if not isinstance(rules, dict):
        raise SpheresInputError(f"rules must be a dict {{role: rule}} with roles among {', '.join(ROLES)}, got {type(rules).__name__}")
    out = {}
    for role, rule in rules.items():
        if role not in ROLES:
            raise SpheresInputError(f"rules: role = {role!r} is not one of: {', '.join(ROLES)}")
        out[role] = registry.coerce(role, rule, f"rules[{role!r}]")
    return out


def _sort_key(eq: Equilibrium):
    def one(p: TypePath):
        return (-1 if p.demand is None else p.demand, p.outcome, p.offer)

    return (one(eq.committed), one(eq.uncommitted))


# --------------------------------------------------------------------------- verification
def verify_assessment(params: AllianceParams, assessment: Assessment, demands, offers, stop_at_first: bool = False) -> list[str]:
    """Brute-force check of a full assessment; returns the list of violations (empty: a PBE).

    Checks, at every information set of the discretised game: A's intervention, T's crisis
    response to every grid offer, C's offer against every grid offer given its belief, A's
    withdrawal choice, T's response to every demand, A's demand against every demand; and
    Bayes' rule at the histories the two types reach. Where ``assessment.fixed`` fixes a move
    (a rule, the anticipated mode) the move must be the rule's and is not tested for
    optimality; a belief the challenger's rule fixes replaces Bayes' rule. ``stop_at_first``
    returns at the first violation (cheap checks first).
    """
    p = params
    reg = assessment.regime
    fixed = assessment.fixed or FixedChoices(Game(p, tuple(sorted(demands)), tuple(sorted(offers))))
    errors: list[str] = []
    offers = tuple(sorted(offers))
    D = (None,) + tuple(sorted(demands))
    all_h = all_histories(D[1:])
    stage = assessment.crisis(p, offers)

    class _Stop(Exception):
        pass

    def fail(message: str) -> None:
        errors.append(message)
        if stop_at_first:
            raise _Stop

    def value(c: bool, h: History):
        play = stage.play(c, h, assessment.offer[h])
        return lambda_A(p, h.outcome, h.demand) + play.A, lambda_T(p, h.outcome, h.demand) + play.T

    def after_demand(c: bool, d):
        if d is None:
            return value(c, History(NO_OFFER, None))
        if assessment.respond[(c, d)]:
            return value(c, History(SHARING, d))
        w = assessment.withdraw[(c, d)]
        return value(c, History(WITHDRAWAL if w else FREE_RIDING, d))

    def check(kind: str, key, chosen, optimal: bool) -> None:
        """A fixed move must be the rule's; a free one must be optimal."""
        rule_move = getattr(fixed, kind).get(key)
        if rule_move is not None and chosen != rule_move:
            fail(f"{kind} at {key} is {chosen}, the rule fixes {rule_move}")
        elif rule_move is None and not optimal:
            fail(f"{kind} at {key} is not optimal")

    try:
        for (c, intact), act in reg.items():
            pw = p.p_h if intact else p.p_m
            gain = p.beta(c) * (pw - p.p_l) - p.c_A
            if (act and gain < 0) or (not act and gain > 0):
                fail(f"intervention of {type_name(c)} A (intact={intact}) is not optimal")
        # Bayes on the path (or the challenger rule's belief)
        reach = {c: assessment.history_of(c) for c in TYPES}
        for h in all_h:
            if h in fixed.belief:
                if assessment.belief[h] != fixed.belief[h]:
                    fail(f"belief at {h.label()} is {assessment.belief[h]}, the challenger's rule holds {fixed.belief[h]}")
                continue
            mu = bayes_belief(p.phi, reach[True] == h, reach[False] == h)
            if mu is not None and assessment.belief[h] != mu:
                fail(f"belief at {h.label()} is {assessment.belief[h]}, Bayes gives {mu}")
        # the negotiation: withdrawal, T's response, A's demand
        for c in TYPES:
            for d in D[1:]:
                stay_A, stay_T = value(c, History(FREE_RIDING, d))
                wd_A, wd_T = value(c, History(WITHDRAWAL, d))
                w = assessment.withdraw[(c, d)]
                check("withdraw", (c, d), w, wd_A >= stay_A if w else stay_A >= wd_A)
                acc_T = value(c, History(SHARING, d))[1]
                rej_T = wd_T if w else stay_T
                check("respond", (c, d), assessment.respond[(c, d)], assessment.respond[(c, d)] == (acc_T >= rej_T))
            chosen = after_demand(c, assessment.demand[c])[0]
            if c in fixed.demand:
                if assessment.demand[c] != fixed.demand[c]:
                    fail(f"{type_name(c)} A demands {assessment.demand[c]}, the rule fixes {fixed.demand[c]}")
                continue
            for d in D:
                if after_demand(c, d)[0] > chosen:
                    fail(f"{type_name(c)} A gains by demanding {d} instead of {assessment.demand[c]}")
        # C's offers against every grid offer
        for h in all_h:
            mu = assessment.belief[h]
            rule_offer = fixed.offer(h, mu)
            if rule_offer is not None:
                if assessment.offer[h] != rule_offer:
                    fail(f"C's offer at {h.label()} is {assessment.offer[h]}, the challenger's rule offers {rule_offer}")
                continue
            values = {x: stage.c_payoff(h, mu, x) for x in offers}
            best = max(values.values())
            if values[assessment.offer[h]] != best:
                fail(f"C's offer {assessment.offer[h]} at {h.label()} is not optimal")
        # T's crisis response (rule: accept iff x >= war value) and the rules' fixed crisis moves
        crisis_histories = all_h if stage.by_history else (History(NO_OFFER, None), History(WITHDRAWAL, D[-1]))
        for c in TYPES:
            for h in crisis_histories:
                for x in offers:
                    intervene = stage.intervenes(c, h, x)
                    rule_move = fixed.intervene.get((c, h, x))
                    if rule_move is None and intervene != reg[(c, h.intact)]:
                        fail(f"A's intervention ({type_name(c)}, {h.label()}, x={x}) is not the regime's")
                    war_T = (p.p_h if h.intact else p.p_m) - p.c_T if intervene else p.p_l - p.c_T
                    accepted = stage.accepts(c, h, x)
                    check("accept", (c, h, x), accepted, not ((accepted and x < war_T) or (not accepted and x > war_T)))
    except _Stop:
        pass
    return errors
