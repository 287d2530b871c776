"""Club game: the SPNE at the size of the paper's US-China simulation, the Figure 5 map, and
the ratio to a straightforward (unvectorised) implementation of the same SPNE."""

from __future__ import annotations

import statistics
import time
import tracemalloc

import numpy as np

from games.club import World, solve
from games.club import reference as ref
from games.club.sweeps import power_map

N_COUNTRIES, GRID = 145, 501
SEEDS = range(6)
SCALES = (0.1, 0.3, 0.6, 1.0, 0.2, 0.5)  # dependency scale: low g is where superpowers compromise
REFERENCE_SAMPLE = 4  # leader locations timed with the straightforward version


def us_china_like_world(seed: int) -> World:
    """145 countries on [0, 1], GDP-like lognormal endowments, a at 0.2 and b at 0.8, L = x/500."""
    rng = np.random.default_rng(seed)
    scale = SCALES[seed % len(SCALES)]
    return World.on_line(
        rng.random(N_COUNTRIES), rng.random(N_COUNTRIES) * scale, rng.random(N_COUNTRIES) * scale,
        rng.lognormal(-3, 2, N_COUNTRIES), omega_a=float(rng.lognormal(2, 0.5)), omega_b=float(rng.lognormal(1.5, 0.5)),
        home_a=0.2, home_b=0.8, locations=np.arange(GRID) / (GRID - 1),
    )


def _time(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    times = []
    for seed in SEEDS:
        world = us_china_like_world(seed)
        times.append(_time(lambda w=world: solve(w)))
        print(f"SPNE, {N_COUNTRIES} countries x {GRID} locations, seed {seed} (g scale {SCALES[seed]}): {times[-1]:.3f} s")
    print(f"SPNE {N_COUNTRIES}/{GRID}: median {statistics.median(times):.3f} s, worst {max(times):.3f} s (best of 3 runs each)")

    world = us_china_like_world(1)
    tracemalloc.start()
    solve(world)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"SPNE {N_COUNTRIES}/{GRID} peak memory (tracemalloc, seed 1): {peak / 2**20:.1f} MiB")

    exact = ref.ExactWorld.from_world(world, number=float)
    sample = np.linspace(0, GRID - 1, REFERENCE_SAMPLE).astype(int).tolist()
    t = time.perf_counter()
    ref.solve(exact, leader_locations=sample)
    per_leader = (time.perf_counter() - t) / (len(sample) + 1)  # the sample plus "no club"
    straightforward = per_leader * (GRID + 1)
    fast = _time(lambda: solve(world))
    print(
        f"straightforward version (games.club.reference, floats): {per_leader:.3f} s per leader location, "
        f"measured on {len(sample)} + 1 of {GRID + 1}, so about {straightforward:.0f} s for the SPNE; "
        f"vectorised {fast:.3f} s: {straightforward / fast:.0f}x"
    )

    t = time.perf_counter()
    power_map(31, 101)
    print(f"Figure 5 map, n = 31, 101 x 101 = 10201 games: {time.perf_counter() - t:.1f} s")
