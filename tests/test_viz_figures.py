"""``run.py figures``: every computable figure of both papers, into the chosen folder."""

from __future__ import annotations

import json

import matplotlib.image as mpimg
import pandas as pd
import pytest

import run
from scenarios import figures


def test_figures_command_writes_every_figure(tmp_path, capsys):
    code = run.main(["figures", "--out", str(tmp_path), "--points", "5", "--sweep-points", "11",
                     "--resolution", "3", "--n-demands", "2", "--no-progress"])
    assert code == 0
    names = {"figure3_game_tree.png", "figure5_power_map.png", "figure5_power_map.csv", "figure6a_power.png",
             "figure6b_locations.png", "figure6_symmetric.csv", "figure7a_sizes.png", "figure7b_locations.png",
             "figure7_asymmetric.csv", "alliance_equilibrium_map.png", "alliance_equilibrium_map.json"}
    assert names <= {p.name for p in tmp_path.iterdir()}
    printed = capsys.readouterr().out.split()
    assert {p.split("/")[-1] for p in printed if p.endswith(".png")} == {n for n in names if n.endswith(".png")}
    for png in tmp_path.glob("*.png"):
        image = mpimg.imread(png)
        assert image.shape[0] > 200 and image.shape[1] > 200 and image.std() > 0.01  # a drawing, not a blank
    assert len(pd.read_csv(tmp_path / "figure6_symmetric.csv")) == 11
    assert len(pd.read_csv(tmp_path / "figure5_power_map.csv")) == 25
    regions = json.loads((tmp_path / "alliance_equilibrium_map.json").read_text())
    assert regions["x"] == "l" and regions["y"] == "pi"
    assert sum(r["cells"] for r in regions["regions"]) == 9  # a 3 x 3 map


def test_figures_subset_and_progress_over_figures(tmp_path):
    seen = []

    def progress(iterable, desc=None):
        seen.append(desc)
        items = list(iterable)
        seen.append(items)
        return items

    written = figures.make_figures(tmp_path, ["3"], progress=progress)
    assert [p.name for p in written] == ["figure3_game_tree.png"]
    assert seen == ["figures", ["3"]]


@pytest.mark.parametrize("argv, message", [
    (["--only", "4"], "--only = '4' must list figures among"),
    (["--resolution", "1"], "--resolution = 1 is outside the allowed range [2, 200]"),
    (["--n-demands", "0"], "--n-demands = 0 is outside the allowed range [1, "),
    (["--example", "atlantis"], "--example = 'atlantis' is not one of"),
])
def test_figures_bad_parameters_fail_before_any_work(tmp_path, capsys, argv, message):
    assert run.main(["figures", "--out", str(tmp_path), *argv]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.glob("*.png"))
