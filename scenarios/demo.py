"""The main job on embedded data: Figure 3 step by step, Figure 2, Propositions 1-2, quick figures."""

from __future__ import annotations

import argparse

import pandas as pd

from games.club import solve
from games.club.examples import figure2, figure3
from experiments.sweeps import proposition_thresholds
from model import ClubModel
from scenarios._common import progress_bar
from scenarios.club_figures import make_club_figures


OUTPUT = "out/demo"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def _play(title: str, model: ClubModel) -> None:
    print(f"\n== {title}")
    shown = 0
    while model.running:
        model.step()
        for e in model.events[shown:]:
            print(f"  step {e['step']}: {e['actor']:>4} {e['action']}  ({e['why']})")
        shown = len(model.events)


def run(args: argparse.Namespace) -> int:
    out = args.out
    print("Spheres demo: The Power of Non-Superpowers (Kikuchi & Liu), played by Mesa agents")
    _play("Figure 3: countries at 1/4, 1/2, 3/4, g = 0.5; a compromises at 1/2 to deter b", ClubModel(figure3(), rng=0))
    _play("Figure 3 with a myopic leader that ignores b: b takes every country", ClubModel(figure3(), rule_a="myopic", rng=0))
    _play("Figure 2 (inferred locations): a's first-mover advantage keeps all four", ClubModel(figure2(), rng=0))
    model = ClubModel(world_name="section3", n=31, g_a=0.117, rng=0)
    _play("Section 3, n = 31, g = 0.117 (bipolar, one step from home)", model)
    model.export_membership(out / "section3_memberships.gexf")
    print(f"  solver agrees: {solve(model.world).summary()}")

    print("\n== Propositions 1 and 2 at n = 31: closed form vs. the solver's switch")
    table = pd.DataFrame(proposition_thresholds(31))
    table.to_csv(out / "thresholds_n31.csv", index=False)
    with pd.option_context("display.width", 160, "display.float_format", "{:.9f}".format):
        print(table[["threshold", "switch", "paper", "solver"]].to_string(index=False))

    print("\n== Figures (Figure 5 on a coarse 21 x 21 grid; `run.py club-figures` for the full one)")
    paths = make_club_figures(out, 31, 21, 201, ["3", "5", "6", "7"], progress_bar(args.no_progress))
    for p in paths:
        print(f"  {p.name}")
    return 0
