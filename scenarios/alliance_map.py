"""Equilibrium map of the alliance game over two parameters (default l and pi), as a PNG."""

from __future__ import annotations

import argparse
import json

from games.validation import SpheresInputError, check_size, parse_exact
from scenarios import _costs as cost

__all__ = ["add_arguments", "run", "check_map_size"]

OUTPUT = "out/alliance_map"
MAP_OFFERS = 20
"""The offer grid of each cell (``experiments.maps.equilibrium_map``'s default)."""


def _range(name: str, text: str) -> tuple:
    parts = text.split(",")
    if len(parts) != 2:
        raise SpheresInputError(f"{name} = {text!r} must look like LOW,HIGH")
    return tuple(parse_exact(name, p) for p in parts)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from scenarios.alliance import add_param_arguments

    add_param_arguments(parser, default_example="japan-2019")
    parser.add_argument("--x", default="l", help="parameter on the x axis (default l)")
    parser.add_argument("--y", default="pi", help="parameter on the y axis (default pi)")
    parser.add_argument("--x-range", default="-0.9,0.9", help="LOW,HIGH (default -0.9,0.9)")
    parser.add_argument("--y-range", default="0.01,0.25", help="LOW,HIGH (default 0.01,0.25)")
    parser.add_argument("--resolution", type=int, default=21, help="cells per axis (default 21)")
    parser.add_argument("--n-demands", type=int, default=6, help="demand grid size per cell (default 6, named values always included)")


def check_map_size(resolution: int, n_demands: int) -> None:
    """The map's sizes against their cost: one equilibrium search per cell (at most 200 x 200 cells)."""
    check_size("--n-demands", n_demands, low=1, seconds=lambda d: cost.alliance_solve_seconds(d, MAP_OFFERS),
               what="one equilibrium search")
    per_cell = cost.alliance_solve_seconds(n_demands, MAP_OFFERS)
    check_size("--resolution", resolution, low=2, high=200, memory=lambda r: r * r * cost.CELL_BYTES,
               seconds=lambda r: r * r * per_cell, what="one equilibrium search per cell")


def run(args: argparse.Namespace) -> int:
    from experiments.maps import equilibrium_map
    from scenarios.alliance import off_path_from_args, params_from_args
    from visualization.alliance_figures import equilibrium_map_figure, region_text

    base = params_from_args(args)
    check_map_size(args.resolution, args.n_demands)
    data = equilibrium_map(base, args.x, args.y, _range("--x-range", args.x_range), _range("--y-range", args.y_range),
                           resolution=args.resolution, n_demands=args.n_demands, off_path_belief_rule=off_path_from_args(args))
    out = args.out
    png = out / f"alliance_map_{args.x}_{args.y}.png"
    belief = "any off-path beliefs" if args.off_path == "any" else f"off-path belief {args.off_path}"
    equilibrium_map_figure(data, path=png, title=f"Alliance game ({args.example}): pure PBE over ({args.x}, {args.y}), {belief}")
    regions = data.regions()
    index = data.region_index()
    summary = [{"region": k + 1, "equilibria": sorted(r), "cells": int((index == k).sum())} for k, r in enumerate(regions)]
    (out / f"alliance_map_{args.x}_{args.y}.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    for row in summary:
        print(f"[{row['region']:>2}] {row['cells']:>4} cells: {region_text(frozenset(row['equilibria'])).replace(chr(10), '; ')}")
    return 0
