"""Parameter sweeps behind the paper's Figures 5-7: many equilibria, tidy arrays out.

Each sweep solves one Section 3 world per parameter value with the fast solver and
returns a dict of numpy arrays (and the parameter grid), ready for a table or a plot.
``progress`` is any callable wrapping an iterable (e.g. ``tqdm``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from games.club.core import World
from games.club.solver import Rules, rules_from_names, solve
from games.validation import SpheresInputError

CLUB_NONE, CLUB_A, CLUB_B, CLUB_BOTH = 0, 1, 2, 3
"""Codes of who forms a club (Figure 5)."""


def _identity(it: Iterable, **_) -> Iterable:
    return it


def _check_n(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 3:
        raise SpheresInputError(f"n = {n!r} must be an integer >= 3")
    return int(n)


def _check_points(name: str, points: int) -> int:
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 2:
        raise SpheresInputError(f"{name} = {points!r} must be an integer >= 2")
    return int(points)


def _record(outcomes) -> dict[str, np.ndarray]:
    nan = float("nan")
    return {
        "location_a": np.array([nan if o.index_a is None else o.location_a for o in outcomes]),
        "location_b": np.array([nan if o.index_b is None else o.location_b for o in outcomes]),
        "size_a": np.array([o.size_a for o in outcomes]),
        "size_b": np.array([o.size_b for o in outcomes]),
        "payoff_a": np.array([o.payoff_a for o in outcomes]),
        "payoff_b": np.array([o.payoff_b for o in outcomes]),
    }


def dependency_sweep(
    n: int,
    g: np.ndarray,
    *,
    asymmetric: bool = False,
    rules: Rules | None = None,
    progress: Callable = _identity,
) -> dict[str, np.ndarray]:
    """The equilibrium along a diagonal of Figure 5: g_a = g_b = g (symmetric, Figure 6) or
    g_a = g, g_b = 1 - g (asymmetric, Figure 7). Also the leader's location without b
    (a myopic leader's choice is exactly a's optimum when b does not exist)."""
    n = _check_n(n)
    g = np.asarray(g, dtype=float)
    worlds = [World.symmetric(n, float(x), float(1 - x) if asymmetric else float(x)) for x in g]
    label = "Figure 7 sweep" if asymmetric else "Figure 6 sweep"
    outs = [solve(w, rules) for w in progress(worlds, desc=label)]
    data = _record(outs)
    myopic = rules_from_names(a="myopic")
    alone = [solve(w, myopic) for w in progress(worlds, desc=label + " (without b)")]
    data["location_a_without_b"] = np.array([float("nan") if o.index_a is None else o.location_a for o in alone])
    data["size_a_without_b"] = np.array([int(o.stage_one.sum()) for o in alone])
    data["g"] = g
    return data


def power_map(n: int, points: int = 101, *, rules: Rules | None = None, progress: Callable = _identity) -> dict[str, np.ndarray]:
    """Figure 5: who forms a club for every (g_a, g_b) on a ``points`` x ``points`` grid of [0, 1]^2.

    ``who[i, j]`` is CLUB_NONE/CLUB_A/CLUB_B/CLUB_BOTH at g_a = grid[i], g_b = grid[j];
    ``asymmetric[i, j]`` marks cells where only a forms a club while at the mirror
    point (g_a, g_b) = (grid[j], grid[i]) only b does not (the circled dots).
    """
    n = _check_n(n)
    points = _check_points("points", points)
    grid = np.linspace(0.0, 1.0, points)
    who = np.zeros((points, points), dtype=int)
    size_a = np.zeros((points, points), dtype=int)
    size_b = np.zeros((points, points), dtype=int)
    cells = [(i, j) for i in range(points) for j in range(points)]
    for i, j in progress(cells, desc="Figure 5 map"):
        o = solve(World.symmetric(n, float(grid[i]), float(grid[j])), rules)
        who[i, j] = (o.index_a is not None and o.size_a > 0) * CLUB_A + (o.index_b is not None and o.size_b > 0) * CLUB_B
        size_a[i, j], size_b[i, j] = o.size_a, o.size_b
    asymmetric = (who == CLUB_A) & (who.T != CLUB_B)
    return {"grid": grid, "who": who, "size_a": size_a, "size_b": size_b, "asymmetric": asymmetric}


def _bisect(regime: Callable[[float], object], lo: float, hi: float, tol: float = 1e-10) -> float:
    """The g where ``regime(g)`` switches from its value at ``lo`` (assumed to hold up to it)."""
    left = regime(lo)
    if regime(hi) == left:
        return float("nan")
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if regime(mid) == left:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def proposition_thresholds(n: int) -> list[dict]:
    """Each threshold of Propositions 1 and 2: the paper's closed form and where the solver switches.

    The solver's switch is found by bisection (to 1e-10) on the regime the proposition
    names, inside the bracket where the proposition says that switch happens.
    """
    from games.club import theory as th

    n = _check_n(n)

    def sym(g):
        return solve(World.symmetric(n, g))

    def asym(g):
        return solve(World.symmetric(n, g, 1 - g))

    def hegemons(o):
        return (o.index_a is not None, o.index_b is not None)

    rows = [
        ("g_U", "Prop. 1: no club -> only a", th.g_unipolar(n), lambda g: hegemons(sym(g)), 0.0, th.g_bipolar(n)),
        ("g_B", "Prop. 1: only a -> both", th.g_bipolar(n), lambda g: hegemons(sym(g)), th.g_unipolar(n) + 1e-6, th.g_bipolar_home(n)),
        ("g_B^h", "Prop. 1: b at (n-1)/n -> b at home", th.g_bipolar_home(n), lambda g: sym(g).location_b, th.g_bipolar(n) + 1e-6, 1.0),
        ("g_B (lower)", "Prop. 2: only b -> both", th.g_b_unipolar(n), lambda g: hegemons(asym(g)), 1e-9, 0.5),
        ("g_B^h (lower)", "Prop. 2: a compromises -> a at home", th.g_a_home(n), lambda g: asym(g).location_a == 0.0, th.g_b_unipolar(n) + 1e-6, 0.5),
        ("g_= (lower)", "Prop. 2: delta_a < delta_b -> equal", th.g_equal_low(n), lambda g: np.sign(asym(g).size_a - asym(g).size_b), th.g_a_home(n), 0.5),
        ("g_= (upper)", "Prop. 2: equal -> delta_a > delta_b", th.g_equal_high(n), lambda g: np.sign(asym(g).size_a - asym(g).size_b), 0.5, th.g_b_home(n)),
        ("g_B^h (upper)", "Prop. 2: b at home -> b compromises", th.g_b_home(n), lambda g: asym(g).location_b == 1.0, 0.5, th.g_a_unipolar(n) - 1e-6),
        ("g_B (upper)", "Prop. 2: both -> only a", th.g_a_unipolar(n), lambda g: hegemons(asym(g)), 0.5, 1 - 1e-9),
    ]
    out = []
    for name, what, closed, regime, lo, hi in rows:
        found = _bisect(regime, lo, hi)
        out.append({"threshold": name, "switch": what, "paper": closed, "solver": found, "difference": found - closed})
    return out
