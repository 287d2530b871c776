"""Start Mesa's visual server (SolaraViz) for one game on a local port (run.py serve --game club).

The server is ``solara run visualization/app.py`` in production mode (no hot reload), with
the game chosen through ``SPHERES_GAME`` and Solara's telemetry switched off, run as a child
process: its address is printed once it serves the page (not before), and a server that
cannot start (a port in use) ends the command with one line and its exit status. Stop it
with Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
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
    """Start the server in the background (used by ``run`` and the browser test); the caller stops it."""
    return subprocess.Popen(server_command(port, host), cwd=ROOT, env=server_env(game, rules_modules), **popen_kwargs)


def wait_until_serving(proc: subprocess.Popen, url: str, timeout: float = 120.0) -> bool:
    """Whether the server ``proc`` answers ``url`` (the page, status 200) within ``timeout``
    seconds; False as soon as it exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.25)
    return False


def run(args: argparse.Namespace) -> int:
    """Start the server; print its address once it serves the page; wait until it stops."""
    from visualization import assets

    server_command(args.port, args.host)  # bad options stop here, before anything starts
    try:
        assets.install()  # the browser-side files, from the npm registry, once
    except RuntimeError as exc:
        print(f"run.py serve: warning: {exc}; the page may not load without them", file=sys.stderr)
    proc = start_server(args.game, args.port, args.host, getattr(args, "rules_module", ()),
                        stdout=sys.stderr)  # stdout: our address line only
    url = f"http://{args.host}:{args.port}/"
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        if not wait_until_serving(proc, url):
            if proc.poll() is None:
                proc.terminate()
            code = proc.wait()
            print(f"run.py serve: error: the server did not serve {url} (exit status {code}; "
                  "is the port in use? --port chooses another)", file=sys.stderr)
            return code or 1
        print(f"Spheres visual server, {args.game} game: {url}  (Ctrl-C stops it)", flush=True)
        return proc.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
        if proc.poll() is None:  # Ctrl-C reaches the server too; a kill does not: it goes with us
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _terminated(signum, frame):
    raise SystemExit(128 + signum)  # through ``run``'s cleanup, which stops the server
