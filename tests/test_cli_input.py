"""Every command's input: one-line errors (argparse's too), sizes bounded by memory and time,
options that do not apply refused, negative numbers as values, users' rules by name, and one
numbering and vocabulary on the screen."""

from __future__ import annotations

import argparse
import importlib
import json
import textwrap

import pandas as pd
import pytest

import run
from games import registry, validation
from games.validation import SpheresInputError, check_size, parse_exact
from scenarios import serve
from scenarios.club import build_model
from scenarios.us_china import DEFAULT_PROJECTION


def one_line_error(argv, capsys) -> str:
    """Run ``argv``; it must fail with exit status 2 and exactly one line on stderr."""
    assert run.main(argv) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1, captured.err
    assert "Traceback" not in captured.err and "usage:" not in captured.err
    return err[0]


# --------------------------------------------------------------------------- argparse, one line
@pytest.mark.parametrize("argv, message", [
    (["clubb"], "run.py: error: argument COMMAND: invalid choice: 'clubb'"),
    (["club", "--wrold", "figure3"], "run.py club: error: unrecognized arguments: --wrold figure3"),
    (["club", "--world"], "run.py club: error: argument --world: expected one argument"),
    (["club", "--world", "mars"], "argument --world: invalid choice: 'mars'"),
    (["club", "--rule-a", "nice"], "argument --rule-a: invalid choice: 'nice'"),
    (["club", "--seed", "-1"], "argument --seed: -1 is outside the allowed range [0, ...]"),
    (["club-batch", "--n", "many"], "argument --n: invalid int value: 'many'"),
    (["alliance-efg", "--off-path", "1.5"], "run.py alliance-efg: error: unrecognized arguments: --off-path 1.5"),
    (["alliance", "--csv", "x.csv"], "unrecognized arguments: --csv x.csv"),
    (["figures", "--rules-module", "rules.py"], "run.py figures: error: unrecognized arguments: --rules-module rules.py"),
    (["club", "--ou", "x"], "unrecognized arguments: --ou x"),  # no abbreviations
])
def test_argparse_errors_are_one_line_with_the_command(argv, message, capsys):
    assert message in one_line_error(argv, capsys)


@pytest.mark.parametrize("argv, option", [
    (["club", "--out", ""], "--out"),
    (["us-china", "--data-dir", " "], "--data-dir"),
    (["us-china", "--years", ""], "--years"),
    (["club-batch", "--g", ""], "--g"),
    (["alliance", "--equilibrium", ""], "--equilibrium"),
    (["figures", "--only", ""], "--only"),
])
def test_an_empty_string_is_an_error_not_a_default(argv, option, capsys):
    assert f"{option} must not be empty" in one_line_error(argv, capsys)


# --------------------------------------------------------------------------- negative values
def test_negative_numbers_are_option_values(capsys, tmp_path):
    # reaches the --g parser (not argparse's "expected one argument") and is refused there
    assert "--g START = -0.1 is outside the allowed range [0, 1]" in one_line_error(["club-batch", "--g", "-0.1:0.3:5"], capsys)
    argv = ["alliance-map", "--x-range", "-0.5,0.5", "--resolution", "2", "--n-demands", "2", "--out", str(tmp_path / "m")]
    assert run.main(argv) == 0
    assert json.loads((tmp_path / "m" / "manifest.json").read_text())["arguments"]["x_range"] == "-0.5,0.5"


# --------------------------------------------------------------------------- options that do not apply
@pytest.mark.parametrize("argv, message", [
    (["club", "--world", "figure3", "--n", "11"], "--n applies only with --world section3"),
    (["club", "--world", "figure3", "--g-a", "0.2"], "--g-a applies only with --world section3"),
    (["club", "--world", "random", "--n", "11"], "--n applies only with --world section3"),
    (["club", "--omega-country", "2"], "--omega-country applies only with --country"),
    (["club-figures", "--only", "3", "--points", "5"], "--points applies only when --only includes 5"),
    (["figures", "--only", "3", "--resolution", "5"], "--resolution applies only when --only includes alliance-map"),
    (["us-china", "--no-figures", "--figure-years", "2019"], "--figure-years applies only without --no-figures"),
])
def test_options_that_do_not_apply_are_refused(argv, message, capsys):
    assert message in one_line_error(argv, capsys)


# --------------------------------------------------------------------------- limits from memory and time
@pytest.mark.parametrize("argv, message", [
    (["club", "--world", "section3", "--n", "100000"], "of memory"),
    (["club-batch", "--n", "100000"], "of memory"),
    (["propositions", "--n", "100001"], "of memory"),
    (["club-figures", "--n", "100001"], "of memory"),
    (["club-figures", "--points", "1000000"], "it would take about"),
    (["club-figures", "--sweep-points", "1000000000"], "it would take about"),
    (["figures", "--points", "1000000"], "it would take about"),
    (["club-batch", "--g", "0:1:1000000000"], "of memory"),
    (["alliance", "--episodes", "100000000"], "of memory"),
    (["alliance", "--trace", "100000000000"], "of memory"),
    (["alliance", "--n-demands", "100000"], "it would take about"),
    (["alliance-map", "--n-demands", "100000"], "it would take about"),
    (["alliance-efg", "--n-offers", "100000000"], "of memory"),
    (["alliance-efg", "--n-demands", "100000000"], "of memory"),
    (["alliance-japan", "--steps", "100000000000"], "of memory"),
])
def test_sizes_are_bounded_by_memory_and_time_before_any_work(argv, message, capsys):
    line = one_line_error(argv, capsys)
    option = argv[-2]
    assert f"{option} " in line and "is outside the allowed range [" in line and message in line


def test_the_allowed_range_ends_at_the_largest_size_that_fits(monkeypatch):
    monkeypatch.setattr(validation, "memory_limit", lambda: 1000)
    assert check_size("n", 100, memory=lambda n: 10 * n) == 100
    with pytest.raises(SpheresInputError, match=r"n = 101 is outside the allowed range \[1, 100\]: it needs about 1010 B"):
        check_size("n", 101, memory=lambda n: 10 * n)
    limit = validation.TIME_LIMIT_S
    with pytest.raises(SpheresInputError, match=rf"k = {limit + 1} is outside the allowed range \[2, {limit}\]: it would take"):
        check_size("k", limit + 1, low=2, seconds=lambda k: k)
    with pytest.raises(SpheresInputError, match=r"k = 0 is outside the allowed range \[2, 50\]$"):
        check_size("k", 0, low=2, high=50, seconds=lambda k: k)
    with pytest.raises(SpheresInputError, match="even at 1 it needs"):
        check_size("n", 5, memory=lambda n: 10**9)
    with pytest.raises(SpheresInputError, match="must be an integer"):
        check_size("n", 31.7)


def test_propositions_checks_every_n_before_computing(capsys):
    assert "--n = 4 must be an odd integer >= 5" in one_line_error(["propositions", "--n", "301", "4"], capsys)
    assert "--n = 100001 is outside the allowed range" in one_line_error(["propositions", "--n", "5", "100001"], capsys)


@pytest.mark.parametrize("value, message", [
    ("1e99999999", "is outside the allowed magnitudes 1e-30 to 1e30"),
    ("1/0", "divides by zero"),
    ("inf", "must be a finite number"),
    ("nan", "must be a finite number"),
    ("0x10", "must be a finite number"),
])
def test_alliance_set_values_are_finite_bounded_numbers(value, message, capsys):
    assert f"--set l = '{value}' {message}" in one_line_error(["alliance", "--set", f"l={value}"], capsys)


def test_exact_numbers_as_typed():
    assert parse_exact("x", "0.25") == parse_exact("x", "1/4") == parse_exact("x", "2.5e-1")
    assert parse_exact("x", "-3/-4") == parse_exact("x", "0.75") and parse_exact("x", "0") == 0


@pytest.mark.parametrize("argv, message", [
    (["club", "--country", "1", "--omega-country", "inf"], "argument --omega-country: inf is outside the allowed range (0, 1e+06]"),
    (["club", "--country", "1", "--omega-country", "0"], "argument --omega-country: 0 is outside the allowed range (0, 1e+06]"),
    (["us-china", "--india-gdp-scale", "1e308"], "argument --india-gdp-scale: 1e308 is outside the allowed range (0, 1000]"),
    (["us-china-india", "--scales", "0.5,1e308"], "--scales = '0.5,1e308'; expected numbers in (0, 1000]"),
])
def test_endowments_and_scales_are_finite_and_in_range(argv, message, capsys):
    assert message in one_line_error(argv, capsys)


# --------------------------------------------------------------------------- users' rules by name
RULES = '''
    import numpy as np

    from games.alliance.rules import PatronRule
    from games.club.rules import EquilibriumSuperpower
    from games.registry import register


    @register
    class LeftEdge(EquilibriumSuperpower):
        """Places its club good at the left end of the line or nowhere."""
        name = "left-edge"

        def locations(self, world, k):
            return np.array([0])


    @register
    class Stayer(PatronRule):
        """Never withdraws after a refusal."""
        name = "stayer"

        def withdraw(self, game, committed, demand):
            return False
'''


@pytest.fixture
def rules_file(tmp_path):
    path = tmp_path / "my_rules.py"
    path.write_text(textwrap.dedent(RULES))
    yield path
    for role, name in (("superpower", "left-edge"), ("patron", "stayer")):
        if name in registry.names(role):
            registry.unregister(role, name)


def test_a_rules_module_makes_its_rules_valid_names(rules_file, tmp_path, capsys):
    out = tmp_path / "club"
    assert run.main(["club", "--rules-module", str(rules_file), "--rule-a", "left-edge", "--quiet", "--out", str(out)]) == 0
    locations = pd.read_csv(out / "steps.csv")["location_a"]
    assert locations.isna().all() or set(locations.dropna()) == {0.0}  # a uses the user's rule
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["rules_modules"][0]["path"] == str(rules_file.resolve())


def test_a_rules_module_for_the_alliance(rules_file, tmp_path):
    argv = ["alliance", "--example", "japan-2019", "--set", "l=0.5", "--episodes", "40"]
    assert run.main([*argv, "--out", str(tmp_path / "eq")]) == 0  # in this equilibrium the uncommitted type withdraws
    assert run.main([*argv, f"--rules-module={rules_file}", "--patron-rule", "stayer", "--out", str(tmp_path / "st")]) == 0
    withdrawals = {k: pd.read_csv(tmp_path / k / "outcomes.csv", index_col=0).at["withdrawal", "all count"] for k in ("eq", "st")}
    assert withdrawals["eq"] > 0 and withdrawals["st"] == 0


def test_a_bad_rules_module_is_one_line_with_file_and_line(tmp_path, capsys):
    bad = tmp_path / "broken.py"
    bad.write_text("x = 1\ny = 1 / 0\n")
    line = one_line_error(["club", "--rules-module", str(bad)], capsys)
    assert line.startswith("run.py club: error: --rules-module") and str(bad) in line and "line 2" in line
    assert "ZeroDivisionError" in line


def test_serve_hands_the_rules_modules_to_the_server(rules_file, monkeypatch):
    env = serve.server_env("club", [rules_file])
    assert env[serve.RULES_ENV] == str(rules_file.resolve())
    monkeypatch.setenv(serve.RULES_ENV, env[serve.RULES_ENV])
    assert "left-edge" not in registry.names("superpower")
    serve.load_rules_modules()  # what the server process does before building its pages
    assert "left-edge" in registry.names("superpower") and "stayer" in registry.names("patron")


def test_the_server_process_lists_the_rules_modules_rules(rules_file):
    """``run.py serve --rules-module`` -> the server's environment -> the app imports them before its pages."""
    import subprocess
    import sys

    env = serve.server_env("club", [rules_file])
    code = ("import visualization.app\nfrom visualization.club_app import controls\n"
            "print('left-edge' in controls()['rule_a']['values'])")
    done = subprocess.run([sys.executable, "-c", code], cwd=serve.ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


# --------------------------------------------------------------------------- one numbering, one vocabulary
def test_countries_are_numbered_from_one(capsys):
    model = build_model(run.build_parser().parse_args(["club", "--country", "1", "--omega-country", "3"]))
    assert model.world.omega[0] == 3 and (model.world.omega[1:] == 1).all()  # country 1 sits at 1/4
    assert "--country = 0 is outside the allowed range [1, 3]" in one_line_error(["club", "--country", "0"], capsys)
    assert "[1, 3]" in one_line_error(["club", "--country", "4"], capsys)
    model = build_model(run.build_parser().parse_args(["club", "--world", "section3", "--n", "11", "--country", "10",
                                                       "--omega-country", "2"]))
    w = model.world  # country i sits at i/n and is printed as i, as in the paper
    assert (w.names[9], w.positions[9], w.omega[9]) == ("10", pytest.approx(10 / 11), 2) and w.omega.sum() == 9 + 2


def test_no_club_is_said_in_words(tmp_path, capsys):
    assert run.main(["club", "--out", str(tmp_path / "c")]) == 0
    printed = capsys.readouterr().out
    assert "b forms no club" in printed and "nan" not in printed.lower()


def test_one_projection_and_out_everywhere():
    parser = run.build_parser()
    assert parser.parse_args(["us-china-india"]).projection == DEFAULT_PROJECTION == "2030-2100"  # Section 4.2's
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    for name, module_name in run.COMMANDS.items():
        options = set(commands[name]._option_string_actions)
        assert "--csv" not in options, name
        if getattr(importlib.import_module(module_name), "OUTPUT", None):
            assert {"--out", "--overwrite"} <= options, name
