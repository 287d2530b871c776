"""Parameter sweeps behind the paper's Figures 5-7: many equilibria, tidy arrays out.

Each sweep is an experiment of :mod:`experiments.paper`, run in memory by the experiment
engine (the code path of ``run.py experiment``), and reshaped into a dict of numpy arrays
(and the parameter grid), ready for a table or a plot. ``progress`` is any callable
wrapping an iterable (e.g. ``tqdm``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from experiments import evaluate, paper
from experiments.games import REGIMES
from games.club.core import World
from games.club.solver import solve
from games.validation import SpheresInputError

CLUB_NONE, CLUB_A, CLUB_B, CLUB_BOTH = 0, 1, 2, 3
"""Codes of who forms a club (Figure 5), in the order of ``experiments.games.REGIMES``."""


def _check_n(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 3:
        raise SpheresInputError(f"n = {n!r} must be an integer >= 3")
    return int(n)


def _check_points(name: str, points: int) -> int:
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 2:
        raise SpheresInputError(f"{name} = {points!r} must be an integer >= 2")
    return int(points)


def dependency_sweep(n: int, g: np.ndarray, *, asymmetric: bool = False, progress: Callable | None = None) -> dict[str, np.ndarray]:
    """The equilibrium along a diagonal of Figure 5: g_a = g_b = g (symmetric, Figure 6) or
    g_a = g, g_b = 1 - g (asymmetric, Figure 7). Also the leader's location without b
    (a myopic leader's choice is exactly a's optimum when b does not exist)."""
    g = np.asarray(g, dtype=float)
    table = evaluate(paper.dependency_sweep(_check_n(n), g, asymmetric=asymmetric), progress=progress, on_failure="raise")
    with_b = table[table["rule_a"] == "equilibrium"]
    alone = table[table["rule_a"] == "myopic"]
    data = {k: with_b[k].to_numpy() for k in ("location_a", "location_b", "size_a", "size_b", "payoff_a", "payoff_b")}
    data["location_a_without_b"] = alone["location_a"].to_numpy()
    data["size_a_without_b"] = alone["stage_one_a"].to_numpy()
    data["g"] = g
    return data


def power_map(n: int, points: int = 101, *, progress: Callable | None = None) -> dict[str, np.ndarray]:
    """Figure 5: who forms a club for every (g_a, g_b) on a ``points`` x ``points`` grid of [0, 1]^2.

    ``who[i, j]`` is CLUB_NONE/CLUB_A/CLUB_B/CLUB_BOTH at g_a = grid[i], g_b = grid[j];
    ``asymmetric[i, j]`` marks cells where only a forms a club while at the mirror
    point (g_a, g_b) = (grid[j], grid[i]) only b does not (the circled dots).
    """
    n, points = _check_n(n), _check_points("points", points)
    table = evaluate(paper.figure5(n, points), progress=progress, on_failure="raise")
    shape = (points, points)
    who = table["regime"].map(REGIMES.index).to_numpy().reshape(shape)
    asymmetric = (who == CLUB_A) & (who.T != CLUB_B)
    return {"grid": np.linspace(0.0, 1.0, points), "who": who, "size_a": table["size_a"].to_numpy().reshape(shape),
            "size_b": table["size_b"].to_numpy().reshape(shape), "asymmetric": asymmetric}


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
