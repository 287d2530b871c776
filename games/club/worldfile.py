"""World files: one CSV that describes a club-game world (the format: ``docs/world_files.md``).

One row per thing, its ``kind`` first::

    kind,name,position,omega,g_a,g_b
    superpower,a,0,1,,
    superpower,b,1,1,,
    country,1,0.25,1,0.5,0.5
    location,,0,,,

* ``superpower`` rows, in the order the superpowers move (K >= 2): name, home
  (``position``), endowment (``omega``);
* ``country`` rows: name, ``position``, ``omega`` and one dependency column ``g_<name>``
  per superpower;
* ``location`` rows: the grid L, in order (A3 breaks ties toward the first listed);
* for a general metric, one ``distances`` row naming a second file (relative to this one)
  that holds the distance of every country and superpower to every location. Then
  ``position`` stays blank and the locations are named instead; the world labels them
  1, 2, ... in the order listed.

A cell that does not apply to its row's kind must be blank. The file is checked whole,
with the schema mechanism of the data pipeline (:mod:`games.schema`), before a world
is built: every error is one line naming the file and the line.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from games.club.core import MAX_SUPERPOWERS, World
from games.validation import SpheresInputError
from games.schema import Column, DataFileError, Schema, check_unique

KINDS = ("superpower", "country", "location", "distances")
G_PREFIX = "g_"
WHAT = "a club-game world file (docs/world_files.md)"

_KIND = Column("kind", "code", case="lower", pattern="|".join(KINDS), expect=f"one of {', '.join(KINDS)}")
_NAME = Column("name", blank_ok=True)
_POSITION = Column("position", "number", low=0, high=1, blank_ok=True)
_OMEGA = Column("omega", "number", low=0, low_open=True, blank_ok=True)
_COLUMNS = (_KIND, _NAME, _POSITION, _OMEGA)


def read_world(path) -> World:
    """The world a world file describes; :class:`~games.schema.DataFileError` (file, line) if it is wrong."""
    path = Path(path)
    table, columns = _read_table(path)
    superpowers, countries, locations, distances = (table[table["kind"] == kind] for kind in KINDS)
    if not 2 <= len(superpowers) <= MAX_SUPERPOWERS:
        raise DataFileError(f"{path}: {len(superpowers)} superpower row(s); expected 2 to {MAX_SUPERPOWERS} "
                            "(rows of kind superpower, in the order the superpowers move)")
    if countries.empty:
        raise DataFileError(f"{path}: no country rows; expected at least one row of kind country")
    if locations.empty:
        raise DataFileError(f"{path}: no location rows (the grid L is empty); expected one row of kind location "
                            "per place a club good may go")
    check_unique(distances, ("kind",), path, "at most one distances row (the file of distances)")
    on_line = distances.empty
    g_names = [name for name in columns if name.startswith(G_PREFIX)]
    _check_cells(path, columns, g_names, on_line, superpowers, countries, locations, distances)

    names = list(superpowers["name"])
    strangers = [h for h in g_names if h[len(G_PREFIX):] not in names]
    if strangers:
        raise DataFileError(f"{path}, line 1 (header): column {strangers[0]!r} names no superpower; "
                            f"expected {G_PREFIX}<name> for the superpowers {', '.join(names)}")
    missing = [name for name in names if G_PREFIX + name not in g_names]
    if missing:
        raise DataFileError(f"{path}, line 1 (header): no column {G_PREFIX + missing[0]!r}; "
                            f"expected one {G_PREFIX}<name> column per superpower")
    check_unique(pd.concat([superpowers, countries]), ("name",), path, "one row per superpower or country name")
    check_unique(locations, ("position",) if on_line else ("name",), path, "each location once")
    if on_line:
        check_unique(superpowers, ("position",), path, "each superpower at its own home")

    common = dict(g=np.vstack([countries[G_PREFIX + name].to_numpy() for name in names]), omega=countries["omega"].to_numpy(),
                  superpower_omega=superpowers["omega"].to_numpy(), names=tuple(countries["name"]), superpowers=tuple(names))
    try:
        if on_line:
            return World.on_line(countries["position"].to_numpy(), homes=superpowers["position"].to_numpy(),
                                 locations=locations["position"].to_numpy(), **common)
        row = distances.iloc[0]
        what = f"the distances file named on line {row['line']} of {path} (docs/world_files.md)"
        matrix = _read_distances(path.parent / row["name"], what, path, list(countries["name"]) + names, list(locations["name"]))
        return World(distance=matrix.loc[list(countries["name"])].to_numpy(), home_distance=matrix.loc[names].to_numpy(),
                     locations=np.arange(1.0, len(locations) + 1), **common)
    except DataFileError:
        raise
    except SpheresInputError as exc:  # what only the whole world can tell (its size), still naming the file
        raise DataFileError(f"{path}: {exc}") from exc


def _read_table(path: Path) -> tuple[pd.DataFrame, dict[str, Column]]:
    """The file checked cell by cell against its columns (the g columns are the header's own)."""
    header = _header(path, WHAT)
    base = [c.name for c in _COLUMNS]
    unknown = [h for h in header if h not in base and not h.startswith(G_PREFIX)]
    if unknown:
        raise DataFileError(f"{path}, line 1 (header): unknown column(s) {unknown}; expected {', '.join(base)} "
                            f"and one {G_PREFIX}<superpower> per superpower")
    columns = _COLUMNS + tuple(Column(h, "number", low=0, high=1, blank_ok=True) for h in header if h.startswith(G_PREFIX))
    return Schema(WHAT, columns).read(path), {c.name: c for c in columns}


def _check_cells(path, columns, g_names, on_line, superpowers, countries, locations, distances) -> None:
    """Each kind of row fills the cells that apply to it and leaves the others blank."""
    position = ["position"] if on_line else []
    _require(superpowers, ["name", "omega", *position], "a superpower", path, columns)
    _require(countries, ["name", "omega", *g_names, *position], "a country", path, columns)
    _require(locations, position or ["name"], "a location", path, columns)
    _require(distances, ["name"], "the distances row (the file's path)", path, columns)
    _forbid(superpowers, g_names, "a superpower", "dependencies belong to the countries", path)
    _forbid(locations, ["omega", *g_names], "a location", "a location is a place, not a player", path)
    _forbid(distances, ["position", "omega", *g_names], "the distances row", "it only names the file", path)
    if on_line:
        _forbid(locations, ["name"], "a location", "on the line a location is its position", path)
    else:
        for rows, role in ((superpowers, "a superpower"), (countries, "a country"), (locations, "a location")):
            _forbid(rows, ["position"], role, "the distances come from the distances file", path)


def _read_distances(path: Path, what: str, world_path: Path, points: list[str], locations: list[str]) -> pd.DataFrame:
    """The distances file: a row per country and superpower (``name``), a column per location, values in [0, 1]."""
    header = _header(path, what)
    unknown = [h for h in header if h != "name" and h not in locations]
    if unknown:
        raise DataFileError(f"{path}, line 1 (header): column(s) {unknown} name no location of {world_path}; "
                            f"expected name and one column per location: {', '.join(locations)}")
    table = Schema(what, (Column("name"), *(Column(x, "number", low=0, high=1) for x in locations))).read(path)
    check_unique(table, ("name",), path, "one row per country or superpower")
    strangers = table[~table["name"].isin(points)]
    if not strangers.empty:
        first = strangers.iloc[0]
        raise DataFileError(f"{path}, line {first['line']}: {first['name']!r} is no country or superpower of "
                            f"{world_path}; expected one row per country and superpower")
    missing = [p for p in points if p not in set(table["name"])]
    if missing:
        raise DataFileError(f"{path}: no row for {missing}; expected one row per country and superpower of {world_path}")
    return table.set_index("name")[locations]


def _header(path: Path, what: str) -> list[str]:
    """The header's column names (stripped); [] if the file cannot be read (the schema then says why)."""
    if not path.is_file():
        raise DataFileError(f"{path}: file not found; expected {what}")
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            return [cell.strip() for cell in next(csv.reader(file), [])]
    except (UnicodeDecodeError, csv.Error):
        return []


def _blank(series: pd.Series) -> pd.Series:
    return series.isna() | series.astype(str).eq("")


def _require(rows: pd.DataFrame, names: list[str], role: str, path: Path, columns: dict) -> None:
    """Each of these cells must be filled on every row of this kind."""
    for name in names:
        blank = _blank(rows[name])
        if blank.any():
            line = rows.loc[blank.idxmax(), "line"]
            raise DataFileError(f"{path}, line {line}: column {name!r} is blank; "
                                f"expected {columns[name].expectation} for {role}")


def _forbid(rows: pd.DataFrame, names: list[str], role: str, why: str, path: Path) -> None:
    """These cells do not apply to this kind: they must be blank."""
    for name in names:
        given = ~_blank(rows[name])
        if given.any():
            first = given.idxmax()
            value = rows.at[first, name]
            shown = f"{value:g}" if isinstance(value, float) else str(value)
            raise DataFileError(f"{path}, line {rows.at[first, 'line']}: column {name!r} is {shown!r}; "
                                f"expected it blank for {role} ({why})")
