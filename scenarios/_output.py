"""A run's output folder: checked before any work, written aside, moved into place complete.

Every command that writes files (a scenario module with ``OUTPUT = "out/NAME"``, its default
folder) gets ``--out DIR`` and ``--overwrite`` from ``run.py``, which runs it inside an
:class:`OutputFolder`:

1. Before any work, ``--out`` is checked: not empty, not a file, not under a file, in a
   place this process can write. A folder that holds another run's results (it has a
   ``manifest.json``) is refused unless ``--overwrite``; a command may replace its own
   earlier results in its default folder. A folder that holds anything else is always
   refused, so Spheres never deletes files it did not write.
2. A lock file beside the folder (``.NAME.lock``, an ``flock``) keeps a second writer out.
3. The command writes into a temporary folder beside the target (``.NAME.partial-XXXX``,
   same file system). When it returns, ``manifest.json`` (command, arguments, code version,
   times, Python and package versions, every file with its size and SHA-256) is written
   and the folder is renamed into place. On an error or Ctrl-C it is removed instead, so
   an output folder is always one complete run, or absent.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import tempfile
from pathlib import Path

from games.provenance import code_version, environment, now
from games.validation import SpheresInputError

MANIFEST = "manifest.json"
ROOT = Path(__file__).resolve().parent.parent


class OutputFolder:
    """The output folder of one run of ``command`` (see the module docstring).

    ``path`` is what the user gave (or the command's default, ``default=True``). The
    constructor checks it; ``with folder:`` takes the lock and makes the temporary folder
    ``folder.path``; ``folder.commit(manifest)`` moves it into place.
    """

    def __init__(self, path, *, command: str, overwrite: bool = False, default: bool = False):
        if not str(path).strip():
            raise SpheresInputError("--out must name a folder, got an empty string")
        self.shown = str(path)
        self.target = Path(os.path.realpath(Path(path).expanduser()))  # a link to a folder: write where it points
        self.command, self.overwrite, self.default = command, overwrite, default
        self.path: Path | None = None  # the temporary folder, while the run writes
        self._lock_fd: int | None = None
        self._made: list[Path] = []  # parent folders this run created (removed again if it fails)
        self._check_place()
        self._check_contents()

    # -- checks -------------------------------------------------------------------------
    def _refuse(self, why: str):
        raise SpheresInputError(f"--out {self.shown!r} {why}")

    def _check_place(self) -> None:
        if self.target.exists() and not self.target.is_dir():
            self._refuse("is a file, not a folder")
        parent = self.target.parent
        while not parent.exists() and not parent.is_symlink():
            parent = parent.parent
        if not parent.is_dir():
            self._refuse(f"lies under {str(parent)!r}, which is a file")
        try:  # the only reliable test of "can write here" (root ignores permission bits)
            os.rmdir(tempfile.mkdtemp(dir=parent, prefix=".spheres-probe-"))
        except OSError as exc:
            self._refuse(f"cannot be written: no permission to create folders in {str(parent)!r} ({exc.strerror})")

    def _check_contents(self) -> None:
        if not self.target.is_dir() or not any(self.target.iterdir()):
            return
        earlier = read_manifest(self.target)
        if earlier is None:
            self._refuse("already holds files that are not the results of a Spheres run; choose a new or empty folder")
        if self.overwrite or (self.default and earlier.get("command") == self.command):
            return
        self._refuse(f"holds the results of an earlier run (run.py {earlier.get('command')}, finished "
                     f"{earlier.get('finished')}); pass --overwrite to replace them, or choose another folder")

    # -- the run ------------------------------------------------------------------------
    @property
    def _parent(self) -> Path:
        return self.target.parent

    def _beside(self, kind: str) -> str:
        return f".{self.target.name}.{kind}"

    def __enter__(self) -> OutputFolder:
        missing = []
        for folder in [self._parent, *self._parent.parents]:
            if folder.exists():
                break
            missing.append(folder)
        for folder in reversed(missing):
            folder.mkdir()
            self._made.append(folder)
        try:
            self._lock()
            for stale in self._parent.glob(self._beside("partial-*")):  # left by a killed run (we hold the lock)
                shutil.rmtree(stale, ignore_errors=True)
            self._check_contents()
            self.path = Path(tempfile.mkdtemp(dir=self._parent, prefix=self._beside("partial-")))
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.path, 0o777 & ~umask)  # mkdtemp's 0700 would hide the results from others
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _lock(self) -> None:
        lock = self._parent / self._beside("lock")
        while True:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 300).decode(errors="replace").strip() or "another process"
                os.close(fd)
                self._refuse(f"is being written by another run ({holder}); wait for it to finish or choose another folder")
            try:  # the file we locked may have been removed by the holder we waited for
                same = os.fstat(fd).st_ino == os.stat(lock).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}, run.py {self.command}, since {now()}".encode())
        self._lock_fd = fd

    def commit(self, manifest: dict) -> list[dict]:
        """Write ``manifest.json`` (with the list of files) and move the folder into place."""
        files = list_files(self.path)
        manifest = {**manifest, "out": str(self.target), "files": files}
        (self.path / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
        with _signals_held():
            self._check_contents()
            old = None
            if self.target.is_dir() and any(self.target.iterdir()):
                old = self._parent / f"{self._beside('old')}-{os.getpid()}"
                os.rename(self.target, old)
            os.rename(self.path, self.target)  # onto a missing or empty folder: atomic
            self.path, self._made = None, []
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        return files

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.path is not None:  # not committed: nothing of this run stays
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None
        if self._lock_fd is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._parent / self._beside("lock"))
            os.close(self._lock_fd)
            self._lock_fd = None
        for folder in reversed(self._made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._made = []


@contextlib.contextmanager
def _signals_held():
    """Hold Ctrl-C (and SIGTERM) back while the folder is moved, so it is moved completely."""
    held = {signal.SIGINT, signal.SIGTERM}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


# --------------------------------------------------------------------------- the manifest
def read_manifest(folder: Path) -> dict | None:
    """The manifest of a Spheres output folder, or None if it has none (or not a readable one)."""
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "command" in data else None


def list_files(folder: Path) -> list[dict]:
    """Every file under ``folder``: its path relative to it, size and SHA-256."""
    out = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        out.append({"path": path.relative_to(folder).as_posix(), "bytes": path.stat().st_size,
                    "sha256": digest.hexdigest()})
    return out


def manifest(command: str, argv: list[str], arguments: dict, started: str, rules_modules=()) -> dict:
    """The record of one run (``files`` and ``out`` are added by :meth:`OutputFolder.commit`)."""
    record = {"command": command, "argv": list(argv), "arguments": arguments, "code": code_version(),
              "started": started, "finished": now(), **environment()}
    if rules_modules:
        record["rules_modules"] = [{"path": str(Path(p).resolve()), "sha256": hashlib.sha256(Path(p).read_bytes()).hexdigest()}
                                   for p in rules_modules]
    return record


