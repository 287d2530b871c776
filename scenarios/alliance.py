"""Alliance cost-sharing game (Masumura): play many episodes and print the outcome table."""

from __future__ import annotations

import argparse

from games.alliance import AllianceParams, classify, label_equilibrium, to_fraction
from games.alliance.examples import EXAMPLES
from games.validation import SpheresInputError, check_choice

__all__ = ["add_arguments", "run", "add_param_arguments", "params_from_args", "parse_int", "off_path_from_args"]


def parse_int(name: str, text, low: int = 0, high: int | None = None) -> int:
    """Integer command-line value with its range checked (one-line error otherwise)."""
    try:
        value = int(str(text))
    except ValueError:
        raise SpheresInputError(f"{name} = {text!r} must be an integer") from None
    if value < low or (high is not None and value > high):
        hi = "inf)" if high is None else f"{high}]"
        raise SpheresInputError(f"{name} = {value} is outside the allowed range [{low}, {hi}")
    return value


def add_param_arguments(parser: argparse.ArgumentParser, default_example: str = "japan-1978") -> None:
    """Options choosing a parameter point: a named example plus KEY=VALUE overrides."""
    parser.add_argument("--example", default=default_example,
                        help=f"named parameter point: {', '.join(EXAMPLES)} (default {default_example})")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override one parameter, e.g. --set l=0.3 --set pi=0.12 (repeatable)")
    parser.add_argument("--off-path", default="uncommitted",
                        help="C's belief after unexpected histories: uncommitted (default), prior, committed, or a number in [0, 1]")
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
        values[key] = to_fraction(key, text)
    return AllianceParams.from_mapping(values, check_assumptions=not args.no_assumption_check)


def off_path_from_args(args: argparse.Namespace):
    text = args.off_path
    if text in ("uncommitted", "prior", "committed"):
        return text
    return to_fraction("off_path_belief", text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from agents.alliance import CHALLENGER_RULES, PATRON_RULES, PROTEGE_RULES

    add_param_arguments(parser)
    parser.add_argument("--episodes", default="1000", help="number of episodes (default 1000)")
    parser.add_argument("--seed", default="0", help="random seed (default 0)")
    parser.add_argument("--patron-rule", default="equilibrium", help=f"one of: {', '.join(PATRON_RULES)}")
    parser.add_argument("--protege-rule", default="equilibrium", help=f"one of: {', '.join(PROTEGE_RULES)}")
    parser.add_argument("--challenger-rule", default="equilibrium", help=f"one of: {', '.join(CHALLENGER_RULES)}")
    parser.add_argument("--equilibrium", default=None,
                        help="which equilibrium the equilibrium rules play: an index or 'Separating 1|2|3' (default: first proposition found)")
    parser.add_argument("--n-demands", default="20", help="demand grid size (default 20; a*, a_bar, p_h - p_m always included)")
    parser.add_argument("--trace", default="0", help="print the first N stage events step by step")
    parser.add_argument("--csv", default=None, help="also write the per-episode table to this CSV file")


def run(args: argparse.Namespace) -> int:
    from agents.alliance import CHALLENGER_RULES, PATRON_RULES, PROTEGE_RULES
    from model import AllianceModel

    params = params_from_args(args)
    episodes = parse_int("--episodes", args.episodes, low=1, high=10_000_000)
    seed = parse_int("--seed", args.seed, low=0)
    trace = parse_int("--trace", args.trace, low=0)
    n_demands = parse_int("--n-demands", args.n_demands, low=1, high=500)
    check_choice("--patron-rule", args.patron_rule, tuple(PATRON_RULES))
    check_choice("--protege-rule", args.protege_rule, tuple(PROTEGE_RULES))
    check_choice("--challenger-rule", args.challenger_rule, tuple(CHALLENGER_RULES))
    equilibrium = args.equilibrium
    if equilibrium is not None and equilibrium.isdigit():
        equilibrium = int(equilibrium)
    model = AllianceModel(
        params, n_demands=n_demands, off_path_belief=off_path_from_args(args), equilibrium=equilibrium,
        patron_rule=args.patron_rule, protege_rule=args.protege_rule, challenger_rule=args.challenger_rule, seed=seed,
    )
    holding = ", ".join(k for k, v in _safe_classify(params, args).items() if v) or "none"
    print(f"example {args.example}; propositions holding (closed form): {holding}")
    print(f"{len(model.search)} pure PBE outcome(s) on the grid; the equilibrium rules play: "
          f"{label_equilibrium(model.equilibrium, params)}")
    print(f"  {model.equilibrium.describe()}")
    print(f"rules: patron={args.patron_rule}, protege={args.protege_rule}, challenger={args.challenger_rule}; seed {seed}")
    for _ in range(trace):
        model.step()
        print(f"  step {model.steps:>3} episode {model.episode:>3}  {model.last_stage:<40} {model.path[-1][1]}: {model.path[-1][2]}"
              f"   [alliance {model.graph.edges['A', 'T']['status']}, C's belief {model.challenger_belief}]")
    while model.episodes_finished < episodes:
        model.step()
    table = model.outcome_table()
    print(f"\noutcome frequencies over {table.attrs['episodes']} episodes (mean offer {table.attrs['mean offer']:.4f}):")
    print(table.to_string(float_format=lambda v: f"{v:.3f}"))
    if args.csv:
        model.episodes_table().to_csv(args.csv, index=False)
        print(f"episodes written to {args.csv}")
    return 0


def _safe_classify(params, args) -> dict:
    try:
        return classify(params, off_path_from_args(args))
    except SpheresInputError:
        return {}
