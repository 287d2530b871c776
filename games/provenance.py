"""Where a result came from: the code's version, the environment and the time, for every manifest.

Both kinds of output record them the same way: a command's output folder
(``scenarios/_output.py``) and an experiment's results folder (``experiments/results.py``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("numpy", "pandas", "mesa", "networkx", "matplotlib", "solara", "tqdm", "pyarrow", "salib", "dask",
            "distributed", "ema-workbench")
"""The packages whose versions every manifest records (those installed)."""


def now() -> str:
    """The local time with its offset, to the second (ISO 8601)."""
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def code_version() -> dict:
    """The git commit of this checkout and whether tracked files differ from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=10,
                              check=True).stdout.strip()

    try:
        return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None, "note": "not a git checkout (or git is missing)"}


def environment() -> dict:
    """Python, the platform and the versions of the key packages."""
    versions = {}
    for name in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    return {"python": platform.python_version(), "executable": sys.executable, "platform": platform.platform(),
            "packages": versions}
