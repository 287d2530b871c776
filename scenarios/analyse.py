"""Analyse an experiment's results: Sobol or Morris indices, PRIM scenario discovery, heat maps and lines (PNG + CSV).

What runs by default follows the design: Sobol indices for a Sobol design, Morris indices
for a Morris design (for every numeric output, or each ``--output``); a heat map over the
first two numeric parameters (``--heatmap X,Y``) or lines over the only one (``--lines X``,
a line per level of a categorical parameter); PRIM with ``--prim TARGET``. An output is a
column or an expression over the columns (``--output "size_a - size_b"``). Each plot is
written as PNG and the CSV behind it, into ``--out`` (run.py's output folder: written aside,
moved into place complete with a manifest).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from experiments import analysis, read_manifest, read_results
from games.validation import SpheresInputError

OUTPUT = "out/analysis"  # run.py adds --out and --overwrite


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("results", metavar="RESULTS", help="a results folder of run.py experiment")
    parser.add_argument("--output", action="append", default=None, metavar="OUTPUT",
                        help="an output column or expression to analyse (repeatable; default: the experiment's outputs)")
    parser.add_argument("--heatmap", metavar="X,Y", help="heat maps over these two parameters")
    parser.add_argument("--lines", metavar="X", help="lines over this parameter")
    parser.add_argument("--prim", metavar="TARGET", help="PRIM: the parameter box where TARGET holds (e.g. \"location_a > 0\")")
    parser.add_argument("--prim-density", type=float, default=0.8, help="PRIM: the chosen box's least density (default 0.8)")


def _parameters(table: pd.DataFrame, names: str, option: str, parameters: list[str], count: int) -> list[str]:
    chosen = [n.strip() for n in names.split(",")]
    if len(chosen) != count or any(n not in parameters for n in chosen):
        raise SpheresInputError(f"{option} = {names!r} must name {count} of the varied parameters: {', '.join(parameters)}")
    return chosen


def run(args: argparse.Namespace) -> int:
    manifest = read_manifest(args.results)
    spec = manifest["experiment"]["spec"]
    parameters = list(manifest["columns"]["parameters"])
    table = read_results(args.results)
    if table.empty:
        raise SpheresInputError(f"RESULTS = {args.results!r} holds no finished run yet")
    outputs = args.output or list(manifest["columns"]["outputs"])
    for output in outputs:
        analysis.output_values(table, output)  # every output checked before anything is written
    numeric = [p for p in parameters if pd.api.types.is_numeric_dtype(table[p]) and table[p].nunique() > 1]
    categorical = [p for p in parameters if p not in numeric and table[p].nunique() > 1]
    heat = _parameters(table, args.heatmap, "--heatmap", parameters, 2) if args.heatmap else numeric[:2] if len(numeric) >= 2 else None
    line = _parameters(table, args.lines, "--lines", parameters, 1)[0] if args.lines else numeric[0] if len(numeric) == 1 else None
    if args.prim:
        analysis.output_values(table, args.prim)
    out = Path(args.out)
    factors, design = analysis.factors_of(spec), analysis.design_of(spec)
    written: list[Path] = []

    def numeric_output(output: str) -> bool:
        values = analysis.output_values(table, output)
        return values.dtype == bool or pd.api.types.is_numeric_dtype(values)

    if design.kind in ("sobol", "morris"):
        frames, second = [], []
        for output in filter(numeric_output, outputs):
            if design.kind == "sobol":
                first, pairs = analysis.sobol_indices(table, factors, design, output)
                frames.append(first)
                second.append(pairs)
            else:
                frames.append(analysis.morris_indices(table, factors, design, output))
        indices = pd.concat(frames, ignore_index=True)
        path = out / f"{design.kind}_indices.csv"
        indices.to_csv(path, index=False)
        written.append(path)
        if second and any(len(s) for s in second):
            path = out / "sobol_second_order.csv"
            pd.concat(second, ignore_index=True).to_csv(path, index=False)
            written.append(path)
        with pd.option_context("display.width", 160, "display.max_rows", 200):
            print(f"{design.kind} indices\n{indices.round(3).to_string(index=False)}\n")
    hue = categorical[0] if categorical else None
    for k, output in enumerate(outputs):
        stem = f"{k + 1:02d}_{''.join(c if c.isalnum() else '_' for c in output)}"
        if heat:
            written += analysis.heatmap(table, heat[0], heat[1], output, out / f"heatmap_{stem}.png", out / f"heatmap_{stem}.csv")
        if line and numeric_output(output):
            written += analysis.lines(table, line, output, out / f"lines_{stem}.png", out / f"lines_{stem}.csv",
                                      hue=hue if hue != line else None)
    if args.prim:
        trajectory, box = analysis.prim(table, parameters, args.prim, min_density=args.prim_density)
        written += analysis.tradeoff_plot(trajectory, args.prim, out / "prim_tradeoff.png", out / "prim_tradeoff.csv")
        path = out / "prim_box.csv"
        box.to_csv(path, index=False)
        written.append(path)
        chosen = trajectory[trajectory["chosen"]].iloc[0]
        print(f"PRIM, {args.prim}: coverage {chosen['coverage']:.3f}, density {chosen['density']:.3f}, "
              f"{int(chosen['n'])} runs in the box")
        print(box[box["restricted"]].to_string(index=False))
    print("written: " + ", ".join(path.name for path in written))
    return 0
