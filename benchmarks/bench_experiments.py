"""Experiments: the Figure 5 map (n = 31, 101 x 101 = 10,201 games) through the experiment engine,
in this process and streamed to Parquet on every core (target: under 5 s on this 2-core machine)."""

from __future__ import annotations

import os
import resource
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
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with tempfile.TemporaryDirectory() as out:
        start, cpu_driver, cpu_workers = time.perf_counter(), time.process_time(), _children_cpu()
        run_experiment(exp, out, progress=False)
        every = time.perf_counter() - start
        cpu_driver, cpu_workers = time.process_time() - cpu_driver, _children_cpu() - cpu_workers
    print(f"Figure 5 map via the experiment engine ({exp.runs} games, batched solves of up to {MAX_CHUNK} worlds):")
    print(f"  in this process {one:.1f} s ({cpu:.1f} s of CPU: the time on an idle core; {1000 * cpu / exp.runs:.2f} ms a game); "
          f"run.py experiment on {cores} cores, to Parquet: {every:.1f} s "
          f"(target < {TARGET_S:.0f} s: {'met' if every < TARGET_S else 'MISSED'}; CPU: {cpu_driver:.1f} s in the "
          f"driver, {cpu_workers:.1f} s in the workers, imports included)")
    return {"figure5_engine_one_core_s": one, "figure5_engine_one_core_cpu_s": cpu, "figure5_engine_all_cores_s": every,
            "figure5_engine_workers_cpu_s": cpu_workers}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
