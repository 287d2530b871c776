"""Equilibrium map of the alliance game over two parameters (default l and pi), as a PNG."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from games.alliance import to_fraction
from games.validation import SpheresInputError

__all__ = ["add_arguments", "run"]


def _range(name: str, text: str) -> tuple:
    parts = text.split(",")
    if len(parts) != 2:
        raise SpheresInputError(f"{name} = {text!r} must look like LOW,HIGH")
    return tuple(to_fraction(name, p.strip()) for p in parts)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from scenarios.alliance import add_param_arguments

    add_param_arguments(parser, default_example="japan-2019")
    parser.add_argument("--x", default="l", help="parameter on the x axis (default l)")
    parser.add_argument("--y", default="pi", help="parameter on the y axis (default pi)")
    parser.add_argument("--x-range", default="-0.9,0.9", help="LOW,HIGH (default -0.9,0.9)")
    parser.add_argument("--y-range", default="0.01,0.25", help="LOW,HIGH (default 0.01,0.25)")
    parser.add_argument("--resolution", default="21", help="cells per axis (default 21)")
    parser.add_argument("--n-demands", default="6", help="demand grid size per cell (default 6, named values always included)")
    parser.add_argument("--out", default="out", help="output folder (default out/)")


def run(args: argparse.Namespace) -> int:
    from games.alliance.maps import equilibrium_map
    from scenarios.alliance import off_path_from_args, params_from_args, parse_int
    from visualization.alliance_figures import equilibrium_map_figure, region_text

    base = params_from_args(args)
    resolution = parse_int("--resolution", args.resolution, low=2, high=200)
    n_demands = parse_int("--n-demands", args.n_demands, low=1, high=200)
    data = equilibrium_map(base, args.x, args.y, _range("--x-range", args.x_range), _range("--y-range", args.y_range),
                           resolution=resolution, n_demands=n_demands, off_path_belief_rule=off_path_from_args(args))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    png = out / f"alliance_map_{args.x}_{args.y}.png"
    equilibrium_map_figure(data, path=png, title=f"Alliance game ({args.example}): pure PBE over ({args.x}, {args.y})")
    regions = data.regions()
    index = data.region_index()
    summary = [{"region": k + 1, "equilibria": sorted(r), "cells": int((index == k).sum())} for k, r in enumerate(regions)]
    (out / f"alliance_map_{args.x}_{args.y}.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    for row in summary:
        print(f"[{row['region']:>2}] {row['cells']:>4} cells: {region_text(frozenset(row['equilibria'])).replace(chr(10), '; ')}")
    print(f"wrote {png}")
    return 0
