"""Wrong data never gives a result: a corrupted copy of each real input file stops the run before any work,
with one line naming the file, the line (or cell) and what was expected, and exit status 2 (issue 10).

Every test works on a data folder under tmp_path whose files are links to the real ones in
../shared/data/raw, except the one file the test copies and changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import run as cli
from pipeline import dots
from pipeline import us_china as pipe

REAL = pipe.resolve_data_dir()
INDIA_BOOK = f"{pipe.FILES['dots']}/DOTS_93.xlsx"


def data_copy(tmp_path: Path, *changed: str) -> Path:
    """A data folder of links to the real files; the files named in ``changed`` are real copies."""
    root = tmp_path / "data"
    for src in REAL.rglob("*"):
        if src.is_file():
            rel = src.relative_to(REAL).as_posix()
            dst = root / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            if rel in changed:
                shutil.copyfile(src, dst)
            else:
                dst.symlink_to(src)
    return root


def edit_lines(path: Path, edit) -> None:
    """Rewrite a text file through ``edit(list of lines) -> list of lines`` (line endings kept)."""
    text = path.read_text(encoding="utf-8-sig")
    path.write_text("".join(edit(text.splitlines(keepends=True))), encoding="utf-8")


def line_of(path: Path, start: str) -> int:
    """The 1-based line of the first line starting with ``start``."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return next(k for k, ln in enumerate(lines, 1) if ln.startswith(start))


def stops(root: Path, tmp_path: Path, capsys, *options: str) -> str:
    """Run us-china on ``root``: it must stop with exit status 2 and one line on stderr; returns the line."""
    code = cli.main(["us-china", "--data-dir", str(root), "--out", str(tmp_path / "out"), "--no-compare-sources",
                     "--no-figures", "--quiet", *(options or ("--years", "2019"))])
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert code == 2 and len(lines) == 1, captured.err
    assert not (tmp_path / "out").exists()
    return lines[0]


# --------------------------------------------------------------------------- the cases of issue 10
def test_geography_mapping_two_codes_to_one_country(tmp_path, capsys):
    rel = pipe.FILES["geo"]
    root = data_copy(tmp_path, rel)
    path = root / rel
    line = line_of(path, "bgd,")
    edit_lines(path, lambda lines: [ln.replace(",BGD,", ",IND,") if ln.startswith("bgd,") else ln for ln in lines])
    err = stops(root, tmp_path, capsys)
    ind = line_of(path, "ind,")
    assert err.endswith(f"{path}, lines {min(line, ind)} and {max(line, ind)}: iso3166_1_alpha3 'IND' appears twice; "
                        "expected one row per iso3166_1_alpha3")


@pytest.mark.parametrize("value", ["inf", "1e400", "-inf"])
def test_non_finite_gdp(tmp_path, capsys, value):
    rel = pipe.FILES["gdp"]
    root = data_copy(tmp_path, rel)
    path = root / rel
    line = line_of(path, "India,IND,2012,")
    edit_lines(path, lambda lines: [f"India,IND,2012,{value}\n" if k == line - 1 else ln for k, ln in enumerate(lines)])
    err = stops(root, tmp_path, capsys)
    assert err.endswith(f"{path}, line {line}: column 'Value' is '{value}'; expected a finite number in (0, inf)")


def test_nan_gdp_is_a_reported_gap_not_a_value(tmp_path):
    """'nan' (like an empty cell) is a missing value: left out of India's window and listed, never a number."""
    rel = pipe.FILES["gdp"]
    root = data_copy(tmp_path, rel)
    edit_lines(root / rel, lambda lines: [ln if not ln.startswith("India,IND,2012,") else "India,IND,2012,nan\n"
                                          for ln in lines])
    panel = pipe.build_panel(pipe.load_raw(root), [2014])
    india = panel.year(2014).set_index("iso3").loc["IND"]
    assert india["n_gdp"] == 4
    assert ((panel.gaps["iso3"] == "IND") & (panel.gaps["year"] == 2012) & (panel.gaps["variable"] == "gdp")).any()


@pytest.mark.parametrize("value", ["inf", "1e400"])
def test_non_finite_merchandise_trade(tmp_path, capsys, value):
    rel = pipe.FILES["merchandise"]
    root = data_copy(tmp_path, rel)
    path = root / rel
    line = line_of(path, "ind,2015,")
    edit_lines(path, lambda lines: [f"ind,2015,{value}\n" if k == line - 1 else ln for k, ln in enumerate(lines)])
    err = stops(root, tmp_path, capsys, "--years", "2019", "--trade", "mirror")
    assert err.endswith(f"{path}, line {line}: column 'merchandise_trade_percent_of_gdp' is '{value}'; expected a "
                        "finite number in (0, 2000] (no empty cells)")


@pytest.mark.parametrize("extra, first", [("ind,2012.0,60.0\n", "ind,2012,"), (" ind,2015,60.0\n", "ind,2015,"),
                                          ("IND, 2015,60.0\n", "ind,2015,")])
def test_duplicates_in_another_spelling(tmp_path, capsys, extra, first):
    rel = pipe.FILES["democracy"]
    root = data_copy(tmp_path, rel)
    path = root / rel
    edit_lines(path, lambda lines: lines + [extra])
    n = len(path.read_text().splitlines())
    err = stops(root, tmp_path, capsys)
    year = int(float(extra.split(",")[1]))
    assert err.endswith(f"{path}, lines {line_of(path, first)} and {n}: country/time ('ind', {year}) appears twice; "
                        "expected one row per country/time")


def test_merchandise_year_with_a_space_is_a_duplicate(tmp_path, capsys):
    rel = pipe.FILES["merchandise"]
    root = data_copy(tmp_path, rel)
    path = root / rel
    edit_lines(path, lambda lines: lines + ["ind, 2015,99.0\n"])
    err = stops(root, tmp_path, capsys, "--years", "2019", "--trade", "mirror")
    assert "appears twice" in err and "('ind', 2015)" in err


@pytest.mark.parametrize("repeat", ["2012", "2012.0", " 2012"])
def test_trade_header_repeating_a_year(tmp_path, capsys, repeat):
    rel = pipe.FILES["trade"]
    root = data_copy(tmp_path, rel)
    path = root / rel
    edit_lines(path, lambda lines: [lines[0].replace('"2013"', f'"{repeat}"')] + lines[1:])
    err = stops(root, tmp_path, capsys, "--years", "2019", "--trade", "mirror")
    assert err.endswith(f"{path}, line 1 (header): column '{repeat}' repeats '2012'; expected each year once")


def test_country_removed_from_the_index_is_listed_with_the_true_reason(tmp_path):
    rel = pipe.FILES["democracy"]
    root = data_copy(tmp_path, rel)
    edit_lines(root / rel, lambda lines: [ln for ln in lines if not ln.startswith("ind,")])
    out = tmp_path / "out"
    assert cli.main(["us-china", "--data-dir", str(root), "--out", str(out), "--years", "2019", "--projection", "2030",
                     "--no-compare-sources", "--no-figures", "--quiet"]) == 0
    for kind in ("historical", "projection"):
        countries = pd.read_csv(out / f"{kind}_countries.csv", keep_default_na=False).set_index("iso3")
        assert tuple(countries.loc["IND", ["status", "reason"]]) == ("left out", "not in the EIU Democracy Index file")
    table = pd.read_csv(out / "comparison.csv").set_index("result")
    why = "why: reporter (estimates kept)"
    assert table.at["India's club in 2019", "reporter (estimates kept)"] == "not a player"
    assert table.at["India's club in 2019", why] == "India is left out: not in the EIU Democracy Index file."
    assert table.at["year India leaves the US club", why] == "India is left out: not in the EIU Democracy Index file."


def test_truncated_file_is_named_as_truncated(tmp_path, capsys):
    rel = pipe.FILES["democracy"]
    root = data_copy(tmp_path, rel)
    path = root / rel
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"\nind,2012") + 6])  # ends inside the row "ind,2012,75.2"
    err = stops(root, tmp_path, capsys)
    assert err.endswith(f"{path}: truncated: the file ends inside line {data[:data.index(b'ind,2012')].count(b'\n') + 1} "
                        "(2 of 3 fields); expected the complete file of the EIU Democracy Index by country and year")


def test_truncated_file_without_a_short_row_is_still_named(tmp_path, capsys):
    rel = pipe.FILES["democracy"]
    root = data_copy(tmp_path, rel)
    path = root / rel
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"\nind,2012") + len(b"\nind,2012,7")])  # "ind,2012,7": 75.2 cut short
    assert "truncated: the file ends inside line" in stops(root, tmp_path, capsys)


def test_gdp_cut_inside_a_row_is_truncated(tmp_path):
    rel = pipe.FILES["gdp"]
    root = data_copy(tmp_path, rel)
    path = root / rel
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"\nIndia,IND,2012") + len(b"\nIndia,IND")])
    with pytest.raises(pipe.DataFileError, match=r"gdp\.csv: truncated: the file ends inside line \d+ \(2 of 4 fields\)"):
        pipe.load_gdp(root)


def test_workbook_value_that_is_not_finite(tmp_path, capsys):
    root = data_copy(tmp_path, INDIA_BOOK)
    path = root / INDIA_BOOK
    book = openpyxl.load_workbook(path)
    book["Exports, FOB"]["BF9"] = "1e400"  # India's exports to the World, 2015
    book.save(path)
    err = stops(root, tmp_path, capsys)
    assert err.endswith(f"{path}, sheet 'Exports, FOB', cell BF9: column 'value' is '1e400'; expected a finite number "
                        "in [0, inf)")


# --------------------------------------------------------------------------- every other input, loader by loader
def test_line_numbers_count_blank_lines_and_quoted_line_breaks(tmp_path):
    rel = pipe.FILES["geo"]
    root = data_copy(tmp_path, rel)
    path = root / rel

    def edit(lines):
        lines = [lines[0], "\n", "\n"] + lines[1:]  # two blank lines after the header
        k = next(i for i, ln in enumerate(lines) if ln.startswith("afg,"))
        lines[k] = lines[k].replace(",Afghanistan,", ',"Afghan-\nistan",')  # a name over two lines
        k = next(i for i, ln in enumerate(lines) if ln.startswith("nor,"))
        lines[k] = lines[k].replace(",NOR,", ",N0R,")
        return lines

    edit_lines(path, edit)
    physical = path.read_text().splitlines()
    line = next(k for k, ln in enumerate(physical, 1) if ln.startswith("nor,"))
    with pytest.raises(pipe.DataFileError) as err:
        pipe.load_geo(root)
    assert str(err.value) == (f"{path}, line {line}: column 'iso3166_1_alpha3' is 'N0R'; expected a code matching "
                              "[A-Z]{3}")


def test_quoted_field_never_closed_is_truncated(tmp_path):
    rel = pipe.FILES["trade"]
    root = data_copy(tmp_path, rel)
    path = root / rel
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b'"USA.XG_FOB_USD.IND.A"') + 5])
    with pytest.raises(pipe.DataFileError, match=r"raw_trade_data\.csv: truncated: a quoted field opened on line \d+ "
                                                 "is never closed"):
        pipe.load_mirror_trade(root)


def test_character_cut_in_half_is_truncated(tmp_path):
    rel = pipe.FILES["geo"]
    root = data_copy(tmp_path, rel)
    path = root / rel
    data = path.read_bytes()
    cut = data.index("ç".encode()) + 1  # inside the two bytes of a ç (Curaçao)
    path.write_bytes(data[:cut])
    with pytest.raises(pipe.DataFileError, match=r"country\.csv: truncated: the file ends inside a character on line"):
        pipe.load_geo(root)


def test_mirror_trade_duplicate_series_and_bad_values(tmp_path):
    rel = pipe.FILES["trade"]
    root = data_copy(tmp_path, rel)
    path = root / rel
    line = line_of(path, '"IMF.STA:IMTS(1.0.0)","USA.XG_FOB_USD.IND.A"')
    edit_lines(path, lambda lines: lines + [lines[line - 1].replace('"USA.XG_FOB_USD.IND.A"', '" usa.xg_fob_usd.ind.a"')])
    with pytest.raises(pipe.DataFileError, match=rf"lines {line} and {len(path.read_text().splitlines())}: SERIES_CODE "
                                                 r"'USA\.XG_FOB_USD\.IND\.A' appears twice"):
        pipe.load_mirror_trade(root)
    shutil.copyfile(REAL / rel, path)
    edit_lines(path, lambda lines: [ln.replace('"3764.2"', '"1e400"') if k == line - 1 else ln
                                    for k, ln in enumerate(lines)])
    with pytest.raises(pipe.DataFileError, match=rf"line {line}: column 'trade \(millions of US\$\)' is '1e400'; "
                                                 r"expected a finite number in \[0, inf\)"):
        pipe.load_mirror_trade(root)


def test_ssp_iiasa_checks_the_rows_it_uses(tmp_path, capsys):
    rel = pipe.FILES["ssp_iiasa"]
    root = data_copy(tmp_path, rel)
    path = root / rel
    line = line_of(path, "IIASA GDP,SSP2_v9_130219,IND,")

    def edit(lines):
        cells = lines[line - 1].rstrip("\n").split(",")
        cells[5 + 16] = "inf"  # the 2030 column
        lines[line - 1] = ",".join(cells) + "\n"
        return lines

    edit_lines(path, edit)
    err = stops(root, tmp_path, capsys, "--projection", "2030")
    assert err.endswith(f"{path}, line {line}: column 'GDP|PPP (billion US$2005)' is 'inf'; expected a finite number "
                        "in (0, inf)")
    shutil.copyfile(REAL / rel, path)
    edit_lines(path, lambda lines: lines + [lines[line - 1].replace(",IND,", ",ind,")])
    with pytest.raises(pipe.DataFileError, match=rf"lines {line} and \d+: REGION 'IND' appears twice"):
        pipe.load_ssp_gdp(root, "iiasa")


def test_ssp_v31_values_and_duplicates(tmp_path):
    rel = pipe.FILES["ssp_oecd_v31"]
    root = data_copy(tmp_path, rel)
    path = root / rel
    line = line_of(path, "SSP2,India,GDP|PPP,billion USD_2017/yr,2030,")
    edit_lines(path, lambda lines: [ln.replace(",15709.5,", ",1e400,") if k == line - 1 else ln
                                    for k, ln in enumerate(lines)])
    with pytest.raises(pipe.DataFileError, match=rf"line {line}: column 'value' is '1e400'; expected a finite number"):
        pipe.load_ssp_gdp(root, "oecd-v3.1")
    shutil.copyfile(REAL / rel, path)
    edit_lines(path, lambda lines: lines + [lines[line - 1].replace(",2030,", ",2030.0,")])
    with pytest.raises(pipe.DataFileError, match=rf"lines {line} and \d+: iso/year \('IND', 2030\) appears twice"):
        pipe.load_ssp_gdp(root, "oecd-v3.1")


# --------------------------------------------------------------------------- the DOTS workbooks, one at a time
@pytest.fixture
def india_book(tmp_path, monkeypatch):
    """A copy of India's workbook alone in a DOTS folder (parsed with a private cache)."""
    monkeypatch.setenv(dots.CACHE_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "data" / pipe.FILES["dots"]
    folder.mkdir(parents=True)
    shutil.copyfile(REAL / INDIA_BOOK, folder / "DOTS_93.xlsx")
    return folder / "DOTS_93.xlsx"


def change(path: Path, sheet: str, **cells) -> None:
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book[sheet][ref] = value
    book.save(path)


def test_real_workbook_reads_and_india_is_mapped(india_book):
    data = dots.load_dots(india_book.parents[2])
    assert list(data.books) == ["IND"]
    flows = data.flows(["USA"], [2019])
    world = flows[(flows["partner"] == "World")].set_index("flow")["value"]
    assert world["exports"] == pytest.approx(324_863.01e6)  # millions of US$ in the workbook, US$ here


@pytest.mark.parametrize("value, expected", [
    (-5, "column 'value' is -5; expected a finite number in [0, inf)"),
    ("1e400", "column 'value' is '1e400'; expected a finite number in [0, inf)"),
    ("inf", "value 'inf'; expected a number of millions of US$, or one flagged as an IMF estimate"),
    ("12,3x e", "value '12,3x e'; expected a number of millions of US$, or one flagged as an IMF estimate"),
])
def test_workbook_values(india_book, value, expected):
    change(india_book, "Imports, CIF", BI10=value)
    with pytest.raises(pipe.DataFileError) as err:
        dots.load_dots(india_book.parents[2])
    assert str(err.value) == f"{india_book}, sheet 'Imports, CIF', cell BI10: {expected}" + (
        "" if "flagged" not in expected else " such as '1,247.27 e'")


def test_workbook_year_heading_repeated(india_book):
    change(india_book, "Exports, FOB", D7=1960)
    with pytest.raises(pipe.DataFileError, match=r"cell D7: year 1960 follows 1960; expected each year once, increasing"):
        dots.load_dots(india_book.parents[2])


def test_workbook_counterpart_repeated(india_book):
    book = openpyxl.load_workbook(india_book)
    sheet = book["Exports, FOB"]
    row = next(r for r in range(9, sheet.max_row + 1) if sheet.cell(r, 2).value == "Japan")
    sheet.cell(row, 2).value = "Italy"
    book.save(india_book)
    with pytest.raises(pipe.DataFileError, match=rf"cell B{row}: counterpart 'Italy' repeats row \d+"):
        dots.load_dots(india_book.parents[2])


def test_workbook_reporter_differs_between_sheets(india_book):
    change(india_book, "Imports, CIF", B4="Pakistan")
    with pytest.raises(pipe.DataFileError, match=r"sheet 'Imports, CIF', cell B4: reporter 'Pakistan'; expected 'India'"):
        dots.load_dots(india_book.parents[2])


def test_truncated_workbook(india_book):
    data = india_book.read_bytes()
    india_book.write_bytes(data[: len(data) // 2])
    with pytest.raises(pipe.DataFileError, match=rf"{india_book}: not a readable Excel workbook \(truncated or damaged"):
        dots.load_dots(india_book.parents[2])


# --------------------------------------------------------------------------- the committed name table
def test_name_table_is_checked(tmp_path):
    table = dots.NAMES_FILE.read_text(encoding="utf-8")
    bad = tmp_path / "names.csv"
    bad.write_text(table.replace("Bangladesh,BGD,", "Bangladesh,IND,"), encoding="utf-8")
    with pytest.raises(pipe.DataFileError, match=r"names\.csv, lines \d+ and \d+: iso3 'IND' appears twice"):
        dots.load_names(bad)
    bad.write_text(table.replace("Bangladesh,BGD,country", "Bangladesh,,country"), encoding="utf-8")
    with pytest.raises(pipe.DataFileError, match=r"'Bangladesh' is kind 'country' with iso3 ''; expected an ISO3 code "
                                                 "exactly for kind 'country'"):
        dots.load_names(bad)
    bad.write_text(table.replace("Bangladesh,BGD,country", "Bangladesh,BGD,nation"), encoding="utf-8")
    with pytest.raises(pipe.DataFileError, match="column 'kind' is 'nation'; expected one of country, aggregate, "
                                                 "historical"):
        dots.load_names(bad)
