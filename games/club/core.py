"""The club-goods game of *The Power of Non-Superpowers* (Kikuchi & Liu), as plain numpy.

Everything that defines the game lives here once:

* the world (locations, dependencies g, endowments omega, the cost-share rule rho);
* the payoffs (SU1), (SU2) and (HU);
* one *round* of each coalition-formation process: stage one (joining a's club, eq. 1)
  and stage two (shifting to b's club or out of a's, eq. 2);
* the rules each role may follow (the equilibrium rules of the paper and counterfactuals).

The functions work on batches: every array has a leading batch shape ``(...)`` and the
countries on the last axis, so the same round function serves one Mesa model step
(batch of one) and the backward induction over thousands of location pairs at once.

Payoff comparisons
------------------
Payoffs are floats, compared with the absolute tolerance ``TOL`` (1e-9): a payoff
``u >= -TOL`` counts as non-negative, and "strictly better" means better by more than
``TOL``. The paper's thresholds (g_U(n), ...) are exactly the points where a country is
indifferent; tests probe just inside each region. ``games.club.reference`` runs the same
processes on exact rationals (``fractions.Fraction``, no tolerance) and the tests hold
the two equal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from games.validation import SpheresInputError, check_array, check_choice, check_scalar

TOL = 1e-9
"""Absolute tolerance of every payoff comparison in the fast (float) code."""


# --------------------------------------------------------------------------- cost shares
@dataclass(frozen=True)
class CostShare:
    """The cost-share rule rho_{ie}(E) = w_i / (w_e + sum_{j in E} w_j), with weights w = omega**gamma.

    ``gamma = 1`` is the paper's eq. (3): each member (the superpower included) pays in
    proportion to its endowment. ``gamma = 0`` splits the cost equally per head. Any
    gamma in [0, 2] keeps rho strictly decreasing in the club, as the paper requires.
    """

    gamma: float = 1.0

    def __post_init__(self) -> None:
        check_scalar("cost_share.gamma", self.gamma, low=0.0, high=2.0)

    @property
    def name(self) -> str:
        if self.gamma == 1.0:
            return "proportional"
        if self.gamma == 0.0:
            return "equal"
        return f"power({self.gamma:g})"

    def weights(self, omega: np.ndarray) -> np.ndarray:
        return np.asarray(omega, dtype=float) ** self.gamma


COST_SHARES: dict[str, CostShare] = {"proportional": CostShare(1.0), "equal": CostShare(0.0)}


# --------------------------------------------------------------------------- payoffs
def member_payoff(benefit, weight, club_weight):
    """(SU1)/(SU2) for a member: g_ie (1 - d) - rho_ie, with rho = w_i / club_weight.

    ``club_weight`` is w_e plus the weights of all members, the country itself included.
    """
    return benefit - weight / club_weight


def prefers(u, value, strict, tol=TOL):
    """Does a country take payoff ``u`` over its current ``value``?

    Weakly (u >= value) or, where ``strict``, strictly (u > value), within ``tol``; a
    negative payoff is never taken. Works on scalars and on arrays alike: the Mesa agents
    and the batched processes decide with this one test.
    """
    gain = u - value
    return np.where(strict, gain > tol, gain >= -tol) & (u >= -tol)


def superpower_payoff(home_distance, weight, club_weight):
    """(HU) for a superpower that forms a club: 1 - d(home, l_e) - w_e / club_weight."""
    return 1 - home_distance - weight / club_weight


# --------------------------------------------------------------------------- the world
@dataclass(frozen=True, eq=False)
class World:
    """Superpowers a (status quo, first mover) and b (challenger) and N non-superpowers.

    Attributes (N non-superpowers, K candidate locations for the club goods):
      distance: (N, K) distance d(i, l_k) in [0, 1] from each non-superpower to each location
      home_distance_a, home_distance_b: (K,) distance from each superpower's home to each location
      g_a, g_b: (N,) dependencies in [0, 1];  omega: (N,) endowments > 0
      omega_a, omega_b: superpower endowments > 0
      locations: (K,) coordinates of the candidate locations (labels for a general metric)
      positions: (N,) coordinates of the non-superpowers (None for a general metric)
      home_a, home_b: superpower coordinates (None for a general metric)
      names: country names; cost_share: the rule rho
    """

    distance: np.ndarray
    home_distance_a: np.ndarray
    home_distance_b: np.ndarray
    g_a: np.ndarray
    g_b: np.ndarray
    omega: np.ndarray
    omega_a: float
    omega_b: float
    locations: np.ndarray
    positions: np.ndarray | None = None
    home_a: float | None = None
    home_b: float | None = None
    names: tuple[str, ...] = ()
    cost_share: CostShare = field(default_factory=CostShare)

    def __post_init__(self) -> None:
        d = check_array("distance", self.distance, low=0.0, high=1.0, ndim=2)
        n, k = d.shape
        if n == 0:
            raise SpheresInputError("the world needs at least one non-superpower (got 0)")
        if k == 0:
            raise SpheresInputError("locations (the set L) must not be empty")
        set_ = object.__setattr__
        set_(self, "distance", d)
        set_(self, "home_distance_a", check_array("home distance of a", self.home_distance_a, low=0.0, high=1.0, length=k))
        set_(self, "home_distance_b", check_array("home distance of b", self.home_distance_b, low=0.0, high=1.0, length=k))
        set_(self, "g_a", check_array("g_a", self.g_a, low=0.0, high=1.0, length=n))
        set_(self, "g_b", check_array("g_b", self.g_b, low=0.0, high=1.0, length=n))
        set_(self, "omega", check_array("omega", self.omega, low=0.0, low_open=True, length=n))
        set_(self, "omega_a", check_scalar("omega_a", self.omega_a, low=0.0, low_open=True))
        set_(self, "omega_b", check_scalar("omega_b", self.omega_b, low=0.0, low_open=True))
        set_(self, "locations", np.asarray(self.locations))
        if len(self.locations) != k:
            raise SpheresInputError(f"locations must have length {k} (the columns of distance), got {len(self.locations)}")
        names = tuple(self.names) if len(self.names) else tuple(f"{i + 1}" for i in range(n))
        if len(names) != n:
            raise SpheresInputError(f"names must have length {n}, got {len(names)}")
        set_(self, "names", names)
        if not isinstance(self.cost_share, CostShare):
            raise SpheresInputError(f"cost_share must be a CostShare, got {self.cost_share!r}")
        # Derived arrays used by every process (computed once).
        w = self.cost_share.weights(self.omega)
        set_(self, "weight", w)
        set_(self, "weight_a", float(self.cost_share.weights(self.omega_a)))
        set_(self, "weight_b", float(self.cost_share.weights(self.omega_b)))
        set_(self, "benefit_a", self.g_a[:, None] * (1.0 - d))  # (N, K)
        set_(self, "benefit_b", self.g_b[:, None] * (1.0 - d))

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def on_line(
        cls,
        positions: Sequence[float],
        g_a,
        g_b,
        omega=None,
        *,
        omega_a: float = 1.0,
        omega_b: float = 1.0,
        home_a: float = 0.0,
        home_b: float = 1.0,
        locations: Sequence[float] | None = None,
        names: Sequence[str] = (),
        cost_share: CostShare | str = "proportional",
    ) -> World:
        """Countries on [0, 1] with distance |x - y|.

        ``g_a``, ``g_b`` and ``omega`` may be scalars (the same for every country).
        ``locations`` (the set L of candidate club-good locations) defaults to the
        countries' positions plus both homes, sorted.
        """
        pos = check_array("positions", positions, low=0.0, high=1.0)
        n = len(pos)
        if n == 0:
            raise SpheresInputError("positions must hold at least one non-superpower (got 0)")
        home_a = check_scalar("home_a", home_a, low=0.0, high=1.0)
        home_b = check_scalar("home_b", home_b, low=0.0, high=1.0)
        if locations is None:
            locs = np.unique(np.concatenate([pos, [home_a, home_b]]))
        else:
            locs = check_array("locations", locations, low=0.0, high=1.0)
            if len(locs) == 0:
                raise SpheresInputError("locations (the set L) must not be empty")
        g_a = _broadcast("g_a", g_a, n)
        g_b = _broadcast("g_b", g_b, n)
        omega = _broadcast("omega", 1.0 if omega is None else omega, n)
        return cls(
            distance=np.abs(pos[:, None] - locs[None, :]),
            home_distance_a=np.abs(locs - home_a),
            home_distance_b=np.abs(locs - home_b),
            g_a=g_a,
            g_b=g_b,
            omega=omega,
            omega_a=omega_a,
            omega_b=omega_b,
            locations=locs,
            positions=pos,
            home_a=home_a,
            home_b=home_b,
            names=tuple(names),
            cost_share=_cost_share(cost_share),
        )

    @classmethod
    def symmetric(
        cls,
        n: int,
        g_a: float,
        g_b: float | None = None,
        omega=None,
        *,
        omega_a: float = 1.0,
        omega_b: float = 1.0,
        cost_share: CostShare | str = "proportional",
    ) -> World:
        """Section 3's world: L = {0, 1/n, ..., 1}, a at 0, b at 1, country i at i/n (i = 1..n-1)."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
            raise SpheresInputError(f"n = {n!r} must be an integer >= 2 (the line is cut into n pieces)")
        grid = np.arange(n + 1) / n
        return cls.on_line(
            grid[1:-1],
            g_a,
            g_a if g_b is None else g_b,
            omega,
            omega_a=omega_a,
            omega_b=omega_b,
            home_a=0.0,
            home_b=1.0,
            locations=grid,
            cost_share=cost_share,
        )

    @classmethod
    def from_metric(
        cls,
        points: Sequence,
        candidates: Sequence,
        home_a,
        home_b,
        distance: Callable[[object, object], float],
        g_a,
        g_b,
        omega=None,
        *,
        omega_a: float = 1.0,
        omega_b: float = 1.0,
        names: Sequence[str] = (),
        cost_share: CostShare | str = "proportional",
    ) -> World:
        """Any finite metric space: ``distance(x, y)`` in [0, 1] between any two points.

        ``points`` are the non-superpowers' locations, ``candidates`` the set L where the
        club goods may be placed, ``home_a``/``home_b`` the superpowers' locations.
        """
        pts, cands = list(points), list(candidates)
        if not pts:
            raise SpheresInputError("points must hold at least one non-superpower (got 0)")
        if not cands:
            raise SpheresInputError("candidates (the set L) must not be empty")
        d = np.array([[distance(p, c) for c in cands] for p in pts], dtype=float)
        n = len(pts)
        return cls(
            distance=d,
            home_distance_a=np.array([distance(home_a, c) for c in cands], dtype=float),
            home_distance_b=np.array([distance(home_b, c) for c in cands], dtype=float),
            g_a=_broadcast("g_a", g_a, n),
            g_b=_broadcast("g_b", g_b, n),
            omega=_broadcast("omega", 1.0 if omega is None else omega, n),
            omega_a=omega_a,
            omega_b=omega_b,
            locations=np.array(cands, dtype=object),
            names=tuple(names),
            cost_share=_cost_share(cost_share),
        )

    # -- conveniences -------------------------------------------------------------------
    @property
    def n_countries(self) -> int:
        return self.distance.shape[0]

    @property
    def n_locations(self) -> int:
        return self.distance.shape[1]

    def home_distance(self, role: Role) -> np.ndarray:
        return self.home_distance_a if role == "a" else self.home_distance_b

    def benefit(self, role: Role) -> np.ndarray:
        return self.benefit_a if role == "a" else self.benefit_b

    def superpower_weight(self, role: Role) -> float:
        return self.weight_a if role == "a" else self.weight_b

    def home_index(self, role: Role) -> int:
        """The candidate location closest to the superpower's home (the first one on a tie)."""
        return int(np.argmin(self.home_distance(role)))

    def location_index(self, location) -> int:
        """Index of ``location`` in L; a clear error if it is not one of the candidates."""
        locs = self.locations
        if locs.dtype != object:
            hits = np.flatnonzero(np.isclose(locs.astype(float), float(location), rtol=0.0, atol=1e-12))
        else:
            hits = [k for k, x in enumerate(locs) if x == location]
        if len(hits) == 0:
            raise SpheresInputError(f"location {location!r} is not in L (the {len(locs)} candidate locations)")
        return int(hits[0])

    def with_omega(self, i: int, value: float) -> World:
        """A copy of the world with country i's endowment set to ``value``."""
        omega = self.omega.copy()
        omega[i] = check_scalar(f"omega[{i}]", value, low=0.0, low_open=True)
        return self.replace(omega=omega)

    def replace(self, **changes) -> World:
        fields = {
            name: getattr(self, name)
            for name in (
                "distance home_distance_a home_distance_b g_a g_b omega omega_a omega_b "
                "locations positions home_a home_b names cost_share"
            ).split()
        }
        fields.update(changes)
        return World(**fields)


Role = Literal["a", "b"]


def _broadcast(name: str, value, n: int) -> np.ndarray:
    arr = np.asarray(value, dtype=float) if not isinstance(value, np.ndarray) else value
    if np.ndim(arr) == 0:
        arr = np.full(n, float(arr))
    return check_array(name, arr, length=n)


def _cost_share(value: CostShare | str) -> CostShare:
    if isinstance(value, CostShare):
        return value
    check_choice("cost_share", value, list(COST_SHARES))
    return COST_SHARES[value]


# --------------------------------------------------------------------------- the coalition processes
def best_group(benefit, weight, base_weight, candidates, value, strict, coordinated, tol=TOL):
    """The largest group G of ``candidates`` that is better off joining a club together.

    Each candidate i compares ``member_payoff`` in the club with G joined (club weight
    ``base_weight + W(G)``) to its current ``value``: weakly (>= value) or, where
    ``strict``, strictly (> value), and never accepts a negative payoff. A country that
    does not ``coordinate`` only counts itself: it joins iff joining alone pays.

    Because each payoff rises as the group grows, the feasible groups are closed under
    union, so a largest one exists: the greatest fixed point of "drop every candidate who
    would not accept", which is how the Mesa agents find it (``ClubModel.coalition``).

    Here it is computed in one pass. A coordinating candidate accepts iff the club's
    weight X reaches its threshold T_i = w_i / (b_i - m_i), where m_i is the payoff it
    must beat (``value`` +/- ``tol``, and at least -tol): X >= T_i, or X > T_i where
    strict. Sorted by (T, strict), any feasible group is a prefix, and the largest is the
    longest prefix whose weight reaches its last threshold. Uncoordinated candidates pass
    or fail on their own, whatever the group. Tests hold this equal to the agents'
    elimination on random worlds.

    Shapes: benefit, candidates, value, strict: (..., N); base_weight: (...); weight,
    coordinated: (N,) or (..., N). Returns a boolean (..., N).
    """
    benefit = np.asarray(benefit, dtype=float)
    shape = benefit.shape
    n = shape[-1]
    ben = benefit.reshape(-1, n)
    rows = ben.shape[0]

    def rows_of(x):  # a (rows, n) view; a copy only for batches of more than one axis
        x = np.broadcast_to(np.asarray(x), shape)
        return x if x.ndim == 2 else x.reshape(rows, n)

    w, val, strict_, coord = rows_of(weight), rows_of(value), rows_of(strict), rows_of(coordinated)
    cand = rows_of(candidates).astype(bool)
    base = np.broadcast_to(np.asarray(base_weight, dtype=float), shape[:-1]).reshape(rows)
    # Candidates who move alone decide on their own.
    if coord.all():
        alone = np.zeros((rows, n), dtype=bool)
        base_all = base
    else:
        alone = cand & ~coord & prefers(member_payoff(ben, w, base[:, None] + w), val, strict_, tol)
        base_all = base + np.sum(np.where(alone, w, 0.0), axis=-1)
    # The payoff a coordinating candidate must reach, and the club weight that gives it;
    # "X > T" is "X >= nextafter(T)", so one sort key orders weak before strict on ties.
    must = np.maximum(np.where(strict_, val + tol, val - tol), -tol)
    margin = ben - must
    with np.errstate(divide="ignore", invalid="ignore"):
        threshold = np.where(cand & coord & (margin > 0), w / margin, np.inf)
    threshold = np.where(strict_, np.nextafter(threshold, np.inf), threshold)
    order = np.argsort(threshold, axis=-1)
    t_sorted = np.take_along_axis(threshold, order, axis=-1)
    reach = base_all[:, None] + np.cumsum(np.take_along_axis(w, order, axis=-1), axis=-1)
    ok = (reach >= t_sorted) & (t_sorted < np.inf)
    length = np.where(ok.any(axis=-1), n - np.argmax(ok[:, ::-1], axis=-1), 0)
    group = np.zeros((rows, n), dtype=bool)
    np.put_along_axis(group, order, np.arange(n)[None, :] < length[:, None], axis=-1)
    return (group | alone).reshape(shape)


def joining_round(benefit_a, weight, weight_a, members, eligible, coordinated, tol=TOL):
    """One round of the stage-one process (eq. 1): who joins a's club now.

    ``members`` is a's club so far; every eligible outsider may join, and joins iff its
    payoff in the enlarged club is non-negative. Returns the joiners I_k (..., N).
    """
    base = weight_a + np.sum(np.where(members, weight, 0.0), axis=-1)
    zero = np.zeros(np.shape(benefit_a))
    return best_group(benefit_a, weight, base, eligible & ~members, zero, False, coordinated, tol)


def shifting_round(benefit_a, benefit_b, weight, weight_a, weight_b, in_a, in_b, eligible_b, coordinated, tol=TOL):
    """One round of the stage-two process (eq. 2): who moves to b's club and who leaves a's.

    A member of a's club moves to b iff it is strictly better off there (and not
    negative); an outsider (never in a's club, or gone from it) joins b iff it gets a
    non-negative payoff; both move as a group when they coordinate. A member of a's club
    whose payoff there has turned negative leaves for no club. Payoffs in a's club are
    those before the round (the paper's rho_ia(I* minus everyone who moved before step k)).

    Returns ``(to_b, to_none)``: the countries moving to b (I~_k) and those leaving a's
    club for no club (I_k minus I~_k), each (..., N).
    """
    club_a = weight_a + np.sum(np.where(in_a, weight, 0.0), axis=-1)
    club_b = weight_b + np.sum(np.where(in_b, weight, 0.0), axis=-1)
    u_a = member_payoff(benefit_a, weight, club_a[..., None])
    value = np.where(in_a, u_a, 0.0)
    to_b = best_group(benefit_b, weight, club_b, eligible_b & ~in_b, value, in_a, coordinated, tol)
    to_none = in_a & ~to_b & (u_a < -tol)
    return to_b, to_none


def run_joining(benefit_a, weight, weight_a, eligible, coordinated, tol=TOL, record=None):
    """Run stage one to its end: a's club I*(l_a) (..., N). ``record(k, joiners)`` sees every round."""
    members = np.zeros(np.shape(benefit_a), dtype=bool)
    k = 0
    while True:
        joiners = joining_round(benefit_a, weight, weight_a, members, eligible, coordinated, tol)
        if not joiners.any():
            return members
        k += 1
        if record is not None:
            record(k, joiners)
        members = members | joiners


def run_shifting(benefit_a, benefit_b, weight, weight_a, weight_b, stage_one, eligible_b, coordinated, tol=TOL, record=None):
    """Run stage two to its end from a's stage-one club. Returns the final ``(club_a, club_b)``."""
    in_a = np.array(stage_one, dtype=bool, copy=True)
    in_b = np.zeros_like(in_a)
    k = 0
    while True:
        to_b, to_none = shifting_round(
            benefit_a, benefit_b, weight, weight_a, weight_b, in_a, in_b, eligible_b, coordinated, tol
        )
        if not (to_b.any() or to_none.any()):
            return in_a, in_b
        k += 1
        if record is not None:
            record(k, to_b, to_none)
        in_a = in_a & ~to_b & ~to_none
        in_b = in_b | to_b


# --------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class NonSuperpowerRule:
    """How a non-superpower takes part in the coalition processes.

    coordinates: moves as part of a group (the paper: binding treaties); if False it
        moves only when moving alone pays (a Nash-style unilateral move).
    defects: a member of a's stage-one club may move to b's club (the paper); if False
        it never joins b (a loyal ally), though it still leaves a's club if its payoff
        there turns negative.
    """

    name: str
    coordinates: bool = True
    defects: bool = True
    description: str = ""


NONSUPERPOWER_RULES: dict[str, NonSuperpowerRule] = {
    rule.name: rule
    for rule in (
        NonSuperpowerRule("coalition", True, True, "the paper: join and shift in coordinated groups (default)"),
        NonSuperpowerRule("unilateral", False, True, "join or shift one at a time, only if moving alone pays"),
        NonSuperpowerRule("loyal", True, False, "never defect from a's stage-one club to b's"),
    )
}


@dataclass(frozen=True)
class SuperpowerRule:
    """How a superpower places its club good.

    objective: "payoff" maximises (HU); "size" maximises the number of members (ties by
        payoff), forming a club whenever it gets a member.
    home_only: only its home location (never compromises).
    anticipates: the leader foresees the follower's reply (the paper); if False it
        places the good as if the challenger did not exist (myopic). The follower moves
        last, so for b this flag changes nothing.
    """

    name: str
    objective: Literal["payoff", "size"] = "payoff"
    home_only: bool = False
    anticipates: bool = True
    description: str = ""


SUPERPOWER_RULES: dict[str, SuperpowerRule] = {
    rule.name: rule
    for rule in (
        SuperpowerRule("equilibrium", description="backward induction with tie-breaks A1, A2 (default)"),
        SuperpowerRule("home", home_only=True, description="never compromise: club good at home or no club"),
        SuperpowerRule("myopic", anticipates=False, description="the leader ignores the challenger's reply"),
        SuperpowerRule("size", objective="size", description="maximise the number of members, not the payoff"),
    )
}


def nonsuperpower_rule(name: str) -> NonSuperpowerRule:
    check_choice("non-superpower rule", name, list(NONSUPERPOWER_RULES))
    return NONSUPERPOWER_RULES[name]


def superpower_rule(name: str) -> SuperpowerRule:
    check_choice("superpower rule", name, list(SUPERPOWER_RULES))
    return SUPERPOWER_RULES[name]
