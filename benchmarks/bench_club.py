"""Club game: the SPNE at the size of the paper's US-China simulation (two and three superpowers),
the cost of rules that declare nothing, the Figure 5 map in one batched solve, and the ratio to a
straightforward (unvectorised) implementation of the same SPNE."""

from __future__ import annotations

import statistics
import time
import tracemalloc

import numpy as np

from games.club import NonSuperpowerRule, Rules, SuperpowerRule, World, solve, solve_many
from games.club import reference as ref

N_COUNTRIES, GRID = 145, 501
SEEDS = range(6)
SCALES = (0.1, 0.3, 0.6, 1.0, 0.2, 0.5)  # dependency scale: low g is where superpowers compromise
REFERENCE_SAMPLE = 4  # leader locations timed with the straightforward version
THREE_POLE_GRID, THREE_POLE_TARGET_S = 101, 10.0
THREE_POLE_FINE_SEEDS = (2, 3)  # the 501-point grid takes 4 s to 2.5 min a world: two of them


def us_china_like_world(seed: int, grid: int = GRID, poles: int = 2) -> World:
    """145 countries on [0, 1], GDP-like lognormal endowments, L = x/(grid - 1); a at 0.2, b at 0.8 (a third at 0.5)."""
    rng = np.random.default_rng(seed)
    scale = SCALES[seed % len(SCALES)]
    positions, g = rng.random(N_COUNTRIES), rng.random((2, N_COUNTRIES)) * scale
    omega, sp = rng.lognormal(-3, 2, N_COUNTRIES), [float(rng.lognormal(2, 0.5)), float(rng.lognormal(1.5, 0.5))]
    homes = [0.2, 0.8]
    if poles == 3:
        g = np.vstack([g, rng.random(N_COUNTRIES) * scale])
        sp.append(float(rng.lognormal(1.2, 0.5)))
        homes.append(0.5)
    return World.on_line(positions, g=g, omega=omega, superpower_omega=sp, homes=homes,
                         locations=np.arange(grid) / (grid - 1))


class PayoffNoDeclarations(SuperpowerRule):
    """The paper's objective, declared nothing: every location is evaluated (no pruning)."""

    name = "bench-undeclared"

    def objective(self, view):
        return view.payoff


class CoalitionByAccepts(NonSuperpowerRule):
    """The paper's acceptance in accepts, declared nothing: rounds of proposal and withdrawal."""

    name = "bench-accepts"

    def accepts(self, now, there, proposal):
        return np.where(proposal.in_club, there - now > 1e-9, there >= -1e-9) & (there >= -1e-9)


def _time(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> dict:
    out = {}
    times = []
    for seed in SEEDS:
        world = us_china_like_world(seed)
        times.append(_time(lambda w=world: solve(w)))
        print(f"SPNE, {N_COUNTRIES} countries x {GRID} locations, seed {seed} (g scale {SCALES[seed]}): {times[-1]:.3f} s")
    print(f"SPNE {N_COUNTRIES}/{GRID}: median {statistics.median(times):.3f} s, worst {max(times):.3f} s (best of 3 runs each)")
    out["spne_median_s"], out["spne_worst_s"] = statistics.median(times), max(times)

    world = us_china_like_world(1)
    tracemalloc.start()
    solve(world)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"SPNE {N_COUNTRIES}/{GRID} peak memory (tracemalloc, seed 1): {peak / 2**20:.1f} MiB")

    for label, rules in (("a superpower rule that declares nothing (every location evaluated)",
                          Rules(a=PayoffNoDeclarations(), b=PayoffNoDeclarations())),
                         ("a country rule that overrides accepts (round-by-round groups)", Rules(countries=CoalitionByAccepts()))):
        t = _time(lambda r=rules: solve(world, r), repeat=1)
        print(f"SPNE {N_COUNTRIES}/{GRID}, seed 1, {label}: {t:.2f} s")
        out[f"undeclared_{'superpower' if 'superpower' in label else 'country'}_s"] = t

    three = []
    for seed in SEEDS:
        w3 = us_china_like_world(seed, THREE_POLE_GRID, poles=3)
        three.append(_time(lambda w=w3: solve(w), repeat=1))
    print(f"three superpowers, {N_COUNTRIES} countries x {THREE_POLE_GRID} locations (about 10^6 location triples): "
          f"median {statistics.median(three):.2f} s, worst {max(three):.2f} s over {len(three)} worlds "
          f"(target < {THREE_POLE_TARGET_S:.0f} s: {'met' if max(three) < THREE_POLE_TARGET_S else 'MISSED'})")
    out["three_pole_101_worst_s"] = max(three)
    for seed in THREE_POLE_FINE_SEEDS:
        w3 = us_china_like_world(seed, GRID, poles=3)
        t = _time(lambda w=w3: solve(w), repeat=1)
        print(f"three superpowers, {N_COUNTRIES} countries x {GRID} locations (about 1.3 x 10^8 triples), seed {seed}: {t:.1f} s")

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
    gs = np.linspace(0, 1, 101)
    worlds = [World.symmetric(31, ga, gb) for ga in gs for gb in gs]
    built = time.perf_counter() - t
    solve_many(worlds)
    total = time.perf_counter() - t
    print(f"Figure 5 map, n = 31, 101 x 101 = 10201 games in one batched solve: {total:.1f} s "
          f"({built:.1f} s building the worlds)")
    out["figure5_batched_s"] = total
    return out


if __name__ == "__main__":
    main()
