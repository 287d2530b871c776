"""Counterfactual sweeps with mesa.batch_run: the club game over g and the rules of each role."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from mesa import batch_run

from games.club.core import NONSUPERPOWER_RULES, SUPERPOWER_RULES
from games.validation import SpheresInputError, check_choice, check_scalar
from model import ClubModel
from scenarios._common import out_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--n", type=int, default=31, help="Section 3's n (default 31)")
    parser.add_argument("--g", default="0.05:0.3:26", help="g values as START:STOP:COUNT (default 0.05:0.3:26)")
    parser.add_argument("--asymmetric", action="store_true", help="g_b = 1 - g_a instead of g_b = g_a")
    parser.add_argument("--rule-a", nargs="+", default=["equilibrium", "myopic"], help="a's rules to compare")
    parser.add_argument("--rule-countries", nargs="+", default=["coalition", "unilateral"], help="countries' rules to compare")
    parser.add_argument("--out", default=None, help="output folder (default out/club_batch)")


def parse_grid(spec: str) -> np.ndarray:
    try:
        start, stop, count = spec.split(":")
        start, stop, count = float(start), float(stop), int(count)
    except ValueError:
        raise SpheresInputError(f"--g = {spec!r} must be START:STOP:COUNT, e.g. 0.05:0.3:26") from None
    check_scalar("--g START", start, low=0.0, high=1.0)
    check_scalar("--g STOP", stop, low=0.0, high=1.0)
    if count < 1:
        raise SpheresInputError(f"--g COUNT = {count} must be >= 1")
    return np.linspace(start, stop, count)


def run(args: argparse.Namespace) -> int:
    g = parse_grid(args.g)
    for rule in args.rule_a:
        check_choice("--rule-a", rule, list(SUPERPOWER_RULES))
    for rule in args.rule_countries:
        check_choice("--rule-countries", rule, list(NONSUPERPOWER_RULES))
    if args.n < 3:
        raise SpheresInputError(f"--n = {args.n} must be an integer >= 3")
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
    out = out_dir(args, "out/club_batch")
    table.to_csv(out / "batch.csv", index=False)
    summary = table.pivot_table(index="g_a", columns=["rule_a", "rule_countries"], values=["size_a", "size_b"])
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(summary.round(3).to_string())
    print(f"\n{len(table)} games; written to {out / 'batch.csv'}")
    return 0
