"""The club game's commands: they run, write what they say, and refuse bad input cleanly."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import run

ROOT = Path(__file__).resolve().parents[1]


def test_club_command_plays_figure3_step_by_step(tmp_path, capsys):
    assert run.main(["club", "--world", "figure3", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "step 1: a places its club good" in printed
    assert "places its club good at 0.5" in printed and "forms no club" in printed
    steps = pd.read_csv(tmp_path / "steps.csv")
    assert list(steps["size_a"]) == [0, 0, 3, 3, 3, 3]
    assert list(steps["phase"]) == ["start", "a places its club good at 0.5", "stage 1, round 1: countries move to a's club",
                                    "stage 1 ends", "b forms no club", "the game ends"]
    events = pd.read_csv(tmp_path / "events.csv")
    assert {"step", "actor", "action", "why"} <= set(events.columns)
    assert (tmp_path / "memberships.gexf").read_text().startswith("<?xml")


def test_club_command_with_counterfactual_rules(tmp_path, capsys):
    args = ["club", "--world", "figure3", "--rule-a", "myopic", "--quiet", "--out", str(tmp_path)]
    assert run.main(args) == 0
    assert "a at 0.25 with 0 members, b at 0.5 with 3 members" in capsys.readouterr().out


def test_propositions_command(tmp_path, capsys):
    assert run.main(["propositions", "--n", "13", "--out", str(tmp_path)]) == 0
    table = pd.read_csv(tmp_path / "thresholds.csv")
    assert len(table) == 9
    assert (table["difference"].abs() < 1e-6).all()


def test_club_figures_command_small(tmp_path):
    code = run.main(["club-figures", "--out", str(tmp_path), "--n", "11", "--points", "6", "--sweep-points", "41", "--no-progress"])
    assert code == 0
    for name in ("figure3_game_tree", "figure5_power_map", "figure6a_power", "figure6b_locations", "figure7a_sizes", "figure7b_locations"):
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000
    data = pd.read_csv(tmp_path / "figure6_symmetric.csv")
    # Figure 6(b): with b, a sits at least as close to 1/2 as without b in the unipolar range
    unipolar = data[(data["size_a"] > 0) & (data["size_b"] == 0)]
    assert (unipolar["location_a"] >= unipolar["location_a_without_b"] - 1e-12).all()
    assert (unipolar["location_a"] > unipolar["location_a_without_b"]).any()
    power = pd.read_csv(tmp_path / "figure5_power_map.csv")
    assert set(power["who"]) == {0, 1, 2, 3}


@pytest.mark.parametrize(
    "argv, message",
    [
        (["club", "--world", "section3", "--g-a", "1.5"], "argument --g-a: 1.5 is outside the allowed range [0, 1]"),
        (["club", "--country", "99"], "--country = 99 is outside the allowed range [1, 3]"),
        (["club-figures", "--n", "30"], "--n = 30 must be an odd integer >= 5"),
        (["club-figures", "--only", "4"], "--only = '4' must list figures among 2, 3, 5, 6, 7"),
    ],
)
def test_bad_input_is_one_line_and_exit_2_with_nothing_written(tmp_path, argv, message):
    out = tmp_path / "never"
    proc = subprocess.run(
        [sys.executable, "run.py", *argv, "--out", str(out)], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_club_batch_compares_rules_with_mesa_batch_run(tmp_path):
    argv = ["club-batch", "--n", "11", "--g", "0.2:0.3:3", "--rule-a", "equilibrium", "myopic", "--out", str(tmp_path)]
    assert run.main(argv) == 0
    table = pd.read_csv(tmp_path / "batch.csv")
    assert len(table) == 3 * 2 * 2  # one row per game, not per agent
    eq = table[(table.rule_a == "equilibrium") & (table.rule_countries == "coalition")]
    from games.club import World, solve

    for _, row in eq.iterrows():
        fast = solve(World.symmetric(11, row.g_a))
        assert (row.size_a, row.size_b) == (fast.size_a, fast.size_b)
