"""Designs: which runs an experiment makes, as a table with one row per run.

A factor either has **levels** (a list, or ``range`` with ``points`` evenly spaced values) or
only a **range** [low, high]. Factors with levels are always *crossed*: every combination of
their levels is run. Factors with only a range are *sampled* by the design:

===================  ==================================================================
``full-factorial``   every factor needs levels; the runs are all their combinations
``latin-hypercube``  ``samples`` points of a Latin hypercube over the ranges (SALib)
``sobol``            Saltelli's scheme for Sobol indices: ``samples`` (a power of 2)
                     x (2D + 2) points, or x (D + 2) without second-order indices (SALib)
``morris``           ``samples`` Morris trajectories of D + 1 points on a ``levels`` grid
``list``             the runs given one by one (``runs``, each a table of parameter values)
===================  ==================================================================

The sampled (or listed) points are crossed with the factors that have levels, so a Sobol
design over (g_a, g_b) with ``rule_a`` levels gives one Sobol sample per rule. Integer
parameters in a sampled range are drawn uniformly over the integers in it.

Every design point is run ``replications`` times. Run ``r`` of point ``p`` is row
``p * replications + r``; its seed comes from the experiment's ``seed``: with common random
numbers (the default) replication ``r`` gets the same seed at every point, otherwise every
(point, replication) gets its own. Seeds, like everything here, depend only on the
experiment, never on how or where it runs.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from games.validation import SpheresInputError

__all__ = ["Factor", "Design", "DESIGNS", "SAMPLED", "count_points", "generate", "salib_problem"]

DESIGNS = ("full-factorial", "latin-hypercube", "sobol", "morris", "list")
SAMPLED = ("latin-hypercube", "sobol", "morris")
RUN_COLUMNS = ("run", "point", "replication", "seed")
"""The columns every results table starts with."""


@dataclass(frozen=True)
class Factor:
    """A parameter the experiment varies: ``levels``, or ``range`` = (low, high) with
    ``points`` evenly spaced levels, or ``range`` alone (sampled by the design)."""

    name: str
    levels: tuple | None = None
    range: tuple[float, float] | None = None
    points: int | None = None

    def __post_init__(self) -> None:
        where = f"factors.{self.name}"
        if self.levels is not None:
            if self.range is not None or self.points is not None:
                raise SpheresInputError(f"{where}: give levels, or range (with points), not both")
            levels = tuple(self.levels) if isinstance(self.levels, (list, tuple, np.ndarray)) else None
            if not levels:
                raise SpheresInputError(f"{where}.levels must be a non-empty list")
            if len(set(levels)) != len(levels):
                raise SpheresInputError(f"{where}.levels repeats a level")
            object.__setattr__(self, "levels", tuple(x.item() if isinstance(x, np.generic) else x for x in levels))
            return
        if self.range is None:
            raise SpheresInputError(f"{where} needs levels or range")
        rng = tuple(self.range) if isinstance(self.range, (list, tuple)) else ()
        if len(rng) != 2 or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in rng):
            raise SpheresInputError(f"{where}.range must be [low, high], got {self.range!r}")
        if not (math.isfinite(rng[0]) and math.isfinite(rng[1]) and rng[0] < rng[1]):
            raise SpheresInputError(f"{where}.range = {list(rng)} must go from low to high (finite numbers)")
        object.__setattr__(self, "range", (float(rng[0]), float(rng[1])))
        if self.points is not None and (isinstance(self.points, bool) or not isinstance(self.points, int) or self.points < 2):
            raise SpheresInputError(f"{where}.points = {self.points!r} must be an integer >= 2")

    @property
    def sampled(self) -> bool:
        """Drawn by the design (a range without points), not crossed."""
        return self.levels is None and self.points is None

    def values(self) -> tuple:
        """The levels (``range`` with ``points``: evenly spaced, both ends included)."""
        if self.levels is not None:
            return self.levels
        if self.points is None:
            raise SpheresInputError(f"factors.{self.name} has a range but no levels or points")
        return tuple(float(x) for x in np.linspace(self.range[0], self.range[1], self.points))


@dataclass(frozen=True)
class Design:
    """How the runs are chosen (see the module docstring): ``kind``, ``samples`` (sampled
    designs), ``second_order`` (Sobol), ``levels`` (Morris grid), ``runs`` (list)."""

    kind: str = "full-factorial"
    samples: int | None = None
    second_order: bool = True
    levels: int = 4
    runs: tuple = field(default=())

    def __post_init__(self) -> None:
        if self.kind not in DESIGNS:
            raise SpheresInputError(f"design.kind = {self.kind!r} is not one of: {', '.join(DESIGNS)}")
        if self.kind in SAMPLED:
            if isinstance(self.samples, bool) or not isinstance(self.samples, int) or self.samples < 1:
                raise SpheresInputError(f"design.samples = {self.samples!r} must be an integer >= 1 for a {self.kind} design")
            if self.kind == "sobol" and self.samples & (self.samples - 1):
                raise SpheresInputError(f"design.samples = {self.samples} must be a power of 2 for a Sobol design (Saltelli's scheme)")
        elif self.samples is not None:
            raise SpheresInputError(f"design.samples applies to {', '.join(SAMPLED)} designs, not {self.kind}")
        if not isinstance(self.second_order, bool):
            raise SpheresInputError(f"design.second_order = {self.second_order!r} must be true or false")
        if isinstance(self.levels, bool) or not isinstance(self.levels, int) or self.levels < 2 or self.levels % 2:
            raise SpheresInputError(f"design.levels = {self.levels!r} must be an even integer >= 2 (Morris grid)")
        runs = tuple(dict(r) if isinstance(r, Mapping) else r for r in self.runs)
        if self.kind == "list":
            if not runs or not all(isinstance(r, dict) and r for r in runs):
                raise SpheresInputError("design.runs must be a non-empty list of tables of parameter values for a list design")
            keys = set(runs[0])
            for i, r in enumerate(runs):
                if set(r) != keys:
                    raise SpheresInputError(f"design.runs[{i}] sets {sorted(r)}; every run must set the same parameters {sorted(keys)}")
        elif runs:
            raise SpheresInputError(f"design.runs applies to list designs, not {self.kind}")
        object.__setattr__(self, "runs", runs)

    def list_names(self) -> tuple[str, ...]:
        return tuple(self.runs[0]) if self.kind == "list" else ()


def check_factors(factors: Sequence[Factor], design: Design) -> None:
    """The factors suit the design: sampled factors only in sampled designs, and at least one there."""
    sampled = [f.name for f in factors if f.sampled]
    if design.kind in SAMPLED and not sampled:
        raise SpheresInputError(f"a {design.kind} design needs at least one factor with a range and no points or levels")
    if design.kind not in SAMPLED and sampled:
        raise SpheresInputError(f"factors.{sampled[0]} has a range but no points: give points or levels, "
                                f"or use a sampled design ({', '.join(SAMPLED)})")
    clash = set(design.list_names()) & {f.name for f in factors}
    if clash:
        raise SpheresInputError(f"{sorted(clash)[0]} is set both by design.runs and as a factor")


def sample_size(factors: Sequence[Factor], design: Design) -> int:
    """Points of the sampled (or listed) part of the design (1 for a full factorial)."""
    d = sum(f.sampled for f in factors)
    n = design.samples
    if design.kind == "latin-hypercube":
        return n
    if design.kind == "sobol":
        return n * (2 * d + 2 if design.second_order else d + 2)
    if design.kind == "morris":
        return n * (d + 1)
    if design.kind == "list":
        return len(design.runs)
    return 1


def count_points(factors: Sequence[Factor], design: Design) -> int:
    """Design points, before replication (computed without generating them)."""
    crossed = math.prod(len(f.values()) for f in factors if not f.sampled)
    return crossed * sample_size(factors, design)


def salib_problem(factors: Sequence[Factor], integer: Mapping[str, bool] | None = None) -> dict:
    """SALib's problem of the sampled factors (integer factors span [low, high + 1) and are floored)."""
    sampled = [f for f in factors if f.sampled]
    integer = integer or {}
    return {
        "num_vars": len(sampled),
        "names": [f.name for f in sampled],
        "bounds": [[f.range[0], f.range[1] + 1.0 if integer.get(f.name) else f.range[1]] for f in sampled],
    }


def _sample(factors: Sequence[Factor], design: Design, seed: int, integer: Mapping[str, bool]) -> pd.DataFrame:
    """The sampled (or listed) part of the design, in the sampler's order."""
    if design.kind == "list":
        return pd.DataFrame(list(design.runs))
    if design.kind == "full-factorial":
        return pd.DataFrame(index=range(1))
    from SALib.sample import latin, morris, sobol

    problem = salib_problem(factors, integer)
    if design.kind == "latin-hypercube":
        x = latin.sample(problem, design.samples, seed=seed)
    elif design.kind == "sobol":
        x = sobol.sample(problem, design.samples, calc_second_order=design.second_order, seed=seed)
    else:
        x = morris.sample(problem, design.samples, num_levels=design.levels, seed=seed)
    table = pd.DataFrame(x, columns=problem["names"])
    for f in factors:
        if f.sampled and integer.get(f.name):
            table[f.name] = np.minimum(np.floor(table[f.name]), f.range[1]).astype(np.int64)
    return table


def generate(factors: Sequence[Factor], design: Design, *, replications: int = 1, seed: int = 0,
             common_random_numbers: bool = True, integer: Mapping[str, bool] | None = None) -> pd.DataFrame:
    """The runs: columns ``run``, ``point``, ``replication``, ``seed`` and one per factor (and per
    parameter of a list design). ``integer`` names the factors whose parameter is an integer."""
    check_factors(factors, design)
    integer = dict(integer or {})
    sample = _sample(factors, design, seed, integer)
    crossed = [f for f in factors if not f.sampled]
    combos = list(itertools.product(*(f.values() for f in crossed)))
    points = len(combos) * len(sample)
    table = pd.DataFrame({"point": np.arange(points)})
    for k, f in enumerate(crossed):  # crossed-major: each combination holds one whole sample
        table[f.name] = pd.Series([c[k] for c in combos]).repeat(len(sample)).reset_index(drop=True)
    for name in sample.columns:
        table[name] = np.tile(sample[name].to_numpy(), len(combos))
    for f in crossed:
        if integer.get(f.name):
            table[f.name] = table[f.name].astype(np.int64)
    order = ["point"] + [f.name for f in factors if not f.sampled] + list(sample.columns)
    table = table[order].loc[table.index.repeat(replications)].reset_index(drop=True)
    table.insert(0, "run", np.arange(len(table)))
    table.insert(2, "replication", np.tile(np.arange(replications), points))
    rng = np.random.default_rng(seed)
    seeds = rng.integers(0, 2**31 - 1, size=replications if common_random_numbers else (points, replications))
    table.insert(3, "seed", np.broadcast_to(seeds, (points, replications)).ravel().astype(np.int64))
    return table
