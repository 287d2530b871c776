"""Propositions 1 and 2: the paper's closed-form thresholds against the solver's switches."""

from __future__ import annotations

import argparse

import pandas as pd

from games.club.sweeps import proposition_thresholds
from scenarios._common import out_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--n", type=int, nargs="+", default=[31], help="odd n (default 31)")
    parser.add_argument("--out", default=None, help="output folder (default out/propositions)")


def run(args: argparse.Namespace) -> int:
    rows = []
    for n in args.n:
        rows += [{"n": n, **row} for row in proposition_thresholds(n)]
    table = pd.DataFrame(rows)
    out = out_dir(args, "out/propositions")
    table.to_csv(out / "thresholds.csv", index=False)
    with pd.option_context("display.width", 160, "display.max_columns", 10, "display.float_format", "{:.9f}".format):
        print(table.to_string(index=False))
    print(f"\nwritten to {out / 'thresholds.csv'}")
    return 0
