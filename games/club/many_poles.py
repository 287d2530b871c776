"""A symmetric world with K superpowers: the analogue of Section 3.1.1 (Figure 6) for three poles.

On Section 3's line the two superpowers sit at the ends and differ only in when they move.
With three, no line is symmetric (the middle pole would be special), so the analogue is a
circle: ``n`` evenly spaced points (``n`` a multiple of K), the K superpowers' homes at K of
them, equally spaced (0, 1/K, 2/K, ...), a country at every other point, L = all ``n``
points, every dependency ``g``, every endowment 1. The distance is the arc length over half
the circumference, so antipodes are at distance 1, as the line's two ends are. The only
difference between the superpowers is again the order in which they move.

The no-hegemon threshold (proved in docs/many_poles.md, tested against the solver):
below ``g_none(n)`` no superpower can hold any club; at it the first mover forms one at home.

    g_none(n) = n / max_m (2m + 1)(n - 2m),   the max over m in {floor((n-1)/4), ceil((n-1)/4)}

(a club of the 2m countries nearest a home: its farthest members, 2m/n away, pay 1/(2m + 1)).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from games.club.core import World
from games.club.solver import Rules, solve_many
from games.validation import SpheresInputError, check_count, check_scalar


def circle_distance(x: float, y: float) -> float:
    """Arc length between two points of the unit circle (coordinates in [0, 1)), over half the circumference."""
    d = abs(x - y) % 1.0
    return 2.0 * min(d, 1.0 - d)


def symmetric_poles(n: int = 30, g: float = 0.2, k: int = 3) -> World:
    """The symmetric circle: ``n`` points, K superpowers at 0, 1/K, ... (named a, b, c, ...), countries at the other points."""
    k = check_count("k (superpowers)", k, low=2, high=26)
    n = check_count("n", n, low=2 * k, high=3000)
    if n % k:
        raise SpheresInputError(f"n = {n} must be a multiple of k = {k} (the homes sit on the grid of n points)")
    check_scalar("g", g, low=0.0, high=1.0)
    base = _circle(n, k)
    return base.replace(g=np.full((k, base.n_countries), float(g)))


_CIRCLES: dict[tuple[int, int], World] = {}


def _circle(n: int, k: int) -> World:
    if (n, k) not in _CIRCLES:
        grid = np.arange(n) / n
        countries = [x for i, x in enumerate(grid) if i % (n // k)]
        _CIRCLES[(n, k)] = World.from_metric(
            countries, list(grid), distance=circle_distance, g=np.zeros((k, len(countries))),
            homes=[j / k for j in range(k)], superpower_omega=np.ones(k),
        )
    return _CIRCLES[(n, k)]


def g_none(n: int) -> Fraction:
    """The no-hegemon threshold of the symmetric three-pole circle (exact): no club below it, a's club at it."""
    n = check_count("n", n, low=6)
    best = max((2 * m + 1) * (n - 2 * m) for m in {math.floor((n - 1) / 4), math.ceil((n - 1) / 4)} if 1 <= m < n // 3)
    return Fraction(n, best)


def sweep(n: int, gs, k: int = 3, rules: Rules | None = None):
    """The equilibrium at each g (one vectorised solve): a table with each superpower's location and club size.

    Returns a pandas DataFrame with columns g, clubs (how many form), and per superpower
    ``location_<name>`` (NaN: no club) and ``size_<name>``.
    """
    import pandas as pd

    gs = [check_scalar("g", x, low=0.0, high=1.0) for x in gs]
    if not gs:
        raise SpheresInputError("the sweep needs at least one value of g")
    worlds = [symmetric_poles(n, g, k) for g in gs]
    rows = []
    for g, out in zip(gs, solve_many(worlds, rules)):
        row = {"g": g, "clubs": sum(i is not None for i in out.indices)}
        for e, name in enumerate(out.world.superpowers):
            loc = out.location(e)
            row[f"location_{name}"] = float("nan") if loc is None else float(loc)
            row[f"size_{name}"] = out.size(e)
        rows.append(row)
    return pd.DataFrame(rows)
