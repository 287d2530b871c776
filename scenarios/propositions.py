"""Propositions 1 and 2: the paper's closed-form thresholds against the solver's switches."""

from __future__ import annotations

import argparse

import pandas as pd

from experiments.sweeps import proposition_thresholds
from games.validation import SpheresInputError, check_size, check_time
from scenarios import _costs as cost

OUTPUT = "out/propositions"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--n", nargs="+", type=int, default=[31], help="odd n >= 5, one or more (default 31)")


def check_ns(ns: list[int]) -> list[int]:
    """Every --n value, checked before the first is computed: odd, and all of them in time."""
    def seconds(n: int) -> float:
        return cost.PROPOSITION_SOLVES * cost.section3_solve_seconds(n)

    what = f"{cost.PROPOSITION_SOLVES} solves per n for the bisections"
    for n in ns:
        if n % 2 == 0:
            raise SpheresInputError(f"--n = {n} must be an odd integer >= 5 (Section 3 assumes n odd)")
        check_size("--n", n, low=5, memory=cost.section3_bytes, seconds=seconds, what=what)
    check_time("--n", sum(seconds(n) for n in ns), what=what)
    return ns


def run(args: argparse.Namespace) -> int:
    rows = []
    for n in check_ns(args.n):
        rows += [{"n": n, **row} for row in proposition_thresholds(n)]
    table = pd.DataFrame(rows)
    table.to_csv(args.out / "thresholds.csv", index=False)
    with pd.option_context("display.width", 160, "display.max_columns", 10, "display.float_format", "{:.9f}".format):
        print(table.to_string(index=False))
    return 0
