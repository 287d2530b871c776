"""Benchmark: the full 2006-2019 US-China run (load, pipeline, 14 equilibria) against the one-minute target."""

from __future__ import annotations

import time

from pipeline import us_china as pipe
from scenarios.us_china import solve_years

TARGET_S = 60.0


def main() -> dict:
    """Time loading + the pipeline + solving every year 2006-2019 once; print and return the figures."""
    t0 = time.perf_counter()
    raw = pipe.load_raw()
    panel = pipe.build_panel(raw, range(2006, 2020))
    t1 = time.perf_counter()
    run = solve_years(panel, "historical", progress=False)
    t2 = time.perf_counter()
    years = len(run.equilibria)
    figures = {
        "us_china_pipeline_s": t1 - t0,
        "us_china_solve_s": t2 - t1,
        "us_china_total_s": t2 - t0,
        "us_china_per_year_s": (t2 - t1) / years,
    }
    n = int(panel.counts["countries"].iloc[0])
    print(f"us-china 2006-2019: {years} years x {n} countries x 501 locations: "
          f"data {figures['us_china_pipeline_s']:.2f} s + solve {figures['us_china_solve_s']:.2f} s "
          f"= {figures['us_china_total_s']:.2f} s ({figures['us_china_per_year_s']:.2f} s/year; "
          f"target < {TARGET_S:.0f} s: {'met' if figures['us_china_total_s'] < TARGET_S else 'MISSED'})")
    return figures


if __name__ == "__main__":
    main()
