"""Start Mesa's visual server (SolaraViz) for one game on a local port (run.py serve --game club).

The server is ``solara run visualization/app.py`` in production mode (no hot reload), with
the game chosen through ``SPHERES_GAME`` and Solara's telemetry switched off. Open the
printed address in a browser; stop the server with Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from games.validation import SpheresInputError, check_choice
from scenarios._common import integer

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "visualization" / "app.py"
GAMES = ("club", "alliance")
TAKES_RULES = True
RULES_ENV = "SPHERES_RULES_MODULES"
"""The server process imports these files (``--rules-module``, joined by os.pathsep) before its pages."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--game", default="club", choices=GAMES, help="which game to show (default club)")
    parser.add_argument("--port", type=integer(1, 65535), default=8765, help="local port (default 8765)")
    parser.add_argument("--host", default="localhost", help="address to listen on (default localhost)")


def server_env(game: str, rules_modules=()) -> dict[str, str]:
    """The environment of the server process: the game, the user's rules files, the repository on
    the path, no telemetry."""
    check_choice("game", game, GAMES)
    env = dict(os.environ)
    env["SPHERES_GAME"] = game
    env[RULES_ENV] = os.pathsep.join(str(Path(p).resolve()) for p in rules_modules)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    env.setdefault("MPLBACKEND", "Agg")
    return env


def server_command(port: int, host: str = "localhost") -> list[str]:
    """The ``solara run`` command line serving ``visualization/app.py`` on ``host:port``."""
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise SpheresInputError(f"--port = {port!r} is outside the allowed range [1, 65535]")
    if not host:
        raise SpheresInputError("--host must not be empty")
    solara = Path(sys.executable).with_name("solara")
    launcher = [str(solara)] if solara.exists() else [sys.executable, "-m", "solara"]
    return [*launcher, "run", str(APP), "--host", host, "--port", str(port), "--production", "--no-open",
            "--log-level", "warning"]


def load_rules_modules() -> None:
    """In the server process: import the ``--rules-module`` files that ``run.py serve`` was given."""
    from games import registry

    for path in filter(None, os.environ.get(RULES_ENV, "").split(os.pathsep)):
        registry.load_rules_module(path)


def start_server(game: str, port: int, host: str = "localhost", rules_modules=(), **popen_kwargs) -> subprocess.Popen:
    """Start the server in the background (used by the browser test); the caller stops it."""
    return subprocess.Popen(server_command(port, host), cwd=ROOT, env=server_env(game, rules_modules), **popen_kwargs)


def run(args: argparse.Namespace) -> int:
    """Replace this process by the server (so Ctrl-C and signals reach it directly)."""
    from visualization import assets

    command, env = server_command(args.port, args.host), server_env(args.game, args.rules_module)
    try:
        assets.install()  # the browser-side files, from the npm registry, once
    except RuntimeError as exc:
        print(f"run.py serve: warning: {exc}; the page may not load without them", file=sys.stderr)
    print(f"Spheres visual server, {args.game} game: http://{args.host}:{args.port}/  (Ctrl-C stops it)", flush=True)
    os.chdir(ROOT)
    os.execvpe(command[0], command, env)
    return 0  # not reached
