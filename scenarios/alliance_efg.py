"""Export the discretised alliance game as a Gambit .efg file."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from scenarios.alliance import add_param_arguments

    add_param_arguments(parser)
    parser.add_argument("--n-demands", default="5", help="demand grid size (default 5; a*, a_bar, p_h - p_m always included)")
    parser.add_argument("--n-offers", default="10", help="offer grid size (default 10; T's war values always included)")
    parser.add_argument("--out", default="out", help="output folder (default out/)")


def run(args: argparse.Namespace) -> int:
    from games.alliance import parse_efg, write_efg
    from scenarios.alliance import params_from_args, parse_int

    params = params_from_args(args)
    n_demands = parse_int("--n-demands", args.n_demands, low=1, high=100)
    n_offers = parse_int("--n-offers", args.n_offers, low=2, high=200)
    path = write_efg(Path(args.out) / f"alliance_{args.example}.efg", params, n_demands=n_demands, n_offers=n_offers,
                     title=f"Alliance cost-sharing game ({args.example})")
    info = parse_efg(path.read_text(encoding="utf-8"))
    print(f"wrote {path}: {info['player']} decision nodes, {info['terminal']} outcomes, information sets per player "
          f"{info['infosets']}")
    return 0
