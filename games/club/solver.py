"""Backward induction for the club game: the subgame perfect equilibrium, fast, for K >= 2 superpowers.

Superpower 0 (the paper's a) places its good anticipating the replies of superpowers
1, 2, ... (the paper's b is superpower 1); each replies anticipating the ones after it;
the non-superpowers follow the processes of :mod:`games.club.processes`. Every player
decides through its rule (:mod:`games.club.rules`): the solver reads only the rule
interface, so a rule a user writes is honoured here exactly as the Mesa agents honour it.

Vectorised over rows: each row is a partial play (a world, the locations chosen so far,
everyone's club); a superpower's decision is computed for all rows at once, trying its
candidate locations in chunks. Many worlds of one shape are solved in one pass
(:func:`solve_many`; the Figure 5 map is one call).

Pruning (exact; used only where the rules declare what it relies on)
--------------------------------------------------------------------
A superpower whose rule is ``monotone`` (its objective never decreases as members join
its club) can bound the value of a location by its value at a club known to contain
every club it could end with there. Candidates are tried best bound first, and a row
stops as soon as no untried bound can reach its best value (within ``TOL``):

* superpower k's club can only lose members after stage k, so its club right after
  its own stage bounds its final club (any rules); for the first mover that club is
  known for every location before the search starts;
* when every country's rule is a :class:`~games.club.rules.PayoffRule` (which never
  accepts a negative payoff), every club at the end of the game lies inside the largest
  self-sustaining club at its location (:func:`~games.club.processes.largest_clubs`);
* and then a country leaves an earlier club j only for a payoff above its bar, which is
  never below its bar at its *floor*, its payoff in club j with j alone, so one group
  computation per pair bounds a reply far more tightly than the whole process
  (:func:`_reply_bound`).

A rule that does not declare ``monotone`` has every candidate evaluated;
``exhaustive=True`` turns pruning off everywhere. The tests hold both equal.

Tie-breaks are the rules' own (defaults: A1, A2 and our A3, see ``SuperpowerRule``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from games import registry
from games.club.core import TOL, World, WorldBatch, member_payoff
from games.club.processes import CountryRules, largest_clubs, relaxed_group, run_stage
from games.club.rules import (
    NO_CLUB, ClubView, NonSuperpowerRule, Proposal, SuperpowerRule, superpower_is_monotone,
)
from games.validation import SpheresInputError

__all__ = [
    "NO_CLUB", "Rules", "DEFAULT_RULES", "Outcome", "solve", "solve_many", "decide", "replay", "payoff_table",
    "rules_from_names",
]

# Candidates tried per decision and batch: (first mover, a later mover's first batch, later
# batches). Few decisions (one world): wide batches, less Python per candidate; many
# decisions (a sweep over worlds, deep in the tree): narrow batches, more pruning.
_WIDE = (16, 12, 48)
_NARROW = (2, 4, 8)
_NARROW_FROM = 64  # decisions
_MAX_PAIRS = 60_000  # pairs (row, candidate) per evaluation batch


# --------------------------------------------------------------------------- rules in play
class Rules:
    """The rule each player follows: one per superpower (in move order), one per non-superpower.

    ``Rules(a=..., b=..., countries=...)`` for the paper's two superpowers, or
    ``Rules(superpowers=[...], countries=...)`` for K of them. Each rule is a registered
    name, a rule class or a rule object (``games.registry``). Superpowers not given play
    ``equilibrium``; ``countries`` is one rule for everybody or one per country.
    """

    def __init__(self, a="equilibrium", b="equilibrium", countries="coalition", *, superpowers=None):
        if superpowers is None:
            sps = [registry.coerce("superpower", a, "rule of a"), registry.coerce("superpower", b, "rule of b")]
        else:
            if isinstance(superpowers, (str, SuperpowerRule)) or not isinstance(superpowers, Sequence):
                raise SpheresInputError(f"superpowers must be a sequence of rules (one per superpower), got {superpowers!r}")
            sps = [registry.coerce("superpower", r, f"rule of superpower {k}") for k, r in enumerate(superpowers)]
        self.superpowers: tuple[SuperpowerRule, ...] = tuple(sps)
        if isinstance(countries, (str, NonSuperpowerRule, type)):
            self.countries = registry.coerce("non-superpower", countries, "rule of the non-superpowers")
        else:
            self.countries = tuple(registry.coerce("non-superpower", r, f"rule of country {i + 1}") for i, r in enumerate(countries))

    a = property(lambda self: self.superpowers[0])
    b = property(lambda self: self.superpowers[1])

    def of(self, k: int) -> SuperpowerRule:
        return self.superpowers[k] if k < len(self.superpowers) else registry.get("superpower", "equilibrium")

    def for_world(self, world: World) -> tuple[tuple[SuperpowerRule, ...], CountryRules]:
        """One rule per superpower of ``world`` (``equilibrium`` for those not given) and the country rules."""
        k = world.n_superpowers
        if len(self.superpowers) > k:
            raise SpheresInputError(f"{len(self.superpowers)} superpower rules given for a world of {k} superpowers")
        return tuple(self.of(j) for j in range(k)), CountryRules(self.countries, world.n_countries)

    def __repr__(self) -> str:
        c = self.countries.name if isinstance(self.countries, NonSuperpowerRule) else [r.name for r in self.countries]
        return f"Rules(superpowers={[r.name for r in self.superpowers]}, countries={c!r})"


DEFAULT_RULES = Rules()


def rules_from_names(a: str = "equilibrium", b: str = "equilibrium", countries: str | Sequence[str] = "coalition") -> Rules:
    """Rules chosen by name (as a scenario, the CLI or the visual server names them)."""
    return Rules(a=a, b=b, countries=countries)


# --------------------------------------------------------------------------- outcome
@dataclass(frozen=True, eq=False)
class Outcome:
    """Where the club goods are and who is in which club, after each stage and at the end.

    ``indices`` (K,) each superpower's location index (None: no club); ``stages`` (K, N)
    every country's club after each stage (-1: none); ``payoffs`` (K,) (HU).
    """

    world: World = field(repr=False)
    indices: tuple
    stages: np.ndarray
    payoffs: tuple

    @property
    def state(self) -> np.ndarray:
        return self.stages[-1]

    def index(self, superpower) -> int | None:
        return self.indices[self.world.index_of(superpower)]

    def location(self, superpower):
        """The label of the superpower's location in L (a coordinate on a line), None with no club."""
        idx = self.index(superpower)
        if idx is None:
            return None
        loc = self.world.locations[idx]
        return loc.item() if isinstance(loc, np.generic) else loc

    def club(self, superpower) -> np.ndarray:
        return self.state == self.world.index_of(superpower)

    def size(self, superpower) -> int:
        """Members of a club, its superpower not counted."""
        return int(self.club(superpower).sum())

    def payoff(self, superpower) -> float:
        return float(self.payoffs[self.world.index_of(superpower)])

    def endowment(self, superpower, with_superpower: bool = True) -> float:
        """Total endowment of a club's members (and of its superpower, if asked and it formed a club)."""
        k = self.world.index_of(superpower)
        own = self.world.superpower_omega[k] if with_superpower and self.indices[k] is not None else 0.0
        return float(self.world.omega[self.state == k].sum() + own)

    def members(self, superpower) -> list[str]:
        return [name for name, m in zip(self.world.names, self.club(superpower)) if m]

    # the paper's two superpowers
    index_a = property(lambda self: self.indices[0])
    index_b = property(lambda self: self.indices[1])
    location_a = property(lambda self: self.location(0))
    location_b = property(lambda self: self.location(1))
    club_a = property(lambda self: self.club(0))
    club_b = property(lambda self: self.club(1))
    size_a = property(lambda self: self.size(0))
    size_b = property(lambda self: self.size(1))
    payoff_a = property(lambda self: self.payoff(0))
    payoff_b = property(lambda self: self.payoff(1))
    stage_one = property(lambda self: self.stages[0] == 0)

    def summary(self) -> str:
        parts = []
        for k, name in enumerate(self.world.superpowers):
            loc = self.location(k)
            where = "forms no club" if loc is None else f"l={loc:g}" if isinstance(loc, float) else f"l={loc}"
            parts.append(f"{name}: {where}, {self.size(k)} members, payoff {self.payoff(k):.4f}")
        return "; ".join(parts)


# --------------------------------------------------------------------------- the search
class _Context:
    """What one solve shares across its decisions: the worlds, the rules, the bounds."""

    def __init__(self, worlds: Sequence[World], rules: Rules, exhaustive: bool):
        self.batch = WorldBatch(worlds)
        self.K, self.N, self.L = self.batch.n_superpowers, self.batch.n_countries, self.batch.n_locations
        first = self.batch.worlds[0]
        self.sp_rules, self.countries = rules.for_world(first)
        self.exhaustive = bool(exhaustive)
        self.prune = [superpower_is_monotone(r) and not self.exhaustive for r in self.sp_rules]
        self._candidates: dict[int, np.ndarray] = {}
        self._static: dict[int, tuple[np.ndarray, np.ndarray] | None] = {}
        self._stage0: np.ndarray | None = None

    # -- what each superpower may do, and the bounds that do not depend on the play so far
    def candidates(self, k: int) -> np.ndarray:
        """(W, L) boolean: where superpower k may place its good in each world (its rule's ``locations``)."""
        if k not in self._candidates:
            rule, cache = self.sp_rules[k], {}
            mask = np.zeros((len(self.batch), self.L), dtype=bool)
            for w, world in enumerate(self.batch.worlds):
                key = id(world)
                if key not in cache:
                    cache[key] = _location_mask(rule, world, k, self.L)
                mask[w] = cache[key]
            self._candidates[k] = mask
        return self._candidates[k]

    def stage0(self) -> np.ndarray:
        """(W, L, N): the first mover's club right after its stage, for every world and location."""
        if self._stage0 is None:
            wi = np.repeat(np.arange(len(self.batch)), self.L)
            locs = np.full((wi.size, self.K), NO_CLUB)
            locs[:, 0] = np.tile(np.arange(self.L), len(self.batch))
            state = np.full((wi.size, self.N), NO_CLUB, dtype=np.int8)
            self._stage0 = run_stage(self.batch, self.countries, 0, wi, locs, state).reshape(len(self.batch), self.L, self.N)
        return self._stage0

    def static_bound(self, k: int):
        """(values (W, L, m), viable (W, L)) bounding superpower k's objective at each location whatever
        happened before it; None where no valid bound is known (then every candidate is tried)."""
        if k not in self._static:
            self._static[k] = None
            if self.prune[k] and (k == 0 or self.countries.thresholds):
                w_count = len(self.batch)
                wi = np.repeat(np.arange(w_count), self.L)
                loc = np.tile(np.arange(self.L), w_count)
                locs = np.full((wi.size, self.K), NO_CLUB)
                locs[:, k] = loc
                if k == 0:
                    state = self.stage0().reshape(-1, self.N)
                else:
                    state = np.where(largest_clubs(self.batch, k, wi, loc), k, NO_CLUB).astype(np.int8)
                view = ClubView(self.batch, k, wi, state, locs, group=wi)
                value = _objective(self.sp_rules[k], view)
                viable = _bool(self.sp_rules[k].forms_club(view, _unstack(value)), len(wi), self.sp_rules[k])
                self._static[k] = (value.reshape(w_count, self.L, -1), viable.reshape(w_count, self.L))
        return self._static[k]


def _location_mask(rule: SuperpowerRule, world: World, k: int, n_locations: int) -> np.ndarray:
    idx = np.asarray(rule.locations(world, k))
    if idx.ndim != 1 or (idx.size and (not np.issubdtype(idx.dtype, np.integer) or idx.min() < 0 or idx.max() >= n_locations)):
        raise SpheresInputError(
            f"rule {rule.name!r} of superpower {world.superpowers[k]}: locations() must return indices into L "
            f"(integers in [0, {n_locations - 1}]), got {idx!r}")
    mask = np.zeros(n_locations, dtype=bool)
    mask[idx] = True
    return mask


def _objective(rule: SuperpowerRule, view: ClubView) -> np.ndarray:
    """The rule's objective as an (R, m) float array (m components, compared in order)."""
    value = rule.objective(view)
    parts = value if isinstance(value, tuple) else (value,)
    try:
        out = np.stack([np.broadcast_to(np.asarray(p, dtype=float), (len(view),)) for p in parts], axis=1)
    except (ValueError, TypeError) as exc:
        raise SpheresInputError(f"rule {rule.name!r}: objective must give one number per outcome (or a tuple of such arrays)") from exc
    if np.isnan(out).any():
        raise SpheresInputError(f"rule {rule.name!r}: objective returned NaN")
    return out


def _unstack(value: np.ndarray):
    return value[:, 0] if value.shape[1] == 1 else tuple(value.T)


def _bool(x, n: int, rule) -> np.ndarray:
    try:
        return np.broadcast_to(np.asarray(x, dtype=bool), (n,))
    except (ValueError, TypeError) as exc:
        raise SpheresInputError(f"rule {rule.name!r}: forms_club must give one boolean per outcome") from exc


def _lex_less(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a < b lexicographically by more than TOL in the deciding component (rows of (R, m) arrays)."""
    out = np.zeros(len(a), dtype=bool)
    open_ = np.ones(len(a), dtype=bool)
    for j in range(a.shape[1]):
        lt, gt = a[:, j] < b[:, j] - TOL, a[:, j] > b[:, j] + TOL
        out |= open_ & lt
        open_ &= ~(lt | gt)
    return out


def _update_best(best: np.ndarray, rows: np.ndarray, value: np.ndarray) -> None:
    """best[row] = lexicographic max(best[row], value) for each (row, value)."""
    if not rows.size:
        return
    cand = np.concatenate([best[np.unique(rows)], value])
    rr = np.concatenate([np.unique(rows), rows])
    order = np.lexsort(tuple(cand[:, j] for j in range(cand.shape[1] - 1, -1, -1)) + (rr,))
    last = np.r_[rr[order][1:] != rr[order][:-1], True]
    best[rr[order][last]] = cand[order][last]


def _floors(ctx: _Context, wi, locs, state) -> np.ndarray:
    """(R, N): each member's payoff in its club with its superpower alone (0 outside every club)."""
    b = ctx.batch
    w = b.weight[wi]
    in_club = state >= 0
    alone = b.sp_weight[wi[:, None], np.where(in_club, state, 0)] + w
    return np.where(in_club, member_payoff(b.benefit_in(wi, state, locs), w, alone), 0.0)


def _reply_bound(ctx: _Context, k: int, wi, state, floor, loc) -> np.ndarray:
    """(P, N): a club containing every club superpower k can end with at ``loc``, given the play so far.

    Valid when every country's rule is a PayoffRule: each member of an earlier club needs at
    least its bar at its floor payoff (its payoff with its superpower alone: never above its
    payoff there, and a bar never falls when the payoff rises), outsiders their bar at 0;
    everybody counted as coordinating and weakly. Countries that may join k only from outside
    are eligible if they are outside now or may be later (they can leave their club first).
    """
    b = ctx.batch
    w = b.weight[wi]
    in_club = state >= 0
    dist = b.distance_to(wi, loc)
    none = np.full_like(state, NO_CLUB)

    def bar_as(current, now):
        prop = Proposal(club=k, location=loc[:, None], distance=dist, weight=None, size=None, current=current,
                        current_size=np.zeros_like(current), origin=state, own_weight=w)
        return ctx.countries.bar(now, prop)[0]

    bar_in, bar_out = bar_as(state, floor), bar_as(none, np.zeros_like(floor))
    # a member leaves its club only once its payoff there (never below its floor) is negative
    stays = in_club & (floor >= -TOL)
    bar = np.where(stays, bar_in, np.where(in_club, np.minimum(bar_in, bar_out), bar_out))
    eligible = (state != k) & (ctx.countries.may_join(k, state, state) | ctx.countries.may_join(k, none, state))
    return relaxed_group(b.g[wi, k] * (1.0 - dist), w, b.sp_weight[wi, k], eligible, bar)


def _decide(ctx: _Context, k: int, wi, locs, state):
    """Superpower k's choice, then the rest of the game, in every row: ``(locs, state)`` at the end."""
    rule = ctx.sp_rules[k]
    r, last = len(wi), k == ctx.K - 1
    cand = ctx.candidates(k)[wi]  # (R, L)
    static = ctx.static_bound(k)
    m = static[0].shape[2] if static is not None else None
    if static is not None:
        sval, viable = static
        bound_wl = sval[wi]  # (R, L, m)
        cand = cand & viable[wi]
        home = ctx.batch.home_distances(wi, k)  # (R, L)
        keys = [np.broadcast_to(np.arange(ctx.L), (r, ctx.L)), home] + [-bound_wl[:, :, j] for j in range(m - 1, -1, -1)]
        keys.append(~cand)
        order = np.lexsort(tuple(keys), axis=-1)
        bound = np.take_along_axis(bound_wl, order[:, :, None], axis=1)
    else:
        order = np.argsort(~cand, axis=1, kind="stable")
        bound = None
    n_cand = cand.sum(axis=1)
    floors = None
    widths = _NARROW if r >= _NARROW_FROM else _WIDE
    best = None  # (R, m) once known
    active = np.flatnonzero(n_cand > 0)
    seen_rows, seen_loc, seen_val, seen_state, seen_locs = [], [], [], [], []
    start = 0
    while active.size:
        first, then = (widths[0], widths[0]) if k == 0 else widths[1:]
        width = first if start == 0 else then
        cols = np.arange(start, start + width)
        rows = np.repeat(active, width)
        cc = np.tile(cols, active.size)
        ok = cc < n_cand[rows]
        rows, cc = rows[ok], cc[ok]
        loc = order[rows, cc]
        if best is not None and bound is not None:  # the static bound per pair (rows' best moved on)
            keep = ~_lex_less(bound[rows, cc], best[rows])
            rows, loc = rows[keep], loc[keep]
        for part in range(0, rows.size, _MAX_PAIRS):
            p_rows, p_loc = rows[part:part + _MAX_PAIRS], loc[part:part + _MAX_PAIRS]
            if floors is None and start > 0 and k > 0 and ctx.prune[k] and ctx.countries.thresholds:
                floors = _floors(ctx, wi, locs, state)  # once per decision, for the reply bounds
            result = _evaluate(ctx, k, wi, locs, state, p_rows, p_loc, best, floors if start > 0 else None)
            if result is None:
                continue
            e_rows, e_loc, e_val, e_state, e_locs = result
            if best is None:
                best = np.full((r, e_val.shape[1]), -np.inf)
            _update_best(best, e_rows, e_val)
            seen_rows.append(e_rows), seen_loc.append(e_loc), seen_val.append(e_val)
            seen_state.append(e_state), seen_locs.append(e_locs)
        start += width
        active = active[start < n_cand[active]]
        if bound is not None and best is not None and active.size:
            active = active[~_lex_less(bound[active, start], best[active])]
    # choose
    chosen = np.full(r, NO_CLUB)
    final_locs = np.array(locs, copy=True)
    final_state = np.array(state, copy=True)
    final_locs[:, k] = NO_CLUB
    settled = np.zeros(r, dtype=bool)
    if seen_rows:
        e_rows, e_loc = np.concatenate(seen_rows), np.concatenate(seen_loc)
        e_val, e_state, e_locs = np.concatenate(seen_val), np.concatenate(seen_state), np.concatenate(seen_locs)
        view = ClubView(ctx.batch, k, wi[e_rows], e_state, e_locs, group=e_rows)
        pick = _pick(rule, view, e_val, r)
        chosen[e_rows[pick]] = e_loc[pick]
        final_locs[e_rows[pick]] = e_locs[pick]
        final_state[e_rows[pick]] = e_state[pick]
        # anticipating (or moving last), the evaluated rows are the end of the game; a myopic
        # rule's rows hold the clubs right after its own stage, and the rest is still to play
        settled[e_rows[pick]] = rule.anticipates or last
    if not last:  # rows still to finish: no club here, or a myopic choice
        todo = np.flatnonzero(~settled)
        if todo.size:
            fl, fs = _decide(ctx, k + 1, wi[todo], final_locs[todo], final_state[todo])
            final_locs[todo], final_state[todo] = fl, fs
    return final_locs, final_state


def _pick(rule: SuperpowerRule, view: ClubView, value: np.ndarray, n_groups: int) -> np.ndarray:
    """A boolean mask over the view's rows: the one row each group (decision) picks, or none (no club)."""
    forms = _bool(rule.forms_club(view, _unstack(value)), len(view), rule)
    keep = forms.copy()
    groups = view.group
    for j in range(value.shape[1]):
        top = np.full(n_groups, -np.inf)
        np.maximum.at(top, groups[keep], value[keep, j])
        keep &= value[:, j] >= top[groups] - TOL
    chosen = _bool(rule.tie_break(view, keep), len(view), rule) & keep
    counts = np.bincount(groups[chosen], minlength=n_groups)
    wanted = np.bincount(groups[keep], minlength=n_groups) > 0
    if np.any(counts[wanted] != 1) or np.any(counts[~wanted] != 0):
        raise SpheresInputError(f"rule {rule.name!r}: tie_break must choose exactly one of the tied rows of each decision")
    return chosen


def _evaluate(ctx: _Context, k: int, wi, locs, state, rows, loc, best, floors):
    """Play superpower k at ``loc`` in ``rows`` and value the result; None if every pair was pruned.

    Returns (rows, loc, value (P, m), state (P, N), locs (P, K)), the state being the end of
    the game when the rule anticipates (or k moves last), else the clubs after stage k.
    """
    rule = ctx.sp_rules[k]
    last = k == ctx.K - 1
    p_wi = wi[rows]
    p_locs = np.array(locs[rows], copy=True)
    p_locs[:, k] = loc
    if floors is not None and best is not None:  # the reply bound (PayoffRule countries, a monotone rule)
        club = _reply_bound(ctx, k, p_wi, state[rows], floors[rows], loc)
        view = ClubView(ctx.batch, k, p_wi, np.where(club, k, NO_CLUB), p_locs)
        keep = ~_lex_less(_objective(rule, view), best[rows])
        rows, loc, p_wi, p_locs = rows[keep], loc[keep], p_wi[keep], p_locs[keep]
        if not rows.size:
            return None
    if k == 0:
        after = ctx.stage0()[p_wi, loc]
    else:
        after = run_stage(ctx.batch, ctx.countries, k, p_wi, p_locs, state[rows])
    if last or not rule.anticipates:
        view = ClubView(ctx.batch, k, p_wi, after, p_locs)
        return rows, loc, _objective(rule, view), after, p_locs
    if ctx.prune[k] and best is not None:  # its club after its own stage bounds its final club
        view = ClubView(ctx.batch, k, p_wi, after, p_locs)
        keep = ~_lex_less(_objective(rule, view), best[rows])
        rows, loc, p_wi, p_locs, after = rows[keep], loc[keep], p_wi[keep], p_locs[keep], after[keep]
        if not rows.size:
            return None
    f_locs, f_state = _decide(ctx, k + 1, p_wi, p_locs, after)
    view = ClubView(ctx.batch, k, p_wi, f_state, f_locs)
    return rows, loc, _objective(rule, view), f_state, f_locs


# --------------------------------------------------------------------------- public entry points
def replay(worlds: Sequence[World] | WorldBatch, indices, rules: Rules | None = None):
    """Play the stages with the superpowers' locations given: every country's club after each stage.

    ``indices`` (W, K) location indices (``NO_CLUB`` for no club). Returns (W, K, N) int8.
    """
    batch = worlds if isinstance(worlds, WorldBatch) else WorldBatch(worlds)
    rules = rules or DEFAULT_RULES
    _, countries = rules.for_world(batch.worlds[0])
    locs = np.asarray(indices).reshape(len(batch), batch.n_superpowers)
    wi = np.arange(len(batch))
    state = np.full((len(batch), batch.n_countries), NO_CLUB, dtype=np.int8)
    stages = np.empty((len(batch), batch.n_superpowers, batch.n_countries), dtype=np.int8)
    for k in range(batch.n_superpowers):
        shown = np.where(np.arange(batch.n_superpowers) <= k, locs, NO_CLUB)
        state = run_stage(batch, countries, k, wi, shown, state)
        stages[:, k] = state
    return stages


def solve_many(worlds: Sequence[World], rules: Rules | None = None, *, exhaustive: bool = False) -> list[Outcome]:
    """The subgame perfect equilibrium of each world (all of one shape), solved together in one vectorised pass."""
    rules = rules or DEFAULT_RULES
    if not isinstance(rules, Rules):
        raise SpheresInputError(f"rules must be a Rules, got {type(rules).__name__}")
    ctx = _Context(worlds, rules, exhaustive)
    w_count = len(ctx.batch)
    locs = np.full((w_count, ctx.K), NO_CLUB)
    state = np.full((w_count, ctx.N), NO_CLUB, dtype=np.int8)
    final_locs, _ = _decide(ctx, 0, np.arange(w_count), locs, state)
    return _outcomes(ctx.batch, final_locs, rules)


def _outcomes(batch: WorldBatch, final_locs, rules) -> list[Outcome]:
    stages = replay(batch, final_locs, rules)
    out = []
    wi = np.arange(len(batch))
    payoffs = np.empty((len(batch), batch.n_superpowers))
    for k in range(batch.n_superpowers):
        view = ClubView(batch, k, wi, stages[:, -1], final_locs)
        payoffs[:, k] = view.payoff
    for w, world in enumerate(batch.worlds):
        idx = tuple(None if x == NO_CLUB else int(x) for x in final_locs[w])
        out.append(Outcome(world, idx, stages[w], tuple(float(p) for p in payoffs[w])))
    return out


def solve(world: World, rules: Rules | None = None, *, exhaustive: bool = False) -> Outcome:
    """The subgame perfect equilibrium (with the rules in play; the paper's by default)."""
    if not isinstance(world, World):
        raise SpheresInputError(f"world must be a World, got {type(world).__name__}")
    return solve_many([world], rules, exhaustive=exhaustive)[0]


def decide(world: World, rules: Rules | None, k: int, locations, state) -> int | None:
    """Where superpower k places its good, given the locations so far and everyone's club (the agents ask this)."""
    rules = rules or DEFAULT_RULES
    ctx = _Context([world], rules, exhaustive=False)
    locs = np.array([[NO_CLUB if x is None else x for x in locations]])
    final_locs, _ = _decide(ctx, k, np.zeros(1, dtype=np.int64), locs, np.asarray(state, dtype=np.int8)[None])
    loc = int(final_locs[0, k])
    return None if loc == NO_CLUB else loc


def payoff_table(world: World, rules: Rules | None = None):
    """Every (l_a, l_b) pair of a two-superpower world, "no club" as the last index L: payoffs and club sizes.

    Returns a dict of (L+1, L+1) arrays ``payoff_a``, ``payoff_b``, ``size_a``, ``size_b``.
    Exhaustive: meant for small L (game trees, brute-force checks).
    """
    if world.n_superpowers != 2:
        raise SpheresInputError(f"payoff_table is for two superpowers; this world has {world.n_superpowers}")
    n_loc = world.n_locations
    options = np.r_[np.arange(n_loc), NO_CLUB]
    pairs = np.stack([np.repeat(options, n_loc + 1), np.tile(options, n_loc + 1)], axis=1)
    batch = WorldBatch([world] * len(pairs))
    stages = replay(batch, pairs, rules)
    wi = np.arange(len(pairs))
    shape = (n_loc + 1, n_loc + 1)
    out = {}
    for k, name in ((0, "a"), (1, "b")):
        view = ClubView(batch, k, wi, stages[:, -1], pairs)
        out[f"payoff_{name}"] = view.payoff.reshape(shape)
        out[f"size_{name}"] = view.size.reshape(shape)
    return out
