"""The papers' figures that are sweeps, declared as experiments.

``run.py figures`` (through :mod:`experiments.sweeps` and :mod:`experiments.maps`) and
``run.py experiment examples/experiments/figure5.toml`` run these same declarations; a test
holds each example file equal to the definition here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from experiments.designs import Factor
from experiments.games import AllianceGame, ClubGame
from experiments.spec import Experiment

__all__ = ["figure5", "dependency_sweep", "alliance_map", "SWEEP_OUTPUTS"]

SWEEP_OUTPUTS = ("location_a", "location_b", "size_a", "size_b", "payoff_a", "payoff_b", "stage_one_a")


def figure5(n: int = 31, points: int = 101) -> Experiment:
    """Figure 5: who forms a club at every (g_a, g_b) of a ``points`` x ``points`` grid of [0, 1]^2."""
    return Experiment(
        ClubGame("section3", params={"n": n}),
        factors=(Factor("g_a", range=(0.0, 1.0), points=points), Factor("g_b", range=(0.0, 1.0), points=points)),
        outputs=("size_a", "size_b", "regime"),
        name="figure5",
        description=f"Figure 5 of The Power of Non-Superpowers: who forms a club, n = {n}, {points} x {points} grid",
    )


def dependency_sweep(n: int, g: Sequence[float], *, asymmetric: bool = False) -> Experiment:
    """Figures 6 (g_a = g_b = g) and 7 (g_a = g, g_b = 1 - g): the equilibrium at each g, and
    a's choice without b (a myopic leader's choice is exactly a's optimum when b does not exist)."""
    return Experiment(
        ClubGame("section3", params={"n": n}),
        factors=(Factor("g_a", levels=tuple(float(x) for x in np.asarray(g, dtype=float))),
                 Factor("rule_a", levels=("equilibrium", "myopic"))),
        derived={"g_b": "1 - g_a"} if asymmetric else {},
        outputs=SWEEP_OUTPUTS,
        name="figure7" if asymmetric else "figure6",
        description=("Figure 7: the asymmetric case g_b = 1 - g_a" if asymmetric else "Figure 6: the symmetric case g_a = g_b")
        + f", n = {n}; rule_a = myopic gives a's location without b",
    )


def alliance_map(base, x_name: str, y_name: str, xs: Sequence[float], ys: Sequence[float], *, n_demands: int = 6,
                 n_offers: int = 20, off_path_belief="uncommitted") -> Experiment:
    """The alliance game's equilibrium map: the labels of every pure PBE at each (x, y) cell
    (``base``: an example name or ``AllianceParams``)."""
    params = {"n_demands": n_demands, "n_offers": n_offers, "off_path_belief": off_path_belief}
    return Experiment(
        AllianceGame(example=base, params=params) if isinstance(base, str) else AllianceGame(base=base, params=params),
        factors=(Factor(y_name, levels=tuple(float(y) for y in ys)), Factor(x_name, levels=tuple(float(x) for x in xs))),
        outputs=("labels",),
        name="alliance-map",
        description=f"The alliance game's pure PBE over ({x_name}, {y_name})",
    )
