"""Every computable figure of both papers, into one folder, with a progress bar over figures.

*The Power of Non-Superpowers*: Figures 3 (game tree of the three-country example with the
equilibrium path), 5 (power map), 6(a), 6(b), 7(a), 7(b), drawn by
``scenarios.club_figures.make_club_figures`` (PNG + CSV). *A Theory of Cost-Sharing
Negotiations of Alliances*: the equilibrium map over (l, pi) at a named example, drawn by
``visualization.alliance_figures.equilibrium_map_figure`` (PNG + JSON of its regions).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from games.validation import SpheresInputError
from scenarios._common import figure_options, progress_bar, selected_figures
from scenarios.alliance_map import check_map_size
from scenarios.club_figures import SIZES as CLUB_SIZES
from scenarios.club_figures import check_sizes

CLUB_FIGURES = ("3", "5", "6", "7")  # 6 and 7 are two panels each: (a) and (b)
ALLIANCE_FIGURES = ("alliance-map",)
FIGURES = CLUB_FIGURES + ALLIANCE_FIGURES
OUTPUT = "out/figures"
SIZES = {**CLUB_SIZES, "example": ("japan-2019", ALLIANCE_FIGURES), "resolution": (21, ALLIANCE_FIGURES),
         "n_demands": (6, ALLIANCE_FIGURES)}
"""Each option of one figure: its default and the figures that use it (the others refuse it)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--only", default=",".join(FIGURES), help=f"comma-separated subset of {','.join(FIGURES)}")
    parser.add_argument("--n", type=int, default=None, help="club game: Section 3's n for Figures 5-7 (default 31)")
    parser.add_argument("--points", type=int, default=None, help="club game: grid points per axis of Figure 5 (default 101)")
    parser.add_argument("--sweep-points", type=int, default=None, help="club game: values of g in Figures 6, 7 (default 801)")
    parser.add_argument("--example", default=None, help="alliance game: named parameter point of the map (default japan-2019)")
    parser.add_argument("--resolution", type=int, default=None, help="alliance game: map cells per axis (default 21)")
    parser.add_argument("--n-demands", type=int, default=None, help="alliance game: demand grid size per cell (default 6)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")


def alliance_map(out: Path, example: str, resolution: int, n_demands: int) -> list[Path]:
    """The alliance game's equilibrium map over (l, pi) at ``example``: PNG and a JSON of regions."""
    import matplotlib.pyplot as plt

    from games.alliance.examples import example as alliance_example
    from games.alliance.maps import equilibrium_map
    from visualization.alliance_figures import equilibrium_map_figure

    base = alliance_example(example)
    data = equilibrium_map(base, "l", "pi", (-0.9, 0.9), (0.01, 0.25), resolution=resolution, n_demands=n_demands)
    png = out / "alliance_equilibrium_map.png"
    fig = equilibrium_map_figure(data, path=png, title=f"Alliance game ({example}): pure-strategy PBE over (l, π)")
    plt.close(fig)
    index = data.region_index()
    regions = [{"region": k + 1, "equilibria": sorted(r), "cells": int((index == k).sum())}
               for k, r in enumerate(data.regions())]
    summary = out / "alliance_equilibrium_map.json"
    summary.write_text(json.dumps({"example": example, "x": "l", "y": "pi", "regions": regions}, indent=2), encoding="utf-8")
    return [png, summary]


def make_figures(out: Path, only: list[str], *, n: int = 31, points: int = 101, sweep_points: int = 801,
                 example: str = "japan-2019", resolution: int = 21, n_demands: int = 6,
                 progress=None) -> list[Path]:
    """Write the chosen figures into ``out``; ``progress`` wraps the loop over figures (tqdm)."""
    from games.alliance.examples import EXAMPLES
    from scenarios.club_figures import make_club_figures

    # check every parameter, and what the chosen figures cost, before the first (slow) figure
    check_sizes(n, points, sweep_points, only)
    if "alliance-map" in only:
        check_map_size(resolution, n_demands)
    if example not in EXAMPLES:
        raise SpheresInputError(f"--example = {example!r} is not one of: {', '.join(EXAMPLES)}")
    progress = progress or progress_bar(True)
    inner = progress_bar(True)  # one bar: over figures
    written: list[Path] = []
    for figure in progress([f for f in FIGURES if f in only], desc="figures"):
        if figure in CLUB_FIGURES:
            written += make_club_figures(out, n, points, sweep_points, [figure], inner)
        else:
            written += alliance_map(out, example, resolution, n_demands)
    return written


def run(args: argparse.Namespace) -> int:
    only = selected_figures(args.only, FIGURES)
    figure_options(args, only, SIZES)
    written = make_figures(args.out, only, n=args.n, points=args.points, sweep_points=args.sweep_points,
                           example=args.example, resolution=args.resolution, n_demands=args.n_demands,
                           progress=progress_bar(args.no_progress))
    for path in written:
        print(path.name)
    return 0
