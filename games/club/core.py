"""The club-goods game of *The Power of Non-Superpowers* (Kikuchi & Liu): the world and the payoffs.

Everything here is plain numpy (no Mesa):

* the world: K >= 2 superpowers (the paper has two: the status-quo power a, who moves
  first, and the challenger b), N non-superpowers, the finite set L of locations where a
  club good may be placed, dependencies g, endowments omega and the cost-share rule rho;
* the payoffs (SU1), (SU2) and (HU), and the acceptance test ``prefers``;
* :class:`WorldBatch`, many worlds of one shape stacked so that the processes and the
  backward induction run over all of them at once.

The coalition processes live in :mod:`games.club.processes`, the players' rules in
:mod:`games.club.rules`, the backward induction in :mod:`games.club.solver`.

Superpowers are numbered in the order they move (0 = a, 1 = b, ...) and named
(``World.superpowers``: ``("a", "b")`` for the paper's game). Every function that takes a
superpower accepts its index or its name.

Payoff comparisons
------------------
Payoffs are floats, compared with the absolute tolerance ``TOL`` (1e-9): a payoff
``u >= -TOL`` counts as non-negative, and "strictly better" means better by more than
``TOL``. The paper's thresholds (g_U(n), ...) are exactly the points where a country is
indifferent; tests probe just inside each region. ``games.club.reference`` runs the same
game on exact rationals (``fractions.Fraction``, no tolerance) and the tests hold the two
equal.
"""

from __future__ import annotations

import functools
import numbers
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from games.validation import SpheresInputError, check_array, check_choice, check_count, check_memory, check_scalar

TOL = 1e-9
"""Absolute tolerance of every payoff comparison in the fast (float) code."""

MAX_SUPERPOWERS = 26


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
    """Does a country take payoff ``u`` over ``value``?

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
def default_superpower_names(k: int) -> tuple[str, ...]:
    """``a``, ``b``, ``c``, ...: the paper calls its two superpowers a and b."""
    return tuple(string.ascii_lowercase[:k])


@dataclass(frozen=True, eq=False)
class World:
    """K superpowers (moving in the order given) and N non-superpowers; L candidate locations.

    Attributes:
      distance: (N, L) distance d(i, l) in [0, 1] from each non-superpower to each location
      home_distance: (K, L) distance from each superpower's home to each location
      g: (K, N) dependencies in [0, 1] of each non-superpower on each superpower
      omega: (N,) endowments > 0;  superpower_omega: (K,) endowments > 0
      locations: (L,) labels of the candidate locations (coordinates on a line)
      positions: (N,) coordinates of the non-superpowers (None for a general metric)
      homes: the K superpowers' home points (None when only distances are known)
      names: the non-superpowers' names (default "1", "2", ...: countries count from 1)
      superpowers: the superpowers' names, in the order they move (default a, b, c, ...)
      cost_share: the rule rho
    Derived: weight (N,), superpower_weight (K,), benefit (K, N, L) = g (1 - d).

    The paper's two-superpower accessors remain: ``g_a``, ``g_b``, ``omega_a``, ``omega_b``,
    ``home_a``, ``home_b``, ``home_distance_a``, ``home_distance_b`` (superpowers 0 and 1).
    """

    distance: np.ndarray
    home_distance: np.ndarray
    g: np.ndarray
    omega: np.ndarray
    superpower_omega: np.ndarray
    locations: np.ndarray
    positions: np.ndarray | None = None
    homes: tuple | None = None
    names: tuple[str, ...] = ()
    superpowers: tuple[str, ...] = ()
    cost_share: CostShare = field(default_factory=CostShare)

    def __post_init__(self) -> None:
        self._check(_FIELDS)

    def _check(self, changed) -> None:
        """Validate the ``changed`` fields (against the others, already valid) and derive the arrays that depend on them."""
        set_ = object.__setattr__
        if "distance" in changed:
            d = check_array("distance", self.distance, low=0.0, high=1.0, ndim=2)
            if d.shape[0] == 0:
                raise SpheresInputError("the world needs at least one non-superpower (got 0)")
            if d.shape[1] == 0:
                raise SpheresInputError("locations (the set L) must not be empty")
            set_(self, "distance", d)
        n, n_loc = self.distance.shape
        if "home_distance" in changed:
            hd = check_array("home_distance", self.home_distance, low=0.0, high=1.0, ndim=2)
            if not 2 <= hd.shape[0] <= MAX_SUPERPOWERS:
                raise SpheresInputError(
                    f"the number of superpowers K = {hd.shape[0]} is outside the allowed range [2, {MAX_SUPERPOWERS}]")
            set_(self, "home_distance", hd)
        k = self.home_distance.shape[0]
        if self.home_distance.shape[1] != n_loc:
            raise SpheresInputError(f"home_distance must have {n_loc} columns (the locations), got {self.home_distance.shape[1]}")
        if "g" in changed:
            g = check_array("g", self.g, low=0.0, high=1.0, ndim=2)
            if g.shape != (k, n):
                raise SpheresInputError(f"g must have shape ({k}, {n}) (superpowers x countries), got {g.shape}")
            set_(self, "g", g)
        if "omega" in changed:
            set_(self, "omega", check_array("omega", self.omega, length=n, **_OMEGA))
        if "superpower_omega" in changed:
            set_(self, "superpower_omega", check_array("superpower_omega", self.superpower_omega, length=k, **_OMEGA))
        if "locations" in changed:
            set_(self, "locations", np.asarray(self.locations))
            if len(self.locations) != n_loc:
                raise SpheresInputError(f"locations must have length {n_loc} (the columns of distance), got {len(self.locations)}")
        if "names" in changed:
            names = tuple(str(x) for x in self.names) if len(self.names) else _default_names(n)
            if len(names) != n:
                raise SpheresInputError(f"names must have length {n}, got {len(names)}")
            set_(self, "names", names)
        if changed & {"superpowers", "names", "home_distance"}:
            sps = tuple(self.superpowers) if len(self.superpowers) else default_superpower_names(k)
            if len(sps) != k or len(set(sps)) != k or any(not isinstance(x, str) or not x.strip() for x in sps):
                raise SpheresInputError(f"superpowers must be {k} distinct non-empty names, got {sps!r}")
            clash = set(sps) & set(self.names)
            if clash:
                raise SpheresInputError(f"superpower names {sorted(clash)} are also country names; names must differ")
            set_(self, "superpowers", sps)
        if "homes" in changed and self.homes is not None:
            homes = tuple(self.homes)
            if len(homes) != k:
                raise SpheresInputError(f"homes must hold {k} points (one per superpower), got {len(homes)}")
            for i in range(k):
                for j in range(i + 1, k):
                    if _same_point(homes[i], homes[j]):
                        raise SpheresInputError(
                            f"superpowers {self.superpowers[i]} and {self.superpowers[j]} have one home ({homes[i]!r}): each needs its own")
            set_(self, "homes", homes)
        if "cost_share" in changed and not isinstance(self.cost_share, CostShare):
            raise SpheresInputError(f"cost_share must be a CostShare, got {self.cost_share!r}")
        # Derived arrays used by every process (computed once).
        if changed & {"omega", "cost_share"}:
            set_(self, "weight", self.cost_share.weights(self.omega))
        if changed & {"superpower_omega", "cost_share"}:
            set_(self, "superpower_weight", self.cost_share.weights(self.superpower_omega))
        if changed & {"g", "distance"}:
            self.__dict__.pop("benefit", None)  # derived lazily again

    @functools.cached_property
    def benefit(self) -> np.ndarray:
        """(K, N, L): g_ie (1 - d(i, l)), each country's benefit from each superpower's good at each location."""
        return self.g[:, :, None] * (1.0 - self.distance)[None, :, :]

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def on_line(
        cls,
        positions: Sequence[float],
        g_a=None,
        g_b=None,
        omega=None,
        *,
        omega_a: float = 1.0,
        omega_b: float = 1.0,
        home_a: float = 0.0,
        home_b: float = 1.0,
        g=None,
        homes: Sequence[float] | None = None,
        superpower_omega: Sequence[float] | None = None,
        superpowers: Sequence[str] = (),
        locations: Sequence[float] | None = None,
        names: Sequence[str] = (),
        cost_share: CostShare | str = "proportional",
    ) -> World:
        """Countries on [0, 1] with distance |x - y|.

        The paper's two superpowers: ``g_a``, ``g_b``, ``omega_a``, ``omega_b``, ``home_a``,
        ``home_b``. K superpowers: ``g`` (K rows, one per superpower, each a scalar or one
        value per country), ``homes`` and ``superpower_omega`` (K values each). Dependencies
        and ``omega`` may be scalars (the same for every country). ``locations`` (the set L)
        defaults to the countries' positions plus every home, sorted.
        """
        pos = check_array("positions", positions, low=0.0, high=1.0)
        n = len(pos)
        if n == 0:
            raise SpheresInputError("positions must hold at least one non-superpower (got 0)")
        g_rows, home_list, sp_omega = _superpower_inputs(g_a, g_b, omega_a, omega_b, home_a, home_b, g, homes, superpower_omega)
        home_arr = check_array("homes", home_list, low=0.0, high=1.0)
        if locations is None:
            locs = np.unique(np.concatenate([pos, home_arr]))
        else:
            locs = check_array("locations", locations, low=0.0, high=1.0)
            if len(locs) == 0:
                raise SpheresInputError("locations (the set L) must not be empty")
        _check_world_size(n, len(locs), len(g_rows))
        return cls(
            distance=np.abs(pos[:, None] - locs[None, :]),
            home_distance=np.abs(locs[None, :] - home_arr[:, None]),
            g=np.vstack([_broadcast(f"g[{k}]" if g is not None else ("g_a", "g_b")[k], row, n, **_G) for k, row in enumerate(g_rows)]),
            omega=_broadcast("omega", 1.0 if omega is None else omega, n, **_OMEGA),
            superpower_omega=sp_omega,
            locations=locs,
            positions=pos,
            homes=tuple(float(h) for h in home_arr),
            names=tuple(names),
            superpowers=tuple(superpowers),
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
        n = check_count("n", n, low=2)
        base = _symmetric_line(n, _cost_share(cost_share))
        m = n - 1
        return base.replace(
            g=np.vstack([_broadcast("g_a", g_a, m, **_G), _broadcast("g_b", g_a if g_b is None else g_b, m, **_G)]),
            omega=_broadcast("omega", 1.0 if omega is None else omega, m, **_OMEGA),
            superpower_omega=np.array([check_scalar("omega_a", omega_a, **_OMEGA), check_scalar("omega_b", omega_b, **_OMEGA)]),
        )

    @classmethod
    def from_metric(
        cls,
        points: Sequence,
        candidates: Sequence,
        home_a=None,
        home_b=None,
        distance: Callable[[object, object], float] | None = None,
        g_a=None,
        g_b=None,
        omega=None,
        *,
        omega_a: float = 1.0,
        omega_b: float = 1.0,
        g=None,
        homes: Sequence | None = None,
        superpower_omega: Sequence[float] | None = None,
        superpowers: Sequence[str] = (),
        names: Sequence[str] = (),
        cost_share: CostShare | str = "proportional",
    ) -> World:
        """Any finite metric space: ``distance(x, y)`` in [0, 1] between any two points.

        ``points`` are the non-superpowers' locations, ``candidates`` the set L where the
        club goods may be placed, ``home_a``/``home_b`` (or ``homes``, K of them) the
        superpowers' locations.
        """
        if distance is None or not callable(distance):
            raise SpheresInputError(f"distance must be a function of two points, got {distance!r}")
        pts, cands = list(points), list(candidates)
        if not pts:
            raise SpheresInputError("points must hold at least one non-superpower (got 0)")
        if not cands:
            raise SpheresInputError("candidates (the set L) must not be empty")
        g_rows, home_list, sp_omega = _superpower_inputs(g_a, g_b, omega_a, omega_b, home_a, home_b, g, homes, superpower_omega)
        _check_world_size(len(pts), len(cands), len(g_rows))
        d = np.array([[distance(p, c) for c in cands] for p in pts], dtype=float)
        n = len(pts)
        return cls(
            distance=d,
            home_distance=np.array([[distance(h, c) for c in cands] for h in home_list], dtype=float),
            g=np.vstack([_broadcast(f"g[{k}]" if g is not None else ("g_a", "g_b")[k], row, n, **_G) for k, row in enumerate(g_rows)]),
            omega=_broadcast("omega", 1.0 if omega is None else omega, n, **_OMEGA),
            superpower_omega=sp_omega,
            locations=np.array(cands, dtype=object),
            homes=tuple(home_list),
            names=tuple(names),
            superpowers=tuple(superpowers),
            cost_share=_cost_share(cost_share),
        )

    # -- sizes and the superpowers --------------------------------------------------------
    @property
    def n_countries(self) -> int:
        return self.distance.shape[0]

    @property
    def n_locations(self) -> int:
        return self.distance.shape[1]

    @property
    def n_superpowers(self) -> int:
        return self.g.shape[0]

    def index_of(self, superpower) -> int:
        """The index (move order) of a superpower given by index or by name."""
        if isinstance(superpower, (int, np.integer)) and not isinstance(superpower, bool):
            if 0 <= int(superpower) < self.n_superpowers:
                return int(superpower)
        elif superpower in self.superpowers:
            return self.superpowers.index(superpower)
        raise SpheresInputError(
            f"superpower {superpower!r} is not one of: {', '.join(self.superpowers)} "
            f"(or an index in [0, {self.n_superpowers - 1}])"
        )

    def benefit_of(self, superpower) -> np.ndarray:
        """(N, L): g_ie (1 - d(i, l)) for superpower e."""
        return self.benefit[self.index_of(superpower)]

    def home_distance_of(self, superpower) -> np.ndarray:
        return self.home_distance[self.index_of(superpower)]

    def superpower_weight_of(self, superpower) -> float:
        return float(self.superpower_weight[self.index_of(superpower)])

    def home_index(self, superpower) -> int:
        """The candidate location closest to the superpower's home (the first one on a tie)."""
        return int(np.argmin(self.home_distance_of(superpower)))

    # the paper's two superpowers (a = 0, b = 1)
    g_a = property(lambda self: self.g[0])
    g_b = property(lambda self: self.g[1])
    omega_a = property(lambda self: float(self.superpower_omega[0]))
    omega_b = property(lambda self: float(self.superpower_omega[1]))
    home_distance_a = property(lambda self: self.home_distance[0])
    home_distance_b = property(lambda self: self.home_distance[1])
    home_a = property(lambda self: None if self.homes is None else self.homes[0])
    home_b = property(lambda self: None if self.homes is None else self.homes[1])

    # -- conveniences -------------------------------------------------------------------
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
        """A copy of the world with the endowment of the country at array index ``i`` (from 0) set to ``value``."""
        i = check_count("country index", i, low=0, high=self.n_countries - 1)
        omega = self.omega.copy()
        omega[i] = check_scalar(f"omega of country {self.names[i]}", value, low=0.0, low_open=True, high=np.inf, high_open=True)
        return self.replace(omega=omega)

    def in_order(self, order: Sequence[str]) -> World:
        """The same world with the superpowers moving in ``order`` (their names, each once)."""
        order = list(order)
        unknown = [x for x in order if x not in self.superpowers]
        if unknown:
            raise SpheresInputError(f"order names unknown superpower(s) {unknown}; the superpowers are {', '.join(self.superpowers)}")
        if sorted(order) != sorted(self.superpowers):
            raise SpheresInputError(f"order {order} must name each superpower ({', '.join(self.superpowers)}) exactly once")
        perm = [self.superpowers.index(x) for x in order]
        return self.replace(
            home_distance=self.home_distance[perm], g=self.g[perm], superpower_omega=self.superpower_omega[perm],
            homes=None if self.homes is None else tuple(self.homes[i] for i in perm), superpowers=tuple(order),
        )

    def replace(self, **changes) -> World:
        """A copy with some fields changed; only those are validated again (cheap in sweeps over g or omega)."""
        unknown = set(changes) - set(_FIELDS)
        if unknown:
            raise SpheresInputError(f"World.replace: unknown field(s) {sorted(unknown)}; fields: {', '.join(sorted(_FIELDS))}")
        new = object.__new__(World)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        new._check(frozenset(changes))
        return new

    @classmethod
    def from_csv(cls, path) -> World:
        """The world a world file describes (format: docs/world_files.md); errors name the file and line."""
        from games.club.worldfile import read_world  # pandas, imported only when a file is read

        return read_world(path)


_FIELDS = frozenset(
    "distance home_distance g omega superpower_omega locations positions homes names superpowers cost_share".split()
)


@functools.lru_cache(maxsize=16)
def _symmetric_line(n: int, cost_share: CostShare) -> World:
    """The line of Section 3 with n - 1 countries (dependencies 0; ``World.symmetric`` sets them)."""
    _check_world_size(n - 1, n + 1, 2)
    grid = np.arange(n + 1) / n
    return World.on_line(grid[1:-1], 0.0, 0.0, home_a=0.0, home_b=1.0, locations=grid, cost_share=cost_share)


@functools.lru_cache(maxsize=64)
def _default_names(n: int) -> tuple[str, ...]:
    return tuple(f"{i + 1}" for i in range(n))


def _same_point(x, y) -> bool:
    try:
        return bool(np.isclose(float(x), float(y), rtol=0.0, atol=1e-12))
    except (TypeError, ValueError):
        return x == y


def _superpower_inputs(g_a, g_b, omega_a, omega_b, home_a, home_b, g, homes, superpower_omega):
    """Either the paper's (g_a, g_b, omega_a, omega_b, home_a, home_b) or K-superpower (g, homes, superpower_omega)."""
    if g is None:
        if homes is not None or superpower_omega is not None:
            raise SpheresInputError("homes and superpower_omega go with g (K superpowers); with g_a/g_b use home_a/home_b and omega_a/omega_b")
        if g_a is None or g_b is None:
            raise SpheresInputError("give the dependencies g_a and g_b (two superpowers) or g (one row per superpower)")
        sp = np.array([check_scalar("omega_a", omega_a, **_OMEGA), check_scalar("omega_b", omega_b, **_OMEGA)])
        if isinstance(home_a, numbers.Real) or isinstance(home_b, numbers.Real):  # points on a line
            home_a, home_b = check_scalar("home_a", home_a, **_G), check_scalar("home_b", home_b, **_G)
        return [g_a, g_b], [home_a, home_b], sp
    if g_a is not None or g_b is not None:
        raise SpheresInputError("give either g_a/g_b (two superpowers) or g (one row per superpower), not both")
    rows = list(g)
    k = len(rows)
    if not 2 <= k <= MAX_SUPERPOWERS:
        raise SpheresInputError(f"the number of superpowers K = {k} is outside the allowed range [2, {MAX_SUPERPOWERS}]")
    if homes is None or len(list(homes)) != k:
        raise SpheresInputError(f"homes must hold one point per superpower ({k})")
    sp = np.ones(k) if superpower_omega is None else check_array(
        "superpower_omega", superpower_omega, low=0.0, low_open=True, high=np.inf, high_open=True, length=k)
    return rows, list(homes), sp


def _check_world_size(n: int, n_locations: int, k: int) -> None:
    """Refuse a world whose (N, L) tables would not fit in memory, before building them."""
    check_memory("the world", 8.0 * n * n_locations * (k + 3),
                 f"{n} countries x {n_locations} locations x {k} superpowers of float64 tables")


def _broadcast(name: str, value, n: int, **limits) -> np.ndarray:
    if value is None or isinstance(value, (str, bytes)):
        raise SpheresInputError(f"{name} must be a number or one number per country, got {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise SpheresInputError(f"{name} must be numeric, got {value!r}") from exc
    if np.ndim(arr) == 0:
        arr = np.full(n, float(arr))
    return check_array(name, arr, length=n, **limits)


_G = {"low": 0.0, "high": 1.0}
_OMEGA = {"low": 0.0, "low_open": True, "high": np.inf, "high_open": True}


def _cost_share(value: CostShare | str) -> CostShare:
    if isinstance(value, CostShare):
        return value
    check_choice("cost_share", value, list(COST_SHARES))
    return COST_SHARES[value]


# --------------------------------------------------------------------------- many worlds at once
class WorldBatch:
    """Worlds of one shape (N countries, L locations, K superpowers), stacked along a first axis.

    The processes and the backward induction index it by a world number per batch row, so
    one vectorised pass serves a sweep over many worlds (the Figure 5 map is 10,201 of
    them). Tables that all the worlds share (the distances, usually) are stored once.
    """

    def __init__(self, worlds: Sequence[World]):
        worlds = list(worlds)
        if not worlds:
            raise SpheresInputError("worlds must hold at least one World")
        for i, w in enumerate(worlds):
            if not isinstance(w, World):
                raise SpheresInputError(f"worlds[{i}] must be a World, got {type(w).__name__}")
        first = worlds[0]
        shape = (first.n_countries, first.n_locations, first.n_superpowers)
        for i, w in enumerate(worlds):
            if (w.n_countries, w.n_locations, w.n_superpowers) != shape:
                raise SpheresInputError(
                    f"worlds[{i}] has {w.n_countries} countries, {w.n_locations} locations and {w.n_superpowers} "
                    f"superpowers; worlds solved together must share the shape of worlds[0] {shape}")
        self.worlds = worlds
        self.n_countries, self.n_locations, self.n_superpowers = shape
        self.g = np.stack([w.g for w in worlds])  # (W, K, N)
        self.weight = np.stack([w.weight for w in worlds])  # (W, N)
        self.omega = np.stack([w.omega for w in worlds])
        self.sp_weight = np.stack([w.superpower_weight for w in worlds])  # (W, K)
        self.sp_omega = np.stack([w.superpower_omega for w in worlds])
        self.distance_t = _shared_stack([w.distance.T for w in worlds])  # (1 or W, L, N): location-major
        self.home_distance = _shared_stack([w.home_distance for w in worlds])  # (1 or W, K, L)

    def __len__(self) -> int:
        return len(self.worlds)

    def distance_to(self, wi, loc) -> np.ndarray:
        """Every country's distance to location ``loc`` of its row's world: (R, N) for ``loc`` (R,), (R, m, N) for (R, m)."""
        loc = np.asarray(loc)
        if self.distance_t.shape[0] == 1:
            return self.distance_t[0][loc]
        wi = np.asarray(wi)
        return self.distance_t[wi.reshape(wi.shape + (1,) * (loc.ndim - 1)), loc]

    def benefit(self, wi, k, loc) -> np.ndarray:
        """(R, N): each country's benefit g_ik (1 - d(i, l)) from superpower ``k``'s good at ``loc`` (per row)."""
        wi = np.asarray(wi)
        return self.g[wi, k] * (1.0 - self.distance_to(wi, loc))

    def benefit_in(self, wi, club, locs) -> np.ndarray:
        """(R, N): each country's benefit from the club it is in (``club`` (R, N), -1: none, then 0), goods at ``locs`` (R, K)."""
        wi = np.asarray(wi)
        n = club.shape[1]
        member = club >= 0
        c = np.where(member, club, 0)
        loc = np.where(member, np.take_along_axis(locs, c, axis=1), 0)
        countries = np.arange(n)[None, :]
        if self.distance_t.shape[0] == 1:
            dist = self.distance_t[0][loc, countries]
        else:
            dist = self.distance_t[wi[:, None], loc, countries]
        return np.where(member, self.g[wi[:, None], c, countries] * (1.0 - dist), 0.0)

    def home_distance_of(self, wi, k, loc) -> np.ndarray:
        """(R,): superpower ``k``'s distance from home to ``loc`` (per row)."""
        wi = np.asarray(wi)
        h = wi if len(self.home_distance) > 1 else np.zeros_like(wi)
        return self.home_distance[h, k, np.asarray(loc)]

    def home_distances(self, wi, k) -> np.ndarray:
        """(R, L): superpower ``k``'s distance from home to every location (per row)."""
        h = np.asarray(wi) if len(self.home_distance) > 1 else np.zeros(len(wi), dtype=np.int64)
        return self.home_distance[h, k]


def _shared_stack(arrays: list[np.ndarray]) -> np.ndarray:
    first = arrays[0]
    if all(a is first or np.array_equal(a, first) for a in arrays[1:]):
        return np.ascontiguousarray(first)[None]
    return np.stack(arrays)
