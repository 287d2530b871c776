"""The coalition-formation processes of the club game, on batches: one round, and a whole stage.

Stage k (k = 0 is the paper's stage one, k = 1 its stage two, and so on for more
superpowers) begins when superpower k has placed its good. Each round, simultaneously and
with payoffs as they stand before the round (the paper's eq. (1) and (2)):

* the group of eligible countries that all accept joining club k moves to it: members of
  an earlier club when strictly better off, outsiders when their payoff is non-negative
  (for the paper's rule; any rule decides through its own ``accepts``);
* a member of an earlier club whose payoff there has turned negative, and who does not
  move to club k, leaves for no club.

The stage ends when a round moves nobody. With K = 2 this is the paper's game: stage 0
is its stage one (only outsiders, only joining) and stage 1 its stage two.

Which group moves
-----------------
For rules whose acceptance only gets easier as the club's weight grows (``monotone``), the
group is the largest one in which everybody accepts (the greatest fixed point): propose
every eligible country, drop whoever declines, ask the rest again, until nobody declines.
That is how the Mesa agents form it (``ClubModel.coalition``), and :func:`elimination_group`
does the same on a batch. For a rule that is not monotone this procedure still defines
the group (the agents' proposal-and-withdrawal rounds), which may then not be the largest
feasible one.

When every country's rule is a :class:`~games.club.rules.PayoffRule` (the paper's kind),
each country's acceptance is a threshold on the club's weight, and :func:`threshold_group`
finds the same group in one sorted pass; the tests hold the two equal.

Arrays: a batch of R rows (each row one world index ``wi``, the superpowers' locations
``locs`` (R, K) with ``NO_CLUB`` = -1 for none yet, and the clubs ``state`` (R, N): each
country's club index or -1).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from games.club.core import TOL, WorldBatch, member_payoff, prefers
from games.club.rules import NO_CLUB, NonSuperpowerRule, Proposal, uses_thresholds
from games.validation import SpheresInputError

__all__ = [
    "CountryRules", "threshold_group", "relaxed_group", "elimination_group", "stage_round", "run_stage", "largest_clubs",
    "club_weights", "ROW_CHUNK",
]

ROW_CHUNK = 200_000
"""Rows x countries per vectorised call: arrays of a few MB stay in cache (measured: a group search
over 326,000 x 30 takes 1.7 s in one call and 0.3 s in chunks of 10,000 rows)."""


# --------------------------------------------------------------------------- the rules in play
class CountryRules:
    """The non-superpowers' rules, one per country, grouped by rule object for batched calls."""

    def __init__(self, rules: NonSuperpowerRule | Sequence[NonSuperpowerRule], n: int):
        if isinstance(rules, NonSuperpowerRule):
            rules = (rules,) * n
        rules = tuple(rules)
        if len(rules) != n:
            raise SpheresInputError(f"the non-superpower rules must be one rule or {n} rules (one per country), got {len(rules)}")
        for i, r in enumerate(rules):
            if not isinstance(r, NonSuperpowerRule):
                raise SpheresInputError(f"the rule of country {i + 1} must be a NonSuperpowerRule, got {r!r}")
            if r.moves not in ("together", "alone"):
                raise SpheresInputError(f"rule {r.name!r}: moves = {r.moves!r} must be 'together' or 'alone'")
        self.rules = rules
        groups: dict[int, tuple[NonSuperpowerRule, list[int]]] = {}
        for i, r in enumerate(rules):
            groups.setdefault(id(r), (r, []))[1].append(i)
        self.groups = [(r, np.array(cols)) for r, cols in groups.values()]
        self.together = np.array([r.moves == "together" for r in rules])
        distinct = [r for r, _ in self.groups]
        self.thresholds = all(uses_thresholds(r) for r in distinct)
        """Every rule is a threshold on the club's weight: the one-pass group search applies."""

    def _each(self, method: str, shape, *args) -> np.ndarray:
        """Call ``method`` of each rule on its countries' columns; a boolean (R, N) array."""
        if len(self.groups) == 1:
            rule = self.groups[0][0]
            return _as_bool(getattr(rule, method)(*args), shape, rule, method)
        out = np.empty(shape, dtype=bool)
        for rule, cols in self.groups:
            sub = [a.take(cols) if isinstance(a, Proposal) else _cols(a, cols) for a in args]
            out[:, cols] = _as_bool(getattr(rule, method)(*sub), (shape[0], len(cols)), rule, method)
        return out

    def may_join(self, k: int, current, origin) -> np.ndarray:
        return self._each("may_join", current.shape, k, current, origin)

    def accepts(self, now, there, proposal: Proposal) -> np.ndarray:
        return self._each("accepts", now.shape, now, there, proposal)

    def bar(self, now, proposal: Proposal) -> tuple[np.ndarray, np.ndarray]:
        """(bar, strict), (R, N) each, from every country's ``PayoffRule.bar``."""
        shape = now.shape
        bar, strict = np.empty(shape), np.empty(shape, dtype=bool)
        for rule, cols in self.groups:
            whole = len(self.groups) == 1
            b, s = rule.bar(now if whole else now[:, cols], proposal if whole else proposal.take(cols))
            sub = shape if whole else (shape[0], len(cols))
            bar[:, cols if not whole else slice(None)] = _as_float(b, sub, rule)
            strict[:, cols if not whole else slice(None)] = _as_bool(s, sub, rule, "bar (strict)")
        return bar, strict


def _cols(a, cols):
    return a[:, cols] if np.ndim(a) == 2 else a


def _as_bool(x, shape, rule, method) -> np.ndarray:
    try:
        return np.broadcast_to(np.asarray(x, dtype=bool), shape)
    except (ValueError, TypeError) as exc:
        raise SpheresInputError(f"rule {rule.name!r}: {method} returned {np.shape(x)}, expected booleans of shape {shape}") from exc


def _as_float(x, shape, rule) -> np.ndarray:
    try:
        return np.broadcast_to(np.asarray(x, dtype=float), shape)
    except (ValueError, TypeError) as exc:
        raise SpheresInputError(f"rule {rule.name!r}: bar returned {np.shape(x)}, expected numbers of shape {shape}") from exc


# --------------------------------------------------------------------------- which group moves
def threshold_group(benefit, weight, base_weight, candidates, bar, strict, together, tol=TOL):
    """The largest group of ``candidates`` who all reach their bar in the club with the group, in one pass.

    Candidate i accepts iff ``member_payoff(benefit, w_i, X) >= bar_i`` (``>`` where
    ``strict``) and is non-negative, X being the club's weight with the group. That is
    X >= T_i = w_i / (benefit_i - m_i), m_i the payoff it needs (within ``tol``). Sorted by
    (T, strict), any group in which everyone accepts is a prefix, and the largest is the
    longest prefix whose weight reaches its last threshold. Candidates who move alone pass
    or fail on their own, whatever the group, and add their weight to the club first.

    Shapes: (R, N) for benefit, weight, candidates, bar, strict; (R,) base_weight; (N,) together.
    """
    r, n = benefit.shape
    step = max(1, ROW_CHUNK // max(1, n))
    if r > step:
        return np.concatenate([
            threshold_group(benefit[i:i + step], weight[i:i + step], base_weight[i:i + step], candidates[i:i + step],
                            bar[i:i + step], strict[i:i + step], together, tol)
            for i in range(0, r, step)
        ])
    alone_ok = np.zeros((r, n), dtype=bool)
    base = base_weight
    if not together.all():
        alone_ok = candidates & ~together & prefers(member_payoff(benefit, weight, base[:, None] + weight), bar, strict, tol)
        base = base + np.sum(np.where(alone_ok, weight, 0.0), axis=-1)
    # The payoff a candidate must reach, and the club weight that gives it;
    # "X > T" is "X >= nextafter(T)", so one sort key orders weak before strict on ties.
    must = np.maximum(np.where(strict, bar + tol, bar - tol), -tol)
    margin = benefit - must
    with np.errstate(divide="ignore", invalid="ignore"):
        threshold = np.where(candidates & together & (margin > 0), weight / margin, np.inf)
    threshold = np.where(strict, np.nextafter(threshold, np.inf), threshold)
    order = np.argsort(threshold, axis=-1)
    t_sorted = np.take_along_axis(threshold, order, axis=-1)
    reach = base[:, None] + np.cumsum(np.take_along_axis(weight, order, axis=-1), axis=-1)
    ok = (reach >= t_sorted) & (t_sorted < np.inf)
    # the longest feasible prefix takes in every candidate whose threshold ties its last one
    # (adding them only adds weight), so the group is everyone up to that threshold
    last = np.where(ok.any(axis=-1), np.max(np.where(ok, t_sorted, -np.inf), axis=-1), -np.inf)
    group = threshold <= last[:, None]
    return group | alone_ok


def relaxed_group(benefit, weight, base_weight, candidates, bar, iterations: int = 3, tol=TOL):
    """A superset of :func:`threshold_group`'s group (weak bars), without sorting: cheap, for bounds.

    Starting from every candidate that could accept some club, drop those who would not
    accept the club with everyone still in, a few times: each step keeps every member of
    the true group (its weight never exceeds the kept set's), so any step is a valid bound.
    """
    must = np.maximum(bar - tol, -tol)
    margin = benefit - must
    with np.errstate(divide="ignore", invalid="ignore"):
        threshold = np.where(candidates & (margin > 0), weight / margin, np.inf)
    group = threshold < np.inf
    for _ in range(iterations):
        reach = base_weight + np.sum(np.where(group, weight, 0.0), axis=1)
        kept = group & (threshold <= reach[:, None])
        if (kept == group).all():
            break
        group = kept
    return group


def elimination_group(benefit, weight, base_weight, base_size, candidates, now, together,
                      accepts: Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]):
    """The group left when every candidate is proposed, decliners drop out, and the rest are asked again.

    ``accepts(rows, now, there, weight, size)`` answers for the given rows, with each
    country's club weight and size as it counts them (the whole group for those who move
    ``together``, only itself for those who move alone). For monotone rules the result is
    the greatest group in which everybody accepts.
    """
    group = candidates.copy()
    active = np.flatnonzero(group.any(axis=1))
    while active.size:
        g = group[active]
        w = weight[active]
        b_w, b_n = base_weight[active, None], base_size[active, None]
        x = np.where(together, b_w + np.sum(np.where(g, w, 0.0), axis=1, keepdims=True), b_w + w)
        s = np.where(together, b_n + g.sum(axis=1, keepdims=True), b_n + 1)
        there = member_payoff(benefit[active], w, x)
        new = g & accepts(active, now[active], there, x, s)
        changed = (new != g).any(axis=1)
        group[active] = new
        active = active[changed]
    return group


# --------------------------------------------------------------------------- one round, one stage
def club_weights(batch: WorldBatch, wi, state, n_clubs: int):
    """(R, n_clubs) weights (superpower plus members) and sizes of clubs 0 .. n_clubs - 1."""
    w = batch.weight[wi]
    weights = np.empty((len(wi), n_clubs))
    sizes = np.empty((len(wi), n_clubs), dtype=np.int64)
    for j in range(n_clubs):
        m = state == j
        weights[:, j] = batch.sp_weight[wi, j] + np.sum(np.where(m, w, 0.0), axis=1)
        sizes[:, j] = m.sum(axis=1)
    return weights, sizes


class _Stage:
    """The arrays of stage k that do not change from round to round, for a set of rows."""

    def __init__(self, batch: WorldBatch, k: int, wi, locs, origin):
        self.batch, self.k, self.wi, self.locs, self.origin = batch, k, wi, locs, origin
        self.w = batch.weight[wi]
        self.sp_w = batch.sp_weight[wi, : k + 1]
        # each country's benefit from each club 0..k at its good (0 for a superpower without a club)
        loc = np.where(locs[:, : k + 1] == NO_CLUB, 0, locs[:, : k + 1])
        dist = batch.distance_to(wi, loc)  # (R, k+1, N)
        self.benefit = batch.g[wi, : k + 1] * (1.0 - dist)
        self.dist_k = dist[:, k]

    def take(self, rows) -> _Stage:
        out = object.__new__(_Stage)
        out.batch, out.k = self.batch, self.k
        for name in ("wi", "locs", "origin", "w", "sp_w", "benefit", "dist_k"):
            setattr(out, name, getattr(self, name)[rows])
        return out


def _round(st: _Stage, rules: CountryRules, state, tol=TOL):
    k, w = st.k, st.w
    r = len(state)
    club_w = np.empty((r, k + 1))
    club_n = np.empty((r, k + 1), dtype=np.int64)
    now = np.zeros(state.shape)
    current_size = np.zeros(state.shape, dtype=np.int64)
    for j in range(k + 1):
        m = state == j
        club_w[:, j] = st.sp_w[:, j] + np.sum(np.where(m, w, 0.0), axis=1)
        club_n[:, j] = m.sum(axis=1)
        if j < k:
            now = np.where(m, member_payoff(st.benefit[:, j], w, club_w[:, j, None]), now)
            current_size = np.where(m, club_n[:, j, None], current_size)
    in_club = state >= 0
    benefit = st.benefit[:, k]
    lk = st.locs[:, k]
    eligible = (state != k) & rules.may_join(k, state, st.origin)
    if rules.thresholds:
        prop = Proposal(club=k, location=lk[:, None], distance=st.dist_k, weight=None, size=None, current=state,
                        current_size=current_size, origin=st.origin, own_weight=w)
        bar, strict = rules.bar(now, prop)
        to_k = threshold_group(benefit, w, club_w[:, k], eligible, bar, strict, rules.together, tol)
    else:
        def accepts(rows, now_, there, x, s):
            prop = Proposal(club=k, location=lk[rows, None], distance=st.dist_k[rows], current=state[rows],
                            current_size=current_size[rows], origin=st.origin[rows], own_weight=w[rows], weight=x, size=s)
            return rules.accepts(now_, there, prop)

        to_k = elimination_group(benefit, w, club_w[:, k], club_n[:, k], eligible, now, rules.together, accepts)
    leave = in_club & (state != k) & ~to_k & (now < -tol)
    return to_k, leave


def stage_round(batch: WorldBatch, rules: CountryRules, k: int, wi, locs, state, origin, tol=TOL):
    """One round of stage k for every row: ``(to_k, leave)``, the countries moving to club k and those leaving for none.

    Every row must have club k formed (``locs[:, k] != NO_CLUB``); ``origin`` is everyone's
    club when the stage began.
    """
    return _round(_Stage(batch, k, np.asarray(wi), np.asarray(locs), np.asarray(origin)), rules, np.asarray(state), tol)


def run_stage(batch: WorldBatch, rules: CountryRules, k: int, wi, locs, state, record=None, tol=TOL) -> np.ndarray:
    """Run stage k to its end in every row; returns the new ``state`` (rows where k formed no club are unchanged).

    ``record(round, rows, to_k, leave)`` sees every round (for a batch of one: the steps).
    Rows that have settled drop out (compaction); large batches are cut into chunks.
    """
    state = np.array(state, dtype=np.int8, copy=True)
    wi, locs = np.asarray(wi), np.asarray(locs)
    rows = np.flatnonzero(locs[:, k] != NO_CLUB)
    chunk = max(1, ROW_CHUNK // max(1, state.shape[1] * (k + 1)))
    # The first stage (only outsiders, nobody leaves) under threshold rules, everyone moving
    # together: the sorted pass finds the final club at once (Lemma 1: the shortest process has
    # length one), so the round that would only confirm it is skipped.
    one_pass = k == 0 and rules.thresholds and bool(rules.together.all())
    for start in range(0, rows.size, chunk):
        active = rows[start:start + chunk]
        st = _Stage(batch, k, wi[active], locs[active], state[active])
        cur = state[active]
        rnd = 0
        while active.size:
            to_k, leave = _round(st, rules, cur, tol)
            moved = to_k.any(axis=1) | leave.any(axis=1)
            rnd += 1
            if record is not None and moved.any():
                record(rnd, active[moved], to_k[moved], leave[moved])
            cur[to_k] = k
            cur[leave] = NO_CLUB
            state[active] = cur
            if one_pass:
                break
            if not moved.all():  # settled rows drop out
                keep = np.flatnonzero(moved)
                active, cur, st = active[keep], cur[keep], st.take(keep)
    return state


def largest_clubs(batch: WorldBatch, k: int, wi, loc) -> np.ndarray:
    """(R, N): the largest club superpower k could hold at ``loc`` in any subgame, if no other club existed.

    Every country counted as an outsider who coordinates: the greatest group in which every
    member's payoff is non-negative. Under rules that never accept a negative payoff (every
    :class:`~games.club.rules.PayoffRule`), any club k holds at the end of the game lies
    inside it: members whose payoff turns negative leave, and the rest is a fixed point.
    """
    benefit = batch.benefit(wi, k, loc)
    w = batch.weight[wi]
    outsiders = np.ones(benefit.shape, dtype=bool)
    zero = np.zeros(benefit.shape)
    # one pass suffices: the sorted pass finds the largest group in which everyone accepts,
    # so no outsider could join it afterwards (that would make a larger one)
    return threshold_group(benefit, w, batch.sp_weight[wi, k], outsiders, zero, ~outsiders, np.ones(batch.n_countries, dtype=bool))
