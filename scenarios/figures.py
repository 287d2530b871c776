"""Every computable figure of both papers, into one folder, with a progress bar over the work.

*The Power of Non-Superpowers*: Figures 2 (a's first-mover advantage), 3 (the game tree of
the three-country example), 5 (power map), 6(a), 6(b), 7(a), 7(b), drawn by
``scenarios.club_figures.make_club_figures`` (PNG + CSV), and Figures 8, 9 and 10 (Section
4, the US and China) from the US-China data (``--data-dir``, else ``$SPHERES_DATA``, else
``../shared/data/raw``): when those data are absent and ``--only`` does not ask for the
figures, they are left out and the command says so. *A Theory of Cost-Sharing
Negotiations of Alliances*: the equilibrium map over (l, pi) at a named example, drawn by
``visualization.alliance_figures.equilibrium_map_figure`` (PNG + JSON of its regions).

The progress bar counts seconds of work: each solve (or map cell, or year) advances it by
the time it took, and its total is re-estimated as the work goes on, from the time each
kind of work has taken so far (see :class:`Work`), so that its ETA is an honest one.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from games.validation import SpheresInputError
from scenarios import _costs as cost
from scenarios._common import figure_options, selected_figures
from scenarios.alliance_map import MAP_OFFERS, check_map_size
from scenarios.club_figures import SIZES as CLUB_SIZES
from scenarios.club_figures import check_sizes

CLUB_FIGURES = ("2", "3", "5", "6", "7")  # 6 and 7 are two panels each: (a) and (b)
US_CHINA_FIGURES = ("8", "9", "10")
ALLIANCE_FIGURES = ("alliance-map",)
FIGURES = CLUB_FIGURES + US_CHINA_FIGURES + ALLIANCE_FIGURES
OUTPUT = "out/figures"
SIZES = {**CLUB_SIZES, "example": ("japan-2019", ALLIANCE_FIGURES), "resolution": (21, ALLIANCE_FIGURES),
         "n_demands": (6, ALLIANCE_FIGURES)}
"""Each option of one figure: its default and the figures that use it (the others refuse it)."""
HISTORICAL, FIGURE9_YEARS, FIGURE10_YEARS = tuple(range(2006, 2020)), (2006, 2019), (2030, 2035)
"""Section 4's years: Figure 8 shows 2006-2019, Figure 9 two of them, Figure 10 two projected years."""
DRAW_SECONDS = {"draw": 0.7, "draw Section 4": 2.0, "draw map": 1.5}
"""A guess of the time to draw and save one figure of each kind (measured on this machine:
0.3-1 s for the club paper's figures, 2-3 s for Figures 9 and 10 with their captions)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--only", default=None, help=f"comma-separated subset of {','.join(FIGURES)} (default: all; "
                                                     "8, 9, 10 only when the US-China data are there)")
    parser.add_argument("--n", type=int, default=None, help="club game: Section 3's n for Figures 5-7 (default 31)")
    parser.add_argument("--points", type=int, default=None, help="club game: grid points per axis of Figure 5 (default 101)")
    parser.add_argument("--sweep-points", type=int, default=None, help="club game: values of g in Figures 6, 7 (default 801)")
    parser.add_argument("--data-dir", default=None, help="Figures 8-10: the US-China data folder "
                                                         "(default $SPHERES_DATA, else ../shared/data/raw)")
    parser.add_argument("--example", default=None, help="alliance game: named parameter point of the map (default japan-2019)")
    parser.add_argument("--resolution", type=int, default=None, help="alliance game: map cells per axis (default 21)")
    parser.add_argument("--n-demands", type=int, default=None, help="alliance game: demand grid size per cell (default 6)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


# --------------------------------------------------------------------------- the work and its bar
def work_plan(only, *, n: int = 31, points: int = 101, sweep_points: int = 801, resolution: int = 21,
              n_demands: int = 6) -> dict[str, dict[str, tuple[int, float]]]:
    """The work of each chosen figure: kind of work -> (units, the cost model's seconds per unit)."""
    club = cost.section3_solve_seconds(n)
    years = set()
    if "8" in only:
        years |= set(HISTORICAL)
    if "9" in only:
        years |= set(FIGURE9_YEARS)
    plan = {
        "2": {"draw": 1}, "3": {"draw": 1},
        "5": {"club solve": (points * points, club), "draw": 1},
        "6": {"club solve": (2 * sweep_points, club), "draw": 2},  # with b and without
        "7": {"club solve": (2 * sweep_points, club), "draw": 2},
        "8": {"US-China year": (len(HISTORICAL), cost.us_china_solve_seconds()), "draw Section 4": 1},
        "9": {"US-China year": (len(years) - len(HISTORICAL) * ("8" in only), cost.us_china_solve_seconds()),
              "draw Section 4": 1},
        "10": {"US-China year": (len(FIGURE10_YEARS), cost.us_china_solve_seconds()), "draw Section 4": 1},
        "alliance-map": {"alliance cell": (resolution * resolution, cost.alliance_solve_seconds(n_demands, MAP_OFFERS)),
                         "draw map": 1},
    }
    return {f: {kind: (work, DRAW_SECONDS[kind]) if kind in DRAW_SECONDS else work for kind, work in plan[f].items()}
            for f in FIGURES if f in only}


class Work:
    """Progress over work of several kinds, in seconds, with an honest estimate of what is left.

    The bar advances by the time each unit of work took. What is left is the units left of
    each kind times the time a unit of that kind has taken so far (see :meth:`per_unit`).
    Before a kind has started: the time of one probe unit of it, where ``probes`` gives one
    (timed at the start, and counted as work done), else the cost model's time per unit
    (``scenarios._costs``). The bar's total is redone after every unit, so its ETA follows
    this machine.
    """

    def __init__(self, plan: dict[str, dict[str, tuple[int, float]]], bar: Callable,
                 probes: dict[str, Callable] | None = None):
        self.left, self.model = {}, {}
        for kinds in plan.values():
            for kind, (units, seconds) in kinds.items():
                self.left[kind] = self.left.get(kind, 0) + units
                self.model[kind] = seconds
        self.spent = {kind: 0.0 for kind in self.left}
        self.done = {kind: 0 for kind in self.left}
        self.probed: dict[str, float] = {}
        self.overhead = 0.0
        self.bar = bar(total=self.estimate(), desc="figures")
        for kind, probe in (probes or {}).items():
            if self.left.get(kind):
                start = time.perf_counter()
                probe()
                self.probed[kind] = time.perf_counter() - start
                self.overhead += self.probed[kind]
                self.bar.total = self.estimate()
                self.bar.update(self.probed[kind])

    def per_unit(self, kind: str) -> float:
        """This machine's time per unit of ``kind``: measured, once enough units are done to tell
        (one unit may carry a whole batch's time), else the probe's, else the cost model's."""
        if self.done[kind] >= max(1, min(50, (self.done[kind] + self.left[kind]) // 20)):
            return self.spent[kind] / self.done[kind]
        return self.probed.get(kind, self.model[kind])

    def estimate(self) -> float:
        """Seconds spent plus the seconds the units left are expected to take."""
        return self.overhead + sum(self.spent.values()) + sum(n * self.per_unit(kind) for kind, n in self.left.items())

    def advance(self, kind: str, units: int, seconds: float) -> None:
        self.left[kind] -= units
        self.done[kind] += units
        self.spent[kind] += seconds
        self.bar.total = self.estimate()
        self.bar.update(seconds)

    def track(self, kind: str, items: Iterable, desc: str | None = None) -> Iterator:
        """``items``, each counting as one unit of ``kind`` when it is taken (see :class:`_Tracked`)."""
        return _Tracked(self, kind, items)

    def run(self, kind: str, units: int, compute: Callable):
        """``compute()`` as ``units`` units of ``kind`` at once (work without a hook inside)."""
        start = time.perf_counter()
        result = compute()
        self.advance(kind, units, time.perf_counter() - start)
        return result

    def close(self) -> None:
        close = getattr(self.bar, "close", None)
        if close:
            close()


class _Tracked:
    """An iterator that advances a :class:`Work` by one unit each time an item is taken, by
    the time since the last one was taken (or since it was made); the time after the last
    item goes to the same kind when the items run out. So the units and their time add up
    whether the user takes an item before working on it (a ``for`` loop) or after (a
    progress callback told that runs have finished)."""

    def __init__(self, work: Work, kind: str, items: Iterable):
        self.work, self.kind, self.items, self.last = work, kind, iter(items), time.perf_counter()

    def __iter__(self):
        return self

    def __next__(self):
        try:
            item = next(self.items)
        except StopIteration:
            self._mark(0)
            raise
        self._mark(1)
        return item

    def _mark(self, units: int) -> None:
        now = time.perf_counter()
        self.work.advance(self.kind, units, now - self.last)
        self.last = now


def tqdm_bar(disable: bool = False) -> Callable:
    """A tqdm bar in seconds of work: percent done, elapsed and the ETA (the totals are estimates)."""
    from tqdm import tqdm

    def make(total: float, desc: str | None = None):
        return tqdm(total=total, desc=desc, disable=disable, leave=False, file=sys.stderr,
                    bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed} elapsed, about {remaining} left")

    return make


# --------------------------------------------------------------------------- the figures
def alliance_map(out: Path, example: str, resolution: int, n_demands: int, work: Work) -> list[Path]:
    """The alliance game's equilibrium map over (l, pi) at ``example``: PNG and a JSON of regions."""
    from games.alliance.examples import example as alliance_example
    from experiments.maps import equilibrium_map
    from visualization.alliance_figures import equilibrium_map_figure

    base = alliance_example(example)
    data = work.run("alliance cell", resolution * resolution, lambda: equilibrium_map(
        base, "l", "pi", (-0.9, 0.9), (0.01, 0.25), resolution=resolution, n_demands=n_demands))
    png = out / "alliance_equilibrium_map.png"
    work.run("draw map", 1, lambda: equilibrium_map_figure(
        data, path=png, title=f"Alliance game ({example}): pure-strategy PBE over (l, π)"))
    index = data.region_index()
    regions = [{"region": k + 1, "equilibria": sorted(r), "cells": int((index == k).sum())}
               for k, r in enumerate(data.regions())]
    summary = out / "alliance_equilibrium_map.json"
    summary.write_text(json.dumps({"example": example, "x": "l", "y": "pi", "regions": regions}, indent=2), encoding="utf-8")
    return [png, summary]


def us_china_figures(out: Path, only: list[str], raw, reference, work: Work) -> list[Path]:
    """Figures 8, 9, 10 (those in ``only``): each year's equilibrium on the data in ``raw``
    (``reference``: its panel of 2006-2019); PNG + CSV."""
    import pandas as pd

    from pipeline import us_china as pipe
    from scenarios.us_china import solve_years
    from visualization import us_china_figures as draw
    from visualization.club_figures import save

    def solve(panel, kind: str):
        runs = [solve_years(panel.subset([year]), kind, progress=False)
                for year in work.track("US-China year", panel.years)]
        return (pd.concat([r.equilibria for r in runs], ignore_index=True),
                pd.concat([r.members for r in runs], ignore_index=True), panel.gdp_unit)

    years = sorted(set(HISTORICAL if "8" in only else ()) | set(FIGURE9_YEARS if "9" in only else ()))
    written = []
    if years:
        equilibria, members, unit = solve(reference.subset(years), "historical")
        if "8" in only:
            written.append(work.run("draw Section 4", 1, lambda: save(draw.figure8(equilibria, gdp_unit=unit),
                                                             out / "figure8_us_china.png")))
            equilibria.to_csv(out / "figure8_us_china.csv", index=False)
        if "9" in only:
            written.append(work.run("draw Section 4", 1, lambda: save(draw.figure9(members, equilibria, FIGURE9_YEARS),
                                                             out / "figure9_us_china.png")))
            members[members["year"].isin(FIGURE9_YEARS)].to_csv(out / "figure9_us_china.csv", index=False)
    if "10" in only:
        projection = pipe.build_projection(reference, FIGURE10_YEARS, data_dir=raw.data_dir)
        equilibria, members, unit = solve(projection, "projection")
        written.append(work.run("draw Section 4", 1, lambda: save(
            draw.figure10(members, equilibria, FIGURE10_YEARS, gdp_unit=unit), out / "figure10_us_china.png")))
        members.to_csv(out / "figure10_us_china.csv", index=False)
    return written


def probes(example: str, n_demands: int, reference) -> dict[str, Callable]:
    """One unit of each kind of work whose time the cost model cannot tell well: timed first.
    (Not the club game's solves: they run in batches, each far cheaper than one alone.)"""
    from games.alliance import solve as alliance_solve
    from games.alliance.examples import example as alliance_example

    found = {"alliance cell": lambda: alliance_solve(alliance_example(example), n_demands=n_demands, n_offers=MAP_OFFERS)}
    if reference is not None:
        from scenarios.us_china import solve_years

        found["US-China year"] = lambda: solve_years(reference.subset([HISTORICAL[-1]]), "probe", progress=False)
    return found


def us_china_data(data_dir):
    """The US-China data, or why they cannot be had (a ``SpheresInputError`` naming the folder)."""
    from pipeline import us_china as pipe

    return pipe.load_raw(data_dir)


def check_options(only, n: int, points: int, sweep_points: int, example: str, resolution: int, n_demands: int) -> None:
    """Every option of the chosen figures, and what they cost, before any work."""
    from games.alliance.examples import EXAMPLES

    check_sizes(n, points, sweep_points, only)
    if "alliance-map" in only:
        check_map_size(resolution, n_demands)
    if example not in EXAMPLES:
        raise SpheresInputError(f"--example = {example!r} is not one of: {', '.join(EXAMPLES)}")


def make_figures(out: Path, only: list[str], *, n: int = 31, points: int = 101, sweep_points: int = 801,
                 example: str = "japan-2019", resolution: int = 21, n_demands: int = 6, data_dir=None,
                 bar: Callable | None = None) -> list[Path]:
    """Write the chosen figures into ``out``; ``bar(total, desc)`` makes the progress bar
    (see :class:`Work`; default: none). Every option, and the data of Figures 8-10, are
    checked before the first figure is computed."""
    from scenarios.club_figures import make_club_figures

    check_options(only, n, points, sweep_points, example, resolution, n_demands)
    raw = reference = None
    if set(US_CHINA_FIGURES) & set(only):  # the data are read and checked before any work
        from pipeline import us_china as pipe

        raw = us_china_data(data_dir)
        reference = pipe.build_panel(raw, HISTORICAL)
    work = Work(work_plan(only, n=n, points=points, sweep_points=sweep_points, resolution=resolution,
                          n_demands=n_demands), bar or tqdm_bar(disable=True), probes(example, n_demands, reference))
    club_progress = lambda items, desc=None: work.track("club solve", items)  # noqa: E731
    written: list[Path] = []
    try:
        for figure in [f for f in CLUB_FIGURES if f in only]:
            start, solving = time.perf_counter(), work.spent.get("club solve", 0.0)
            written += make_club_figures(out, n, points, sweep_points, [figure], club_progress)
            drawing = time.perf_counter() - start - (work.spent.get("club solve", 0.0) - solving)
            work.advance("draw", 2 if figure in ("6", "7") else 1, drawing)  # the time not spent solving
        if raw is not None:
            written += us_china_figures(out, only, raw, reference, work)
        if "alliance-map" in only:
            written += alliance_map(out, example, resolution, n_demands, work)
    finally:
        work.close()
    return written


def run(args: argparse.Namespace) -> int:
    chosen = args.only is not None
    only = selected_figures(args.only if chosen else ",".join(FIGURES), FIGURES)
    figure_options(args, only, SIZES)
    if args.data_dir is not None and not set(US_CHINA_FIGURES) & set(only):
        raise SpheresInputError("--data-dir applies only when --only includes 8, 9 or 10")
    check_options(only, args.n, args.points, args.sweep_points, args.example, args.resolution, args.n_demands)
    if not chosen:  # all figures: Figures 8-10 only when their data are there
        try:
            us_china_data(args.data_dir)
        except SpheresInputError as exc:
            only = [f for f in only if f not in US_CHINA_FIGURES]
            print(f"run.py figures: figures 8, 9, 10 left out: no US-China data ({exc})", file=sys.stderr)
    written = make_figures(args.out, only, n=args.n, points=args.points, sweep_points=args.sweep_points,
                           example=args.example, resolution=args.resolution, n_demands=args.n_demands,
                           data_dir=args.data_dir, bar=tqdm_bar(disable=args.no_progress))
    for path in written:
        print(path.name)
    return 0
