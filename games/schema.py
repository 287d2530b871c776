"""Schemas of the input tables: every file is checked whole before any work is done.

A :class:`Schema` names a table's columns, what each holds (:class:`Column`: a code, a
year, a finite number in a range, text) and the keys that must be unique. ``Schema.read``
returns the table typed and normalised (codes stripped and upper- or lower-cased, years
as integers, so ``" ind"``, ``"IND"`` and ``"2012.0"``, ``" 2012"`` compare equal and
duplicates cannot hide behind another spelling), with a ``line`` column holding each
row's physical line in the file. Any violation raises :class:`DataFileError` with one
line naming the file, the line, the column and what was expected.

Lines are counted as a text editor counts them: blank lines are skipped but counted, and a
quoted field that spans lines moves every later row down. A file cut short (its last row
incomplete, a quoted field never closed, a character cut in half, or a missing final
newline where the original has one) is reported as truncated.

The same column checks serve the Excel workbooks (``pipeline.dots``) through
:meth:`Column.check`, which takes a function that names a cell.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from games.validation import SpheresInputError

BLANK = ("", "NA", "NaN", "nan")
"""Cell texts that mean "no value" (allowed only in columns with ``blank_ok``)."""
YEAR_RANGE = (1900, 2200)
"""Header cells that are whole numbers in this range are year columns of a wide table."""


class DataFileError(SpheresInputError):
    """A data file is missing or malformed; the message names the file, the line and what was expected."""


def _bound(value: float | None, default: str) -> str:
    return default if value is None else f"{value:g}"


@dataclass(frozen=True)
class Column:
    """One column: its kind, its range and whether it may be blank.

    kind: ``"text"`` (stripped), ``"code"`` (stripped, ``case`` applied, ``pattern`` matched),
    ``"year"`` (a whole number in [low, high], returned as int) or ``"number"`` (a finite
    float in [low, high], or (low, high] with ``low_open``).
    """

    name: str
    kind: str = "text"
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    blank_ok: bool = False
    case: str | None = None
    pattern: str | None = None
    expect: str | None = None

    def __post_init__(self):
        if self.kind not in ("text", "code", "year", "number"):
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def expectation(self) -> str:
        """What a valid cell looks like, in words (for error messages)."""
        if self.expect:
            text = self.expect
        elif self.kind == "year":
            text = f"a whole year in [{_bound(self.low, '-inf')}, {_bound(self.high, 'inf')}]"
        elif self.kind == "number":
            left = "(" if self.low_open or self.low is None else "["
            right = ")" if self.high is None else "]"
            text = f"a finite number in {left}{_bound(self.low, '-inf')}, {_bound(self.high, 'inf')}{right}"
        elif self.pattern:
            text = f"a code matching {self.pattern}"
        else:
            text = "a non-empty text"
        return text if self.blank_ok else text + " (no empty cells)"

    def normalise(self, raw: pd.Series) -> pd.Series:
        """Stripped text with ``case`` applied (codes); other kinds are only stripped."""
        text = raw.astype(str).str.strip()
        if self.case == "upper":
            text = text.str.upper()
        elif self.case == "lower":
            text = text.str.lower()
        return text

    def parse(self, raw: pd.Series, where: Callable[[object], str]) -> pd.Series:
        """The column typed and checked; ``where(index)`` names the place of a bad cell."""
        text = self.normalise(raw)
        blank = text.isin(BLANK)
        if self.kind in ("text", "code"):
            bad = blank if not self.blank_ok else pd.Series(False, index=text.index)
            if self.pattern:
                bad |= ~blank & ~text.str.fullmatch(self.pattern)
            self._raise_first(bad, raw, where)
            return text.where(~blank, "")
        values = pd.to_numeric(text.where(~blank), errors="coerce")
        self._raise_first(~blank & values.isna(), raw, where)
        return self.check(values, raw, where)

    def check(self, values: pd.Series, raw: pd.Series, where: Callable[[object], str]) -> pd.Series:
        """Numbers (NaN = blank) checked for finiteness, range, whole years and blanks."""
        blank = values.isna()
        bad = ~blank & ~np.isfinite(values)
        if not self.blank_ok:
            bad |= blank
        if self.low is not None:
            bad |= ~blank & ((values <= self.low) if self.low_open else (values < self.low))
        if self.high is not None:
            bad |= ~blank & (values > self.high)
        if self.kind == "year":
            bad |= ~blank & (values != np.round(values))
        self._raise_first(bad, raw, where)
        if self.kind == "year" and not blank.any():
            return values.astype(int)
        return values.astype(float)

    def _raise_first(self, bad: pd.Series, raw: pd.Series, where: Callable[[object], str]) -> None:
        if bad.any():
            first = bad.idxmax()
            raise DataFileError(f"{where(first)}: column {self.name!r} is {raw.at[first]!r}; expected {self.expectation}")


def year_of_header(cell: str) -> int | None:
    """The year a header cell names ('2012', ' 2012', '2012.0'), or None if it is not a year."""
    try:
        value = float(cell.strip())
    except ValueError:
        return None
    if math.isfinite(value) and value == round(value) and YEAR_RANGE[0] <= value <= YEAR_RANGE[1]:
        return int(value)
    return None


@dataclass(frozen=True)
class Schema:
    """A CSV table: required columns, optional year columns (wide tables), unique keys.

    what: the table in words ("World Bank GDP (current US$)"), used in every message.
    keys: column tuples that must be unique after normalising (rows with a blank key cell
        are not compared: an empty ISO3 is "no code", not a duplicate).
    years: the kind of every year column of a wide table (headers such as 2001 ... 2024);
        ``None`` for a long table. A header naming a year twice is an error.
    final_newline: whether the original file ends with a newline; if it does and a copy
        does not, the copy is truncated.
    source: where a missing file can be found (named in the "file not found" message).
    """

    what: str
    columns: tuple[Column, ...]
    keys: tuple[tuple[str, ...], ...] = ()
    years: Column | None = None
    final_newline: bool = True
    encoding: str = "utf-8-sig"
    source: str = ""

    def read(self, path: Path, rows: Mapping[str, Callable[[pd.Series], pd.Series]] | None = None) -> pd.DataFrame:
        """The checked table: typed columns, ``line``, and for wide tables one int-named column per year.

        ``rows`` selects the rows that matter before the cells are checked (column -> test
        on the stripped text), for files that hold other models or scenarios too.
        """
        header, records, lines = self._records(path)
        where_header = f"{path}, line 1 (header)"
        names = [h.strip() for h in header]
        missing = [c.name for c in self.columns if c.name not in names]
        if missing:
            raise DataFileError(f"{where_header}: missing column(s) {missing}; expected {self.what} with columns "
                                f"{[c.name for c in self.columns]}")
        seen: dict[object, str] = {}
        for cell in header:
            norm = year_of_header(cell) if self.years is not None else None
            norm = cell.strip() if norm is None else norm
            if norm in seen:
                raise DataFileError(f"{where_header}: column {cell!r} repeats {seen[norm]!r}; expected each "
                                    f"{'year' if isinstance(norm, int) else 'column'} once")
            seen[norm] = cell
        year_cols = {}
        if self.years is not None:
            year_cols = {i: year_of_header(h) for i, h in enumerate(header) if year_of_header(h) is not None}
            if not year_cols:
                raise DataFileError(f"{where_header}: no year columns; expected {self.what} with one column per year")
        wanted = [names.index(c.name) for c in self.columns]
        frame = pd.DataFrame([[r[i] for i in wanted + list(year_cols)] for r in records],
                             columns=[names[i] for i in wanted] + list(year_cols.values()), dtype=object)
        frame["line"] = lines
        if rows:
            keep = pd.Series(True, index=frame.index)
            for name, test in rows.items():
                keep &= test(frame[name].astype(str).str.strip())
            frame = frame[keep]
            if frame.empty:
                raise DataFileError(f"{path}: no rows of {self.what}")

        def where(index) -> str:
            return f"{path}, line {frame.at[index, 'line']}"

        for column in self.columns:
            frame[column.name] = column.parse(frame[column.name], where)
        for year in year_cols.values():
            frame[year] = self.years.parse(frame[year], where)
        for key in self.keys:
            check_unique(frame, key, path)
        return frame.reset_index(drop=True)

    def _records(self, path: Path) -> tuple[list[str], list[list[str]], list[int]]:
        """Header, data records and the line each record starts on; structural errors raised."""
        if not path.is_file():
            where = f" (see {self.source} for where to get it)" if self.source else ""
            raise DataFileError(f"{path}: file not found; expected {self.what}{where}")
        data = path.read_bytes()
        try:
            text = data.decode(self.encoding)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            if exc.end >= len(data):
                raise DataFileError(f"{path}: truncated: the file ends inside a character on line {line}; "
                                    f"expected the complete file of {self.what}") from exc
            raise DataFileError(f"{path}, line {line}: not {self.encoding} text ({exc.reason}); "
                                f"expected {self.what}") from exc
        if not text.strip():
            raise DataFileError(f"{path}: empty file; expected {self.what}")
        ends_open = not text.endswith(("\n", "\r"))
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        records, lines, previous = [], [], 0
        try:
            for record in reader:
                start, previous = previous + 1, reader.line_num
                if not record or (len(record) == 1 and not record[0].strip()):
                    continue  # a blank line: skipped, but counted
                records.append(record)
                lines.append(start)
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise DataFileError(f"{path}: truncated: a quoted field opened on line {previous + 1} is never "
                                    f"closed; expected the complete file of {self.what}") from exc
            raise DataFileError(f"{path}, line {reader.line_num}: malformed CSV ({exc}); expected {self.what}") from exc
        header, header_line = records[0], lines[0]
        if header_line != 1:
            raise DataFileError(f"{path}, line 1: blank; expected the header of {self.what}")
        records, lines = records[1:], lines[1:]
        width = len(header)
        if ends_open and records and len(records[-1]) < width:
            raise DataFileError(f"{path}: truncated: the file ends inside line {lines[-1]} ({len(records[-1])} of "
                                f"{width} fields); expected the complete file of {self.what}")
        if ends_open and self.final_newline:
            raise DataFileError(f"{path}: truncated: the file ends inside line {lines[-1] if records else 1} without "
                                f"its final newline; expected the complete file of {self.what}")
        for record, line in zip(records, lines):
            if len(record) != width:
                raise DataFileError(f"{path}, line {line}: {len(record)} fields; expected {width} as in the header")
        if not records:
            raise DataFileError(f"{path}: no data rows (empty or truncated); expected {self.what}")
        return header, records, lines


def check_unique(frame: pd.DataFrame, key: Sequence[str], path: Path, what: str | None = None) -> None:
    """Raise if two rows share ``key`` (blank key cells are not compared); names both lines."""
    key = list(key)
    cells = frame[key]
    filled = ~(cells.isna() | cells.astype(str).eq("")).any(axis=1)
    dup = cells[filled].duplicated(keep=False)
    if dup.any():
        rows = dup.index[dup]
        first = rows[0]
        second = next(r for r in rows[1:] if tuple(cells.loc[r]) == tuple(cells.loc[first]))
        value = [v.item() if isinstance(v, np.generic) else v for v in cells.loc[first]]
        raise DataFileError(
            f"{path}, lines {frame.at[first, 'line']} and {frame.at[second, 'line']}: "
            f"{'/'.join(key)} {value[0] if len(value) == 1 else tuple(value)!r} appears twice; "
            f"expected {what or 'one row per ' + '/'.join(key)}"
        )
