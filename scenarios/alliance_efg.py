"""Export the discretised alliance game as a Gambit .efg file."""

from __future__ import annotations

import argparse

from games.validation import check_size
from scenarios import _costs as cost

__all__ = ["add_arguments", "run"]

OUTPUT = "out/alliance_efg"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from scenarios.alliance import add_param_arguments

    add_param_arguments(parser, beliefs=False)  # the tree has no beliefs: Gambit solves it
    parser.add_argument("--n-demands", type=int, default=5, help="demand grid size (default 5; a*, a_bar, p_h - p_m always included)")
    parser.add_argument("--n-offers", type=int, default=10, help="offer grid size (default 10; T's war values always included)")


def run(args: argparse.Namespace) -> int:
    from games.alliance import parse_efg, write_efg
    from scenarios.alliance import params_from_args

    params = params_from_args(args)

    def cost_of(nodes):  # check_size's estimates for a grid size k whose tree has nodes(k) nodes
        return {"memory": lambda k: nodes(k) * cost.EFG_NODE_BYTES, "seconds": lambda k: nodes(k) * cost.EFG_NODE_SECONDS,
                "what": "the nodes of the tree"}

    n_demands = check_size("--n-demands", args.n_demands, low=1,
                           **cost_of(lambda k: cost.efg_nodes(k, 2)))  # with the fewest offers; then --n-offers given it
    n_offers = check_size("--n-offers", args.n_offers, low=2, **cost_of(lambda k: cost.efg_nodes(n_demands, k)))
    path = write_efg(args.out / f"alliance_{args.example}.efg", params, n_demands=n_demands, n_offers=n_offers,
                     title=f"Alliance cost-sharing game ({args.example})")
    info = parse_efg(path.read_text(encoding="utf-8"))
    print(f"{path.name}: {info['player']} decision nodes, {info['terminal']} outcomes, information sets per player "
          f"{info['infosets']}")
    return 0
