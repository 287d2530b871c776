"""Equilibrium maps: which equilibria hold over a grid of two parameters.

The map is an experiment of :mod:`experiments.paper` run in memory by the experiment engine
(the code path of ``run.py experiment``): each cell runs the exhaustive search
(:func:`games.alliance.solver.solve`) and records the set of labels of the equilibria found
('Separating 1'.., or a short description such as 'pool withdraw'); cells where the
parameters break a joint constraint or assumptions (1)-(2) get the label 'outside
assumptions'. The propositions' regions do not depend on the grids (they hold the named
values a*, a_bar, p_h - p_m), so coarse grids are the default here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from experiments import evaluate, paper
from experiments.games import NONE_FOUND, OUTSIDE
from games.alliance.params import _RANGES, AllianceParams, to_fraction
from games.validation import SpheresInputError, check_choice

__all__ = ["EquilibriumMap", "equilibrium_map", "OUTSIDE", "NONE_FOUND"]


@dataclass
class EquilibriumMap:
    x_name: str
    y_name: str
    xs: np.ndarray
    ys: np.ndarray
    labels: list  # labels[j][i]: frozenset of labels at (xs[i], ys[j])
    base: AllianceParams

    def regions(self) -> list[frozenset]:
        """Distinct label sets, in order of first appearance."""
        seen: list[frozenset] = []
        for row in self.labels:
            for cell in row:
                if cell not in seen:
                    seen.append(cell)
        return seen

    def region_index(self) -> np.ndarray:
        regions = self.regions()
        return np.array([[regions.index(cell) for cell in row] for row in self.labels])


def _axis(name: str, lo, hi, n: int) -> np.ndarray:
    lo_f, hi_f = float(to_fraction(f"{name} range start", lo)), float(to_fraction(f"{name} range end", hi))
    if not lo_f < hi_f:
        raise SpheresInputError(f"{name} range must go from low to high, got [{lo_f:g}, {hi_f:g}]")
    return np.round(np.linspace(lo_f, hi_f, n), 6)


def equilibrium_map(
    base: AllianceParams,
    x_name: str = "l",
    y_name: str = "pi",
    x_range=(-0.9, 0.9),
    y_range=(0.01, 0.2),
    resolution: int = 21,
    n_demands: int = 6,
    n_offers: int = 20,
    off_path_belief_rule="uncommitted",
) -> EquilibriumMap:
    """Run the search on a ``resolution`` x ``resolution`` grid of (x_name, y_name)."""
    names = tuple(_RANGES)
    check_choice("x parameter", x_name, names)
    check_choice("y parameter", y_name, names)
    if x_name == y_name:
        raise SpheresInputError(f"the map needs two different parameters, got {x_name!r} twice")
    if isinstance(resolution, bool) or not isinstance(resolution, int) or not 2 <= resolution <= 200:
        raise SpheresInputError(f"resolution = {resolution!r} must be an integer in [2, 200]")
    xs = _axis(x_name, *x_range, resolution)
    ys = _axis(y_name, *y_range, resolution)
    experiment = paper.alliance_map(base, x_name, y_name, xs, ys, n_demands=n_demands, n_offers=n_offers,
                                    off_path_belief=off_path_belief_rule)
    table = evaluate(experiment, on_failure="raise")
    cells = [frozenset(text.split("; ")) for text in table["labels"]]
    labels = [cells[j * resolution:(j + 1) * resolution] for j in range(resolution)]
    return EquilibriumMap(x_name, y_name, xs, ys, labels, base)
