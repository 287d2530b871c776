"""Alliance game: the exhaustive pure-PBE search on a 50-point demand grid (and 100-point
offer grid), exact rationals, at the named examples and a Separating 3 point."""

from __future__ import annotations

import statistics
import time

from games.alliance import label_equilibrium, solve
from games.alliance.examples import example

N_DEMANDS, N_OFFERS, REPEATS = 50, 100, 3
POINTS = {
    "japan-1978 (Separating 1)": example("japan-1978"),
    "japan-2019 (Separating 2)": example("japan-2019"),
    "l = 0.5 (Separating 3 + pooled withdrawal)": example("japan-2019", l=0.5, pi=0.125),
    "l = 0 (many outcomes)": example("japan-2019", l=0),
}


def main() -> None:
    print(f"equilibrium search, {N_DEMANDS}-point demand grid, {N_OFFERS}-point offer grid, median of {REPEATS}")
    medians = []
    for name, params in POINTS.items():
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            result = solve(params, n_demands=N_DEMANDS, n_offers=N_OFFERS)
            times.append(time.perf_counter() - start)
        med = statistics.median(times)
        medians.append(med)
        labels = sorted({label_equilibrium(e, params) for e in result})
        print(f"  {name:<45} {med:6.2f} s  {len(result.demands)} demands x {len(result.offers)} offers, "
              f"{len(result)} PBE outcome(s): {', '.join(labels)}")
    print(f"alliance search: {max(medians):.2f} s worst median (target: a few seconds)")


if __name__ == "__main__":
    main()
