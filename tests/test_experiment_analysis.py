"""Analysis of experiment results: SALib's indices recover known ones (Ishigami, a linear model),
PRIM finds a planted box, and `run.py analyse` writes each plot as PNG + CSV from the results."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from SALib.test_functions import Ishigami

from experiments import ClubGame, Design, Experiment, Factor, read_results, run_experiment
from experiments.analysis import morris_indices, prim, sobol_indices
from experiments.designs import generate
from games.validation import SpheresInputError

ISHIGAMI = [Factor(name, range=(-np.pi, np.pi)) for name in ("x1", "x2", "x3")]


def _ishigami_indices(a: float = 7.0, b: float = 0.1):
    """The Ishigami function's Sobol indices in closed form (Ishigami & Homma 1990)."""
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def test_sobol_indices_of_the_ishigami_function():
    design = Design("sobol", samples=2048)
    table = generate(ISHIGAMI, design, seed=3)
    table["y"] = Ishigami.evaluate(table[["x1", "x2", "x3"]].to_numpy())
    first, second = sobol_indices(table, ISHIGAMI, design, "y")
    s1, st = _ishigami_indices()
    assert np.allclose(first["S1"], s1, atol=0.05) and np.allclose(first["ST"], st, atol=0.05)
    assert (abs(first["S1"] - s1) <= first["S1_conf"] + 0.01).all()
    pair = second.set_index(["factor", "with"])["S2"]
    assert pair["x1", "x3"] == pytest.approx(st[2], abs=0.1)  # x3 acts only with x1
    assert abs(pair["x1", "x2"]) < 0.05 and abs(pair["x2", "x3"]) < 0.05


def test_sobol_indices_per_level_of_a_crossed_factor_and_replications_averaged():
    design = Design("sobol", samples=2048, second_order=False)
    factors = ISHIGAMI + [Factor("b", levels=(0.0, 0.1))]
    table = generate(factors, design, replications=2, seed=5)
    noise = np.where(table["replication"] == 0, 1.0, -1.0)  # cancels in the mean over replications
    table["y"] = Ishigami.evaluate(table[["x1", "x2", "x3"]].to_numpy(), B=0.0) + table["b"] * table["x3"] ** 4 * np.sin(table["x1"]) + noise
    first, second = sobol_indices(table, factors, design, "y")
    assert second.empty
    for b, part in first.groupby("b"):
        s1, st = _ishigami_indices(b=b)
        assert np.allclose(part["ST"], st, atol=0.06), (b, part)


def test_morris_ranks_a_linear_model_by_its_coefficients():
    factors = [Factor(name, range=(0.0, 1.0)) for name in ("u", "v", "w")]
    design = Design("morris", samples=30, levels=4)
    table = generate(factors, design, seed=2)
    table["y"] = 1.0 * table["u"] + 3.0 * table["v"] + 0.0 * table["w"]
    mu_star = morris_indices(table, factors, design, "y").set_index("factor")["mu_star"]
    assert mu_star["v"] == pytest.approx(3 * mu_star["u"]) and mu_star["w"] == 0.0


def test_indices_need_every_design_point():
    design = Design("sobol", samples=64, second_order=False)
    table = generate(ISHIGAMI, design, seed=1)
    table["y"] = Ishigami.evaluate(table[["x1", "x2", "x3"]].to_numpy())
    with pytest.raises(SpheresInputError, match="5 of 320 design points have no result"):
        sobol_indices(table.drop(index=range(5)), ISHIGAMI, design, "y")


def test_prim_finds_a_planted_box():
    factors = [Factor(name, range=(0.0, 1.0)) for name in ("x1", "x2", "x3")] + [Factor("rule", levels=("p", "q"))]
    table = generate(factors, Design("latin-hypercube", samples=1500), seed=8)
    table["hit"] = table["x1"].between(0.2, 0.5) & table["x2"].between(0.3, 0.8) & (table["rule"] == "q")
    trajectory, box = prim(table, ["x1", "x2", "x3", "rule"], "hit", min_density=0.95)
    limits = box.set_index("parameter")
    assert limits.loc["x1", "min"] == pytest.approx(0.2, abs=0.03) and limits.loc["x1", "max"] == pytest.approx(0.5, abs=0.03)
    assert limits.loc["x2", "min"] == pytest.approx(0.3, abs=0.03) and limits.loc["x2", "max"] == pytest.approx(0.8, abs=0.03)
    assert limits.loc["rule", "levels"] == "q" and limits.loc["rule", "restricted"]
    assert not limits.loc["x3", "restricted"]
    chosen = trajectory[trajectory["chosen"]].iloc[0]
    assert chosen["density"] >= 0.95 and chosen["coverage"] > 0.9
    # the trade-off curve: coverage never rises as the box is peeled
    assert (trajectory["coverage"].diff().dropna() <= 1e-12).all()


def test_prim_refuses_a_target_that_is_not_yes_or_no():
    table = pd.DataFrame({"x": [0.1, 0.2], "y": [1.0, 2.0]})
    with pytest.raises(SpheresInputError, match="must be true or false per run"):
        prim(table, ["x"], "y")
    with pytest.raises(SpheresInputError, match="holds in no run"):
        prim(table, ["x"], "y > 5")


def test_analyse_writes_indices_heat_maps_and_prim_from_a_results_folder(tmp_path, capsys):
    import run

    exp = Experiment(ClubGame("section3", params={"n": 9}), factors=(Factor("g_a", range=(0.0, 1.0)), Factor("g_b", range=(0.0, 1.0))),
                     design=Design("sobol", samples=16), outputs=("size_a", "size_b", "regime"), name="sobol", seed=4)
    run_experiment(exp, tmp_path / "r", workers=1, progress=False)
    table = read_results(tmp_path / "r")
    out = tmp_path / "analysis"
    assert run.main(["analyse", str(tmp_path / "r"), "--output", "size_a", "--output", "regime",
                     "--prim", "regime == 'both'", "--out", str(out)]) == 0
    assert "sobol_indices.csv" in {f["path"] for f in json.loads((out / "manifest.json").read_text())["files"]}
    indices = pd.read_csv(out / "sobol_indices.csv")
    first, _ = sobol_indices(table, list(exp.factors), exp.design, "size_a")
    pd.testing.assert_frame_equal(indices, first, check_dtype=False)  # regime is not numeric: no indices
    for stem in ("heatmap_01_size_a", "heatmap_02_regime", "prim_tradeoff"):
        assert (out / f"{stem}.png").stat().st_size > 5000 and (out / f"{stem}.csv").is_file()
    heat = pd.read_csv(out / "heatmap_01_size_a.csv")
    expected = table.groupby(["g_a", "g_b"])["size_a"].mean().reset_index()
    assert np.allclose(heat.sort_values(["g_a", "g_b"])["value"], expected.sort_values(["g_a", "g_b"])["size_a"])
    regimes = pd.read_csv(out / "heatmap_02_regime.csv")
    assert set(regimes["value"]) <= {"none", "a", "b", "both"}
    box = pd.read_csv(out / "prim_box.csv")
    assert set(box["parameter"]) == {"g_a", "g_b"}
    assert "PRIM, regime == 'both'" in capsys.readouterr().out


def test_analyse_draws_lines_with_replications_as_bands(tmp_path):
    import run

    exp = Experiment(ClubGame("random", params={"n_locations": 9}),
                     factors=(Factor("n_countries", levels=(3, 5, 7)), Factor("rule_countries", levels=("coalition", "unilateral"))),
                     replications=4, outputs=("size_a", "payoff_a"), name="bands", seed=2)
    run_experiment(exp, tmp_path / "r", workers=1, progress=False)
    assert run.main(["analyse", str(tmp_path / "r"), "--output", "size_a", "--out", str(tmp_path / "analysis")]) == 0
    lines = pd.read_csv(tmp_path / "analysis" / "lines_01_size_a.csv")
    table = read_results(tmp_path / "r")
    assert len(lines) == 3 * 2 and (lines["runs"] == 4).all()
    expected = table.groupby(["rule_countries", "n_countries"])["size_a"].agg(["mean", "min", "max"]).reset_index()
    merged = lines.merge(expected, on=["rule_countries", "n_countries"])
    assert np.allclose(merged["mean_x"], merged["mean_y"]) and (merged["low"] == merged["min"]).all() and (merged["high"] == merged["max"]).all()
    assert (lines["low"] <= lines["mean"]).all() and (lines["mean"] <= lines["high"]).all() and (lines["low"] < lines["high"]).any()


def test_analyse_refuses_unknown_outputs_before_writing(tmp_path, capsys):
    import run

    exp = Experiment(ClubGame("section3", params={"n": 7}), factors=(Factor("g_a", levels=(0.1, 0.2)),), name="tiny")
    run_experiment(exp, tmp_path / "r", workers=1, progress=False)
    out = tmp_path / "analysis"
    assert run.main(["analyse", str(tmp_path / "r"), "--output", "size_z", "--out", str(out)]) == 2
    assert "output 'size_z' is neither a column of the results" in capsys.readouterr().err
    assert not out.exists()
    assert run.main(["analyse", str(tmp_path / "nothing"), "--out", str(out)]) == 2
    assert "holds no experiment results" in capsys.readouterr().err
