"""Spheres command line: `python run.py COMMAND [options]` (see `python run.py --help`).

Every command lives in a scenario module that defines ``add_arguments(parser)`` and
``run(args) -> int``. This file dispatches, and does once, for every command:

- bad input of any kind, argparse's own complaints included, is one line on stderr and exit
  status 2, never a usage block or a traceback; an empty string is never taken as a default;
  negative numbers work as option values (``--g -0.1:0.3:5``);
- a module that sets ``OUTPUT`` (its default folder) writes files: its command gets ``--out``
  and ``--overwrite`` and runs inside a ``scenarios._output.OutputFolder`` (checked before
  any work, written aside, moved into place complete with a ``manifest.json``);
- a module that sets ``TAKES_RULES`` gets ``--rules-module FILE.py``: the file is imported
  before the parser is built, so its rules are valid names for every rule option;
- Ctrl-C ends with one line and exit status 130, and leaves nothing half-written.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
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
    "poles": "scenarios.poles",
    "experiment": "scenarios.experiment",
    "analyse": "scenarios.analyse",
}
RULES_MODULE = "--rules-module"


class UsageError(SpheresInputError):
    """An argparse error, already formatted as the one line to print."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors, no abbreviated options, and negative numbers as values."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)  # --rules-module must be spelled out (run.py looks for it)
        super().__init__(*args, **kwargs)
        # argparse reads only plain negative numbers ("-2") as values; "-0.1:0.3:5" and "-2,2" too
        self._negative_number_matcher = re.compile(r"^-\.?\d")

    def parse_args(self, args=None, namespace=None):
        args, extras = self.parse_known_args(args, namespace)
        if extras:  # named by the command they were given to, not by run.py
            getattr(args, "_parser", self).error(f"unrecognized arguments: {' '.join(extras)}")
        return args

    def error(self, message):
        raise UsageError(f"{self.prog}: error: {message}")


def build_parser(command: str | None = None) -> Parser:
    """Every command's parser; given a ``command``, only its module is imported (a fast start)."""
    parser = Parser(prog="run.py", description="Spheres: great-power club and alliance games.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        if command in COMMANDS and name != command:
            sub.add_parser(name)
            continue
        module = importlib.import_module(module_name)
        doc = (module.__doc__ or name).strip().splitlines()[0]
        cmd = sub.add_parser(name, help=doc, description=doc)
        module.add_arguments(cmd)
        if getattr(module, "OUTPUT", None):
            cmd.add_argument("--out", default=None, help=f"output folder (default {module.OUTPUT}); written complete or not at all")
            cmd.add_argument("--overwrite", action="store_true", help="replace the results of an earlier run in --out")
        if getattr(module, "TAKES_RULES", False):
            cmd.add_argument(RULES_MODULE, action="append", default=[], metavar="FILE.py",
                             help="a Python file that registers rules of your own (games.registry); repeatable")
        cmd.set_defaults(_module=module, _parser=cmd)
    return parser


def _command_of(argv: list[str]) -> str | None:
    return next((token for token in argv if not token.startswith("-")), None)


def _rules_modules(argv: list[str]) -> list[str]:
    """Every ``--rules-module FILE`` (or ``--rules-module=FILE``) in ``argv``, in order."""
    paths = []
    for i, token in enumerate(argv):
        if token == RULES_MODULE and i + 1 < len(argv):
            paths.append(argv[i + 1])
        elif token.startswith(RULES_MODULE + "="):
            paths.append(token.split("=", 1)[1])
    return paths


def _refuse_empty(args: argparse.Namespace) -> None:
    """An empty string given for an option is an error, never a way to ask for its default."""
    for action in args._parser._actions:
        value = getattr(args, action.dest, None)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and not v.strip() for v in values):
            raise SpheresInputError(f"{(action.option_strings or [action.dest])[-1]} must not be empty")


def _arguments(args: argparse.Namespace) -> dict:
    return {k: v for k, v in vars(args).items() if not k.startswith("_") and k != "command"}


def _run(argv: list[str], state: dict) -> int:
    from games import registry

    command = _command_of(argv)
    module_name = COMMANDS.get(command)
    if module_name and getattr(importlib.import_module(module_name), "TAKES_RULES", False):
        for path in _rules_modules(argv):  # before the parser: the rule options list their names
            registry.load_rules_module(path)
    args = build_parser(command).parse_args(argv)
    _refuse_empty(args)
    module = args._module
    if not getattr(module, "OUTPUT", None):
        return int(module.run(args) or 0)

    from games.provenance import now
    from scenarios._output import OutputFolder, manifest

    folder = OutputFolder(module.OUTPUT if args.out is None else args.out, command=args.command,
                          overwrite=args.overwrite, default=args.out is None)
    arguments, started = _arguments(args), now()
    state["folder"] = folder
    with folder:
        args.out = folder.path  # the command writes into the temporary folder
        code = int(module.run(args) or 0)
        files = folder.commit(manifest(args.command, argv, arguments, started, getattr(args, "rules_module", ())))
    state["committed"] = True
    print(f"wrote {len(files)} file{'' if len(files) == 1 else 's'} to {folder.shown.rstrip('/')}/ (listed in manifest.json)")
    return code


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command = _command_of(argv)
    prog = f"run.py {command}" if command in COMMANDS else "run.py"
    state: dict = {}
    try:
        return _run(argv, state)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except (SpheresInputError, FileNotFoundError) as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        folder = state.get("folder")
        if state.get("committed"):
            what = f"; the results were complete and are in {folder.shown}"
        elif folder is not None:
            what = f"; nothing was written to {folder.shown}"
        else:
            what = ""
        clear = "\r\033[K" if sys.stderr.isatty() else ""  # over a progress bar's line
        print(f"{clear}{prog}: interrupted{what}", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
