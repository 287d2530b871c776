"""Three superpowers on the symmetric circle: the analogue of Figure 6 (how many clubs, where, as g grows)."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from games.club.many_poles import g_none, sweep
from games.validation import SpheresInputError, check_size
from scenarios import _costs as cost
from scenarios._common import integer

OUTPUT = "out/poles"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--n", type=integer(6), default=30, help="points on the circle, a multiple of 3 (default 30)")
    parser.add_argument("--points", type=integer(2), default=401, help="values of g in [0, 1] (default 401)")


def _seconds(n: int, points: int) -> float:
    return points * cost.club_solve_seconds(n - 3, n)


def run(args: argparse.Namespace) -> int:
    if args.n % 3:
        raise SpheresInputError(f"--n = {args.n} must be a multiple of 3 (the three homes sit on the grid of n points)")
    check_size("--points", args.points, low=2, memory=lambda p: cost.club_bytes(3, 6) * p,
               seconds=lambda p: _seconds(6, p), what="games, even of the smallest circle")
    check_size("--n", args.n, low=6, memory=lambda n: cost.club_bytes(n - 3, n) * args.points,
               seconds=lambda n: _seconds(n, args.points), what=f"{args.points} games")
    from visualization.poles_figures import poles_figure

    gs = np.linspace(0.0, 1.0, args.points)
    table = sweep(args.n, gs)
    table.to_csv(args.out / "poles.csv", index=False)
    threshold = g_none(args.n)
    poles_figure(table, args.n, float(threshold)).savefig(args.out / "poles.png", dpi=150)
    print(f"no club below g = {threshold} = {float(threshold):.6f} (the closed form g_none({args.n}))")
    phases = table.loc[table["clubs"].ne(table["clubs"].shift())]
    with pd.option_context("display.width", 160, "display.max_columns", 12, "display.float_format", "{:.4f}".format):
        print("where the number of clubs changes:")
        print(phases.to_string(index=False))
    return 0
