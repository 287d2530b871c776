"""Play the club game step by step (one stage event per step) and write its tables."""

from __future__ import annotations

import argparse
import math

import pandas as pd

from games.club import World
from games.club.examples import WORLDS, world_by_name
from games.validation import SpheresInputError, check_size
from model import ClubModel
from scenarios import _costs as cost
from scenarios._common import add_club_rule_arguments, add_rule_argument, integer, number, refuse_given

OUTPUT = "out/club"
TAKES_RULES = True
SECTION3 = {"n": 31, "g_a": 0.1}
POLES = {"n": 30, "g_a": 0.3}
TAKES = {"section3": ("n", "g_a", "g_b"), "poles": ("n", "g_a")}
"""The options each named world takes (the others are refused with it)."""
OMEGA_MAX = 1e6
"""The largest endowment of one country relative to the others' 1: beyond it the others' cost
shares (1/omega) come within a thousand times the solver's payoff tolerance (1e-9)."""


class _Default(str):
    """--world's default: it reads (and the manifest records it) as "figure3", yet shows --world was not given."""


DEFAULT_WORLD = _Default("figure3")


class _WorldFile(argparse.Action):
    """--world-file FILE: the world comes from the file, so --world keeps no default (nor does the manifest)."""

    def __call__(self, parser, namespace, value, option_string=None):
        namespace.world_file = value
        if namespace.world is DEFAULT_WORLD:
            namespace.world = None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--world", default=DEFAULT_WORLD, choices=list(WORLDS), help="a named world (default figure3)")
    parser.add_argument("--world-file", action=_WorldFile, default=None, metavar="FILE",
                        help="a world from a CSV file instead of a named one (format: docs/world_files.md)")
    parser.add_argument("--n", type=int, default=None,
                        help=f"section3: the line is cut into n pieces, n - 1 countries (default {SECTION3['n']}); "
                             f"poles: n points on the circle, a multiple of 3 (default {POLES['n']})")
    parser.add_argument("--g-a", type=number(0, 1), default=None,
                        help=f"section3: dependency on a, in [0, 1] (default {SECTION3['g_a']}); poles: every dependency "
                             f"(default {POLES['g_a']})")
    parser.add_argument("--g-b", type=number(0, 1), default=None, help="section3 only: dependency on b, in [0, 1] (default: g_a)")
    parser.add_argument("--country", type=int, default=None,
                        help="a country whose endowment to set, numbered from 1 as in the printout (country k of section3 sits at k/n)")
    parser.add_argument("--omega-country", type=number(0, OMEGA_MAX, low_open=True), default=None,
                        help=f"with --country: that country's endowment, in (0, {OMEGA_MAX:g}] (the others' are 1)")
    add_club_rule_arguments(parser)
    add_rule_argument(parser, "--rule-c", "superpower", None, "the third superpower c's rule (worlds with three or "
                      "more superpowers: poles, world files)")
    parser.add_argument("--seed", type=integer(0), default=0, help="seed of the order in which agents are asked")
    parser.add_argument("--quiet", action="store_true", help="print only the outcome")


def build_model(args: argparse.Namespace) -> ClubModel:
    """The model the options describe; every option checked first (sizes against their cost)."""
    if args.world_file is not None:
        if args.world is not None:
            raise SpheresInputError("--world applies only without --world-file")
        refuse_given(args, ("n", "g_a", "g_b"), "with --world section3, not with --world-file")
    else:
        for option in ("n", "g_a", "g_b"):
            if option not in TAKES.get(args.world, ()):
                takers = " or ".join(f"--world {w}" for w, opts in TAKES.items() if option in opts)
                refuse_given(args, (option,), f"with {takers}")
    if args.country is None:
        refuse_given(args, ("omega_country",), "with --country")
    params = {}
    if args.world == "section3":
        n = SECTION3["n"] if args.n is None else args.n
        check_size("--n", n, low=3, memory=cost.section3_model_bytes, seconds=cost.section3_model_seconds,
                   what="a world of n - 1 countries and n + 1 locations")
        params = {"n": n, "g_a": SECTION3["g_a"] if args.g_a is None else args.g_a, "g_b": args.g_b}
    elif args.world == "poles":
        n = POLES["n"] if args.n is None else args.n
        if n % 3:
            raise SpheresInputError(f"--n = {n} must be a multiple of 3 (the three homes sit on the grid of n points)")
        check_size("--n", n, low=6, memory=lambda v: cost.club_bytes(v - 3, v) + cost.CLUB_AGENT_BYTES * v,
                   seconds=lambda v: cost.club_model_seconds(v - 3, v), what="a circle of n points, n - 3 countries")
        params = {"n": n, "g_a": POLES["g_a"] if args.g_a is None else args.g_a}
    if args.world_file is None:
        world, whose = world_by_name(args.world, **params), f"the {args.world} world's countries"
    else:
        world, whose = World.from_csv(args.world_file), f"the countries of {args.world_file}"
        locations = world.n_locations
        check_size("the number of countries in --world-file", world.n_countries,
                   memory=lambda v: cost.club_bytes(v, locations) + cost.CLUB_AGENT_BYTES * v,
                   seconds=lambda v: cost.club_model_seconds(v, locations), what=f"a world of that many countries and {locations} locations")
    if args.country is not None and not 1 <= args.country <= world.n_countries:
        raise SpheresInputError(f"--country = {args.country} is outside the allowed range [1, {world.n_countries}] ({whose})")
    endowment = {} if args.country is None else {"country": args.country, "omega_country": args.omega_country or 1.0}
    k = world.n_superpowers
    if k < 3:
        refuse_given(args, ("rule_c",), "to a world with three or more superpowers")
    rules = [args.rule_a, args.rule_b] + ([args.rule_c or "equilibrium"] if k >= 3 else []) + ["equilibrium"] * (k - 3)
    return ClubModel(world=world, superpower_rules=rules, rule_countries=args.rule_countries, rng=args.seed, **endowment)


def run(args: argparse.Namespace) -> int:
    model = build_model(args)
    shown = 0
    while model.running:
        model.step()
        new = model.events[shown:]
        if not args.quiet and new:
            print(f"step {model.steps}: {model.event}")
            for event in new:
                print(f"    {event['actor']:>4} {event['action']}  ({event['why']})")
        shown = len(model.events)
    table = model.datacollector.get_model_vars_dataframe()
    table.index.name = "step"  # its phase column says what that step did (row 0: the start)
    table.to_csv(args.out / "steps.csv")
    pd.DataFrame(model.events).to_csv(args.out / "events.csv", index=False)
    pd.DataFrame(model.memberships()).to_csv(args.out / "memberships.csv", index=False)
    model.export_membership(args.out / "memberships.gexf")
    final, names = table.iloc[-1], model.world.superpowers
    clubs = ", ".join(_club(name, final[f"location_{name}"], final[f"size_{name}"]) for name in names)
    payoffs = ", ".join(f"{name} {final['payoff_' + name]:.4f}" for name in names)
    print(f"outcome: {clubs}; payoffs {payoffs}")
    return 0


def _club(role: str, location: float, size: int) -> str:
    """One superpower's club in words: 'a at 0.5 with 3 members' or 'b forms no club'."""
    if math.isnan(location):
        return f"{role} forms no club"
    return f"{role} at {location:g} with {int(size)} member{'' if size == 1 else 's'}"
