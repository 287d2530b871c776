"""Shared command-line helpers for the scenario modules."""

from __future__ import annotations

import argparse
from pathlib import Path

from games.club.core import NONSUPERPOWER_RULES, SUPERPOWER_RULES
from games.validation import SpheresInputError


def out_dir(args: argparse.Namespace, default: str) -> Path:
    """The output folder (``--out``, else ``default``), created if needed."""
    path = Path(getattr(args, "out", None) or default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def selected_figures(spec: str, allowed: tuple[str, ...]) -> list[str]:
    """The figures named in ``--only`` (comma-separated), checked against ``allowed``."""
    chosen = [s.strip() for s in spec.split(",") if s.strip()]
    if not chosen or any(s not in allowed for s in chosen):
        raise SpheresInputError(f"--only = {spec!r} must list figures among {', '.join(allowed)}")
    return chosen


def add_club_rule_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rule-a", default="equilibrium", choices=list(SUPERPOWER_RULES), help="superpower a's rule")
    parser.add_argument("--rule-b", default="equilibrium", choices=list(SUPERPOWER_RULES), help="superpower b's rule")
    parser.add_argument("--rule-countries", default="coalition", choices=list(NONSUPERPOWER_RULES), help="every non-superpower's rule")


def progress_bar(disable: bool = False):
    """A tqdm wrapper usable as ``progress(iterable, desc=...)``."""
    from tqdm import tqdm

    def wrap(iterable, desc=None):
        return tqdm(iterable, desc=desc, disable=disable, leave=False)

    return wrap
