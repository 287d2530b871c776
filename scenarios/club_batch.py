"""Counterfactual sweeps with mesa.batch_run: the club game over g and the rules of each role."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from mesa import batch_run

from games.validation import SpheresInputError, check_scalar, check_size
from model import ClubModel
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
    rows = []
    for g_a in g:  # g_b follows g_a, so each value is its own batch_run over the rules
        g_b = 1 - g_a if args.asymmetric else g_a
        results = batch_run(
            ClubModel,
            parameters={"world_name": "section3", "n": args.n, "g_a": float(g_a), "g_b": float(g_b),
                        "rule_a": args.rule_a, "rule_countries": args.rule_countries},
            max_steps=10 * args.n, data_collection_period=-1, display_progress=False, rng=[0],
        )
        rows += results
    # batch_run returns one row per agent (the agent reporters); keep one per game
    table = pd.DataFrame(rows).drop_duplicates(subset=["g_a", "RunId"])[["g_a", "g_b", "rule_a", "rule_countries", "location_a", "location_b", "size_a", "size_b", "payoff_a", "payoff_b"]]
    table.to_csv(args.out / "batch.csv", index=False)
    summary = table.pivot_table(index="g_a", columns=["rule_a", "rule_countries"], values=["size_a", "size_b"])
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(summary.round(3).to_string())
    print(f"\n{len(table)} games")
    return 0
