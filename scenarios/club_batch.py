"""Counterfactual sweeps: the club game over g and the rules of each role, one row per game.

The experiment ``examples/experiments/club_batch.toml`` with its levels taken from the
options, run in memory by the experiment engine (``experiments``); ``run.py experiment``
runs such sweeps on every core or a cluster, resumably. Mesa's own ``batch_run`` over
``ClubModel``: ``examples/experiments/mesa_batch_run.py``.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from experiments import ClubGame, Experiment, Factor, evaluate
from games.validation import SpheresInputError, check_scalar, check_size
from scenarios import _costs as cost
from scenarios._common import add_rule_argument

OUTPUT = "out/club_batch"
TAKES_RULES = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--n", type=int, default=31, help="Section 3's n (default 31)")
    parser.add_argument("--g", default="0.05:0.3:26", help="g values as START:STOP:COUNT (default 0.05:0.3:26)")
    parser.add_argument("--asymmetric", action="store_true", help="g_b = 1 - g_a instead of g_b = g_a")
    add_rule_argument(parser, "--rule-a", "superpower", ["equilibrium", "myopic"], "a's rules to compare", nargs="+")
    add_rule_argument(parser, "--rule-countries", "non-superpower", ["coalition", "unilateral"],
                      "the countries' rules to compare", nargs="+")


def parse_grid(spec: str, seconds_per_value: float = 0.0, bytes_per_value: float = 0.0) -> np.ndarray:
    """``START:STOP:COUNT`` in [0, 1]; COUNT is limited by what each value costs."""
    try:
        start, stop, count = spec.split(":")
        start, stop, count = float(start), float(stop), int(count)
    except ValueError:
        raise SpheresInputError(f"--g = {spec!r} must be START:STOP:COUNT, e.g. 0.05:0.3:26") from None
    check_scalar("--g START", start, low=0.0, high=1.0)
    check_scalar("--g STOP", stop, low=0.0, high=1.0)
    check_size("--g COUNT", count, low=1, seconds=lambda k: k * seconds_per_value, memory=lambda k: k * bytes_per_value)
    return np.linspace(start, stop, count)


def run(args: argparse.Namespace) -> int:
    check_size("--n", args.n, low=3, memory=cost.section3_model_bytes, seconds=cost.section3_model_seconds,
               what="a world of n - 1 countries and n + 1 locations")
    games = len(args.rule_a) * len(args.rule_countries)  # per value of g
    g = parse_grid(args.g, games * cost.section3_model_seconds(args.n), games * args.n * cost.BATCH_ROW_BYTES)
    outputs = ("location_a", "location_b", "size_a", "size_b", "payoff_a", "payoff_b")
    experiment = Experiment(
        ClubGame("section3", params={"n": args.n}),
        factors=(Factor("g_a", levels=tuple(np.unique(g))), Factor("rule_a", levels=tuple(dict.fromkeys(args.rule_a))),
                 Factor("rule_countries", levels=tuple(dict.fromkeys(args.rule_countries)))),
        derived={"g_b": "1 - g_a" if args.asymmetric else "g_a"}, outputs=outputs, name="club-batch")
    table = evaluate(experiment, on_failure="raise")[["g_a", "g_b", "rule_a", "rule_countries", *outputs]]
    table.to_csv(args.out / "batch.csv", index=False)
    summary = table.pivot_table(index="g_a", columns=["rule_a", "rule_countries"], values=["size_a", "size_b"])
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(summary.round(3).to_string())
    print(f"\n{len(table)} games")
    return 0
