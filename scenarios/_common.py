"""Shared command-line helpers for the scenario modules: option types, options that do not apply, rules, figures."""

from __future__ import annotations

import argparse
import math

from games import registry
from games.validation import SpheresInputError


# --------------------------------------------------------------------------- option types
def integer(low: int, high: int | None = None):
    """An argparse type: an integer in [low, high] (the one-line error states the range)."""
    allowed = f"[{low}, {'...' if high is None else high}]"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer in {allowed}") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{value} is outside the allowed range {allowed}")
        return value

    parse.__name__ = "integer"
    return parse


def number(low: float, high: float, *, low_open: bool = False):
    """An argparse type: a finite number in [low, high] (or (low, high] with ``low_open``)."""
    allowed = f"{'(' if low_open else '['}{low:g}, {high:g}]"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number in {allowed}") from None
        if not (math.isfinite(value) and (value > low if low_open else value >= low) and value <= high):
            raise argparse.ArgumentTypeError(f"{text} is outside the allowed range {allowed}")
        return value

    parse.__name__ = "number"
    return parse


def refuse_given(args: argparse.Namespace, dests, reason: str) -> None:
    """Options that do not apply are refused, not ignored: ``--n applies only with --world section3``.

    The options in ``dests`` default to None, so any other value was given by the user.
    """
    for dest in dests:
        if getattr(args, dest) is not None:
            raise SpheresInputError(f"--{dest.replace('_', '-')} applies only {reason}")


def figure_options(args: argparse.Namespace, only, sizes: dict) -> None:
    """Options of figures not chosen in ``--only`` are refused; the others get their defaults.

    ``sizes`` maps each option's dest to (default, the figures that use it); the options
    default to None, so a value was given by the user.
    """
    for dest, (default, figures) in sizes.items():
        if getattr(args, dest) is None:
            setattr(args, dest, default)
        elif not set(figures) & set(only):
            raise SpheresInputError(f"--{dest.replace('_', '-')} applies only when --only includes {' or '.join(figures)}")


# --------------------------------------------------------------------------- rules by name
def add_rule_argument(parser: argparse.ArgumentParser, option: str, role: str, default, help: str, **kwargs) -> None:
    """A rule option whose valid names are the registry's for ``role`` (a --rules-module's included)."""
    shown = "equilibrium, when it applies" if default is None else default if isinstance(default, str) else " ".join(default)
    parser.add_argument(option, default=default, choices=registry.names(role), metavar="RULE",
                        help=f"{help}: {', '.join(registry.names(role))} (default {shown})", **kwargs)


def add_club_rule_arguments(parser: argparse.ArgumentParser) -> None:
    add_rule_argument(parser, "--rule-a", "superpower", "equilibrium", "superpower a's rule")
    add_rule_argument(parser, "--rule-b", "superpower", "equilibrium", "superpower b's rule")
    add_rule_argument(parser, "--rule-countries", "non-superpower", "coalition", "every non-superpower's rule")


# --------------------------------------------------------------------------- figures
def selected_figures(spec: str, allowed: tuple[str, ...]) -> list[str]:
    """The figures named in ``--only`` (comma-separated), checked against ``allowed``."""
    chosen = [s.strip() for s in spec.split(",") if s.strip()]
    if not chosen or any(s not in allowed for s in chosen):
        raise SpheresInputError(f"--only = {spec!r} must list figures among {', '.join(allowed)}")
    return chosen


def progress_bar(disable: bool = False):
    """A tqdm wrapper usable as ``progress(iterable, desc=...)``."""
    from tqdm import tqdm

    def wrap(iterable, desc=None):
        return tqdm(iterable, desc=desc, disable=disable, leave=False)

    return wrap
