"""Running an experiment: in this process, on every core of this machine, or on a Dask cluster.

The runs are cut into *tasks* (chunks of runs that share a batch key: the club game's world
shape and rules, so each task is one batched solve). A task is evaluated by
:func:`run_task` wherever it runs; it returns each run's outputs, or the error a run raised.
The driver (this process) writes each finished task as a Parquet part, records failures in
the manifest and moves the progress bar. Nothing in a run's result depends on where or
with which other runs it ran: the same experiment gives the same table on any executor.

:func:`evaluate` runs an experiment in memory (the paper figures do); :func:`run_experiment`
streams it into a results folder (``run.py experiment``).
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import logging
import math
import multiprocessing
import os
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.results import ResultsFolder
from games.provenance import code_version, environment, now
from experiments.spec import Experiment, plain
from games import registry
from games.validation import SpheresInputError, format_bytes, memory_limit

__all__ = ["evaluate", "run_experiment", "run_task", "plan_tasks", "estimate_bytes", "preflight", "Executor", "local_executor",
           "dask_executor", "MAX_CHUNK"]

MAX_CHUNK = 512
"""The most runs in one task (by default)."""


# =========================================================================== one task
def _rules_sources(exp: Experiment) -> list[tuple[str, str]]:
    """The users' rules files, as (path, text): a worker loads them before its first run."""
    return [(str(m), Path(m).read_text(encoding="utf-8")) for m in exp.rules_modules]


_LOADED: set[str] = set()


def _load_rules(sources: list[tuple[str, str]]) -> None:
    """Load the users' rules in a worker: from their path when it holds the same text (this
    machine), else from a copy of the text (a remote worker)."""
    for path, text in sources:
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest in _LOADED:
            continue
        p = Path(path)
        if not (p.is_file() and p.read_text(encoding="utf-8") == text):
            folder = Path(tempfile.gettempdir()) / f"spheres-rules-{digest[:16]}"
            folder.mkdir(exist_ok=True)
            p = folder / Path(path).name
            p.write_text(text, encoding="utf-8")
        registry.load_rules_module(p)
        _LOADED.add(digest)


def run_task(exp: Experiment, rules: list[tuple[str, str]], runs: list[tuple[int, int, dict]]):
    """Evaluate one task: ``runs`` are (run, seed, parameter values). Returns (rows, failures):
    the outputs of each run that finished, and (run, error, traceback) for each that raised."""
    _load_rules(rules)
    results = exp.game.evaluate([(values, seed) for _, seed, values in runs], exp.outputs, exp.membership)
    rows, failures = [], []
    for (run, _, _), result in zip(runs, results):
        if isinstance(result, BaseException):
            tb = "".join(traceback.format_exception(result))
            failures.append((run, f"{type(result).__name__}: {result}", tb[-4000:]))
        else:
            rows.append({"run": run, **result})
    return rows, failures


# =========================================================================== planning
def default_chunk(runs: int, workers: int) -> int:
    """About eight tasks per worker, at most ``MAX_CHUNK`` runs each."""
    return max(1, min(MAX_CHUNK, math.ceil(runs / max(1, workers * 8))))


def plan_tasks(exp: Experiment, table: pd.DataFrame, chunk: int) -> list[np.ndarray]:
    """The rows of ``table`` (positions) cut into tasks: rows that share a batch key, in run order, ``chunk`` at a time."""
    keys = [c for c in exp.game.batch_columns() if c in table.columns]
    groups = [np.arange(len(table))] if not keys else list(table.groupby(keys, sort=False).indices.values())
    return [rows[i:i + chunk] for rows in groups for i in range(0, len(rows), chunk)]


def estimate_bytes(exp: Experiment) -> int:
    """Bytes of the results table (an upper bound: 8 bytes a number, 16 a name, uncompressed)."""
    shapes = {name for name, p in exp.game.parameters().items() if p.shapes_world}
    largest = {f.name: max(f.range if f.sampled else f.values()) for f in exp.factors if f.name in shapes}
    countries = exp.game.countries({**exp.game.params, **largest}) if exp.membership else 0
    per_row = 8 * (4 + len(exp.varied) + len(exp.outputs)) + 16 * countries
    return exp.runs * per_row


def preflight(exp: Experiment, free_disk: int | None, *, in_memory: bool, force: bool) -> None:
    """Refuse, before any work, a design whose table would not fit in memory or on disk (unless
    ``force``), and a game whose data are missing."""
    table = estimate_bytes(exp)
    memory = 3 * table if in_memory else 3 * exp.runs * 8 * (4 + len(exp.varied))
    hint = " (pass --force to run it anyway)"
    if not force and memory > memory_limit():
        raise SpheresInputError(f"the design is too large: {exp.runs:,} runs need about {format_bytes(memory)} of memory, "
                                f"more than the {format_bytes(memory_limit())} allowed (half of this machine's){hint}")
    if not force and free_disk is not None and table > free_disk:
        raise SpheresInputError(f"the design is too large: its results need up to {format_bytes(table)} on disk, "
                                f"more than the {format_bytes(free_disk)} free there{hint}")
    if hasattr(exp.game, "check_data"):
        exp.game.check_data()


# =========================================================================== executors
@dataclass
class Executor:
    """Where tasks run: a ``concurrent.futures`` executor (None: in this process) and how to close it."""

    executor: cf.Executor | None
    workers: int
    where: str
    close: Callable[[], None] = lambda: None


def local_executor(workers: int | None = None) -> Executor:
    """Every core of this machine (``workers`` processes; 1: in this process)."""
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = available if workers is None else workers
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= 1024:
        raise SpheresInputError(f"--workers = {workers!r} must be an integer in [1, 1024]")
    if workers == 1:
        return Executor(None, 1, "this process")
    pool = cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    return Executor(pool, workers, f"{workers} local processes", lambda: pool.shutdown(wait=True, cancel_futures=True))


def dask_executor(*, scheduler: str | None = None, cluster: str | None = None) -> Executor:
    """A Dask cluster: an existing scheduler (``tcp://host:port``) or ``local:N``, a LocalCluster
    of N one-thread worker processes started here (and closed after)."""
    logging.getLogger("distributed").setLevel(logging.ERROR)
    from distributed import Client, LocalCluster

    if (scheduler is None) == (cluster is None):
        raise SpheresInputError("give one of --scheduler ADDRESS or --cluster local:N")
    if cluster is not None:
        kind, _, count = cluster.partition(":")
        if kind != "local" or not count.isdigit() or not 1 <= int(count) <= 256:
            raise SpheresInputError(f"--cluster = {cluster!r} must be local:N with N workers in [1, 256]")
        local = LocalCluster(n_workers=int(count), threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(local)

        def close():
            client.close()
            local.close()

        count = int(count)
        return Executor(client.get_executor(pure=False), count, f"a Dask LocalCluster of {count} worker{'s' * (count > 1)}", close)
    try:
        client = Client(scheduler, timeout="5s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise SpheresInputError(f"--scheduler = {scheduler!r} is unreachable: {exc}") from None
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    return Executor(client.get_executor(pure=False), workers, f"the Dask scheduler {scheduler}", client.close)


# =========================================================================== running
def _tasks(exp: Experiment, table: pd.DataFrame, chunks: list[np.ndarray]):
    rules = _rules_sources(exp)
    varied = list(exp.varied)
    fixed = exp.game.params
    run, seed = table["run"].to_numpy(), table["seed"].to_numpy()
    records = table[varied].to_dict("records") if varied else [{}] * len(table)
    for rows in chunks:
        yield rows, (exp, rules, [(int(run[i]), int(seed[i]), {**fixed, **records[i]}) for i in rows])


def _execute(exp: Experiment, table: pd.DataFrame, executor: Executor, chunk: int | None, on_task, progress) -> None:
    """Run every row of ``table``; ``on_task(rows, results, failures)`` as each task finishes."""
    chunks = plan_tasks(exp, table, chunk or exp.chunk_size or default_chunk(len(table), executor.workers))
    if executor.executor is None:
        for rows, args in _tasks(exp, table, chunks):
            on_task(rows, *run_task(*args))
            progress(len(rows))
        return
    pending = {}
    try:
        for rows, args in _tasks(exp, table, chunks):
            pending[executor.executor.submit(run_task, *args)] = rows
        for future in cf.as_completed(pending):
            rows = pending.pop(future)
            on_task(rows, *future.result())
            progress(len(rows))
    finally:
        for future in pending:
            future.cancel()


def _join(table: pd.DataFrame, rows, results: list[dict]) -> pd.DataFrame:
    """The finished runs of a task: their design columns and their outputs."""
    if not results:
        return pd.DataFrame()
    out = pd.DataFrame(results)
    return table.iloc[rows].merge(out, on="run", how="inner", validate="one_to_one")


def evaluate(exp: Experiment, *, progress: Callable | None = None, executor: Executor | None = None,
             chunk: int | None = None, on_failure: str = "record") -> pd.DataFrame:
    """Run ``exp`` in memory (in this process unless ``executor``); the results table, sorted by run.

    A run that raises stops nothing; ``table.attrs["failures"]`` lists (run, error) pairs
    (``on_failure="raise"``: a ``RuntimeError`` naming the first, once every run is done).
    ``progress(iterable, desc=...)`` (e.g. a tqdm wrapper) is moved along the runs.
    """
    if on_failure not in ("record", "raise"):
        raise SpheresInputError(f"on_failure = {on_failure!r} is not one of: record, raise")
    preflight(exp, None, in_memory=True, force=False)
    table = exp.table()
    parts, failures = [], []
    bar = _Bar(len(table), 0, exp.name, progress)
    executor = executor or Executor(None, 1, "this process")

    def on_task(rows, results, failed):
        parts.append(_join(table, rows, results))
        failures.extend((run, error) for run, error, _ in failed)

    try:
        _execute(exp, table, executor, chunk, on_task, bar.update)
    finally:
        bar.close()
    parts = [p for p in parts if len(p)]
    out = pd.concat(parts, ignore_index=True) if parts else table.iloc[:0]
    out = out.sort_values("run", kind="stable").reset_index(drop=True)
    out.attrs["failures"] = sorted(failures)
    if failures and on_failure == "raise":
        run, error = min(failures)
        raise RuntimeError(f"{exp.name}: run {run} failed: {error}")
    return out


class _Bar:
    """A progress bar over runs: ``progress`` (a ``progress(iterable, desc=)`` wrapper) or tqdm, or none."""

    def __init__(self, total: int, done: int, desc: str, progress):
        from tqdm import tqdm

        if progress is None:
            self.bar = None
        elif progress is True:
            # smoothing=0: the ETA is the session's average rate, which runs resumed from disk do not inflate
            self.bar = tqdm(total=total, initial=done, desc=desc, unit="run", smoothing=0, dynamic_ncols=True)
        else:
            self.bar = None
            self.iterator = iter(progress(range(total - done), desc=desc))

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)
        elif hasattr(self, "iterator"):
            for _ in range(n):
                next(self.iterator, None)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif hasattr(self, "iterator"):
            for _ in self.iterator:
                pass


def run_experiment(exp: Experiment, out: str | Path, *, workers: int | None = None, scheduler: str | None = None,
                   cluster: str | None = None, resume: bool = False, overwrite: bool = False, force: bool = False,
                   progress: bool = True, chunk: int | None = None) -> dict:
    """Run ``exp`` into the results folder ``out`` (see :mod:`experiments.results`); return the manifest.

    Every check comes first (the folder, the size, the scheduler); then the runs not yet on
    disk are run, each finished task written at once. Runs that raise are recorded in the
    manifest's ``failures`` and the experiment goes on.
    """
    folder = ResultsFolder(out)
    fingerprint = exp.fingerprint()
    old = folder.prepare(fingerprint, resume=resume, overwrite=overwrite)
    preflight(exp, folder.free_bytes(), in_memory=False, force=force)
    if scheduler is not None or cluster is not None:
        if workers is not None:
            raise SpheresInputError("--workers applies to local runs; a Dask cluster has its own workers")
        executor = dask_executor(scheduler=scheduler, cluster=cluster)
    else:
        executor = local_executor(workers)
    try:
        folder.lock()
        try:
            if overwrite:
                folder.clear()
            return _stream(exp, folder, fingerprint, old, executor, progress, chunk)
        finally:
            folder.unlock()
    finally:
        executor.close()


def _stream(exp, folder: ResultsFolder, fingerprint: str, old: dict | None, executor: Executor, progress, chunk) -> dict:
    table = exp.table()
    failures = {f["run"]: f for f in (old or {}).get("failures", [])}
    done = folder.done_runs() | set(failures)
    todo = table[~table["run"].isin(done)]
    session = {"started": now(), "ended": None, "where": executor.where, "runs": int(len(todo)), "finished": 0, "resumed": old is not None}
    manifest = {
        "experiment": {"name": exp.name, "description": exp.description, "file": exp.path, "text": exp.source,
                       "spec": exp.to_dict()},
        "fingerprint": fingerprint,
        "code": code_version(), **environment(),
        "seed": exp.seed, "replications": exp.replications, "common_random_numbers": exp.common_random_numbers,
        "runs": int(len(table)), "points": exp.points,
        "columns": {"runs": ["run", "point", "replication", "seed"], "parameters": list(exp.varied), "outputs": list(exp.outputs),
                    "membership": exp.membership, "fixed": exp.game.params},
        "status": "running",
        "started": (old or {}).get("started", session["started"]),
        "ended": None,
        "sessions": (old or {}).get("sessions", []) + [session],
        "failures": list(failures.values()),
    }
    folder.write_manifest(manifest)
    bar = _Bar(len(table), len(table) - len(todo), exp.name, True if progress and len(todo) else None)
    last = time.monotonic()

    def on_task(rows, results, failed):
        nonlocal last
        part = _join(todo, rows, results)
        if len(part):
            folder.write_part(part)
        session["finished"] += len(rows)
        for run, error, tb in failed:
            values = {k: plain(v) for k, v in table.loc[table["run"] == run, list(exp.varied)].iloc[0].items()}
            manifest["failures"].append({"run": run, "parameters": values, "error": error, "traceback": tb})
        if failed or time.monotonic() - last > 10:
            folder.write_manifest(manifest)
            last = time.monotonic()

    status = "interrupted"
    try:
        _execute(exp, todo, executor, chunk, on_task, bar.update)
        status = "complete"
    finally:
        bar.close()
        session["ended"] = now()
        manifest["status"] = status
        manifest["ended"] = session["ended"] if status == "complete" else None
        manifest["failures"].sort(key=lambda f: f["run"])
        folder.write_manifest(manifest)
    return manifest
