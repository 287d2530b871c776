"""Equilibrium search: every pure-strategy perfect Bayesian equilibrium outcome on a grid.

The discretised game: nature draws A's type; A makes no offer or demands a from the demand
grid; T (who knows the type) accepts or rejects; after a rejection A withdraws or stays;
C, who sees the negotiation history but not the type, offers x from the offer grid; T
accepts or fights; in a war A intervenes or not.

An assessment (a pure strategy for every information set plus C's beliefs) is a PBE when
every move is optimal at its information set given the beliefs and the continuation, and
the beliefs follow Bayes' rule on the path. The search is exhaustive over the path:

1. For each intervention regime (one under assumption (2)) and each pair of demands
   ``(d_committed, d_uncommitted)`` and each pair of negotiation histories they can lead to,
   C's beliefs are fixed: Bayes on the two on-path histories, the off-path rule elsewhere.
2. C's best offers at each history follow from the belief (exact rationals; every optimal
   offer is tried). T accepts an offer or a demand when indifferent (documented tie rule);
   A's ties (withdraw or stay) are enumerated.
3. The candidate path is kept when each type's on-path history is reachable by sequentially
   rational play and no demand gives either type more. At an off-path demand the
   equilibrium may pick any of C's optimal offers and any of A's tied withdrawal choices, so
   a deviation is deterred when *some* such selection keeps it unprofitable.

Each equilibrium found carries a full assessment that :func:`verify_assessment` re-checks
by brute force over every information set and every grid offer.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction

from games.alliance.beliefs import DEFAULT_OFF_PATH, bayes_belief, off_path_belief
from games.alliance.crisis import CrisisPlay, Regime, best_offers, best_offers_bruteforce, crisis_play, regimes
from games.alliance.grids import demand_grid, offer_grid
from games.alliance.negotiation import patron_value, protege_accepts_demand, withdrawal_choices
from games.alliance.params import AllianceParams, to_fraction
from games.alliance.payoffs import FREE_RIDING, NO_OFFER, SHARING, WITHDRAWAL, History, lambda_A, lambda_T
from games.validation import SpheresInputError

__all__ = ["TypePath", "Assessment", "Equilibrium", "SearchResult", "solve", "verify_assessment", "histories_of"]

TYPES = (True, False)  # committed, uncommitted


def type_name(committed: bool) -> str:
    return "committed" if committed else "uncommitted"


def histories_of(d: Fraction | None) -> tuple[History, ...]:
    """The negotiation histories that start with demand d (None: no offer)."""
    if d is None:
        return (History(NO_OFFER, None),)
    return (History(SHARING, d), History(FREE_RIDING, d), History(WITHDRAWAL, d))


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
    T's crisis rule is fixed: accept iff the offer is at least its war value.
    """

    demand: dict
    respond: dict
    withdraw: dict
    offer: dict
    belief: dict
    regime: Regime

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
    params: AllianceParams
    demands: tuple
    offers: tuple
    off_path_belief: Fraction
    equilibria: list

    def signatures(self) -> set:
        return {e.signature() for e in self.equilibria}

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)


# --------------------------------------------------------------------------- search
class _Search:
    def __init__(self, params: AllianceParams, demands, offers, mu_off: Fraction, regime: Regime):
        self.p = params
        self.demands = demands
        self.offers = offers
        self.mu_off = mu_off
        self.regime = regime
        self._crisis: dict = {}
        self._sel_cache: dict = {}
        self._opt_cache: dict = {}
        self._histories = {d: histories_of(d) for d in (None,) + tuple(demands)}

    # crisis entries: (intact, mu) -> tuple of (x, {committed: CrisisPlay})
    def crisis(self, intact: bool, mu: Fraction):
        key = (intact, mu)
        if key not in self._crisis:
            xs = best_offers(self.p, self.offers, intact, mu, self.regime)
            self._crisis[key] = tuple(
                (x, {c: crisis_play(self.p, c, intact, x, self.regime) for c in TYPES}) for x in xs
            )
        return self._crisis[key]

    def selections(self, d, beliefs: dict) -> list:
        """All combinations of C's optimal offers at the histories after demand d, as
        ``(key, selection)`` pairs; ``key`` identifies the selection for caching."""
        hs = self._histories[d]
        mus = tuple(beliefs.get(h, self.mu_off) for h in hs)
        key = (d, mus)
        cached = self._sel_cache.get(key)
        if cached is None:
            choices = [self.crisis(h.intact, mu) for h, mu in zip(hs, mus)]
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
        out = []
        for w in withdrawal_choices(p, d, stay, wd):
            play, h_rej = (wd, h_wd) if w else (stay, h_stay)
            if protege_accepts_demand(d, acc, play):
                opt = (h_acc, patron_value(p, SHARING, d, acc), True, w)
            else:
                opt = (h_rej, patron_value(p, h_rej.outcome, d, play), False, w)
            if all(o[0] != opt[0] for o in out):
                out.append(opt)
        return out

    def run(self, found: dict) -> None:
        p = self.p
        D = (None,) + tuple(self.demands)
        mu_off = self.mu_off
        # deviation payoffs at demands whose histories are all off the path
        off = {}
        for d in D:
            rows = []
            for sel_key, sel in self.selections(d, {}):
                opts = {c: self.cached_options(c, d, sel_key, sel) for c in TYPES}
                dev = {c: min(o[1] for o in opts[c]) for c in TYPES}
                rows.append((dev[True], dev[False], sel, opts))
            off[d] = rows
        single = [d for d in D if len(off[d]) == 1]
        multi = [d for d in D if len(off[d]) > 1]
        ranked = {
            c: sorted(((off[d][0][0 if c else 1], i) for i, d in enumerate(single)), key=lambda t: t[0], reverse=True)
            for c in TYPES
        }

        def max_dev(c, exclude):
            for value, i in ranked[c]:
                if single[i] not in exclude:
                    return value
            return None

        for d_H in D:
            for d_L in D:
                R = (d_H,) if d_H == d_L else (d_H, d_L)
                for h_H in self._histories[d_H]:
                    for h_L in self._histories[d_L]:
                        if h_H == h_L:
                            beliefs = {h_H: p.phi}
                        else:
                            beliefs = {h_H: Fraction(1), h_L: Fraction(0)}
                        exclude = set(R)
                        cap_H = max_dev(True, exclude)
                        cap_L = max_dev(False, exclude)
                        sel_lists = [self.selections(d, beliefs) for d in R]
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
                            if (cap_H is not None and cap_H > v[True]) or (cap_L is not None and cap_L > v[False]):
                                continue
                            ok = True
                            chosen_opts = {}
                            for d in R:
                                for c in TYPES:
                                    if (d_H if c else d_L) == d:
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
                                row = next((r for r in off[d] if r[0] <= v[True] and r[1] <= v[False]), None)
                                if row is None:
                                    ok = False
                                    break
                                multi_sel[d] = row
                            if not ok:
                                continue
                            eq = self._build(d_H, d_L, opt_H, opt_L, sels, beliefs, chosen_opts, off, multi_sel)
                            key = (eq.committed, eq.uncommitted)
                            if key not in found:
                                found[key] = eq

    def _build(self, d_H, d_L, opt_H, opt_L, sels, beliefs, chosen_opts, off, multi_sel) -> Equilibrium:
        p = self.p
        D = (None,) + tuple(self.demands)
        offer, belief, respond, withdraw = {}, {}, {}, {}
        for d in D:
            if d in sels:
                sel = sels[d]
                for c in TYPES:
                    if (d_H if c else d_L) == d:
                        opt = opt_H if c else opt_L
                    else:
                        opt = chosen_opts[(c, d)]
                    if d is not None:
                        respond[(c, d)] = opt[2]
                        withdraw[(c, d)] = opt[3]
            else:
                row = multi_sel.get(d, off[d][0])
                sel = row[2]
                for c in TYPES:
                    opt = min(row[3][c], key=lambda o: o[1])
                    if d is not None:
                        respond[(c, d)] = opt[2]
                        withdraw[(c, d)] = opt[3]
            for h, (x, _plays) in sel.items():
                offer[h] = x
                belief[h] = beliefs.get(h, self.mu_off)
        assessment = Assessment({True: d_H, False: d_L}, respond, withdraw, offer, belief, dict(self.regime))
        paths = {}
        for c, opt, d in ((True, opt_H, d_H), (False, opt_L, d_L)):
            h = opt[0]
            x, plays = sels[d][h]
            play: CrisisPlay = plays[c]
            paths[c] = TypePath(
                committed=c, demand=d, outcome=h.outcome, belief=belief[h], offer=x,
                crisis_accepted=play.accepted, intervene=play.intervene,
                payoff_A=opt[1], payoff_T=lambda_T(p, h.outcome, d) + play.T, payoff_C=play.C,
            )
        return Equilibrium(paths[True], paths[False], assessment)


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
) -> SearchResult:
    """Find every pure-strategy PBE outcome of the discretised game.

    demands / offers: explicit grids (validated: demands in (0, a_bar], offers in (0, 1));
    by default :func:`~games.alliance.grids.demand_grid` with ``n_demands`` points and
    :func:`~games.alliance.grids.offer_grid` with ``n_offers``. ``off_path_belief_rule``: see
    :mod:`games.alliance.beliefs`.
    """
    if not isinstance(params, AllianceParams):
        raise SpheresInputError(f"params must be an AllianceParams, got {type(params).__name__}")
    mu_off = off_path_belief(params, off_path_belief_rule)
    demands = demand_grid(params, n_demands) if demands is None else _check_grid("demands", demands, Fraction(0), params.a_bar, True)
    offers = offer_grid(params, n_offers) if offers is None else _check_grid("offers", offers, Fraction(0), Fraction(1), False)
    found: dict = {}
    for regime in regimes(params):
        _Search(params, demands, offers, mu_off, regime).run(found)
    equilibria = sorted(found.values(), key=_sort_key)
    return SearchResult(params, demands, offers, mu_off, equilibria)


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
    Bayes' rule at the histories the two types reach. ``stop_at_first`` returns at the first
    violation (cheap checks first).
    """
    p = params
    reg = assessment.regime
    errors: list[str] = []
    offers = tuple(sorted(offers))
    D = (None,) + tuple(sorted(demands))
    all_h = [h for d in D for h in histories_of(d)]

    class _Stop(Exception):
        pass

    def fail(message: str) -> None:
        errors.append(message)
        if stop_at_first:
            raise _Stop

    def value(c: bool, h: History):
        play = crisis_play(p, c, h.intact, assessment.offer[h], reg)
        return lambda_A(p, h.outcome, h.demand) + play.A, lambda_T(p, h.outcome, h.demand) + play.T

    def after_demand(c: bool, d):
        if d is None:
            return value(c, History(NO_OFFER, None))
        if assessment.respond[(c, d)]:
            return value(c, History(SHARING, d))
        w = assessment.withdraw[(c, d)]
        return value(c, History(WITHDRAWAL if w else FREE_RIDING, d))

    try:
        for (c, intact), act in reg.items():
            pw = p.p_h if intact else p.p_m
            gain = p.beta(c) * (pw - p.p_l) - p.c_A
            if (act and gain < 0) or (not act and gain > 0):
                fail(f"intervention of {type_name(c)} A (intact={intact}) is not optimal")
        # Bayes on the path
        reach = {c: assessment.history_of(c) for c in TYPES}
        for h in all_h:
            mu = bayes_belief(p.phi, reach[True] == h, reach[False] == h)
            if mu is not None and assessment.belief[h] != mu:
                fail(f"belief at {h.label()} is {assessment.belief[h]}, Bayes gives {mu}")
        # the negotiation: withdrawal, T's response, A's demand
        for c in TYPES:
            for d in D[1:]:
                stay_A, stay_T = value(c, History(FREE_RIDING, d))
                wd_A, wd_T = value(c, History(WITHDRAWAL, d))
                w = assessment.withdraw[(c, d)]
                if (w and wd_A < stay_A) or (not w and stay_A < wd_A):
                    fail(f"{type_name(c)} A's withdrawal choice after a={d} is not optimal")
                acc_T = value(c, History(SHARING, d))[1]
                rej_T = wd_T if w else stay_T
                if assessment.respond[(c, d)] != (acc_T >= rej_T):
                    fail(f"{type_name(c)} T's response to a={d} is not optimal (or breaks the accept-when-indifferent rule)")
            chosen = after_demand(c, assessment.demand[c])[0]
            for d in D:
                if after_demand(c, d)[0] > chosen:
                    fail(f"{type_name(c)} A gains by demanding {d} instead of {assessment.demand[c]}")
        # C's offers against every grid offer
        for h in all_h:
            best = best_offers_bruteforce(p, offers, h.intact, assessment.belief[h], reg)
            if assessment.offer[h] not in best:
                fail(f"C's offer {assessment.offer[h]} at {h.label()} is not optimal (best: {best[:3]})")
        # T's crisis response (rule: accept iff x >= war value) against the alternative
        for c in TYPES:
            for intact in (True, False):
                war_T = ((p.p_h if intact else p.p_m) if reg[(c, intact)] else p.p_l) - p.c_T
                for x in offers:
                    accepted = crisis_play(p, c, intact, x, reg).accepted
                    if (accepted and x < war_T) or (not accepted and x > war_T):
                        fail(f"T's response to x={x} ({type_name(c)}, intact={intact}) is not optimal")
    except _Stop:
        pass
    return errors
