"""Play the club game step by step (one stage event per step) and write its tables."""

from __future__ import annotations

import argparse

import pandas as pd

from games.club.examples import WORLDS
from model import ClubModel
from scenarios._common import add_club_rule_arguments, out_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--world", default="figure3", choices=list(WORLDS), help="a named world (default figure3)")
    parser.add_argument("--n", type=int, default=31, help="section3: the line is cut into n pieces (n - 1 countries)")
    parser.add_argument("--g-a", type=float, default=0.1, help="section3: dependency on a, in [0, 1]")
    parser.add_argument("--g-b", type=float, default=None, help="section3: dependency on b, in [0, 1] (default: g_a)")
    parser.add_argument("--country", type=int, default=None, help="index of a country whose endowment to set")
    parser.add_argument("--omega-country", type=float, default=1.0, help="that country's endowment (> 0)")
    add_club_rule_arguments(parser)
    parser.add_argument("--seed", type=int, default=0, help="seed of the order in which agents are asked")
    parser.add_argument("--out", default=None, help="output folder (default out/club)")
    parser.add_argument("--quiet", action="store_true", help="print only the outcome")


def run(args: argparse.Namespace) -> int:
    model = ClubModel(
        world_name=args.world, n=args.n, g_a=args.g_a, g_b=args.g_b, country=args.country,
        omega_country=args.omega_country, rule_a=args.rule_a, rule_b=args.rule_b,
        rule_countries=args.rule_countries, rng=args.seed,
    )
    out = out_dir(args, "out/club")
    shown = 0
    while model.running:
        model.step()
        new = model.events[shown:]
        if not args.quiet and new:
            print(f"step {model.steps}: {new[0]['phase']}")
            for event in new:
                print(f"    {event['actor']:>4} {event['action']}  ({event['why']})")
        shown = len(model.events)
    table = model.datacollector.get_model_vars_dataframe()
    table.index.name = "step"
    table.to_csv(out / "steps.csv")
    pd.DataFrame(model.events).to_csv(out / "events.csv", index=False)
    pd.DataFrame(model.memberships()).to_csv(out / "memberships.csv", index=False)
    model.export_membership(out / "memberships.gexf")
    final = table.iloc[-1]
    print(
        f"outcome: a at {final.location_a:g} with {final.size_a} members, b at {final.location_b:g} with "
        f"{final.size_b} members; payoffs a {final.payoff_a:.4f}, b {final.payoff_b:.4f}  (nan: no club)"
    )
    print(f"tables and the membership graph are in {out}/")
    return 0
