"""Compute and draw Figures 2, 3, 5, 6(a), 6(b), 7(a) and 7(b) of The Power of Non-Superpowers."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from games.club import payoff_table, solve
from games.club.examples import figure2, figure3
from experiments.sweeps import dependency_sweep, power_map
from games.validation import SpheresInputError, check_size, check_time
from scenarios import _costs as cost
from scenarios._common import figure_options, progress_bar, selected_figures
from visualization import club_figures as draw

OUTPUT = "out/club_figures"

FIGURES = ("2", "3", "5", "6", "7")


SIZES = {"n": (31, ("5", "6", "7")), "points": (101, ("5",)), "sweep_points": (801, ("6", "7"))}
"""Each size option: its default and the figures that use it."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--n", type=int, default=None, help="Section 3's n for Figures 5-7 (default 31, as in the paper)")
    parser.add_argument("--points", type=int, default=None, help="grid points per axis of Figure 5 (default 101)")
    parser.add_argument("--sweep-points", type=int, default=None, help="values of g in Figures 6 and 7 (default 801)")
    parser.add_argument("--only", default=",".join(FIGURES), help="comma-separated subset of 2,3,5,6,7")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def check_sizes(n: int, points: int, sweep_points: int, only=FIGURES) -> None:
    """Validate the sizes of the chosen figures, and what they cost, before anything is computed."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 5 or n % 2 == 0:
        raise SpheresInputError(f"--n = {n!r} must be an odd integer >= 5 (Section 3 assumes n odd)")
    check_size("--n", n, low=5, memory=cost.section3_bytes, seconds=cost.section3_solve_seconds)
    solve = cost.section3_solve_seconds(n)
    check_size("--points", points, low=2, memory=lambda p: p * p * cost.CELL_BYTES,
               seconds=lambda p: p * p * solve * ("5" in only), what="a solve per cell of Figure 5")
    sweeps = 2 * (("6" in only) + ("7" in only))  # every g is solved with b and without
    check_size("--sweep-points", sweep_points, low=2, memory=lambda k: k * cost.CELL_BYTES,
               seconds=lambda k: k * sweeps * solve, what=f"{sweeps} solves per g")
    check_time("--points and --sweep-points", solve * (points**2 * ("5" in only) + sweeps * sweep_points),
               what="Figures 5-7 together")


def make_club_figures(out: Path, n: int, points: int, sweep_points: int, only: list[str], progress) -> list[Path]:
    """Write the selected figures (PNG) and their data (CSV) into ``out``; return the files."""
    check_sizes(n, points, sweep_points, only)
    written: list[Path] = []
    if "2" in only:  # a's equilibrium location and b's at its mirror image, as the text compares them
        world = figure2()
        index_a = solve(world).index_a
        figure = draw.figure2(world, index_a, world.n_locations - 1 - index_a)
        written.append(draw.save(figure, out / "figure2_first_mover.png"))
    if "3" in only:
        world = figure3()
        written.append(draw.save(draw.figure3(world, payoff_table(world)), out / "figure3_game_tree.png"))
    if "5" in only:
        data = power_map(n, points, progress=progress)
        g = data["grid"]
        pd.DataFrame(
            {"g_a": np.repeat(g, len(g)), "g_b": np.tile(g, len(g)), "who": data["who"].ravel(),
             "size_a": data["size_a"].ravel(), "size_b": data["size_b"].ravel()}
        ).to_csv(out / "figure5_power_map.csv", index=False)
        written.append(draw.save(draw.figure5(data, n), out / "figure5_power_map.png"))
    if "6" in only:  # g in [0, 2 g_B^h(n)]: beyond it nothing changes
        data = dependency_sweep(n, np.linspace(0.0, draw.symmetric_range(n), sweep_points), progress=progress)
        pd.DataFrame(data).to_csv(out / "figure6_symmetric.csv", index=False)
        written += [draw.save(draw.figure6a(data, n), out / "figure6a_power.png"),
                    draw.save(draw.figure6b(data, n), out / "figure6b_locations.png")]
    if "7" in only:
        data = dependency_sweep(n, np.linspace(0.0, 1.0, sweep_points), asymmetric=True, progress=progress)
        pd.DataFrame(data).to_csv(out / "figure7_asymmetric.csv", index=False)
        written += [draw.save(draw.figure7a(data, n), out / "figure7a_sizes.png"),
                    draw.save(draw.figure7b(data, n), out / "figure7b_locations.png")]
    return written


def run(args: argparse.Namespace) -> int:
    only = selected_figures(args.only, FIGURES)
    figure_options(args, only, SIZES)
    check_sizes(args.n, args.points, args.sweep_points, only)
    for path in make_club_figures(args.out, args.n, args.points, args.sweep_points, only, progress_bar(args.no_progress)):
        print(path.name)
    return 0
