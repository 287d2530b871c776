"""A straightforward, unvectorised implementation of the club game, on exact rationals.

It follows the paper's definitions literally: the processes move one feasible group at
a time (the largest one, or a random one when ``rng`` is given, to test Lemmas 1 and 2's
order independence), and backward induction visits every (l_a, l_b) pair. Numbers are
``fractions.Fraction`` by default, so ties are exact and no tolerance is needed.

It shares only the payoff formulas with ``games.club.core`` (``member_payoff`` and
``superpower_payoff`` are generic over the number type); the loops are its own. It is the
baseline of the speed benchmark and an independent check of the fast solver.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

from games.club.core import World, member_payoff, superpower_payoff


@dataclass(frozen=True)
class ExactWorld:
    """The world as Python lists of exact numbers (rows: countries; columns: locations)."""

    benefit_a: list[list[Fraction]]
    benefit_b: list[list[Fraction]]
    weight: list[Fraction]
    weight_a: Fraction
    weight_b: Fraction
    home_distance_a: list[Fraction]
    home_distance_b: list[Fraction]

    @classmethod
    def from_world(cls, world: World, number=Fraction) -> ExactWorld:
        """Convert every float of ``world`` exactly (a binary float is a rational number)."""

        def conv(x):
            return number(float(x))

        n, k = world.n_countries, world.n_locations
        dist = [[conv(world.distance[i, j]) for j in range(k)] for i in range(n)]
        ga = [conv(x) for x in world.g_a]
        gb = [conv(x) for x in world.g_b]
        gamma = world.cost_share.gamma
        if gamma not in (0.0, 1.0):
            raise ValueError("the exact reference supports the proportional and equal cost shares only")

        def w(x):
            return conv(x) if gamma == 1.0 else number(1)

        return cls(
            benefit_a=[[ga[i] * (1 - dist[i][j]) for j in range(k)] for i in range(n)],
            benefit_b=[[gb[i] * (1 - dist[i][j]) for j in range(k)] for i in range(n)],
            weight=[w(x) for x in world.omega],
            weight_a=w(world.omega_a),
            weight_b=w(world.omega_b),
            home_distance_a=[conv(x) for x in world.home_distance_a],
            home_distance_b=[conv(x) for x in world.home_distance_b],
        )

    @classmethod
    def on_line(cls, positions, locations, g_a, g_b, omega, omega_a, omega_b, home_a, home_b) -> ExactWorld:
        """Countries on [0, 1] from exact numbers (ints or Fractions), eq. (3) cost shares."""
        f = [Fraction(x) for x in positions]
        locs = [Fraction(x) for x in locations]
        return cls(
            benefit_a=[[Fraction(g) * (1 - abs(x - y)) for y in locs] for x, g in zip(f, g_a)],
            benefit_b=[[Fraction(g) * (1 - abs(x - y)) for y in locs] for x, g in zip(f, g_b)],
            weight=[Fraction(x) for x in omega],
            weight_a=Fraction(omega_a),
            weight_b=Fraction(omega_b),
            home_distance_a=[abs(y - Fraction(home_a)) for y in locs],
            home_distance_b=[abs(y - Fraction(home_b)) for y in locs],
        )

    @property
    def n(self) -> int:
        return len(self.weight)

    @property
    def k(self) -> int:
        return len(self.home_distance_a)


def _club_weight(world: ExactWorld, owner_weight, members) -> Fraction:
    return owner_weight + sum((world.weight[i] for i in members), start=0 * owner_weight)


def _feasible_group(world, benefit, owner_weight, club, candidates, value, strict, rng):
    """The largest (or, with rng, a random) group of candidates better off joining ``club`` together."""
    pool = sorted(candidates)
    if rng is not None:  # a random sub-pool; a non-empty feasible group inside it, else grow it
        rng.shuffle(pool)
        pool = pool[: rng.randint(1, len(pool))] if pool else pool
    group = set(pool)
    while True:
        total = _club_weight(world, owner_weight, club | group)
        keep = set()
        for i in group:
            u = member_payoff(benefit[i], world.weight[i], total)
            if u >= 0 and (u > value[i] if i in strict else u >= value[i]):
                keep.add(i)
        if keep == group:
            break
        group = keep
    if rng is not None and not group and len(pool) < len(candidates):
        return _feasible_group(world, benefit, owner_weight, club, candidates, value, strict, None)
    return group


def joining(world: ExactWorld, la: int, rng: random.Random | None = None) -> tuple[set[int], list[set[int]]]:
    """Stage one at l_a: a's club I*(l_a) and the groups I_1, ..., I_m that joined."""
    benefit = [world.benefit_a[i][la] for i in range(world.n)]
    club: set[int] = set()
    steps = []
    zero = dict.fromkeys(range(world.n), 0)
    while True:
        group = _feasible_group(world, benefit, world.weight_a, club, set(range(world.n)) - club, zero, set(), rng)
        if not group:
            return club, steps
        steps.append(group)
        club |= group


def shifting(world: ExactWorld, la: int | None, lb: int, stage_one: set[int], rng: random.Random | None = None):
    """Stage two: final (club_a, club_b) and the steps (to_b, to_none)."""
    in_a, in_b = set(stage_one), set()
    ben_a = [world.benefit_a[i][la] if la is not None else 0 for i in range(world.n)]
    ben_b = [world.benefit_b[i][lb] for i in range(world.n)]
    steps = []
    while True:
        total_a = _club_weight(world, world.weight_a, in_a)
        u_a = {i: member_payoff(ben_a[i], world.weight[i], total_a) for i in in_a}
        value = {i: (u_a[i] if i in in_a else 0) for i in range(world.n)}
        to_b = _feasible_group(world, ben_b, world.weight_b, in_b, set(range(world.n)) - in_b, value, in_a, rng)
        leavers = {i for i in in_a - to_b if u_a[i] < 0}
        if rng is not None and leavers:
            leavers = set(rng.sample(sorted(leavers), rng.randint(0 if to_b else 1, len(leavers))))
        if not to_b and not leavers:
            return in_a, in_b, steps
        steps.append((to_b, leavers))
        in_a -= to_b | leavers
        in_b |= to_b


def _payoff(world: ExactWorld, role: str, loc: int | None, club: set[int]):
    if loc is None:
        return 0
    w_e = world.weight_a if role == "a" else world.weight_b
    home = world.home_distance_a if role == "a" else world.home_distance_b
    return superpower_payoff(home[loc], w_e, _club_weight(world, w_e, club))


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
    index_a: int | None
    index_b: int | None
    club_a: frozenset[int]
    club_b: frozenset[int]
    payoff_a: Fraction
    payoff_b: Fraction


def solve(world: ExactWorld, leader_locations=None) -> ReferenceOutcome:
    """The SPNE by plain backward induction over every pair (A1, A2, A3 as in the fast solver).

    ``leader_locations`` restricts a's candidates (the benchmark times a sample of them).
    """
    la_options = range(world.k) if leader_locations is None else leader_locations
    results = {}
    for la in [*la_options, None]:
        s1 = joining(world, la)[0] if la is not None else set()
        replies = []
        for lb in range(world.k):
            a_club, b_club, _ = shifting(world, la, lb, s1)
            replies.append((lb, _payoff(world, "b", lb, b_club), a_club, b_club))
        lb = _pick([(r[0], r[1]) for r in replies], world.home_distance_b)
        a_club, b_club = (s1, set()) if lb is None else (replies[lb][2], replies[lb][3])
        results[la] = (lb, a_club, b_club, _payoff(world, "a", la, a_club))
    la = _pick([(loc, r[3]) for loc, r in results.items() if loc is not None], world.home_distance_a)
    lb, a_club, b_club, pay_a = results[la]
    return ReferenceOutcome(la, lb, frozenset(a_club), frozenset(b_club), pay_a, _payoff(world, "b", lb, b_club))
