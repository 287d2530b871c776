"""Spheres command line: `python run.py COMMAND [options]` (see `python run.py --help`).

Every command lives in a scenario module that defines ``add_arguments(parser)`` and
``run(args) -> int``; this file only dispatches. Bad input becomes one line on stderr
and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from games.validation import SpheresInputError

# command name -> module under scenarios/ (imported only when the command runs)
COMMANDS: dict[str, str] = {
    "demo": "scenarios.demo",
    "club": "scenarios.club",
    "club-figures": "scenarios.club_figures",
    "propositions": "scenarios.propositions",
    "club-batch": "scenarios.club_batch",
    "us-china": "scenarios.us_china",
    "us-china-india": "scenarios.us_china_india",
    "alliance": "scenarios.alliance",
    "alliance-japan": "scenarios.alliance_japan",
    "alliance-map": "scenarios.alliance_map",
    "alliance-efg": "scenarios.alliance_efg",
    "serve": "scenarios.serve",
    "figures": "scenarios.figures",
    "experiment": "scenarios.experiment",
    "analyse": "scenarios.analyse",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="run.py", description="Spheres: great-power club and alliance games.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        doc = (module.__doc__ or name).strip().splitlines()[0]
        cmd = sub.add_parser(name, help=doc, description=doc)
        module.add_arguments(cmd)
        cmd.set_defaults(_module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._module.run(args) or 0)
    except SpheresInputError as exc:
        print(f"run.py {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"run.py {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
