"""Analysis of a results table: sensitivity indices, scenario discovery, standard plots.

* :func:`sobol_indices` (Sobol designs) and :func:`morris_indices` (Morris designs): SALib's
  estimators over the sampled factors, one set per combination of the crossed factors'
  levels; a point's output is its mean over the replications.
* :func:`prim`: the EMA Workbench's PRIM on the varied parameters, for a yes/no target such
  as ``"location_a > 0"`` (a compromises) or ``"separating_2"``: its peeling trajectory (the
  coverage-density trade-off) and the box chosen on it.
* :func:`heatmap` (an output over two parameters), :func:`lines` (over one, a line per
  level of a categorical parameter, the replications and the other parameters as a band
  from the lowest to the highest value) and :func:`tradeoff_plot`: each written as PNG + CSV.

An *output* is a column of the table or any expression over its columns (pandas
``DataFrame.eval``: ``"size_a - size_b"``, ``"regime == 'both'"``).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from experiments.designs import Design, Factor, salib_problem  # noqa: E402
from games.validation import SpheresInputError  # noqa: E402

__all__ = ["output_values", "sobol_indices", "morris_indices", "prim", "heatmap", "lines", "tradeoff_plot",
           "factors_of", "design_of"]


def factors_of(spec: Mapping) -> list[Factor]:
    """The factors of a manifest's experiment description (``manifest["experiment"]["spec"]``)."""
    return [Factor(f["name"], levels=tuple(f["levels"]) if "levels" in f else None,
                   range=tuple(f["range"]) if "range" in f else None, points=f.get("points")) for f in spec["factors"]]


def design_of(spec: Mapping) -> Design:
    d = spec["design"]
    return Design(d["kind"], samples=d["samples"], second_order=d["second_order"], levels=d["levels"],
                  runs=tuple(d["runs"]))


def output_values(table: pd.DataFrame, output: str) -> pd.Series:
    """A column of ``table``, or an expression over its columns; one line naming it if neither."""
    if output in table.columns:
        return table[output]
    try:
        values = table.eval(output)
    except Exception as exc:  # noqa: BLE001 - any error in the user's expression is one line
        raise SpheresInputError(f"output {output!r} is neither a column of the results ({', '.join(table.columns)}) "
                                f"nor an expression over them: {type(exc).__name__}: {exc}") from None
    if not isinstance(values, pd.Series) or len(values) != len(table):
        raise SpheresInputError(f"output {output!r} must give one value per run")
    return values


def _numeric(values: pd.Series, output: str) -> pd.Series:
    if values.dtype == bool:
        return values.astype(float)
    if not pd.api.types.is_numeric_dtype(values):
        raise SpheresInputError(f"output {output!r} is not numeric (give an expression such as \"{output} == '...'\")")
    return values.astype(float)


def _per_point(table: pd.DataFrame, output: str) -> pd.DataFrame:
    """One row per design point: the crossed factors, the sampled ones and the mean output."""
    frame = table.assign(_y=_numeric(output_values(table, output), output))
    keys = [c for c in table.columns if c not in ("run", "replication", "seed") and c in frame]
    return frame.groupby("point", sort=True).agg({**{k: "first" for k in keys if k != "point"}, "_y": "mean"})


def _groups(points: pd.DataFrame, factors: Sequence[Factor], expected: int):
    """Per combination of the crossed factors' levels: (levels, its points in sample order)."""
    crossed = [f.name for f in factors if not f.sampled]
    groups = [((), points)] if not crossed else list(points.groupby(crossed, sort=False))
    for levels, group in groups:
        levels = levels if isinstance(levels, tuple) else (levels,)
        if len(group) != expected or group["_y"].isna().any():
            missing = expected - int(group["_y"].notna().sum())
            raise SpheresInputError(f"{dict(zip(crossed, levels)) or 'the design'}: {missing} of {expected} design points "
                                    "have no result (failed or not yet run); the indices need every point")
        yield dict(zip(crossed, levels)), group


def sobol_indices(table: pd.DataFrame, factors: Sequence[Factor], design: Design, output: str,
                  seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """First-order and total Sobol indices (with 95% confidence half-widths, bootstrapped from
    ``seed``: SALib leaves a seed of 0 unseeded), and second-order ones."""
    from SALib.analyze import sobol

    if design.kind != "sobol":
        raise SpheresInputError(f"Sobol indices need a Sobol design, not {design.kind}")
    problem = salib_problem(factors)
    d = problem["num_vars"]
    expected = design.samples * (2 * d + 2 if design.second_order else d + 2)
    first, second = [], []
    for levels, group in _groups(_per_point(table, output), factors, expected):
        si = sobol.analyze(problem, group["_y"].to_numpy(), calc_second_order=design.second_order, seed=seed)
        for k, name in enumerate(problem["names"]):
            first.append({"output": output, **levels, "factor": name, "S1": si["S1"][k], "S1_conf": si["S1_conf"][k],
                          "ST": si["ST"][k], "ST_conf": si["ST_conf"][k]})
            if design.second_order:
                for m in range(k + 1, d):
                    second.append({"output": output, **levels, "factor": name, "with": problem["names"][m],
                                   "S2": si["S2"][k, m], "S2_conf": si["S2_conf"][k, m]})
    return pd.DataFrame(first), pd.DataFrame(second)


def morris_indices(table: pd.DataFrame, factors: Sequence[Factor], design: Design, output: str,
                   seed: int = 1) -> pd.DataFrame:
    """Morris's elementary effects: mu, mu* (with its 95% confidence half-width, bootstrapped from ``seed``) and sigma."""
    from SALib.analyze import morris

    if design.kind != "morris":
        raise SpheresInputError(f"Morris indices need a Morris design, not {design.kind}")
    problem = salib_problem(factors)
    expected = design.samples * (problem["num_vars"] + 1)
    rows = []
    for levels, group in _groups(_per_point(table, output), factors, expected):
        x = group[problem["names"]].to_numpy(dtype=float)
        si = morris.analyze(problem, x, group["_y"].to_numpy(), num_levels=design.levels, seed=seed)
        for k, name in enumerate(problem["names"]):
            rows.append({"output": output, **levels, "factor": name, "mu": si["mu"][k], "mu_star": si["mu_star"][k],
                         "mu_star_conf": si["mu_star_conf"][k], "sigma": si["sigma"][k]})
    return pd.DataFrame(rows)


def prim(table: pd.DataFrame, parameters: Sequence[str], target: str, *, min_density: float = 0.8):
    """Scenario discovery: the box of parameter values where ``target`` holds (EMA Workbench PRIM).

    Returns (trajectory, box): the peeling trajectory (coverage, density, mass, res_dim per
    step, ``chosen`` marking the box) and the chosen box, the one of largest coverage among
    those of density >= ``min_density`` (else the densest): per parameter its limits
    (numbers: min, max; names: the levels kept) and whether the box restricts it.
    """
    if not 0.0 < min_density <= 1.0:
        raise SpheresInputError(f"min_density = {min_density!r} is outside the allowed range (0, 1]")
    y = output_values(table, target)
    if y.dtype != bool:
        raise SpheresInputError(f"the PRIM target {target!r} must be true or false per run (e.g. \"{target} > 0\")")
    if not y.any():
        raise SpheresInputError(f"the PRIM target {target!r} holds in no run: there is no box to find")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the Workbench warns about optional packages (ipyparallel, altair) on import
        from ema_workbench.analysis import prim as ema_prim

        x = table[list(parameters)].copy()
        for name in x.columns:
            if not pd.api.types.is_numeric_dtype(x[name]):
                x[name] = x[name].astype(object)
        box = ema_prim.Prim(x.reset_index(drop=True), y.to_numpy(dtype=bool)).find_box()
    trajectory = box.peeling_trajectory[["id", "coverage", "density", "mass", "res_dim", "n", "k"]].copy()
    good = trajectory[trajectory["density"] >= min_density]
    chosen = int(good.loc[good["coverage"].idxmax(), "id"] if len(good) else trajectory.loc[trajectory["density"].idxmax(), "id"])
    trajectory["chosen"] = trajectory["id"] == chosen
    limits, initial = box.box_lims[chosen], box.prim.box_init
    rows = []
    for name in parameters:
        low, high = limits[name].iloc[0], limits[name].iloc[1]
        if isinstance(low, set):
            rows.append({"parameter": name, "min": None, "max": None, "levels": ", ".join(sorted(map(str, low))),
                         "restricted": low != initial[name].iloc[0]})
        else:
            rows.append({"parameter": name, "min": float(low), "max": float(high), "levels": None,
                         "restricted": bool(low != initial[name].iloc[0] or high != initial[name].iloc[1])})
    return trajectory, pd.DataFrame(rows)


# =========================================================================== plots
def _save(fig, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
    return path


def heatmap(table: pd.DataFrame, x: str, y: str, output: str, png: Path, csv: Path) -> list[Path]:
    """``output`` over (x, y): the mean of a numeric output per cell, the most frequent value of
    a categorical one (over the replications and every other parameter); cells on a full grid,
    else a point per sampled (x, y)."""
    values = output_values(table, output)
    frame = pd.DataFrame({x: table[x], y: table[y], "value": values})
    categorical = not pd.api.types.is_numeric_dtype(values) or values.dtype == bool
    if categorical:
        cells = frame.groupby([x, y])["value"].agg(lambda s: s.astype(str).mode().iloc[0])
    else:
        cells = frame.groupby([x, y])["value"].mean()
    counts = frame.groupby([x, y]).size()
    pd.DataFrame({"value": cells, "runs": counts}).reset_index().to_csv(csv, index=False)
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    on_grid = len(cells) == cells.index.get_level_values(0).nunique() * cells.index.get_level_values(1).nunique()
    names = sorted(pd.unique(cells)) if categorical else None
    colour = cells.map(names.index).to_numpy(dtype=float) if categorical else cells.to_numpy(dtype=float)
    cmap = plt.get_cmap("tab10", len(names)) if categorical else plt.get_cmap("viridis")
    scale = dict(vmin=-0.5, vmax=len(names) - 0.5) if categorical else {}
    if on_grid:  # a full factorial: cells
        grid = pd.Series(colour, index=cells.index).unstack(x)  # rows: y, columns: x
        extent = [grid.columns.min(), grid.columns.max(), grid.index.min(), grid.index.max()]
        image = ax.imshow(grid.to_numpy(), origin="lower", aspect="auto", extent=extent, cmap=cmap,
                          interpolation="nearest", **scale)
    else:  # sampled points
        image = ax.scatter(cells.index.get_level_values(0), cells.index.get_level_values(1), c=colour, cmap=cmap, s=14, **scale)
    if categorical:
        handles = [plt.Rectangle((0, 0), 1, 1, color=cmap(k)) for k in range(len(names))]
        ax.legend(handles, names, title=output, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=min(4, len(names)),
                  fontsize=8, frameon=False)
    else:
        fig.colorbar(image, ax=ax, label=output)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_title(f"{output} over ({x}, {y})")
    return [_save(fig, png), csv]


def lines(table: pd.DataFrame, x: str, output: str, png: Path, csv: Path, hue: str | None = None) -> list[Path]:
    """``output`` against ``x``: the mean, and a band from the lowest to the highest value over
    the replications and every other parameter; one line per level of ``hue``."""
    values = _numeric(output_values(table, output), output)
    frame = pd.DataFrame({x: table[x], "value": values, **({hue: table[hue]} if hue else {})})
    keys = [hue, x] if hue else [x]
    stats = frame.groupby(keys)["value"].agg(mean="mean", low="min", high="max", runs="size").reset_index()
    stats.to_csv(csv, index=False)
    fig, ax = plt.subplots(figsize=(7, 4))
    for label, part in (stats.groupby(hue, sort=False) if hue else [(None, stats)]):
        line, = ax.plot(part[x], part["mean"], label=None if label is None else f"{hue} = {label}")
        ax.fill_between(part[x], part["low"], part["high"], color=line.get_color(), alpha=0.2, linewidth=0)
    ax.set_xlabel(x)
    ax.set_ylabel(output)
    ax.set_title(f"{output} against {x} (band: lowest to highest over the other runs)")
    if hue:
        ax.legend(fontsize=8)
    return [_save(fig, png), csv]


def tradeoff_plot(trajectory: pd.DataFrame, target: str, png: Path, csv: Path) -> list[Path]:
    """PRIM's peeling trajectory: coverage against density, coloured by restricted dimensions."""
    trajectory.to_csv(csv, index=False)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    points = ax.scatter(trajectory["coverage"], trajectory["density"], c=trajectory["res_dim"], cmap="viridis", s=18)
    fig.colorbar(points, ax=ax, label="restricted parameters")
    chosen = trajectory[trajectory["chosen"]]
    ax.scatter(chosen["coverage"], chosen["density"], s=120, facecolors="none", edgecolors="red", label="chosen box")
    ax.set_xlabel("coverage (share of the target's runs inside the box)")
    ax.set_ylabel("density (share of the box's runs on target)")
    ax.set_title(f"PRIM trade-off: {target}")
    ax.legend(fontsize=8, loc="lower left")
    return [_save(fig, png), csv]
