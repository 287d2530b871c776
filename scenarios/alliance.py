"""Alliance cost-sharing game (Masumura): play many episodes and print the outcome table."""

from __future__ import annotations

import argparse

from games.alliance import AllianceParams, classify, label_equilibrium
from games.alliance.beliefs import OFF_PATH_RULES
from games.alliance.examples import EXAMPLES
from games.alliance.rules import MODES
from games.validation import SpheresInputError, check_choice, check_size, parse_exact
from scenarios import _costs as cost
from scenarios._common import add_rule_argument, integer

__all__ = ["add_arguments", "run", "add_param_arguments", "add_rule_options", "params_from_args", "off_path_from_args"]

OUTPUT = "out/alliance"
TAKES_RULES = True


def add_param_arguments(parser: argparse.ArgumentParser, default_example: str = "japan-1978", beliefs: bool = True) -> None:
    """Options choosing a parameter point: a named example plus KEY=VALUE overrides (and C's
    off-path belief, for the commands that solve the game: ``beliefs``)."""
    parser.add_argument("--example", default=default_example,
                        help=f"named parameter point: {', '.join(EXAMPLES)} (default {default_example})")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override one parameter, e.g. --set l=0.3 --set pi=0.12 (repeatable)")
    if beliefs:
        parser.add_argument("--off-path", default="uncommitted",
                            help="C's belief after unexpected histories: uncommitted (default), prior, committed, a number "
                                 "in [0, 1], or any (every outcome some off-path beliefs support)")
    parser.add_argument("--no-assumption-check", action="store_true",
                        help="allow parameters that violate assumptions (1)-(2) of the appendix")


def params_from_args(args: argparse.Namespace) -> AllianceParams:
    check_choice("example", args.example, tuple(EXAMPLES))
    values = dict(EXAMPLES[args.example])
    for item in args.set:
        if "=" not in item:
            raise SpheresInputError(f"--set {item!r} must look like KEY=VALUE")
        key, text = (s.strip() for s in item.split("=", 1))
        check_choice("--set parameter", key, tuple(values))
        values[key] = parse_exact(f"--set {key}", text)
    return AllianceParams.from_mapping(values, check_assumptions=not args.no_assumption_check)


def off_path_from_args(args: argparse.Namespace):
    text = args.off_path
    if text in OFF_PATH_RULES:
        return text
    try:
        return parse_exact("--off-path", text)
    except SpheresInputError:
        raise SpheresInputError(f"--off-path = {text!r} is not one of: {', '.join(OFF_PATH_RULES)}, or a number in [0, 1]") from None


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    """Each role's rule (registered names, a --rules-module's included) and the counterfactual mode."""
    add_rule_argument(parser, "--patron-rule", "patron", "equilibrium", "the patron's rule")
    add_rule_argument(parser, "--protege-rule", "protege", "equilibrium", "the protégé's rule")
    add_rule_argument(parser, "--challenger-rule", "challenger", "equilibrium", "the challenger's rule")
    parser.add_argument("--mode", default="surprise", choices=MODES,
                        help="surprise (default): the other players keep the equilibrium without the rules; "
                             "anticipated: the rules are known and everybody re-optimises around them")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_param_arguments(parser)
    parser.add_argument("--episodes", type=int, default=1000, help="number of episodes (default 1000)")
    parser.add_argument("--seed", type=integer(0), default=0, help="random seed (default 0)")
    add_rule_options(parser)
    parser.add_argument("--equilibrium", default=None,
                        help="which equilibrium the equilibrium rules play: an index or 'Separating 1|2|3' (default: first proposition found)")
    parser.add_argument("--n-demands", type=int, default=20, help="demand grid size (default 20; a*, a_bar, p_h - p_m always included)")
    parser.add_argument("--trace", type=int, default=0, help="print the first N stage events step by step")


def run(args: argparse.Namespace) -> int:
    from model import AllianceModel

    params = params_from_args(args)
    episodes = check_size("--episodes", args.episodes, low=1, memory=lambda k: k * cost.EPISODE_BYTES,
                          seconds=lambda k: k * cost.EPISODE_SECONDS, what="the episodes and their DataCollector rows are kept")
    trace = check_size("--trace", args.trace, low=0, memory=lambda k: k * cost.STEP_BYTES,
                       seconds=lambda k: k * cost.STEP_PRINT_SECONDS)
    n_demands = check_size("--n-demands", args.n_demands, low=1, seconds=cost.alliance_solve_seconds,
                           what="the equilibrium search")
    seed = args.seed
    equilibrium = args.equilibrium
    if equilibrium is not None and equilibrium.isdigit():
        equilibrium = int(equilibrium)
    model = AllianceModel(
        params, n_demands=n_demands, off_path_belief=off_path_from_args(args), equilibrium=equilibrium,
        patron_rule=args.patron_rule, protege_rule=args.protege_rule, challenger_rule=args.challenger_rule,
        mode=args.mode, seed=seed,
    )
    holding = ", ".join(k for k, v in _safe_classify(params, args).items() if v) or "none"
    print(f"example {args.example}; propositions holding (closed form): {holding}")
    print(f"{len(model.search)} pure PBE outcome(s) on the grid, {model.search.convention()}; the equilibrium rules play: "
          f"{label_equilibrium(model.equilibrium, params)}")
    print(f"  {model.equilibrium.describe()}")
    print(f"rules: patron={args.patron_rule}, protege={args.protege_rule}, challenger={args.challenger_rule} "
          f"({args.mode}); seed {seed}")
    for _ in range(trace):
        model.step()
        print(f"  step {model.steps:>3} episode {model.episode:>3}  {model.last_stage:<40} {model.path[-1][1]}: {model.path[-1][2]}"
              f"   [alliance {model.graph.edges['A', 'T']['status']}, C's belief {model.challenger_belief}]")
    while model.episodes_finished < episodes:
        model.step()
    table = model.outcome_table()
    print(f"\noutcome frequencies over {table.attrs['episodes']} episodes (mean offer {table.attrs['mean offer']:.4f}):")
    print(table.to_string(float_format=lambda v: f"{v:.3f}"))
    table.to_csv(args.out / "outcomes.csv")
    model.episodes_table().to_csv(args.out / "episodes.csv", index=False)
    return 0


def _safe_classify(params, args) -> dict:
    try:
        return classify(params, off_path_from_args(args))
    except SpheresInputError:
        return {}
