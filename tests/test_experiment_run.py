"""Running experiments: the same table in this process, on local worker processes and on a Dask
cluster; an experiment killed part-way and resumed gives the table of an uninterrupted run; a
run that raises is recorded and the others go on."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments import (
    AllianceGame,
    ClubGame,
    Experiment,
    Factor,
    UsChinaGame,
    evaluate,
    load,
    read_manifest,
    read_results,
    run_experiment,
)

ROOT = Path(__file__).resolve().parents[1]


def _random_worlds() -> Experiment:
    """Seeds matter here: each run's world is drawn from its seed."""
    return Experiment(ClubGame("random", params={"n_locations": 9}),
                      factors=(Factor("n_countries", levels=(4, 7)), Factor("rule_countries", levels=("coalition", "unilateral"))),
                      replications=3, seed=17, membership=True, chunk_size=2, name="random-worlds")


def test_local_processes_and_a_dask_cluster_give_the_same_table(tmp_path):
    from distributed import LocalCluster

    exp = _random_worlds()
    in_memory = evaluate(exp)
    run_experiment(exp, tmp_path / "local", workers=2, progress=False)
    local = read_results(tmp_path / "local")
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        run_experiment(exp, tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False)
    finally:
        cluster.close()
    dask = read_results(tmp_path / "dask")
    assert len(local) == exp.runs == 2 * 2 * 3
    pd.testing.assert_frame_equal(local, dask)
    pd.testing.assert_frame_equal(local, in_memory, check_dtype=False)
    # the replications are different worlds, the same at every point (common random numbers)
    assert local.groupby(["n_countries", "rule_countries"])["seed"].nunique().eq(3).all()
    assert local.groupby("replication")["seed"].nunique().eq(1).all()
    assert {c for c in local.columns if c.startswith("club_")} == {f"club_{i}" for i in range(1, 8)}
    assert read_manifest(tmp_path / "dask")["sessions"][0]["where"].startswith("the Dask scheduler tcp://")


def test_the_command_starts_and_stops_its_own_local_cluster(tmp_path):
    import run

    (tmp_path / "exp.toml").write_text(KILLED.replace("points = 16", "points = 3"))
    assert run.main(["experiment", str(tmp_path / "exp.toml"), "--out", str(tmp_path / "r"), "--cluster", "local:1",
                     "--no-progress"]) == 0
    assert read_manifest(tmp_path / "r")["sessions"][0]["where"] == "a Dask LocalCluster of 1 worker"
    pd.testing.assert_frame_equal(read_results(tmp_path / "r"), evaluate(load(tmp_path / "exp.toml")), check_dtype=False)


def test_every_run_matches_the_solver(tmp_path):
    from games.club import solve
    from games.club.examples import random_world
    from games.club.solver import rules_from_names

    table = evaluate(_random_worlds())
    for _, row in table.iterrows():
        world = random_world(int(row.n_countries), 9, int(row.seed))
        out = solve(world, rules_from_names(countries=row.rule_countries))
        assert (row.size_a, row.size_b, row.payoff_a, row.payoff_b) == (out.size_a, out.size_b, out.payoff_a, out.payoff_b)
        clubs = ["a" if a else "b" if b else "none" for a, b in zip(out.club_a, out.club_b)]
        assert [row[f"club_{i + 1}"] for i in range(world.n_countries)] == clubs


KILLED = """
name = "killed"
chunk_size = 4
outputs = ["size_a", "size_b", "payoff_a", "regime"]
[game]
kind = "club"
world = "section3"
params = { n = 31 }
[factors.g_a]
range = [0.0, 1.0]
points = 16
[factors.g_b]
range = [0.0, 1.0]
points = 16
"""


def test_a_killed_experiment_resumed_gives_the_table_of_an_uninterrupted_run(tmp_path):
    path = tmp_path / "killed.toml"
    path.write_text(KILLED)
    out = tmp_path / "results"
    proc = subprocess.Popen([sys.executable, "run.py", "experiment", str(path), "--out", str(out), "--workers", "1",
                             "--no-progress"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while len(list((out / "parts").glob("part-*.parquet"))) < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    before = {p.name: p.stat().st_mtime_ns for p in (out / "parts").glob("part-*.parquet")}
    exp = load(path)
    assert 3 <= len(before) < exp.runs / 4, "the experiment was not killed part-way"
    assert read_manifest(out)["status"] == "running"  # it never finished
    (out / ".lock").write_text(str(proc.pid))  # the dead process's lock is taken over

    manifest = run_experiment(exp, out, resume=True, workers=1, progress=False)
    done_before = sum(len(pd.read_parquet(out / "parts" / name)) for name in before)
    assert manifest["sessions"][-1]["runs"] == exp.runs - done_before  # no finished run redone
    assert all((out / "parts" / name).stat().st_mtime_ns == mtime for name, mtime in before.items())
    assert manifest["status"] == "complete" and len(manifest["sessions"]) == 2
    pd.testing.assert_frame_equal(read_results(out), evaluate(exp), check_dtype=False)


def test_a_run_that_raises_is_recorded_and_the_experiment_goes_on(tmp_path, capsys):
    # With C sure that an unexpected history means a committed patron, the game at l = 0.2 has no
    # pure PBE, so AllianceModel cannot pick one to play: that run raises, the other finishes.
    text = """
name = "no-equilibrium"
outputs = ["label", "share_war"]
[game]
kind = "alliance"
example = "japan-2019"
params = { episodes = 5, n_demands = 8, n_offers = 20, l = 0.2 }
[factors.off_path_belief]
levels = ["uncommitted", "committed"]
"""
    path = tmp_path / "exp.toml"
    path.write_text(text)
    import run

    code = run.main(["experiment", str(path), "--out", str(tmp_path / "r"), "--workers", "1", "--no-progress"])
    assert code == 1
    printed = capsys.readouterr().out
    assert "1 run(s) raised" in printed
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    [failure] = manifest["failures"]
    assert failure["run"] == 1 and failure["parameters"] == {"off_path_belief": "committed"}
    assert "pure" in failure["error"] and "Traceback" in failure["traceback"]
    table = read_results(tmp_path / "r")
    assert list(table["run"]) == [0] and table["label"].iloc[0] == "Separating 2"
    # --resume redoes neither the finished run nor the failed one
    assert run.main(["experiment", str(path), "--out", str(tmp_path / "r"), "--resume", "--workers", "1", "--no-progress"]) == 1
    assert read_manifest(tmp_path / "r")["sessions"][-1]["runs"] == 0


def test_in_memory_failures_are_listed_or_raised():
    exp = Experiment(AllianceGame(example="japan-2019", params={"episodes": 3, "n_demands": 8, "n_offers": 20, "l": 0.2}),
                     factors=(Factor("off_path_belief", levels=("uncommitted", "committed")),), outputs=("label",))
    table = evaluate(exp)
    assert [run for run, _ in table.attrs["failures"]] == [1] and list(table["run"]) == [0]
    with pytest.raises(RuntimeError, match="run 1 failed"):
        evaluate(exp, on_failure="raise")


RULES = '''
import numpy as np
from games.club.rules import EquilibriumSuperpower
from games.registry import register


@register
class WithinAFifth(EquilibriumSuperpower):
    """Places its good only within 0.2 of home."""

    name = "test-experiment-within-a-fifth"

    def locations(self, world, k):
        return np.flatnonzero(world.home_distance[k] <= 0.2 + 1e-12)
'''


def test_a_users_rules_module_is_loaded_by_every_worker(tmp_path):
    from games.club import World, solve
    from games.club.solver import Rules

    (tmp_path / "my_rules.py").write_text(RULES)
    (tmp_path / "exp.toml").write_text("""
name = "user-rules"
rules_modules = ["my_rules.py"]
outputs = ["location_a", "size_a", "size_b"]
chunk_size = 2
[game]
kind = "club"
world = "section3"
params = { n = 11 }
[factors.g_a]
levels = [0.1, 0.2, 0.3]
[factors.rule_a]
levels = ["equilibrium", "test-experiment-within-a-fifth"]
""")
    exp = load(tmp_path / "exp.toml")
    run_experiment(exp, tmp_path / "r", workers=2, progress=False)  # spawned workers: the module is shipped
    table = read_results(tmp_path / "r")
    assert read_manifest(tmp_path / "r")["failures"] == []
    for _, row in table.iterrows():
        out = solve(World.symmetric(11, row.g_a), Rules(a=row.rule_a))
        assert (row.size_a, row.size_b) == (out.size_a, out.size_b)
        assert np.array_equal(row.location_a, np.nan if out.index_a is None else out.location_a, equal_nan=True)
    mine = table[table["rule_a"] == "test-experiment-within-a-fifth"]
    assert (mine["location_a"].dropna() <= 0.2 + 1e-12).all()
    assert not table.groupby("g_a")["location_a"].nunique().eq(1).all()  # the rule changes a's choice somewhere


def test_the_us_china_game_is_the_us_china_commands_game():
    from pipeline import us_china as pipe
    from scenarios.us_china import solve_source

    exp = Experiment(UsChinaGame(params={"trade": "mirror"}), factors=(Factor("year", levels=(2019, 2030)),),
                     outputs=("location_a", "location_b", "size_a", "size_b"), membership=True)
    table = evaluate(exp, on_failure="raise").set_index("year")
    source = solve_source(pipe.load_raw(None, "mirror"), "mirror", pipe.DEFAULT_ESTIMATES, (2019,), (2030,), progress=False)
    for run in (source.historical, source.projection):
        for _, eq in run.equilibria.iterrows():
            row = table.loc[eq.year]
            assert (row.size_a, row.size_b) == (eq.members_us, eq.members_cn)
            assert np.array_equal([row.location_a, row.location_b], [eq.location_us, eq.location_cn], equal_nan=True)
        members = run.members.assign(club=run.members["club"].map({pipe.US: "a", pipe.CN: "b", "none": "none"}))
        for (year, iso3), club in members.set_index(["year", "iso3"])["club"].items():
            assert table.loc[year, f"club_{iso3}"] == club


def test_alliance_rules_anticipated_in_the_search_and_played_in_episodes():
    from games.alliance import label_equilibrium
    from games.alliance import solve as solve_alliance
    from games.alliance.examples import example
    from model import AllianceModel

    grids = {"n_demands": 6, "n_offers": 20}
    anticipated = evaluate(Experiment(
        AllianceGame(example="japan-2019", params={**grids, "mode": "anticipated"}),
        factors=(Factor("rule_patron", levels=("equilibrium", "never-withdraw")),), outputs=("labels", "equilibria")))
    params = example("japan-2019")
    for _, row in anticipated.iterrows():
        found = solve_alliance(params, rules={"patron": row.rule_patron}, **grids)
        assert row.labels == "; ".join(sorted({label_equilibrium(e, params) for e in found}))
        assert row.equilibria == len(found)
    assert anticipated["labels"].nunique() == 2  # the others re-optimise against a patron that cannot withdraw
    episodes = evaluate(Experiment(
        AllianceGame(example="japan-2019", params={**grids, "episodes": 40}),
        factors=(Factor("rule_protege", levels=("equilibrium", "always-pay")),), replications=2,
        outputs=("share_sharing", "share_war", "mean_payoff_T")))
    for _, row in episodes.iterrows():
        model = AllianceModel(params, protege_rule=row.rule_protege, seed=int(row.seed), **grids)
        model.run_episodes(40)
        table = model.outcome_table()
        assert row.share_sharing == table.loc["sharing", "all share"] and row.share_war == table.loc["war", "all share"]
        assert row.mean_payoff_T == model.episodes_table()["payoff_T"].mean()
    assert episodes.groupby("rule_protege")["share_sharing"].mean().idxmax() == "always-pay"
