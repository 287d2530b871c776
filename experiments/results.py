"""An experiment's results folder: Parquet parts streamed as runs finish, and the manifest.

::

    RESULTS/
      manifest.json            the experiment (its file's text), code version, seeds, sessions
                               (start, end, where it ran), failures, status
      parts/part-000000123.parquet
                               one file per finished task: one row per run (run, point,
                               replication, seed, the varied parameters, the outputs)
      .lock                    while an experiment writes here

A part is written under a temporary name and renamed when complete, so a part on disk is
always whole; :func:`read_results` joins them, sorted by run. ``--resume`` reads which runs
are in the parts (and which failed, from the manifest) and redoes none of them.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd

from games.validation import SpheresInputError

__all__ = ["ResultsFolder", "read_results", "read_manifest"]

MANIFEST = "manifest.json"
PARTS = "parts"
LOCK = ".lock"
def read_manifest(folder: str | Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise SpheresInputError(f"RESULTS = {str(folder)!r} holds no experiment results (no {MANIFEST})")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SpheresInputError(f"{path} is not valid JSON: {exc}") from None


def read_results(folder: str | Path) -> pd.DataFrame:
    """The results table of a folder: one row per finished run, sorted by run."""
    read_manifest(folder)
    parts = sorted((Path(folder) / PARTS).glob("part-*.parquet"))
    if not parts:
        return pd.DataFrame()
    table = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    return table.sort_values("run", kind="stable").reset_index(drop=True)


def _write_atomic(path: Path, write) -> None:
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)
    os.replace(tmp, path)


class ResultsFolder:
    """The folder an experiment streams into (see the module docstring)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise SpheresInputError(f"--out = {str(path)!r} is a file, not a folder")
        parent = next((p for p in [self.path, *self.path.parents] if p.exists()), Path("."))
        if not os.access(parent, os.W_OK):
            raise SpheresInputError(f"--out = {str(path)!r} cannot be written ({parent} is not writable)")

    @property
    def manifest_path(self) -> Path:
        return self.path / MANIFEST

    @property
    def parts(self) -> Path:
        return self.path / PARTS

    def holds_results(self) -> bool:
        return self.manifest_path.exists() or any(self.parts.glob("part-*.parquet"))

    def free_bytes(self) -> int:
        existing = next(p for p in [self.path, *self.path.parents] if p.exists())
        return shutil.disk_usage(existing).free

    def prepare(self, fingerprint: str, *, resume: bool, overwrite: bool) -> dict | None:
        """Check the folder before any work: refuse one that holds results unless ``resume``
        (of the same experiment) or ``overwrite``. Returns the old manifest when resuming."""
        if resume and overwrite:
            raise SpheresInputError("--resume and --overwrite exclude each other")
        if not self.holds_results():
            return None
        if overwrite:
            return None
        if not resume:
            raise SpheresInputError(f"--out = {str(self.path)!r} already holds results: pass --resume to finish them "
                                    "or --overwrite to replace them")
        old = read_manifest(self.path)
        if old.get("fingerprint") != fingerprint:
            raise SpheresInputError(f"--resume: the results in {str(self.path)!r} are of another experiment "
                                    f"({old.get('experiment', {}).get('name')!r}, different settings); "
                                    "pass --overwrite to replace them")
        return old

    def lock(self) -> None:
        """Take the folder (one writer at a time); a lock left by a process that is gone is taken over."""
        self.path.mkdir(parents=True, exist_ok=True)
        lock = self.path / LOCK
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                pid = int(lock.read_text().strip() or 0)
                os.kill(pid, 0)
            except (ValueError, ProcessLookupError, FileNotFoundError):
                lock.unlink(missing_ok=True)
                return self.lock()
            except PermissionError:
                pass
            raise SpheresInputError(f"--out = {str(self.path)!r} is being written by another experiment (process {pid})") from None
        with os.fdopen(fd, "w") as f:
            f.write(str(os.getpid()))

    def unlock(self) -> None:
        (self.path / LOCK).unlink(missing_ok=True)

    def clear(self) -> None:
        """Remove this folder's results (``--overwrite``): the manifest and the parts, nothing else."""
        self.manifest_path.unlink(missing_ok=True)
        if self.parts.exists():
            shutil.rmtree(self.parts)

    def done_runs(self) -> set[int]:
        """Runs whose results are on disk (unfinished temporary parts are removed)."""
        self.parts.mkdir(parents=True, exist_ok=True)
        for tmp in self.parts.glob("*.tmp"):
            tmp.unlink()
        done: set[int] = set()
        for p in self.parts.glob("part-*.parquet"):
            done.update(pd.read_parquet(p, columns=["run"])["run"].tolist())
        return done

    def write_part(self, table: pd.DataFrame) -> Path:
        path = self.parts / f"part-{int(table['run'].iloc[0]):09d}.parquet"
        _write_atomic(path, lambda tmp: table.to_parquet(tmp, index=False))
        return path

    def write_manifest(self, manifest: dict) -> None:
        _write_atomic(self.manifest_path, lambda tmp: tmp.write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8"))
