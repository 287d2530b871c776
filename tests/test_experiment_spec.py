"""Experiments declared in TOML and in Python: the same objects, the same runs, and every bad input
refused with one line before any run (in Python and on the command line)."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments import AllianceGame, ClubGame, Design, Experiment, Factor, UsChinaGame, evaluate, load, loads, paper
from experiments.designs import count_points, generate
from games.validation import SpheresInputError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "experiments"


def test_toml_declares_the_same_experiment_as_python():
    text = """
        name = "sweep"
        outputs = ["size_a", "regime"]
        replications = 2
        seed = 9
        [game]
        kind = "club"
        world = "section3"
        params = { n = 11 }
        [factors.g_a]
        range = [0.0, 1.0]
        points = 5
        [factors.rule_a]
        levels = ["equilibrium", "myopic"]
        [derived]
        g_b = "1 - g_a"
    """
    python = Experiment(ClubGame("section3", params={"n": 11}),
                        factors=(Factor("g_a", range=(0.0, 1.0), points=5), Factor("rule_a", levels=("equilibrium", "myopic"))),
                        derived={"g_b": "1 - g_a"}, outputs=("size_a", "regime"), replications=2, seed=9, name="sweep")
    toml = loads(text)
    assert toml == python and toml.fingerprint() == python.fingerprint()
    table = toml.table()
    assert len(table) == toml.runs == 5 * 2 * 2
    assert np.allclose(table["g_b"], 1 - table["g_a"])
    assert list(table.columns) == ["run", "point", "replication", "seed", "g_a", "rule_a", "g_b"]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.toml")))
def test_every_example_file_loads(name):
    exp = load(EXAMPLES / name)
    assert exp.runs == len(exp.table()) > 0


def test_the_paper_figures_are_the_example_files():
    assert load(EXAMPLES / "figure5.toml") == paper.figure5(31, 101)
    g = np.linspace(0.0, 1.0, 801)
    for name, asymmetric in (("figure6.toml", False), ("figure7.toml", True)):
        file, python = load(EXAMPLES / name), paper.dependency_sweep(31, g, asymmetric=asymmetric)
        assert (file.game, file.outputs, file.derived) == (python.game, python.outputs, python.derived)
        pd.testing.assert_frame_equal(file.table(), python.table())
    file = load(EXAMPLES / "alliance_map.toml")
    python = paper.alliance_map("japan-2019", "l", "pi", np.round(np.linspace(-0.9, 0.9, 21), 6),
                                np.round(np.linspace(0.01, 0.25, 21), 6))
    assert (file.game, file.outputs) == (python.game, python.outputs)
    pd.testing.assert_frame_equal(file.table(), python.table())


def _factors(*names):
    return tuple(Factor(n, range=(0.0, 1.0)) for n in names)


@pytest.mark.parametrize("design, points", [
    (Design("full-factorial"), 1),
    (Design("latin-hypercube", samples=7), 7),
    (Design("sobol", samples=8), 8 * (2 * 2 + 2)),
    (Design("sobol", samples=8, second_order=False), 8 * (2 + 2)),
    (Design("morris", samples=5, levels=4), 5 * 3),
    (Design("list", runs=({"x": 0.1}, {"x": 0.2}, {"x": 0.3})), 3),
])
def test_each_design_makes_the_runs_it_counts_crossed_with_the_levels(design, points):
    sampled = _factors("u", "v") if design.kind in ("latin-hypercube", "sobol", "morris") else ()
    factors = sampled + (Factor("k", levels=("p", "q", "r")),)
    table = generate(factors, design, replications=2, seed=4)
    assert count_points(factors, design) == 3 * points
    assert len(table) == 2 * 3 * points and list(table["run"]) == list(range(len(table)))
    # crossed-major: each level holds one whole sample, in the sampler's order
    blocks = [part.drop(columns=["run", "point", "replication", "seed", "k"]).reset_index(drop=True)
              for _, part in table.groupby("k", sort=False)]
    for block in blocks[1:]:
        pd.testing.assert_frame_equal(block, blocks[0])
    for f in sampled:
        assert table[f.name].between(0.0, 1.0).all()
    # the experiment's seed decides the sample
    pd.testing.assert_frame_equal(generate(factors, design, replications=2, seed=4), table)
    if sampled:
        assert not generate(factors, design, replications=2, seed=5)["u"].equals(table["u"])


def test_full_factorial_order_and_seeds():
    factors = (Factor("a", levels=(1, 2)), Factor("b", levels=("x", "y", "z")))
    table = generate(factors, Design(), replications=3, seed=1)
    assert list(zip(table["a"], table["b"]))[::3] == [(1, "x"), (1, "y"), (1, "z"), (2, "x"), (2, "y"), (2, "z")]
    # common random numbers: replication r has one seed at every point; three different seeds
    assert table.groupby("replication")["seed"].nunique().eq(1).all() and table["seed"].nunique() == 3
    independent = generate(factors, Design(), replications=3, seed=1, common_random_numbers=False)
    assert independent["seed"].nunique() == len(independent)
    pd.testing.assert_frame_equal(generate(factors, Design(), replications=3, seed=1), table)  # the seed decides
    assert not generate(factors, Design(), replications=3, seed=2)["seed"].equals(table["seed"])


def test_sampled_integer_parameters_are_integers_in_their_range():
    exp = Experiment(ClubGame("random", params={"n_locations": 5}), factors=(Factor("n_countries", range=(3, 6)),),
                     design=Design("latin-hypercube", samples=40), outputs=("size_a",))
    values = exp.table()["n_countries"]
    assert values.dtype == np.int64 and set(values) == {3, 4, 5, 6}


def _club(**kw):
    kw.setdefault("factors", (Factor("g_a", levels=(0.1, 0.2)),))
    return Experiment(ClubGame("section3", params=kw.pop("params", {"n": 7})), **kw)


@pytest.mark.parametrize("build, message", [
    (lambda: _club(factors=(Factor("gamma", levels=(1, 2)),)), "factors.gamma: 'gamma' is not a parameter of this club game"),
    (lambda: _club(outputs=("size_c",)), "outputs: 'size_c' is not an output of the club game"),
    (lambda: _club(factors=(Factor("g_a", levels=(0.5, 1.5)),)), "factors.g_a level = 1.5 is outside the allowed range [0, 1]"),
    (lambda: _club(factors=(Factor("g_b", range=(-0.5, 1.0)),), design=Design("sobol", samples=8)),
     "factors.g_b.range end = -0.5 is outside the allowed range [0, 1]"),
    (lambda: _club(factors=(Factor("rule_a", levels=("equilibrium", "greedy")),)), "factors.rule_a level = 'greedy' is not one of: equilibrium"),
    (lambda: _club(factors=(Factor("n", levels=(7, 8.5)),), params={}), "factors.n level = 8.5 must be an integer in [2, 100000]"),
    (lambda: _club(factors=(Factor("g_a", range=(0.0, 1.0)),)), "factors.g_a has a range but no points"),
    (lambda: _club(factors=_factors("g_a", "g_b"), design=Design("sobol", samples=12)), "design.samples = 12 must be a power of 2"),
    (lambda: _club(design=Design("latin-hypercube", samples=10)), "a latin-hypercube design needs at least one factor with a range"),
    (lambda: _club(factors=(Factor("seed", levels=(1, 2)),)), "factors.seed: 'seed' is set by the experiment itself"),
    (lambda: _club(params={"n": 7, "g_a": 0.3}), "factors.g_a: g_a is also fixed in game.params"),
    (lambda: _club(params={"n": 7, "omega_country": 2.0}), "omega_country needs country"),
    (lambda: _club(params={"n": 7, "country": 7, "omega_country": 2.0}), "country = 7 is outside the allowed range [1, 6]"),
    (lambda: _club(factors=(Factor("rule_c", levels=("equilibrium",)),)), "rule_c"),
    (lambda: _club(membership="yes"), "membership = 'yes' must be true or false"),
    (lambda: _club(replications=0), "replications = 0 must be an integer >= 1"),
    (lambda: ClubGame("atlantis"), "game.world = 'atlantis' is not one of: figure3"),
    (lambda: Experiment(AllianceGame(example="japan-2019"), membership=True), "membership applies to the club and US-China games"),
    (lambda: Experiment(AllianceGame(example="japan-2019"), outputs=("share_war",)), "outputs: share_war comes from episodes"),
    (lambda: Experiment(AllianceGame(example="japan-2019"), factors=(Factor("rule_patron", levels=("equilibrium", "never-withdraw")),)),
     "rule_patron changes nothing here: play it in episodes"),
    (lambda: Experiment(AllianceGame(example="japan-2019", params={"mode": "anticipated"}),
                        factors=(Factor("rule_patron", levels=("equilibrium", "lazy")),)), "factors.rule_patron level = 'lazy' is not one of"),
    (lambda: Experiment(AllianceGame(example="japan-2019"), factors=(Factor("l", levels=(0.2, 1.0)),)),
     "factors.l level = 1.0 is outside the allowed range (-1, 1)"),
    (lambda: AllianceGame(), "the alliance game needs exactly one of game.example or game.base"),
    (lambda: Experiment(UsChinaGame(), factors=(Factor("year", levels=(2019, 2031)),)), "year = 2031 is neither a historical year"),
])
def test_bad_declarations_are_refused_with_one_line(build, message):
    with pytest.raises(SpheresInputError) as info:
        build()
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_derived_parameter_is_checked_like_a_factor():
    exp = _club(derived={"g_b": "g_a * 10"})
    with pytest.raises(SpheresInputError, match=r"derived.g_b = 2.0 is outside the allowed range \[0, 1\]"):
        exp.table()
    with pytest.raises(SpheresInputError, match="derived.g_b = 'g_x' cannot be evaluated"):
        _club(derived={"g_b": "g_x"}).table()


@pytest.mark.parametrize("text, message", [
    ("name = 'x'\n[game]\nkind = 'club'\n[factor.g_a]\nlevels = [0.1]", "unknown key 'factor'"),
    ("[game]\nkind = 'poker'", "game.kind = 'poker' is not one of: club, alliance, us-china"),
    ("[game]\nkind = 'club'\nworld = 'section3'\n[factors.g_a]\nlevel = [0.1]", "factors.g_a: unknown key 'level'"),
    ("[game]\nkind = 'club'\n[design]\nkind = 'taguchi'", "design.kind = 'taguchi' is not one of"),
    ("[game\nkind = 'club'", "not valid TOML"),
])
def test_bad_files_are_refused_with_one_line(text, message):
    with pytest.raises(SpheresInputError) as info:
        loads(text, path="x.toml")
    assert message in str(info.value) and str(info.value).startswith("x.toml: ")


SMALL = """
name = "small"
outputs = ["size_a"]
[game]
kind = "club"
world = "section3"
params = {{ n = 7 }}
[factors.g_a]
{g_a}
[factors.g_b]
{g_b}
"""


def _cli(tmp_path, capsys, text, *extra):
    """``run.py experiment`` in this process: (exit status, stderr)."""
    import run

    path = tmp_path / "exp.toml"
    path.write_text(text)
    code = run.main(["experiment", str(path), "--out", str(tmp_path / "results"), "--no-progress", *extra])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("g_a, g_b, extra, message", [
    ("levels = [0.1]", "levels = [0.2]\n[factors.g_c]\nlevels = [0.1]", (), "factors.g_c: 'g_c' is not a parameter"),
    ("levels = [0.1, 2.0]", "levels = [0.2]", (), "factors.g_a level = 2.0 is outside the allowed range [0, 1]"),
    ("range = [0, 1]\npoints = 100000", "range = [0, 1]\npoints = 100000", (), "the design is too large: 10,000,000,000 runs"),
    ("levels = [0.1]", "levels = [0.2]", ("--scheduler", "tcp://127.0.0.1:1"), "--scheduler = 'tcp://127.0.0.1:1' is unreachable"),
    ("levels = [0.1]", "levels = [0.2]", ("--cluster", "remote:4"), "--cluster = 'remote:4' must be local:N"),
    ("levels = [0.1]", "levels = [0.2]", ("--workers", "0"), "--workers = 0 must be an integer in [1, 1024]"),
])
def test_bad_input_on_the_command_line_is_one_line_exit_2_and_nothing_is_written(tmp_path, capsys, g_a, g_b, extra, message):
    code, err = _cli(tmp_path, capsys, SMALL.format(g_a=g_a, g_b=g_b), *extra)
    assert code == 2, err
    assert message in err and err.strip().count("\n") == 0 and "Traceback" not in err
    assert not (tmp_path / "results").exists()


def test_bad_input_is_one_line_in_a_fresh_process_too(tmp_path):
    path = tmp_path / "exp.toml"
    path.write_text(SMALL.format(g_a="levels = [0.1, 2.0]", g_b="levels = [0.2]"))
    done = subprocess.run([sys.executable, "run.py", "experiment", str(path), "--out", str(tmp_path / "results")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "level = 2.0 is outside" in done.stderr
    assert not (tmp_path / "results").exists()


def test_a_folder_that_holds_results_is_refused_unless_resume_or_overwrite(tmp_path, capsys):
    from experiments import read_results

    text = SMALL.format(g_a="levels = [0.1, 0.3]", g_b="levels = [0.2]")
    other = SMALL.format(g_a="levels = [0.1, 0.4]", g_b="levels = [0.2]")
    assert _cli(tmp_path, capsys, text, "--workers", "1")[0] == 0
    code, err = _cli(tmp_path, capsys, text, "--workers", "1")
    assert code == 2 and "already holds results: pass --resume" in err
    code, err = _cli(tmp_path, capsys, other, "--workers", "1", "--resume")
    assert code == 2 and "--resume: the results in" in err and "are of another experiment" in err
    assert _cli(tmp_path, capsys, text, "--workers", "1", "--resume")[0] == 0
    assert sorted(read_results(tmp_path / "results")["g_a"]) == [0.1, 0.3]
    assert _cli(tmp_path, capsys, other, "--workers", "1", "--overwrite")[0] == 0
    assert sorted(read_results(tmp_path / "results")["g_a"]) == [0.1, 0.4]


def test_estimated_sizes_grow_with_membership():
    from experiments.runner import estimate_bytes

    plain = _club(factors=(Factor("n", levels=(7, 101)),), params={})
    members = _club(factors=(Factor("n", levels=(7, 101)),), params={}, membership=True)
    assert estimate_bytes(members) - estimate_bytes(plain) == plain.runs * 16 * 100  # the largest world: 100 countries
    assert math.isfinite(estimate_bytes(plain))


def test_a_three_superpower_world_has_rules_and_outputs_for_each():
    exp = Experiment(ClubGame("poles", params={"n": 12}),
                     factors=(Factor("g_a", levels=(0.1, 0.6)), Factor("rule_c", levels=("equilibrium", "myopic"))))
    table = evaluate(exp)
    assert {"location_c", "size_c", "payoff_c", "endowment_c"} <= set(table.columns)
    assert list(table["regime"]) == ["none", "none", "a+b+c", "a+b+c"]
    from games.club.many_poles import symmetric_poles
    from games.club.solver import Rules, solve

    for _, row in table.iterrows():  # each run is the solver's game with those rules
        out = solve(symmetric_poles(12, row["g_a"]), Rules(superpowers=["equilibrium", "equilibrium", row["rule_c"]]))
        assert row["size_c"] == out.size("c") and row["size_a"] == out.size("a")
