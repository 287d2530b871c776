"""The paper's sweep figures, now experiments run by the engine, equal the games solved one by one;
and Mesa's batch_run still works for users who want it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from games.alliance import label_equilibrium
from games.alliance import solve as solve_alliance
from games.alliance.examples import example
from experiments.maps import NONE_FOUND, OUTSIDE, equilibrium_map
from games.club import World, solve
from games.club.solver import rules_from_names
from experiments.sweeps import CLUB_A, CLUB_B, dependency_sweep, power_map
from games.validation import SpheresInputError

ROOT = Path(__file__).resolve().parents[1]


def _formed(outcome, role: str) -> bool:
    index, size = (outcome.index_a, outcome.size_a) if role == "a" else (outcome.index_b, outcome.size_b)
    return index is not None and size > 0


def test_figure5_from_the_engine_equals_each_game_solved():
    n, points = 9, 6
    data = power_map(n, points)
    grid = np.linspace(0.0, 1.0, points)
    assert np.array_equal(data["grid"], grid)
    for i, g_a in enumerate(grid):
        for j, g_b in enumerate(grid):
            out = solve(World.symmetric(n, float(g_a), float(g_b)))
            assert data["who"][i, j] == _formed(out, "a") * CLUB_A + _formed(out, "b") * CLUB_B
            assert (data["size_a"][i, j], data["size_b"][i, j]) == (out.size_a, out.size_b)
    assert np.array_equal(data["asymmetric"], (data["who"] == CLUB_A) & (data["who"].T != CLUB_B))


def test_figures_6_and_7_from_the_engine_equal_each_game_solved():
    n, g = 9, np.linspace(0.0, 1.0, 9)
    for asymmetric in (False, True):
        data = dependency_sweep(n, g, asymmetric=asymmetric)
        assert list(data) == ["location_a", "location_b", "size_a", "size_b", "payoff_a", "payoff_b",
                              "location_a_without_b", "size_a_without_b", "g"]
        for k, x in enumerate(g):
            world = World.symmetric(n, float(x), float(1 - x) if asymmetric else float(x))
            out, alone = solve(world), solve(world, rules_from_names(a="myopic"))
            expected = {"location_a": np.nan if out.index_a is None else out.location_a,
                        "location_b": np.nan if out.index_b is None else out.location_b,
                        "size_a": out.size_a, "size_b": out.size_b, "payoff_a": out.payoff_a, "payoff_b": out.payoff_b,
                        "location_a_without_b": np.nan if alone.index_a is None else alone.location_a,
                        "size_a_without_b": int(alone.stage_one.sum())}
            for key, value in expected.items():
                assert np.array_equal(data[key][k], value, equal_nan=True), (asymmetric, x, key)


def test_the_alliance_map_from_the_engine_equals_each_cell_searched():
    base = example("japan-2019")
    data = equilibrium_map(base, "l", "pi", (-0.5, 0.5), (0.05, 0.2), resolution=3, n_demands=3, n_offers=10)
    for j, pi in enumerate(data.ys):
        for i, x in enumerate(data.xs):
            try:
                params = base.replace(l=float(x), pi=float(pi))
            except SpheresInputError:
                assert data.labels[j][i] == frozenset({OUTSIDE})
                continue
            found = solve_alliance(params, n_demands=3, n_offers=10)
            assert data.labels[j][i] == (frozenset(label_equilibrium(e, params) for e in found) or frozenset({NONE_FOUND}))
    assert len(data.regions()) > 1


def test_the_map_labels_cells_that_break_the_assumptions():
    base = example("japan-2019")  # assumption (2) holds for 0.2 < beta_low < 0.5 there
    data = equilibrium_map(base, "beta_low", "pi", (0.3, 0.7), (0.05, 0.2), resolution=2, n_demands=3, n_offers=10)
    assert [row[1] for row in data.labels] == [frozenset({OUTSIDE})] * 2
    assert all(OUTSIDE not in row[0] for row in data.labels)


def test_mesa_batch_run_works_under_its_main_guard():
    script = ROOT / "examples" / "experiments" / "mesa_batch_run.py"
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(io.StringIO(done.stdout), sep=r"\s+")
    assert len(table) == 3 * 2  # one row per game, not per agent
    for _, row in table.iterrows():
        out = solve(World.symmetric(11, float(row.g_a)), rules_from_names(a=row.rule_a))
        assert (row.size_a, row.size_b) == (out.size_a, out.size_b)
