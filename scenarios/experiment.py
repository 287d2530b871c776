"""Run an experiment file (TOML): on every core here or on a Dask cluster, streamed to Parquet, resumable.

The file declares the game, the factors, the design, replications, seeds and outputs (see
docs/experiments.md and examples/experiments/). Results go to ``--out`` (default
``out/experiments/NAME``): one Parquet part per finished task and a ``manifest.json``.
Exit status 0 when every run finished, 1 when some raised (each is in the manifest), 2 for
bad input (nothing is run).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments import load, run_experiment

TAKES_RULES = True  # run.py adds --rules-module: users' rules for the factors, shipped to every worker


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the experiment, a .toml file (see docs/experiments.md)")
    parser.add_argument("--out", default=None, help="results folder (default out/experiments/NAME)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=None, help="local worker processes (default: every core)")
    where.add_argument("--scheduler", metavar="ADDRESS", help="run on an existing Dask cluster (e.g. tcp://10.0.0.5:8786)")
    where.add_argument("--cluster", metavar="local:N", help="start a Dask LocalCluster of N workers here and run on it")
    parser.add_argument("--resume", action="store_true", help="finish the results in --out; redo no finished run")
    parser.add_argument("--overwrite", action="store_true", help="replace the results in --out")
    parser.add_argument("--force", action="store_true", help="run a design larger than the memory or disk estimate allows")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    exp = load(args.file, rules_modules=getattr(args, "rules_module", None) or ())
    out = Path(args.out if args.out is not None else Path("out/experiments") / exp.name)
    manifest = run_experiment(exp, out, workers=args.workers, scheduler=args.scheduler, cluster=args.cluster,
                              resume=args.resume, overwrite=args.overwrite, force=args.force,
                              progress=not args.no_progress)
    session = manifest["sessions"][-1]
    failures = manifest["failures"]
    print(f"{exp.name}: {manifest['runs']} runs, {session['finished']} of them in this session on {session['where']}"
          + (" (the others were done before)" if session["resumed"] else "") + f"; results in {out}/")
    if failures:
        print(f"{len(failures)} run(s) raised, recorded in {out / 'manifest.json'}; the first: "
              f"run {failures[0]['run']}: {failures[0]['error']}")
        return 1
    return 0
