"""A straightforward, unvectorised implementation of the club game, on exact rationals, for K superpowers.

It follows the definitions literally (the paper's eq. (1)-(2), generalised in
``docs/many_poles.md``) with the paper's rules: every country coordinates and may shift,
every superpower maximises its payoff (HU) with the tie-breaks A1, A2 and our A3. The
processes move one feasible group at a time (the largest one, or a random one when
``rng`` is given, to test order independence), and backward induction visits every tuple
of locations. Numbers are ``fractions.Fraction`` by default, so ties are exact and no
tolerance is needed.

It shares only the payoff formulas with ``games.club.core`` (``member_payoff`` and
``superpower_payoff`` are generic over the number type); the loops are its own. It is the
baseline of the speed benchmark and an independent check of the fast solver.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

from games.club.core import World, member_payoff, superpower_payoff
from games.validation import SpheresInputError


@dataclass(frozen=True)
class ExactWorld:
    """The world as Python lists of exact numbers: ``benefit[e][i][l]``, ``home_distance[e][l]``."""

    benefit: list[list[list[Fraction]]]
    weight: list[Fraction]
    sp_weight: list[Fraction]
    home_distance: list[list[Fraction]]

    @classmethod
    def from_world(cls, world: World, number=Fraction) -> ExactWorld:
        """Convert every float of ``world`` exactly (a binary float is a rational number)."""

        def conv(x):
            return number(float(x))

        gamma = world.cost_share.gamma
        if gamma not in (0.0, 1.0):
            raise SpheresInputError("the exact reference supports the proportional and equal cost shares only")

        def w(x):
            return conv(x) if gamma == 1.0 else number(1)

        n, n_loc = world.n_countries, world.n_locations
        dist = [[conv(world.distance[i, j]) for j in range(n_loc)] for i in range(n)]
        return cls(
            benefit=[[[conv(g_e[i]) * (1 - dist[i][j]) for j in range(n_loc)] for i in range(n)] for g_e in world.g],
            weight=[w(x) for x in world.omega],
            sp_weight=[w(x) for x in world.superpower_omega],
            home_distance=[[conv(x) for x in row] for row in world.home_distance],
        )

    @classmethod
    def on_line(cls, positions, locations, g, omega, superpower_omega, homes) -> ExactWorld:
        """Countries on [0, 1] from exact numbers (ints or Fractions), eq. (3) cost shares.

        ``g``: one list of dependencies per superpower; ``superpower_omega`` and ``homes``:
        one number per superpower.
        """
        f = [Fraction(x) for x in positions]
        locs = [Fraction(x) for x in locations]
        return cls(
            benefit=[[[Fraction(gi) * (1 - abs(x - y)) for y in locs] for x, gi in zip(f, g_e)] for g_e in g],
            weight=[Fraction(x) for x in omega],
            sp_weight=[Fraction(x) for x in superpower_omega],
            home_distance=[[abs(y - Fraction(h)) for y in locs] for h in homes],
        )

    @property
    def n(self) -> int:
        return len(self.weight)

    @property
    def k(self) -> int:
        """The number of candidate locations."""
        return len(self.home_distance[0])

    @property
    def n_superpowers(self) -> int:
        return len(self.sp_weight)


def _club_weight(world: ExactWorld, e: int, members) -> Fraction:
    return world.sp_weight[e] + sum((world.weight[i] for i in members), start=0 * world.sp_weight[e])


def _feasible_group(world, e, loc, club, candidates, value, strict, rng):
    """The largest (or, with rng, a random) group of candidates better off joining club e together."""
    pool = sorted(candidates)
    if rng is not None:  # a random sub-pool; a non-empty feasible group inside it, else grow it
        rng.shuffle(pool)
        pool = pool[: rng.randint(1, len(pool))] if pool else pool
    group = set(pool)
    while True:
        total = _club_weight(world, e, club | group)
        keep = set()
        for i in group:
            u = member_payoff(world.benefit[e][i][loc], world.weight[i], total)
            if u >= 0 and (u > value[i] if i in strict else u >= value[i]):
                keep.add(i)
        if keep == group:
            break
        group = keep
    if rng is not None and not group and len(pool) < len(candidates):
        return _feasible_group(world, e, loc, club, candidates, value, strict, None)
    return group


def stage(world: ExactWorld, k: int, locs: list, state: list, rng: random.Random | None = None):
    """Stage k with the goods at ``locs`` (k + 1 entries, None: no club) from ``state`` (each country's club or None).

    Returns the new state and the steps ``(to_k, leavers)``.
    """
    state = list(state)
    steps = []
    if locs[k] is None:
        return state, steps
    while True:
        members = {e: {i for i, c in enumerate(state) if c == e} for e in range(k + 1)}
        totals = {e: _club_weight(world, e, members[e]) for e in members}
        now = {}
        for i, c in enumerate(state):
            now[i] = 0 if c is None else member_payoff(world.benefit[c][i][locs[c]], world.weight[i], totals[c])
        in_earlier = {i for i, c in enumerate(state) if c is not None and c != k}
        to_k = _feasible_group(world, k, locs[k], members[k], set(range(world.n)) - members[k], now, in_earlier, rng)
        leavers = {i for i in in_earlier - to_k if now[i] < 0}
        if rng is not None and leavers:
            leavers = set(rng.sample(sorted(leavers), rng.randint(0 if to_k else 1, len(leavers))))
        if not to_k and not leavers:
            return state, steps
        steps.append((to_k, leavers))
        for i in leavers:
            state[i] = None
        for i in to_k:
            state[i] = k


def joining(world: ExactWorld, la: int, rng: random.Random | None = None) -> tuple[set[int], list[set[int]]]:
    """Stage one at l_a: a's club I*(l_a) and the groups I_1, ..., I_m that joined."""
    state, steps = stage(world, 0, [la], [None] * world.n, rng)
    return {i for i, c in enumerate(state) if c == 0}, [to for to, _ in steps]


def _payoff(world: ExactWorld, e: int, loc, state):
    if loc is None:
        return 0
    members = [i for i, c in enumerate(state) if c == e]
    return superpower_payoff(world.home_distance[e][loc], world.sp_weight[e], _club_weight(world, e, members))


def _pick(options, home):
    """A1 (closest to home), A2 (no club unless the payoff is positive), A3 (first in L)."""
    best = max((p for _, p in options), default=0)
    if best <= 0:
        return None
    tied = [loc for loc, p in options if p == best]
    nearest = min(home[loc] for loc in tied)
    return min(loc for loc in tied if home[loc] == nearest)


@dataclass(frozen=True)
class ReferenceOutcome:
    indices: tuple
    clubs: tuple  # one frozenset per superpower
    payoffs: tuple

    index_a = property(lambda self: self.indices[0])
    index_b = property(lambda self: self.indices[1])
    club_a = property(lambda self: self.clubs[0])
    club_b = property(lambda self: self.clubs[1])
    payoff_a = property(lambda self: self.payoffs[0])
    payoff_b = property(lambda self: self.payoffs[1])


def solve(world: ExactWorld, leader_locations=None) -> ReferenceOutcome:
    """The SPNE by plain backward induction over every tuple of locations (A1, A2, A3 as in the fast solver).

    ``leader_locations`` restricts the first mover's candidates (the benchmark times a sample of them).
    """
    n_sp = world.n_superpowers

    def play(k: int, locs: list, state: list):
        if k == n_sp:
            return locs, state
        options = []
        for loc in (leader_locations if k == 0 and leader_locations is not None else range(world.k)):
            after, _ = stage(world, k, locs + [loc], state)
            f_locs, f_state = play(k + 1, locs + [loc], after)
            options.append((loc, _payoff(world, k, loc, f_state), f_locs, f_state))
        chosen = _pick([(loc, p) for loc, p, _, _ in options], world.home_distance[k])
        if chosen is None:
            return play(k + 1, locs + [None], state)
        return next((fl, fs) for loc, _, fl, fs in options if loc == chosen)

    locs, state = play(0, [], [None] * world.n)
    clubs = tuple(frozenset(i for i, c in enumerate(state) if c == e) for e in range(n_sp))
    payoffs = tuple(_payoff(world, e, locs[e], state) for e in range(n_sp))
    return ReferenceOutcome(tuple(locs), clubs, payoffs)
