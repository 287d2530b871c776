"""Experiments: the Figure 5 map (n = 31, 101 x 101 = 10,201 games) through the experiment engine,
in this process and streamed to Parquet on every core (target: under 5 s on this 2-core machine)."""

from __future__ import annotations

import os
import tempfile
import time

from experiments import evaluate, paper, run_experiment
from experiments.runner import MAX_CHUNK

TARGET_S = 5.0


def main() -> dict:
    exp = paper.figure5(31, 101)
    start, cpu = time.perf_counter(), time.process_time()
    evaluate(exp)
    one, cpu = time.perf_counter() - start, time.process_time() - cpu
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        run_experiment(exp, out, progress=False)
        every = time.perf_counter() - start
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"Figure 5 map via the experiment engine ({exp.runs} games, batched solves of up to {MAX_CHUNK} worlds):")
    print(f"  in this process {one:.1f} s ({cpu:.1f} s of CPU: the time on an idle core; {1000 * cpu / exp.runs:.2f} ms a game); "
          f"run.py experiment on {cores} cores, to Parquet: {every:.1f} s "
          f"(target < {TARGET_S:.0f} s: {'met' if every < TARGET_S else 'MISSED'})")
    return {"figure5_engine_one_core_s": one, "figure5_engine_one_core_cpu_s": cpu, "figure5_engine_all_cores_s": every}


if __name__ == "__main__":
    main()
