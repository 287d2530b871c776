"""Backward induction for the club game: the subgame perfect equilibrium, fast.

The leader a places its club good anticipating the follower b's reply; b replies
anticipating the shifting process; the non-superpowers follow the processes of
``games.club``. Every location pair is a batch row, so the processes run vectorised
over many (l_a, l_b) pairs at once.

Three provable bounds keep the search small without changing its answer:

* b's club at the end of stage two is self-sustaining for b (every member's payoff in
  it is non-negative), so it lies inside the *largest* self-sustaining club b could
  have at l_b. That club's payoff bounds b's payoff at l_b, whatever a did.
* given l_a, a member of a's stage-one club moves to b only if it beats its payoff in
  a's club, which is never below what it would get with a alone (see ``_reply_bound``);
  one group computation per (l_a, l_b) pair bounds b's payoff far more tightly, so the
  whole shifting process runs only for pairs that can still win;
* a's final club is its stage-one club minus those who left, so a's stage-one payoff
  bounds its final payoff at l_a.

Candidates are evaluated best bound first, in batches, until no unevaluated bound can
reach the best payoff found (within ``TOL``). ``exhaustive=True`` turns the pruning
off; the tests hold both equal.

Tie-breaks (the paper's A1 and A2, and one more):
  A1  equal payoffs (within TOL): the location closest to home;
  A2  a best payoff of 0 (within TOL), or below: no club;
  A3  (ours; Lemma 3 assumes it away) equal payoffs at equal distance from home
      (within 1e-12, e.g. 0.1 and 0.3 for a home at 0.2): the location listed first
      in L, i.e. the leftmost on a line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from games.club.core import (
    NONSUPERPOWER_RULES,
    SUPERPOWER_RULES,
    TOL,
    NonSuperpowerRule,
    Role,
    SuperpowerRule,
    World,
    best_group,
    member_payoff,
    shifting_round,
    superpower_payoff,
)
from games.validation import SpheresInputError

NO_CLUB = -1
DISTANCE_TOL = 1e-12
_CHUNK_A = 16
_CHUNK_B = 48
_FIRST_CHUNK_B = 12  # most replies are settled by the best few bounds


# --------------------------------------------------------------------------- rules in play
@dataclass(frozen=True, eq=False)
class Rules:
    """The rule each player follows: one per superpower, one per non-superpower."""

    a: SuperpowerRule = SUPERPOWER_RULES["equilibrium"]
    b: SuperpowerRule = SUPERPOWER_RULES["equilibrium"]
    countries: tuple[NonSuperpowerRule, ...] | NonSuperpowerRule = NONSUPERPOWER_RULES["coalition"]

    def flags(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Per-country (coordinates, defects) boolean arrays."""
        rules = self.countries
        if isinstance(rules, NonSuperpowerRule):
            rules = (rules,) * n
        if len(rules) != n:
            raise SpheresInputError(f"rules.countries must hold one rule per non-superpower ({n}), got {len(rules)}")
        return (np.array([r.coordinates for r in rules]), np.array([r.defects for r in rules]))

    def of(self, role: Role) -> SuperpowerRule:
        return self.a if role == "a" else self.b


DEFAULT_RULES = Rules()


# --------------------------------------------------------------------------- outcome
@dataclass(frozen=True, eq=False)
class Outcome:
    """Where the club goods are and who is in which club at the end of the game."""

    world: World = field(repr=False)
    index_a: int | None
    index_b: int | None
    stage_one: np.ndarray
    club_a: np.ndarray
    club_b: np.ndarray
    payoff_a: float
    payoff_b: float

    @property
    def location_a(self):
        return None if self.index_a is None else self.world.locations[self.index_a].item()

    @property
    def location_b(self):
        return None if self.index_b is None else self.world.locations[self.index_b].item()

    @property
    def size_a(self) -> int:
        """Members of a's club, a itself not counted."""
        return int(self.club_a.sum())

    @property
    def size_b(self) -> int:
        return int(self.club_b.sum())

    def endowment(self, role: Role, with_superpower: bool = True) -> float:
        """Total endowment of a club's members (and of its superpower, if asked)."""
        w = self.world
        club, own = (self.club_a, w.omega_a) if role == "a" else (self.club_b, w.omega_b)
        formed = (self.index_a if role == "a" else self.index_b) is not None
        return float(w.omega[club].sum() + (own if with_superpower and formed else 0.0))

    def members(self, role: Role) -> list[str]:
        club = self.club_a if role == "a" else self.club_b
        return [name for name, m in zip(self.world.names, club) if m]

    def summary(self) -> str:
        def where(idx, loc):
            return "no club" if idx is None else f"l={loc:g}" if isinstance(loc, float) else f"l={loc}"

        return (
            f"a: {where(self.index_a, self.location_a)}, {self.size_a} members, payoff {self.payoff_a:.4f}; "
            f"b: {where(self.index_b, self.location_b)}, {self.size_b} members, payoff {self.payoff_b:.4f}"
        )


# --------------------------------------------------------------------------- the batched processes
def stage_one_clubs(world: World, rules: Rules = DEFAULT_RULES) -> np.ndarray:
    """a's stage-one club I*(l) for every candidate location l: a (K, N) boolean array."""
    coordinated, _ = rules.flags(world.n_countries)
    return _run_joining(world.benefit_a.T, world.weight, world.weight_a, coordinated)


def largest_clubs(world: World, role: Role) -> np.ndarray:
    """The largest self-sustaining club of each superpower at each location, (K, N).

    With everybody coordinating and free to join, this is stage one for that superpower;
    any club it can hold at l, in any subgame, lies inside it.
    """
    everyone = np.ones(world.n_countries, dtype=bool)
    return _run_joining(world.benefit(role).T, world.weight, world.superpower_weight(role), everyone)


def _run_joining(benefit, weight, weight_e, coordinated) -> np.ndarray:
    members = np.zeros(benefit.shape, dtype=bool)
    base = np.full(benefit.shape[:-1], weight_e)
    zero = np.zeros(benefit.shape)
    while True:
        joiners = best_group(benefit, weight, base, ~members, zero, False, coordinated)
        if not joiners.any():
            return members
        members |= joiners
        base = weight_e + np.sum(np.where(members, weight, 0.0), axis=-1)


def stage_two_clubs(world: World, index_a, index_b, stage_one, rules: Rules = DEFAULT_RULES):
    """Final (club_a, club_b) for each row: l_a = index_a[p], l_b = index_b[p], a's stage-one club stage_one[p].

    ``NO_CLUB`` (-1) in index_b leaves stage one as it was; in index_a the stage-one club
    must be empty. Rows that have settled drop out of the loop (compaction).
    """
    index_a = np.asarray(index_a)
    index_b = np.asarray(index_b)
    stage_one = np.asarray(stage_one, dtype=bool)
    coordinated, defects = rules.flags(world.n_countries)
    in_a = stage_one.copy()
    in_b = np.zeros_like(in_a)
    rows = np.flatnonzero(index_b != NO_CLUB)
    if rows.size == 0:
        return in_a, in_b
    ben_a = np.where((index_a[rows] != NO_CLUB)[:, None], world.benefit_a.T[index_a[rows]], 0.0)
    ben_b = world.benefit_b.T[index_b[rows]]
    eligible = ~(stage_one[rows] & ~defects)
    a_rows, b_rows = in_a[rows], in_b[rows]
    active = np.arange(rows.size)
    while active.size:
        to_b, to_none = shifting_round(
            ben_a[active], ben_b[active], world.weight, world.weight_a, world.weight_b,
            a_rows[active], b_rows[active], eligible[active], coordinated,
        )
        moved = to_b.any(axis=1) | to_none.any(axis=1)
        a_rows[active] &= ~(to_b | to_none)
        b_rows[active] |= to_b
        active = active[moved]
    in_a[rows], in_b[rows] = a_rows, b_rows
    return in_a, in_b


def club_payoff(world: World, role: Role, index, club) -> np.ndarray:
    """(HU) for each row: 0 where no club is formed."""
    index = np.asarray(index)
    w_e = world.superpower_weight(role)
    club_w = w_e + np.sum(np.where(club, world.weight, 0.0), axis=-1)
    dist = world.home_distance(role)[np.where(index == NO_CLUB, 0, index)]
    return np.where(index == NO_CLUB, 0.0, superpower_payoff(dist, w_e, club_w))


# --------------------------------------------------------------------------- choosing a location
def _choose(rule: SuperpowerRule, payoff, size, home_dist, index) -> int:
    """The rule's pick among evaluated candidates (arrays over candidates); NO_CLUB if none pays."""
    if len(index) == 0:
        return NO_CLUB
    if rule.objective == "size":
        keep = size == size.max()
        if size.max() < 1:
            return NO_CLUB
        keep &= payoff >= payoff[keep].max() - TOL
    else:
        best = payoff.max()
        if best <= TOL:  # A2
            return NO_CLUB
        keep = payoff >= best - TOL
    near = keep & (home_dist <= home_dist[keep].min() + DISTANCE_TOL)  # A1
    return int(index[near].min())  # A3: first in L


def _candidates(world: World, role: Role, rule: SuperpowerRule) -> np.ndarray:
    if rule.home_only:
        return np.array([world.home_index(role)])
    return np.arange(world.n_locations)


class _Context:
    """Per-(world, rules) data shared by the searches: bounds and stage-one clubs."""

    def __init__(self, world: World, rules: Rules):
        self.world, self.rules = world, rules
        self._stage_one: np.ndarray | None = None
        self._bounds: dict[Role, tuple[np.ndarray, np.ndarray]] = {}

    @property
    def stage_one(self) -> np.ndarray:
        if self._stage_one is None:
            self._stage_one = stage_one_clubs(self.world, self.rules)
        return self._stage_one

    def bounds(self, role: Role) -> tuple[np.ndarray, np.ndarray]:
        """(payoff bound, size bound) at every location for the given superpower."""
        if role not in self._bounds:
            w = self.world
            clubs = self.stage_one if role == "a" else largest_clubs(w, "b")
            k = np.arange(w.n_locations)
            self._bounds[role] = (club_payoff(w, role, k, clubs), clubs.sum(axis=1))
        return self._bounds[role]

    def search_order(self, role: Role, exhaustive: bool) -> tuple[np.ndarray, np.ndarray]:
        """The superpower's candidate locations in search order, with their bounds (inf: no pruning)."""
        cands = _candidates(self.world, role, self.rules.of(role))
        if exhaustive:
            return cands, np.full(cands.size, np.inf)
        return self.order(role, cands)

    def order(self, role: Role, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Candidates that could form a club, best bound first, and their bound on the objective."""
        rule = self.rules.of(role)
        pay, size = self.bounds(role)
        bound = (size if rule.objective == "size" else pay)[candidates].astype(float)
        viable = bound >= 1 if rule.objective == "size" else bound > TOL
        cands, bound = candidates[viable], bound[viable]
        order = np.lexsort((cands, self.world.home_distance(role)[cands], -bound))
        return cands[order], bound[order]


def _stops(rule: SuperpowerRule, bound, best):
    """Can no candidate with this bound reach the best found (within TOL)? Works elementwise."""
    if rule.objective == "size":
        return np.less(bound, best)
    return np.less(bound, np.asarray(best) - TOL)


def _reply_bound(world: World, index_a, index_b, stage_one, rules: Rules):
    """A bound on b's club at l_b, in any continuation: (payoff bound, size bound) per row.

    A member of a's stage-one club moves to b only if it beats its payoff in a's club,
    which is never below its payoff with a and itself alone (floor_i); one that first
    leaves for no club had floor_i < 0. So b's final club lies inside the largest group
    that is self-sustaining at l_b and beats those floors, everybody counted as
    coordinating (which only enlarges the group).
    """
    w = world
    _, defects = rules.flags(w.n_countries)
    ben_a = np.where((index_a != NO_CLUB)[:, None], w.benefit_a.T[np.where(index_a == NO_CLUB, 0, index_a)], 0.0)
    floor = member_payoff(ben_a, w.weight, w.weight_a + w.weight)
    value = np.where(stage_one, floor, 0.0)
    eligible = ~(stage_one & ~defects)
    everyone = np.ones(w.n_countries, dtype=bool)
    group = best_group(w.benefit_b.T[index_b], w.weight, np.full(len(index_b), w.weight_b), eligible, value, stage_one, everyone)
    return club_payoff(w, "b", index_b, group), group.sum(axis=1)


def follower_reply(world: World, index_a, stage_one, rules: Rules = DEFAULT_RULES, *, exhaustive: bool = False, _ctx=None):
    """b's reply to each given l_a (NO_CLUB allowed) and a's stage-one club there.

    Returns ``(index_b, club_a, club_b, payoff_b)`` with one row per l_a.
    """
    ctx = _ctx or _Context(world, rules)
    rule = rules.b
    index_a = np.atleast_1d(np.asarray(index_a))
    stage_one = np.atleast_2d(np.asarray(stage_one, dtype=bool))
    m = index_a.size
    cands, bound = ctx.search_order("b", exhaustive)
    home = world.home_distance_b
    seen_idx: list[list[np.ndarray]] = [[] for _ in range(m)]
    seen_pay: list[list[np.ndarray]] = [[] for _ in range(m)]
    seen_size: list[list[np.ndarray]] = [[] for _ in range(m)]
    best = np.full(m, -np.inf)
    start = 0
    active = np.arange(m)
    while active.size and start < cands.size:
        chunk = cands[start : start + (_FIRST_CHUNK_B if start == 0 else _CHUNK_B)]
        rows = np.repeat(active, chunk.size)
        ib = np.tile(chunk, active.size)
        if not exhaustive and start > 0:  # a tighter bound per pair, then only the pairs that can still win
            pay_bound, size_bound = _reply_bound(world, index_a[rows], ib, stage_one[rows], rules)
            bound_pair = size_bound if rule.objective == "size" else pay_bound
            keep = ~_stops(rule, bound_pair, best[rows])
            rows, ib = rows[keep], ib[keep]
        if rows.size:
            club_a, club_b = stage_two_clubs(world, index_a[rows], ib, stage_one[rows], rules)
            pay = club_payoff(world, "b", ib, club_b)
            size = club_b.sum(axis=1)
            obj = size if rule.objective == "size" else pay
            for row in np.unique(rows):
                mine = rows == row
                seen_idx[row].append(ib[mine])
                seen_pay[row].append(pay[mine])
                seen_size[row].append(size[mine])
            np.maximum.at(best, rows, obj)
        start += chunk.size
        if start < cands.size and not exhaustive:
            active = active[~_stops(rule, bound[start], best[active])]
    index_b = np.full(m, NO_CLUB)
    for row in range(m):
        if seen_idx[row]:
            idx = np.concatenate(seen_idx[row])
            index_b[row] = _choose(rule, np.concatenate(seen_pay[row]), np.concatenate(seen_size[row]), home[idx], idx)
    club_a, club_b = stage_two_clubs(world, index_a, index_b, stage_one, rules)
    return index_b, club_a, club_b, club_payoff(world, "b", index_b, club_b)


def solve(world: World, rules: Rules | None = None, *, exhaustive: bool = False) -> Outcome:
    """The subgame perfect equilibrium (with the rules in play; the paper's by default)."""
    rules = rules or DEFAULT_RULES
    ctx = _Context(world, rules)
    rule = rules.a
    cands, bound = ctx.search_order("a", exhaustive)
    home = world.home_distance_a
    idx_seen, pay_seen, size_seen = [], [], []
    best = -np.inf
    for start in range(0, cands.size, _CHUNK_A):
        if not exhaustive and _stops(rule, bound[start], best):
            break
        chunk = cands[start : start + _CHUNK_A]
        if rule.anticipates:
            _, club_a, _, _ = follower_reply(world, chunk, ctx.stage_one[chunk], rules, exhaustive=exhaustive, _ctx=ctx)
        else:
            club_a = ctx.stage_one[chunk]
        pay = club_payoff(world, "a", chunk, club_a)
        size = club_a.sum(axis=1)
        idx_seen.append(chunk)
        pay_seen.append(pay)
        size_seen.append(size)
        best = max(best, float((size if rule.objective == "size" else pay).max()))
    if idx_seen:
        idx = np.concatenate(idx_seen)
        index_a = _choose(rule, np.concatenate(pay_seen), np.concatenate(size_seen), home[idx], idx)
    else:
        index_a = NO_CLUB
    return outcome_for(world, index_a, rules, _ctx=ctx, exhaustive=exhaustive)


def outcome_for(world: World, index_a: int, rules: Rules | None = None, *, exhaustive: bool = False, _ctx=None) -> Outcome:
    """The rest of the game once a has placed its good at ``index_a`` (NO_CLUB for no club)."""
    rules = rules or DEFAULT_RULES
    ctx = _ctx or _Context(world, rules)
    n = world.n_countries
    stage_one = ctx.stage_one[index_a] if index_a != NO_CLUB else np.zeros(n, dtype=bool)
    index_b, club_a, club_b, pay_b = follower_reply(world, [index_a], stage_one[None], rules, exhaustive=exhaustive, _ctx=ctx)
    ib = int(index_b[0])
    pay_a = club_payoff(world, "a", np.array([index_a]), club_a)
    return Outcome(
        world=world,
        index_a=None if index_a == NO_CLUB else int(index_a),
        index_b=None if ib == NO_CLUB else ib,
        stage_one=stage_one.copy(),
        club_a=club_a[0],
        club_b=club_b[0],
        payoff_a=float(pay_a[0]),
        payoff_b=float(pay_b[0]),
    )


def payoff_table(world: World, rules: Rules | None = None):
    """Every (l_a, l_b) pair, "no club" included as the last index K: payoffs and club sizes.

    Returns a dict of (K+1, K+1) arrays ``payoff_a``, ``payoff_b``, ``size_a``, ``size_b``.
    Exhaustive: meant for small L (game trees, brute-force checks).
    """
    rules = rules or DEFAULT_RULES
    k, n = world.n_locations, world.n_countries
    ia = np.repeat(np.r_[np.arange(k), NO_CLUB], k + 1)
    ib = np.tile(np.r_[np.arange(k), NO_CLUB], k + 1)
    s1 = np.vstack([stage_one_clubs(world, rules), np.zeros((1, n), dtype=bool)])
    club_a, club_b = stage_two_clubs(world, ia, ib, s1[np.where(ia == NO_CLUB, k, ia)], rules)
    shape = (k + 1, k + 1)
    return {
        "payoff_a": club_payoff(world, "a", ia, club_a).reshape(shape),
        "payoff_b": club_payoff(world, "b", ib, club_b).reshape(shape),
        "size_a": club_a.sum(axis=1).reshape(shape),
        "size_b": club_b.sum(axis=1).reshape(shape),
    }


def rules_from_names(a: str = "equilibrium", b: str = "equilibrium", countries: str | Sequence[str] = "coalition") -> Rules:
    """Rules chosen by name (as a scenario, the CLI or the visual server names them)."""
    from games.club.core import nonsuperpower_rule, superpower_rule

    if isinstance(countries, str):
        c = nonsuperpower_rule(countries)
    else:
        c = tuple(nonsuperpower_rule(x) for x in countries)
    return Rules(a=superpower_rule(a), b=superpower_rule(b), countries=c)
