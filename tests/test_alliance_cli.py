"""run.py commands of the alliance game: outputs, and bad input as one line with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import run

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["alliance", "--episodes", "x"], "--episodes"),
        (["alliance", "--episodes", "0"], "--episodes"),
        (["alliance", "--set", "l=2"], "l = 2 is outside the allowed range (-1, 1)"),
        (["alliance", "--set", "beta_low=0.9"], "beta_low"),
        (["alliance", "--set", "c_A=0.2"], "assumption (2)"),
        (["alliance", "--set", "gamma=1"], "--set parameter"),
        (["alliance", "--patron-rule", "loyal"], "--patron-rule"),
        (["alliance", "--example", "japan-1868"], "example"),
        (["alliance", "--off-path", "sceptical"], "--off-path = 'sceptical' is not one of: uncommitted, prior, committed, any"),
        (["alliance-map", "--resolution", "1"], "--resolution"),
        (["alliance-map", "--x", "gamma"], "x parameter"),
        (["alliance-japan", "--year", "1999"], "--year"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(argv, message, capsys, tmp_path):
    code = run.main(argv + (["--out", str(tmp_path)] if argv[0] != "alliance" else []))
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and message in err[0]


def test_bad_input_through_the_interpreter():
    proc = subprocess.run([sys.executable, "run.py", "alliance", "--set", "phi=1.5"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == ["run.py alliance: error: phi = 1.5 is outside the allowed range (0, 1)"]


def test_episodes_command_prints_the_outcome_table(capsys, tmp_path):
    code = run.main(["alliance", "--example", "japan-2019", "--episodes", "60", "--seed", "4", "--trace", "3",
                     "--protege-rule", "always-pay", "--n-demands", "6", "--out", str(tmp_path / "episodes")])
    out = capsys.readouterr().out
    assert code == 0
    assert "Separating 2" in out and "outcome frequencies over 60 episodes" in out
    assert "step   1 episode   1  nature draws A's type" in out
    sharing = next(line for line in out.splitlines() if line.startswith("sharing"))
    assert sharing.split()[1:3] == ["60", "1.000"]  # the always-paying protégé pays every demand
    assert len((tmp_path / "episodes" / "episodes.csv").read_text().splitlines()) == 61


def test_japan_scenarios(capsys, tmp_path):
    code = run.main(["alliance-japan", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    reports = json.loads((tmp_path / "alliance_japan.json").read_text())
    assert [r["expected"] for r in reports] == ["Separating 1", "Separating 2"]
    assert all(r["holds"] for r in reports)
    assert reports[0]["before"]["equilibria"] == ["pool none"]  # no credible threat before 1978
    assert reports[1]["params"]["a_bar"] == "1" and reports[1]["a_star"] == "1/4"  # four times a*
    assert (tmp_path / "alliance_japan_1978.efg").exists() and (tmp_path / "alliance_japan_2019.efg").exists()
    assert "[Separating 1]" in out and "[Separating 2]" in out
    # the belief convention of every claim, and what some beliefs support and the refinements keep
    assert "pure PBE outcome(s) on a 50-demand, 99-offer grid, with off-path belief 0" in out
    for report, kept in zip(reports, ("Separating 1", "Separating 2")):
        survivors = {r["equilibrium"] for r in report["beliefs"]["any"] if r["Intuitive Criterion"] and r["D1"]}
        assert survivors == {kept} and report["beliefs"]["stated"] == [kept]
    assert "surviving Intuitive Criterion: Separating 2" in out


def test_japan_counterfactuals_answer_their_questions(capsys, tmp_path):
    code = run.main(["alliance-japan", "--year", "2019", "--counterfactuals", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    results = {c["title"]: c["results"] for c in json.loads((tmp_path / "alliance_counterfactuals.json").read_text())}
    cannot = results["Japan 2019 with a patron that cannot withdraw"]
    # as a surprise nothing on the path changes (the threat is never tested); anticipated, Japan pays nothing
    assert cannot["surprise"]["equilibrium"] == "Separating 2"
    assert cannot["anticipated"]["equilibrium"] == "pool free-ride"
    assert {row["demand"] for row in cannot["anticipated"]["play"].values()} == {1.0}
    pays = results["Japan 2019 with a protégé that always pays"]
    assert pays["surprise"]["play"]["committed"]["negotiation"] == "sharing"  # the committed US is paid a_bar
    assert pays["anticipated"]["equilibrium"] == "pool share"
    ignores = results["Japan 2019 with a challenger that ignores signals"]["anticipated"]["play"]["uncommitted"]
    assert (ignores["negotiation"], ignores["offer"]) == ("withdrawal", 0.35)  # pooling x = p_m - c_T
    assert "anticipated: the committed type still demands a_bar = 1; C offers 0.35, 0.5." in out


def test_map_and_efg_commands(capsys, tmp_path):
    assert run.main(["alliance-map", "--resolution", "4", "--n-demands", "3", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "alliance_map_l_pi.png").stat().st_size > 10_000
    regions = json.loads((tmp_path / "alliance_map_l_pi.json").read_text())
    assert sum(r["cells"] for r in regions) == 16
    assert any("Separating 3" in r["equilibria"] for r in regions)
    assert run.main(["alliance-efg", "--n-demands", "2", "--n-offers", "4", "--out", str(tmp_path / "efg")]) == 0
    assert (tmp_path / "efg" / "alliance_japan-1978.efg").read_text().startswith("EFG 2 R")
