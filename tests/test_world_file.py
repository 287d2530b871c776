"""World files (docs/world_files.md): the examples load and solve, every bad file stops with one
line naming the file and the line, and the club command reads them (exit status 2 on a bad one)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import run
from games.club import World, solve
from games.club.examples import figure3
from model import ClubModel
from games.schema import DataFileError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "worlds"
FIGURE3 = EXAMPLES / "figure3.csv"
THREE = EXAMPLES / "three_superpowers.csv"
RING = EXAMPLES / "ring.csv"


# --------------------------------------------------------------------------- the examples
def test_figure3_file_is_figure3():
    from_file, named = World.from_csv(FIGURE3), figure3()
    for field in ("distance", "home_distance", "g", "omega", "superpower_omega", "locations", "positions"):
        np.testing.assert_array_equal(getattr(from_file, field), getattr(named, field), err_msg=field)
    assert (from_file.names, from_file.superpowers, from_file.homes) == (named.names, named.superpowers, named.homes)
    a, b = solve(from_file), solve(named)
    assert a.indices == b.indices and a.payoffs == b.payoffs
    np.testing.assert_array_equal(a.stages, b.stages)


def test_three_superpowers_file_plays_in_the_model_as_the_solver_solves_it():
    world = World.from_csv(THREE)
    assert world.superpowers == ("a", "b", "c") and world.homes == (0.1, 0.9, 0.45)
    assert (world.n_countries, world.n_locations) == (10, 11)
    table = pd.read_csv(THREE)
    countries = table[table.kind == "country"]
    np.testing.assert_array_equal(world.g, countries[["g_a", "g_b", "g_c"]].to_numpy().T)
    np.testing.assert_array_equal(world.omega, countries["omega"])
    model = ClubModel(world=world)
    while model.running:
        model.step()
    outcome = solve(world)
    assert [s.location for s in model.superpowers] == list(outcome.indices)
    for k in range(3):
        np.testing.assert_array_equal(model.membership(k), outcome.club(k))
    assert all(outcome.index(k) is not None for k in range(3))  # all three form a club


def test_metric_file_takes_its_distances_from_the_distances_file():
    world = World.from_csv(RING)
    matrix = pd.read_csv(EXAMPLES / "ring.distances.csv", index_col="name")
    matrix.index = matrix.index.astype(str)
    np.testing.assert_array_equal(world.distance, matrix.loc[list(world.names)].to_numpy())
    np.testing.assert_array_equal(world.home_distance, matrix.loc[["a", "b"]].to_numpy())
    assert list(world.locations) == [1, 2, 3, 4, 5, 6] and world.positions is None and world.homes is None
    outcome = solve(world)
    assert outcome.indices == (0, 3)  # each at home on the ring ...
    assert outcome.members("a") == ["1", "4"] and outcome.members("b") == ["2", "3"]  # ... with its two neighbours


# --------------------------------------------------------------------------- bad files
def rows_of(path: Path) -> list[list[str]]:
    return [line.split(",") for line in path.read_text().splitlines()]


def drop_column(name):
    def edit(rows):
        i = rows[0].index(name)
        return [r[:i] + r[i + 1:] for r in rows]
    return edit


def add_column(name, value=""):
    return lambda rows: [rows[0] + [name]] + [r + [value] for r in rows[1:]]


def rename_column(old, new):
    return lambda rows: [[new if c == old else c for c in rows[0]]] + rows[1:]


def set_cell(line, column, value):
    def edit(rows):
        rows[line - 1][rows[0].index(column)] = value
        return rows
    return edit


def drop_lines(*lines):
    return lambda rows: [r for i, r in enumerate(rows, 1) if i not in lines]


def insert_line(before, text):
    return lambda rows: rows[: before - 1] + [text.split(",")] + rows[before - 1:]


def write(tmp_path, example: Path, *edits, name="world.csv") -> Path:
    rows = rows_of(example)
    for edit in edits:
        rows = edit(rows)
    path = tmp_path / name
    path.write_text("\n".join(",".join(r) for r in rows) + "\n")
    return path


# Figure 3's file: line 1 header (kind,name,position,omega,g_a,g_b), 2-3 a and b, 4-6 countries 1-3, 7-11 locations.
BAD_FIGURE3 = {
    "missing column": ([drop_column("omega")], 1, "missing column(s) ['omega']"),
    "unknown column": ([add_column("colour")], 1, "unknown column(s) ['colour']"),
    "repeated column": ([add_column("g_a", "0.5")], 1, "column 'g_a' repeats"),
    "g column of no superpower": ([rename_column("g_b", "g_c")], 1, "column 'g_c' names no superpower"),
    "no g column for a superpower": ([drop_column("g_b")], 1, "no column 'g_b'"),
    "two countries of one name": ([set_cell(5, "name", "1")], "lines 4 and 5", "name '1' appears twice"),
    "a country named like a superpower": ([set_cell(4, "name", "b")], "lines 3 and 4", "name 'b' appears twice"),
    "a location twice": ([set_cell(8, "position", "0.0")], "lines 7 and 8", "position 0.0 appears twice; expected each location once"),
    "two superpowers at one home": ([set_cell(3, "position", "0")], "lines 2 and 3",
                                    "expected each superpower at its own home"),
    "position out of range": ([set_cell(4, "position", "1.5")], 4, "column 'position' is '1.5'; expected a finite number in [0, 1]"),
    "dependency out of range": ([set_cell(5, "g_a", "-0.1")], 5, "column 'g_a' is '-0.1'; expected a finite number in [0, 1]"),
    "zero endowment": ([set_cell(6, "omega", "0")], 6, "column 'omega' is '0'; expected a finite number in (0, inf)"),
    "infinite endowment": ([set_cell(6, "omega", "inf")], 6, "column 'omega' is 'inf'"),
    "overflowing number": ([set_cell(4, "g_b", "1e400")], 4, "column 'g_b' is '1e400'"),
    "not a number": ([set_cell(2, "omega", "heavy")], 2, "column 'omega' is 'heavy'"),
    "unknown kind": ([set_cell(4, "kind", "planet")], 4, "column 'kind' is 'planet'; expected one of superpower, country, location"),
    "blank endowment of a country": ([set_cell(5, "omega", "")], 5, "column 'omega' is blank; expected a finite number in (0, inf) for a country"),
    "blank dependency": ([set_cell(4, "g_b", "")], 4, "column 'g_b' is blank"),
    "blank position on the line": ([set_cell(6, "position", "")], 6, "column 'position' is blank"),
    "blank superpower name": ([set_cell(3, "name", "")], 3, "column 'name' is blank; expected a non-empty text for a superpower"),
    "dependency of a superpower": ([set_cell(2, "g_a", "0.5")], 2, "column 'g_a' is '0.5'; expected it blank for a superpower"),
    "endowment of a location": ([set_cell(9, "omega", "1")], 9, "column 'omega' is '1'; expected it blank for a location"),
    "named location on the line": ([set_cell(7, "name", "home")], 7, "expected it blank for a location (on the line a location is its position)"),
    "a row too long": ([lambda rows: rows[:4] + [rows[4] + ["x"]] + rows[5:]], 5, "7 fields; expected 6 as in the header"),
    "blank lines are counted": ([insert_line(4, ""), insert_line(5, ""), set_cell(7, "omega", "-1")], 7, "column 'omega' is '-1'"),
    "empty grid": ([drop_lines(7, 8, 9, 10, 11)], None, "no location rows (the grid L is empty)"),
    "one superpower": ([drop_lines(3), drop_column("g_b")], None, "1 superpower row(s); expected 2 to 26"),
    "no countries": ([drop_lines(4, 5, 6)], None, "no country rows"),
}

# The ring (distances file): line 1 header, 2 the distances row, 3-4 a and b, 5-8 countries 1-4, 9-14 locations p0-p5.
BAD_RING = {
    "position with a distances file": ([set_cell(5, "position", "0.5")], 5,
                                       "expected it blank for a country (the distances come from the distances file)"),
    "location without a name": ([set_cell(9, "name", "")], 9, "column 'name' is blank; expected a non-empty text for a location"),
    "two distances rows": ([insert_line(3, "distances,ring.distances.csv,,,,")], "lines 2 and 3", "kind 'distances' appears twice"),
    "distances file missing": ([set_cell(2, "name", "elsewhere.csv")], None,
                               "elsewhere.csv: file not found; expected the distances file named on line 2 of"),
}

# ring.distances.csv: line 1 header (name,p0,...,p5), 2-5 countries 1-4, 6-7 a and b.
BAD_DISTANCES = {
    "unknown location column": ([rename_column("p5", "p9")], 1, "column(s) ['p9'] name no location"),
    "missing location column": ([drop_column("p5")], 1, "missing column(s) ['p5']"),
    "unknown row": ([set_cell(2, "name", "9")], 2, "'9' is no country or superpower"),
    "duplicate row": ([set_cell(3, "name", "1")], "lines 2 and 3", "name '1' appears twice"),
    "missing row": ([drop_lines(5)], None, "no row for ['4']"),
    "distance out of range": ([set_cell(6, "p3", "1.2")], 6, "column 'p3' is '1.2'; expected a finite number in [0, 1]"),
}


def check_one_line(exc: DataFileError, path: Path, line, fragment: str) -> None:
    message = str(exc)
    assert "\n" not in message
    assert message.startswith(str(path)), message
    if line is not None:
        assert f"{path}, {line if isinstance(line, str) else f'line {line}'}" in message, message
    assert fragment in message, message


@pytest.mark.parametrize("case", list(BAD_FIGURE3))
def test_bad_world_file_is_named_with_its_line(tmp_path, case):
    edits, line, fragment = BAD_FIGURE3[case]
    path = write(tmp_path, FIGURE3, *edits)
    with pytest.raises(DataFileError) as caught:
        World.from_csv(path)
    check_one_line(caught.value, path, line, fragment)


@pytest.mark.parametrize("case", list(BAD_RING))
def test_bad_metric_world_file_is_named_with_its_line(tmp_path, case):
    edits, line, fragment = BAD_RING[case]
    shutil.copy(EXAMPLES / "ring.distances.csv", tmp_path)
    path = write(tmp_path, RING, *edits)
    with pytest.raises(DataFileError) as caught:
        World.from_csv(path)
    check_one_line(caught.value, tmp_path / "elsewhere.csv" if case == "distances file missing" else path, line, fragment)


@pytest.mark.parametrize("case", list(BAD_DISTANCES))
def test_bad_distances_file_is_named_with_its_line(tmp_path, case):
    edits, line, fragment = BAD_DISTANCES[case]
    shutil.copy(RING, tmp_path)
    path = write(tmp_path, EXAMPLES / "ring.distances.csv", *edits, name="ring.distances.csv")
    with pytest.raises(DataFileError) as caught:
        World.from_csv(tmp_path / "ring.csv")
    check_one_line(caught.value, path, line, fragment)


@pytest.mark.parametrize("text, fragment", [("", "empty file"), (None, "file not found")])
def test_empty_or_missing_world_file(tmp_path, text, fragment):
    path = tmp_path / "world.csv"
    if text is not None:
        path.write_text(text)
    with pytest.raises(DataFileError) as caught:
        World.from_csv(path)
    check_one_line(caught.value, path, None, fragment)


# --------------------------------------------------------------------------- the club command
def test_club_command_plays_a_world_file(tmp_path, capsys):
    assert run.main(["club", "--world-file", str(THREE), "--quiet", "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "outcome: a at 0.1 with 2 members, b at 0.9 with 4 members, c at 0.4 with 4 members" in printed
    steps = pd.read_csv(tmp_path / "out" / "steps.csv")
    assert {"location_c", "size_c", "payoff_c"} <= set(steps.columns)
    recorded = json.loads((tmp_path / "out" / "manifest.json").read_text())["arguments"]
    assert (recorded["world"], recorded["world_file"]) == (None, str(THREE))


@pytest.mark.parametrize("extra, message", [
    (["--world", "figure3"], "--world applies only without --world-file"),
    (["--n", "11"], "--n applies only with --world section3, not with --world-file"),
    (["--g-a", "0.2"], "--g-a applies only with --world section3, not with --world-file"),
    (["--g-b", "0.2"], "--g-b applies only with --world section3, not with --world-file"),
    (["--country", "4", "--omega-country", "2"], f"--country = 4 is outside the allowed range [1, 3] (the countries of {FIGURE3})"),
])
def test_club_command_refuses_options_that_do_not_apply(tmp_path, capsys, extra, message):
    out = tmp_path / "never"
    for argv in (["--world-file", str(FIGURE3), *extra], [*extra, "--world-file", str(FIGURE3)]):
        assert run.main(["club", *argv, "--out", str(out)]) == 2
        assert capsys.readouterr().err.strip() == f"run.py club: error: {message}"
        assert not out.exists()


def test_club_command_with_a_bad_world_file_exits_2_with_one_line(tmp_path):
    path = write(tmp_path, FIGURE3, set_cell(5, "g_a", "2"))
    out = tmp_path / "never"
    proc = subprocess.run([sys.executable, "run.py", "club", "--world-file", str(path), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"run.py club: error: {path}, line 5: column 'g_a' is '2'; "
                                   "expected a finite number in [0, 1]")
    assert not out.exists()
