"""IMF Direction of Trade Statistics (DOTS): each country's own reports of its goods trade.

``../shared/data/raw/imf_dots_all_reporters/DOTS/DOTS_<n>.xlsx`` holds one workbook per
reporter (PROVENANCE.md, section (e)): sheet ``Exports, FOB`` and sheet ``Imports, CIF``,
title in B2, the reporter's IMF name in B4, the unit in B5 (millions of US$), the years in
row 7 from column C, then one row per counterpart (IMF names in column B). How each is read:

* The first data row is a copy of the ``Australia`` row further down (an export artefact,
  in 460 of the 470 sheets): it is dropped after checking that it is an exact copy.
* A value flagged as an IMF estimate is text with a trailing ``" e"`` (``"1,247.27 e"``);
  the flag is kept beside the value, and ``estimates="drop"`` turns flagged values into
  missing ones.
* IMF names are mapped to ISO3 once, by the committed table ``pipeline/data/imf_dots_names.csv``
  (``kind`` = country, aggregate or historical). Every reporter and counterpart label in the
  workbooks must be in it; aggregates (World, Euro Area, the ``European Union`` memorandum
  row ...) and historical reporters (USSR, Serbia and Montenegro ...) have no ISO3.
* Two workbooks of one reporter (Nicaragua is DOTS_143 and DOTS_144) are caught: identical
  data keep the first and list the second as left out; different data stop the run.

Parsing all 235 workbooks takes several seconds, so each workbook's checked content is
cached under ``.cache/dots/`` (or ``$SPHERES_CACHE/dots``), keyed by the file's name, size
and modification time; a changed file is parsed again.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from games.validation import SpheresInputError
from games.schema import Column, DataFileError, Schema

DOTS_DIR = "imf_dots_all_reporters/DOTS"
NAMES_FILE = Path(__file__).resolve().parent / "data" / "imf_dots_names.csv"
SHEETS = {"exports": ("Exports, FOB", "Exports, FOB to Partner Countries"),
          "imports": ("Imports, CIF", "Imports, CIF from Partner Countries")}
UNIT = "US Dollars, Millions"
WORLD = "World"
"""The counterpart row of the reporter's trade with every partner: the denominator of its ratios."""
FIRST_ROW_COPY = "Australia"
ESTIMATES = ("keep", "drop")
CACHE_ENV = "SPHERES_CACHE"
CACHE_VERSION = 1
"""Bump when the parsed content changes, so that old cache entries are not read."""

NAMES_SCHEMA = Schema(
    "the IMF DOTS name -> ISO3 table",
    (Column("imf_name"),
     Column("iso3", "code", case="upper", pattern="[A-Z]{3}", blank_ok=True),
     Column("kind", "code", case="lower", pattern="country|aggregate|historical",
            expect="one of country, aggregate, historical"),
     Column("note", blank_ok=True)),
    keys=(("imf_name",), ("iso3",)),
)
_YEAR = Column("year", "year", low=1900, high=2100)
_VALUE = Column("value", "number", low=0, blank_ok=True)
_NUMBER = re.compile(r"^-?[0-9][0-9,]*(\.[0-9]*)?([eE][-+]?[0-9]+)?$")


def load_names(path: Path = NAMES_FILE) -> pd.DataFrame:
    """The checked name table: imf_name, iso3, kind, note (a country has an ISO3, nothing else has)."""
    table = NAMES_SCHEMA.read(path)
    wrong = (table["kind"] == "country") != (table["iso3"] != "")
    if wrong.any():
        row = table[wrong].iloc[0]
        raise DataFileError(f"{path}, line {row['line']}: {row['imf_name']!r} is kind {row['kind']!r} with iso3 "
                            f"{row['iso3']!r}; expected an ISO3 code exactly for kind 'country'")
    return table


# --------------------------------------------------------------------------- one workbook
@dataclass(frozen=True)
class Workbook:
    """One reporter's checked workbook: per flow, counterpart labels x years of values and estimate flags."""

    path: Path
    reporter: str
    years: np.ndarray
    labels: dict[str, np.ndarray]
    values: dict[str, np.ndarray]
    estimate: dict[str, np.ndarray]
    parsed: bool = True

    def same_data(self, other: Workbook) -> bool:
        return np.array_equal(self.years, other.years) and all(
            np.array_equal(self.labels[f], other.labels[f])
            and np.array_equal(self.values[f], other.values[f], equal_nan=True)
            and np.array_equal(self.estimate[f], other.estimate[f]) for f in SHEETS)


def _cell(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def _text(grid: pd.DataFrame, row: int, col: int) -> str:
    if row >= grid.shape[0] or col >= grid.shape[1] or pd.isna(grid.iat[row, col]):
        return ""
    return str(grid.iat[row, col]).strip()


def _sheet_reporter(path: Path, sheet: str, title: str, grid: pd.DataFrame) -> str:
    """The reporter's IMF name (B4), after checking the title (B2) and the unit (B5)."""
    for row, wanted, what in ((1, title, "the title"), (4, UNIT, "the unit")):
        found = _text(grid, row, 1)
        if found != wanted:
            raise DataFileError(f"{path}, sheet {sheet!r}, cell {_cell(row, 1)}: {what} is {found!r}; expected {wanted!r}")
    reporter = _text(grid, 3, 1)
    if not reporter:
        raise DataFileError(f"{path}, sheet {sheet!r}, cell B4: the reporter's name is empty; expected its IMF name")
    return reporter


def _sheet_body(path: Path, sheet: str, grid: pd.DataFrame):
    """(years, labels, values, estimate) of one sheet, every cell checked."""
    def at(row, col):
        return f"{path}, sheet {sheet!r}, cell {_cell(row, col)}"

    if grid.shape[0] < 8 or grid.shape[1] < 3:
        raise DataFileError(f"{path}, sheet {sheet!r}: no data rows; expected counterparts from row 8 and years from column C")
    head = grid.iloc[6, 2:]
    filled = head.notna().to_numpy()
    n_years = int(filled.sum())
    if not n_years or not filled[:n_years].all():
        col = 2 + int(np.argmin(filled)) if n_years else 2
        raise DataFileError(f"{at(6, col)}: empty year heading; expected years in row 7 from column C, without gaps")
    years = _YEAR.parse(head.iloc[:n_years].astype(str).reset_index(drop=True), lambda i: at(6, 2 + i)).to_numpy()
    if np.any(np.diff(years) <= 0):
        i = int(np.argmax(np.diff(years) <= 0)) + 1
        raise DataFileError(f"{at(6, 2 + i)}: year {years[i]} follows {years[i - 1]}; expected each year once, increasing")
    body = grid.iloc[7:, 1:]
    stray = body.iloc[:, 1 + n_years:].notna().to_numpy()
    if stray.any():
        r, c = np.argwhere(stray)[0]
        raise DataFileError(f"{at(7 + r, 2 + n_years + c)}: a value outside the year columns; expected nothing")
    labels = body.iloc[:, 0]
    cells = body.iloc[:, 1:1 + n_years]
    empty_label = labels.isna().to_numpy() | (labels.astype(str).str.strip() == "").to_numpy()
    if (empty_label & cells.notna().any(axis=1).to_numpy()).any():
        r = int(np.argmax(empty_label & cells.notna().any(axis=1).to_numpy()))
        raise DataFileError(f"{at(7 + r, 1)}: empty counterpart name in a row with values; expected an IMF name")
    rows = np.flatnonzero(~empty_label)
    labels = labels.iloc[rows].astype(str).str.strip().to_numpy()
    raw = cells.iloc[rows].reset_index(drop=True)
    raw.columns = range(n_years)
    sheet_rows = 7 + rows

    flat = raw.to_numpy().ravel()
    text = np.fromiter((isinstance(v, str) for v in flat), bool, len(flat))
    number = np.fromiter((isinstance(v, (int, float)) and not isinstance(v, bool) for v in flat), bool, len(flat))
    other = ~(text | number) & ~pd.isna(flat)
    if other.any():
        r, c = divmod(int(np.argmax(other)), n_years)
        raise DataFileError(f"{at(sheet_rows[r], 2 + c)}: value {flat[r * n_years + c]!r}; expected a number of "
                            "millions of US$")
    numbers = np.full(len(flat), np.nan)
    numbers[number] = flat[number].astype(float)
    estimate = np.zeros(len(flat), dtype=bool)
    if text.any():
        strings = pd.Series(flat[text]).str.strip()
        flagged = strings.str.endswith(" e").to_numpy()
        digits = strings.str.removesuffix(" e").str.strip()
        ok = digits.str.match(_NUMBER).to_numpy()
        if not ok.all():
            k = int(np.flatnonzero(text)[np.argmin(ok)])
            r, c = divmod(k, n_years)
            raise DataFileError(f"{at(sheet_rows[r], 2 + c)}: value {flat[k]!r}; expected a number of millions of US$, "
                                f"or one flagged as an IMF estimate such as '1,247.27 e'")
        numbers[text] = pd.to_numeric(digits.str.replace(",", ""), errors="coerce").to_numpy(float)
        estimate[text] = flagged
    shown = pd.Series(flat)

    def where(k):
        r, c = divmod(int(k), n_years)
        return at(sheet_rows[r], 2 + c)

    values = _VALUE.check(pd.Series(numbers), shown, where).to_numpy().reshape(len(rows), n_years)
    estimate = estimate.reshape(len(rows), n_years)

    if len(labels) > 1 and labels[0] == FIRST_ROW_COPY and (labels[1:] == FIRST_ROW_COPY).any():
        twin = 1 + int(np.argmax(labels[1:] == FIRST_ROW_COPY))
        if not (np.array_equal(values[0], values[twin], equal_nan=True) and np.array_equal(estimate[0], estimate[twin])):
            raise DataFileError(f"{at(sheet_rows[0], 1)}: the first {FIRST_ROW_COPY!r} row differs from row "
                                f"{sheet_rows[twin] + 1}; expected the export's exact copy of it")
        labels, values, estimate, sheet_rows = labels[1:], values[1:], estimate[1:], sheet_rows[1:]
    seen = {}
    for label, row in zip(labels, sheet_rows):
        if label in seen:
            raise DataFileError(f"{at(row, 1)}: counterpart {label!r} repeats row {seen[label] + 1}; "
                                "expected each counterpart once")
        seen[label] = row
    return years, labels, values, estimate


def read_workbook(path: Path, wanted: Callable[[str], bool] = lambda reporter: True) -> Workbook:
    """One workbook, checked; its values only if ``wanted(reporter)``. Cached by name, size and mtime."""
    cached = _cache_path(path)
    if cached is not None and cached.is_file():
        try:
            with np.load(cached, allow_pickle=False) as z:
                book = Workbook(path, str(z["reporter"]), z["years"], {f: z[f"{f}_labels"] for f in SHEETS},
                                {f: z[f"{f}_values"] for f in SHEETS}, {f: z[f"{f}_estimate"] for f in SHEETS},
                                bool(z["parsed"]))
            if book.parsed or not wanted(book.reporter):
                return book
        except (OSError, ValueError, KeyError):
            pass  # unreadable cache entry: parse again and overwrite it
    book = _parse_workbook(path, wanted)
    if cached is not None:
        _write_cache(cached, book)
    return book


def _parse_workbook(path: Path, wanted: Callable[[str], bool]) -> Workbook:
    if not path.is_file():
        raise DataFileError(f"{path}: file not found; expected an IMF DOTS workbook")
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, engine="calamine", dtype=object)
    except Exception as exc:  # calamine raises its own types for damaged zip/XML content
        raise DataFileError(f"{path}: not a readable Excel workbook (truncated or damaged: {exc}); "
                            "expected an IMF DOTS workbook") from exc
    names = [s for s, _ in SHEETS.values()]
    if sorted(sheets) != sorted(names):
        raise DataFileError(f"{path}: sheets {list(sheets)}; expected exactly {names}")
    reporters = {flow: _sheet_reporter(path, sheet, title, sheets[sheet]) for flow, (sheet, title) in SHEETS.items()}
    reporter = reporters["exports"]
    if reporters["imports"] != reporter:
        raise DataFileError(f"{path}, sheet {SHEETS['imports'][0]!r}, cell B4: reporter {reporters['imports']!r}; "
                            f"expected {reporter!r} as in sheet {SHEETS['exports'][0]!r}")
    empty = {f: np.zeros((0, 0)) for f in SHEETS}
    if not wanted(reporter):
        return Workbook(path, reporter, np.zeros(0, dtype=int), {f: np.array([], dtype=str) for f in SHEETS},
                        empty, {f: np.zeros((0, 0), dtype=bool) for f in SHEETS}, parsed=False)
    parsed = {flow: _sheet_body(path, sheet, sheets[sheet]) for flow, (sheet, _) in SHEETS.items()}
    years = np.union1d(parsed["exports"][0], parsed["imports"][0])
    labels, values, estimate = {}, {}, {}
    for flow, (yrs, lab, val, est) in parsed.items():
        cols = np.searchsorted(years, yrs)
        labels[flow] = lab.astype(str)
        values[flow] = np.full((len(lab), len(years)), np.nan)
        values[flow][:, cols] = val
        estimate[flow] = np.zeros((len(lab), len(years)), dtype=bool)
        estimate[flow][:, cols] = est
    return Workbook(path, reporter, years, labels, values, estimate)


def cache_dir() -> Path:
    root = os.environ.get(CACHE_ENV)
    return (Path(root).expanduser() if root else Path(__file__).resolve().parents[1] / ".cache") / "dots"


def _cache_path(path: Path) -> Path | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return cache_dir() / f"{path.stem}-{st.st_size}-{st.st_mtime_ns}-v{CACHE_VERSION}.npz"


def _write_cache(target: Path, book: Workbook) -> None:
    """Write atomically (a temporary file renamed into place); drop older entries of the same workbook."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        arrays = {"reporter": np.array(book.reporter), "years": book.years, "parsed": np.array(book.parsed)}
        for f in SHEETS:
            arrays |= {f"{f}_labels": book.labels[f], f"{f}_values": book.values[f], f"{f}_estimate": book.estimate[f]}
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        os.replace(tmp, target)
        for old in target.parent.glob(f"{book.path.stem}-*.npz"):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full disk only costs the parse next time


# --------------------------------------------------------------------------- every reporter
@dataclass(frozen=True)
class Dots:
    """Every DOTS workbook of a data folder, mapped to ISO3.

    reporters: one row per workbook: file, imf_name, iso3, kind, status ('used' or 'left
        out') and reason (aggregate, historical reporter, duplicate workbook).
    books: ISO3 -> the workbook used for that reporter.
    names: IMF name -> ISO3 for every country label.
    """

    reporters: pd.DataFrame
    books: dict[str, Workbook]
    names: dict[str, str]

    def flows(self, partners: Collection[str], years: Iterable[int], estimates: str = "keep") -> pd.DataFrame:
        """Each reporter's own exports to and imports from ``partners`` (ISO3) and the World, US$.

        Long table: iso3 (reporter), partner (ISO3 or 'World'), flow ('exports'/'imports'),
        year, value (US$; NaN where not reported, or flagged and ``estimates='drop'``),
        estimate (the value carried the IMF's " e" flag).
        """
        if estimates not in ESTIMATES:
            raise SpheresInputError(f"estimates = {estimates!r} must be one of: {', '.join(ESTIMATES)}")
        years = np.array(sorted(set(int(y) for y in years)))
        label_of = {iso: name for name, iso in self.names.items()}
        unknown = [p for p in partners if p not in label_of]
        if unknown:
            raise DataFileError(f"{NAMES_FILE}: no IMF name for partner(s) {unknown}; expected every partner in the table")
        wanted = {WORLD: WORLD} | {label_of[p]: p for p in partners}
        frames = []
        for iso, book in self.books.items():
            cols = np.searchsorted(book.years, years)
            inside = (cols < len(book.years)) & (book.years[np.minimum(cols, len(book.years) - 1)] == years)
            for flow in SHEETS:
                rows = [k for k, lab in enumerate(book.labels[flow]) if lab in wanted]
                if not rows:
                    continue
                val = np.full((len(rows), len(years)), np.nan)
                est = np.zeros((len(rows), len(years)), dtype=bool)
                val[:, inside] = book.values[flow][np.ix_(rows, cols[inside])]
                est[:, inside] = book.estimate[flow][np.ix_(rows, cols[inside])]
                frames.append(pd.DataFrame({
                    "iso3": iso, "flow": flow,
                    "partner": np.repeat([wanted[book.labels[flow][k]] for k in rows], len(years)),
                    "year": np.tile(years, len(rows)), "value": val.ravel() * 1e6, "estimate": est.ravel(),
                }))
        table = pd.concat(frames, ignore_index=True)
        if estimates == "drop":
            table.loc[table["estimate"], "value"] = np.nan
        return table


def load_dots(data_dir: Path) -> Dots:
    """Every workbook under ``data_dir/imf_dots_all_reporters/DOTS``, checked and mapped."""
    folder = data_dir / DOTS_DIR
    files = sorted(folder.glob("DOTS_*.xlsx"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 0))
    if not files:
        raise DataFileError(f"{folder}: no DOTS_<n>.xlsx workbooks; expected the IMF DOTS reporter files "
                            "(PROVENANCE.md, section (e))")
    names = load_names()
    kind = dict(zip(names["imf_name"], names["kind"]))
    iso_of = dict(zip(names["imf_name"], names["iso3"]))
    note = dict(zip(names["imf_name"], names["note"]))
    rows, books = [], {}
    for path in files:
        book = read_workbook(path, lambda reporter: kind.get(reporter) == "country")
        if book.reporter not in kind:
            raise DataFileError(f"{path}, sheet {SHEETS['exports'][0]!r}, cell B4: reporter {book.reporter!r} is not in "
                                f"{NAMES_FILE.name}; expected every IMF name there (add it with its ISO3 or kind)")
        for flow in SHEETS:
            unknown = [lab for lab in book.labels[flow] if lab not in kind]
            if unknown:
                raise DataFileError(f"{path}, sheet {SHEETS[flow][0]!r}: counterpart {unknown[0]!r} is not in "
                                    f"{NAMES_FILE.name}; expected every IMF name there (add it with its ISO3 or kind)")
        iso = iso_of[book.reporter]
        row = dict(file=path.name, imf_name=book.reporter, iso3=iso, kind=kind[book.reporter])
        if kind[book.reporter] == "aggregate":
            rows.append(row | dict(status="left out", reason="aggregate: a group of economies, not one reporter"))
        elif kind[book.reporter] == "historical":
            rows.append(row | dict(status="left out", reason=f"historical reporter: {note[book.reporter]}"))
        elif iso in books:
            first = books[iso]
            if not first.same_data(book):
                raise DataFileError(f"{path}: a second workbook of reporter {book.reporter!r} ({iso}) with data that "
                                    f"differ from {first.path.name}; expected one workbook per reporter")
            rows.append(row | dict(status="left out", reason=f"duplicate of {first.path.name} (identical data)"))
        else:
            books[iso] = book
            rows.append(row | dict(status="used", reason=""))
    country = names[names["kind"] == "country"]
    return Dots(pd.DataFrame(rows), books, dict(zip(country["imf_name"], country["iso3"])))
