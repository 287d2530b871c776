"""The data pipeline on small synthetic files: both trade sources, gaps, moving averages, locations, poles."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from games.validation import SpheresInputError
from pipeline import dots
from pipeline import us_china as pipe

YEARS = list(range(2002, 2009))  # trade/GDP years; the synthetic index runs 2006-2008
DI_YEARS = [2006, 2007, 2008]
COUNTRIES = {  # gapminder code -> (ISO3, IMF name, DI base, GDP base in US$)
    "nor": ("NOR", "Norway", 90.0, 1e12),
    "ind": ("IND", "India", 60.0, 5e11),
    "bgd": ("BGD", "Bangladesh", 30.0, 2e11),
    "tcd": ("TCD", "Chad", 10.0, 1e11),
    "usa": ("USA", "United States", 80.0, 1.5e13),
    "chn": ("CHN", "China, P.R.: Mainland", 30.0, 3e12),
}
PLAYERS = [c for c, (iso, *_) in COUNTRIES.items() if iso not in pipe.SUPERPOWERS]
MIRROR_SHARE = {"USA": 0.10, "CHN": 0.05}
"""Mirror data: the US (China) reports trade with each country worth 10% (5%) of its merchandise trade."""
OWN_SHARE = {"United States": 0.20, "China, P.R.: Mainland": 0.08, "India": 0.04, "Australia": 0.01}
"""Reporter data: each country reports these shares of its total trade (half exports, half imports)."""


def _write(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def di_value(code: str, year: int) -> float:
    return COUNTRIES[code][2] + (year - 2006)


def gdp_value(code: str, year: int) -> float:
    return COUNTRIES[code][3] * (1 + 0.1 * (year - 2002))


def total_trade(code: str, year: int) -> float:
    return 0.5 * gdp_value(code, year)  # merchandise trade = 50% of GDP, in both sources


def write_workbook(path: Path, reporter: str, rows: dict[str, dict[str, list]]) -> None:
    """A DOTS workbook in the staged layout: rows[flow][counterpart] = one value per year of YEARS."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for flow, (sheet, title) in dots.SHEETS.items():
        ws = book.create_sheet(sheet)
        ws["B2"], ws["B4"], ws["B5"] = title, reporter, dots.UNIT
        for j, year in enumerate(YEARS):
            ws.cell(row=7, column=3 + j, value=year)
        body = list(rows[flow].items())
        body.insert(0, ("Australia", rows[flow]["Australia"]))  # the export's duplicated first row
        for i, (label, values) in enumerate(body):
            ws.cell(row=8 + i, column=2, value=label)
            for j, v in enumerate(values):
                if v is not None:
                    ws.cell(row=8 + i, column=3 + j, value=v)
    book.save(path)


def reporter_rows(code: str, *, skip=(), estimate=()) -> dict[str, dict[str, list]]:
    """One reporter's rows: World totals and OWN_SHARE of them; ``skip``/``estimate`` hold (label, flow, year)."""
    rows = {}
    for flow in dots.SHEETS:
        sheet = {"World": [total_trade(code, y) / 2 / 1e6 for y in YEARS]}
        for label, share in OWN_SHARE.items():
            if label != COUNTRIES[code][1]:
                sheet[label] = [share * total_trade(code, y) / 2 / 1e6 for y in YEARS]
        for label in sheet:
            sheet[label] = [None if (label, flow, y) in skip else
                            f"{v:,.6f} e" if (label, flow, y) in estimate else v
                            for v, y in zip(sheet[label], YEARS)]
        rows[flow] = sheet
    return rows


def write_dataset(root: Path, *, skip_gdp=(), skip_cn=(), skip_flow=(), di_override=None, extra_ssp_missing=(),
                  dots_skip=None, dots_estimate=None, no_workbook=()) -> Path:
    """A complete synthetic data directory in the staged layout; ``skip_*`` punch holes.

    dots_skip / dots_estimate: {iso3: {(counterpart, flow, year), ...}} blank or ' e'-flagged cells.
    """
    f = pipe.FILES
    _write(root / f["geo"], ["country", "iso3166_1_alpha3", "name"],
           [[c, iso, name] for c, (iso, name, _, _) in COUNTRIES.items()])
    di = dict(di_override or {})
    _write(root / f["democracy"], ["country", "time", "demox_eiu"],
           [[c, y, di.get((c, y), di_value(c, y))] for c in COUNTRIES for y in DI_YEARS])
    _write(root / f["gdp"], ["Country Name", "Country Code", "Year", "Value"],
           [[name, iso, y, gdp_value(c, y)] for c, (iso, name, _, _) in COUNTRIES.items() for y in YEARS
            if (iso, y) not in skip_gdp and iso not in skip_gdp]
           + [["World", "WLD", y, 1e14] for y in YEARS])
    _write(root / f["merchandise"], ["geo", "time", "merchandise_trade_percent_of_gdp"],
           [[c, y, 50.0] for c in COUNTRIES for y in YEARS])
    header = ["DATASET", "SERIES_CODE", "OBS_MEASURE", "COUNTRY", "INDICATOR", "COUNTERPART_COUNTRY"] + [str(y) for y in YEARS]
    rows = []
    for reporter, share in MIRROR_SHARE.items():
        for c in PLAYERS:
            iso, name = COUNTRIES[c][:2]
            for ind in ("XG_FOB_USD", "MG_CIF_USD"):
                vals = []
                for y in YEARS:
                    v = share * total_trade(c, y) / 2 / 1e6  # millions, half each direction
                    if reporter == "CHN" and (iso in skip_cn or (iso, y) in skip_cn):
                        v = ""
                    if (reporter, ind, iso, y) in skip_flow:
                        v = ""
                    vals.append(v)
                rows.append(["IMF.STA:IMTS(1.0.0)", f"{reporter}.{ind}.{iso}.A", "OBS_VALUE", reporter, ind, name] + vals)
        rows.append(["IMF.STA:IMTS(1.0.0)", f"{reporter}.XG_FOB_USD.G001.A", "OBS_VALUE", reporter, "x", "World"]
                    + [1.0] * len(YEARS))
    _write(root / f["trade"], header, rows)
    folder = root / f["dots"]
    folder.mkdir(parents=True, exist_ok=True)
    for k, c in enumerate(PLAYERS, 1):
        iso, name = COUNTRIES[c][:2]
        if iso not in no_workbook:
            write_workbook(folder / f"DOTS_{k}.xlsx", name, reporter_rows(
                c, skip=(dots_skip or {}).get(iso, ()), estimate=(dots_estimate or {}).get(iso, ())))
    ssp_years = [str(y) for y in range(2010, 2105, 5)]
    ssp_rows = []
    for c, (iso, name, _, gdp) in COUNTRIES.items():
        if iso in extra_ssp_missing:
            continue
        ssp_rows.append(["IIASA GDP", "SSP2_v9_130219", iso, "GDP|PPP", "billion US$2005/yr"]
                        + [gdp / 1e9 * (1 + 0.02 * k) for k in range(len(ssp_years))])
        ssp_rows.append(["IIASA GDP", "SSP1_v9_130219", iso, "GDP|PPP", "billion US$2005/yr"] + [1.0] * len(ssp_years))
    _write(root / f["ssp_iiasa"], ["MODEL", "SCENARIO", "REGION", "VARIABLE", "UNIT"] + ssp_years, ssp_rows)
    return root


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Each test parses its own workbooks (their names, sizes and mtimes may repeat across tests)."""
    monkeypatch.setenv(dots.CACHE_ENV, str(tmp_path / "cache"))


def panel_from(root: Path, years=(2006, 2007, 2008), trade="mirror", **kw) -> pipe.Panel:
    return pipe.build_panel(pipe.load_raw(root, trade=trade), years, trade=trade, **kw)


# --------------------------------------------------------------------------- the data directory
def test_data_dir_option_env_and_default(tmp_path, monkeypatch):
    root = write_dataset(tmp_path / "d")
    assert pipe.resolve_data_dir(root) == root
    monkeypatch.setenv(pipe.DATA_ENV, str(root))
    assert pipe.resolve_data_dir() == root
    monkeypatch.delenv(pipe.DATA_ENV)
    assert pipe.resolve_data_dir() == pipe.DEFAULT_DATA_DIR  # ../shared/data/raw beside the repository
    assert pipe.resolve_data_dir(None) == pipe.REPO_ROOT.parent / "shared" / "data" / "raw"
    with pytest.raises(pipe.DataFileError, match="does not exist"):
        pipe.resolve_data_dir(tmp_path / "nowhere")


# --------------------------------------------------------------------------- malformed and missing files
def test_missing_file_names_the_file(tmp_path):
    root = write_dataset(tmp_path)
    (root / pipe.FILES["gdp"]).unlink()
    with pytest.raises(pipe.DataFileError, match=r"gdp\.csv: file not found; expected World Bank GDP"):
        pipe.load_raw(root)


def test_non_numeric_cell_names_file_line_and_expectation(tmp_path):
    root = write_dataset(tmp_path)
    path = root / pipe.FILES["gdp"]
    lines = path.read_text().splitlines()
    fields = lines[4].split(",")
    fields[-1] = "lots"
    lines[4] = ",".join(fields)  # line 5 of the file
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(pipe.DataFileError) as err:
        pipe.load_raw(root)
    assert str(err.value).endswith("gdp.csv, line 5: column 'Value' is 'lots'; expected a finite number in (0, inf)")


def test_out_of_range_index_is_rejected_with_its_line(tmp_path):
    root = write_dataset(tmp_path, di_override={("ind", 2007): 150})
    rows = pd.read_csv(root / pipe.FILES["democracy"])
    line = int(np.flatnonzero((rows["country"] == "ind") & (rows["time"] == 2007))[0]) + 2
    with pytest.raises(pipe.DataFileError, match=rf"demox_eiu--by--country--time\.csv, line {line}: .*in \[0, 100\]"):
        pipe.load_raw(root)


def test_ragged_row_names_its_line(tmp_path):
    root = write_dataset(tmp_path)
    path = root / pipe.FILES["merchandise"]
    n = len(path.read_text().splitlines())
    with path.open("a") as fh:
        fh.write("nor,2009,1.0,extra,fields\n")
    with pytest.raises(pipe.DataFileError, match=rf"time\.csv, line {n + 1}: 5 fields; expected 3 as in the header"):
        pipe.load_raw(root, trade="mirror")


def test_missing_column_names_the_header(tmp_path):
    root = write_dataset(tmp_path)
    path = root / pipe.FILES["democracy"]
    path.write_text(path.read_text().replace("demox_eiu", "score", 1))
    with pytest.raises(pipe.DataFileError, match=r"line 1 \(header\): missing column\(s\) \['demox_eiu'\]"):
        pipe.load_raw(root)


def test_duplicate_rows_name_both_lines(tmp_path):
    root = write_dataset(tmp_path)
    path = root / pipe.FILES["democracy"]
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n")
    with pytest.raises(pipe.DataFileError, match=rf"lines 2 and {len(lines) + 1}: country/time \('nor', 2006\) appears twice"):
        pipe.load_raw(root)


def test_bad_series_code_names_its_line(tmp_path):
    root = write_dataset(tmp_path)
    path = root / pipe.FILES["trade"]
    path.write_text(path.read_text().replace("USA.MG_CIF_USD.IND.A", "USA.MG_XXX.IND.A"))
    with pytest.raises(pipe.DataFileError, match=r"raw_trade_data\.csv, line \d+: column 'SERIES_CODE' is 'USA\.MG_XXX\.IND\.A'"):
        pipe.load_raw(root, trade="mirror")


@pytest.mark.parametrize("code", ["USA.XG_FOB_USD.IND", "USA.XG_FOB_USD.IND.A.X", "FRA.XG_FOB_USD.IND.A"])
def test_series_code_shape_is_checked_row_by_row(tmp_path, code):
    root = write_dataset(tmp_path)
    path = root / pipe.FILES["trade"]
    text = path.read_text()
    line = next(k for k, ln in enumerate(text.splitlines(), 1) if "CHN.MG_CIF_USD.BGD.A" in ln)
    path.write_text(text.replace("CHN.MG_CIF_USD.BGD.A", code))
    with pytest.raises(pipe.DataFileError, match=rf"raw_trade_data\.csv, line {line}: column 'SERIES_CODE' is '{code}'"):
        pipe.load_raw(root, trade="mirror")


def test_only_the_chosen_sources_files_are_read(tmp_path):
    root = write_dataset(tmp_path)
    (root / pipe.FILES["trade"]).unlink()
    (root / pipe.FILES["merchandise"]).unlink()
    raw = pipe.load_raw(root)  # the reporter source needs neither
    assert raw.mirror is None and set(raw.dots.books) == {"NOR", "IND", "BGD", "TCD"}
    with pytest.raises(SpheresInputError, match="loaded without it"):
        pipe.build_panel(raw, DI_YEARS, trade="mirror")
    with pytest.raises(pipe.DataFileError, match="merchandise_trade_percent_of_gdp--by--geo--time.csv: file not found"):
        pipe.load_raw(root, trade="mirror")


# --------------------------------------------------------------------------- mirror trade
def test_mirror_trade_is_in_dollars_and_drops_aggregates(tmp_path):
    raw = pipe.load_raw(write_dataset(tmp_path), trade="mirror")
    assert "G001" not in set(raw.mirror["iso3"])
    row = raw.mirror[(raw.mirror["iso3"] == "NOR") & (raw.mirror["year"] == 2002)].iloc[0]
    expected = 0.10 * total_trade("nor", 2002) / 2
    assert row["USA_exports"] == pytest.approx(expected)
    assert row["CHN_imports"] == pytest.approx(expected / 2)


def test_moving_averages_follow_the_documented_windows(tmp_path):
    panel = panel_from(write_dataset(tmp_path))
    ind = panel.inputs[panel.inputs["iso3"] == "IND"].set_index("year")
    # EIU starts 2006: 1, 2, 3 years in the window.
    assert ind.loc[2006, "di"] == pytest.approx(di_value("ind", 2006))
    assert ind.loc[2007, "di"] == pytest.approx(np.mean([di_value("ind", y) for y in (2006, 2007)]))
    assert ind.loc[2008, "di"] == pytest.approx(np.mean([di_value("ind", y) for y in (2006, 2007, 2008)]))
    assert list(ind["n_di"]) == [1, 2, 3]
    # GDP: full 5-year windows, in trillions.
    assert ind.loc[2008, "gdp"] == pytest.approx(np.mean([gdp_value("ind", y) for y in range(2004, 2009)]) / 1e12)
    assert list(ind["n_gdp"]) == [5, 5, 5]
    # g = (exports + imports) / (merchandise share x GDP).
    assert ind.loc[2008, "g_us"] == pytest.approx(0.10)
    assert ind.loc[2008, "g_cn"] == pytest.approx(0.05)
    assert (ind[["z_g_us", "z_g_cn"]] == 0).all().all()


def test_missing_country_year_is_averaged_out_and_reported(tmp_path):
    panel = panel_from(write_dataset(tmp_path, skip_gdp=[("IND", 2004)]))
    ind = panel.inputs[panel.inputs["iso3"] == "IND"].set_index("year")
    assert ind.loc[2006, "n_gdp"] == 4
    assert ind.loc[2006, "gdp"] == pytest.approx(np.mean([gdp_value("ind", y) for y in (2002, 2003, 2005, 2006)]) / 1e12)
    gaps = panel.gaps[(panel.gaps["iso3"] == "IND") & (panel.gaps["year"] == 2004)]
    assert set(gaps["variable"]) == {"gdp", "total trade"}  # mirror: the denominator needs GDP too
    assert (gaps["issue"] == "no annual value").all()
    assert ind.loc[2006, "n_g_us"] == 4


def test_country_without_gdp_is_left_out_with_its_reason_and_counts(tmp_path):
    panel = panel_from(write_dataset(tmp_path, skip_gdp=["TCD"]))
    row = panel.countries.set_index("iso3").loc["TCD"]
    assert row["status"] == "left out"
    assert row["reason"].startswith("no World Bank GDP: no GDP in the window of 2006-2008")
    assert "TCD" not in set(panel.inputs["iso3"])
    assert list(panel.counts["countries"]) == [3, 3, 3]
    assert set(panel.countries.loc[panel.countries["status"] == "kept", "iso3"]) == {"NOR", "IND", "BGD"}
    assert set(panel.countries.loc[panel.countries["status"] == "superpower", "iso3"]) == {"USA", "CHN"}


def test_gdp_ending_before_the_window_leaves_the_country_out(tmp_path):
    panel = panel_from(write_dataset(tmp_path, skip_gdp=[("BGD", y) for y in range(2004, 2009)]))
    reason = panel.countries.set_index("iso3").at["BGD", "reason"]
    assert reason.startswith("World Bank GDP only 2002-2003: no GDP in the window of 2008")


def test_country_missing_from_the_index_is_listed_with_that_reason(tmp_path):
    root = write_dataset(tmp_path)
    path = root / pipe.FILES["democracy"]
    path.write_text("".join(ln for ln in path.read_text().splitlines(True) if not ln.startswith("ind,")))
    panel = panel_from(root)
    assert panel.reason("IND") == "left out: not in the EIU Democracy Index file"
    assert "IND" not in set(panel.inputs["iso3"])


def test_footnote_27_zero_enters_each_year_it_applies_to(tmp_path):
    panel = panel_from(write_dataset(tmp_path, skip_cn=["BGD"]))
    bgd = panel.inputs[panel.inputs["iso3"] == "BGD"].set_index("year")
    assert (bgd["g_cn"] == 0).all() and (bgd["z_g_cn"] == 5).all() and (bgd["n_g_cn"] == 5).all()
    assert bgd["g_us"].to_numpy() == pytest.approx(0.10)
    fn27 = panel.gaps[(panel.gaps["iso3"] == "BGD") & (panel.gaps["action"] == "footnote 27: g = 0 this year")]
    assert sorted(fn27["year"]) == YEARS and (fn27["variable"] == "g_CHN").all()


def test_footnote_27_zeros_are_averaged_with_later_values(tmp_path):
    # China reports nothing with BGD in 2002-2006: those years are zeros, and the 2007 window holds 4 of them.
    panel = panel_from(write_dataset(tmp_path, skip_cn=[("BGD", y) for y in range(2002, 2007)]))
    bgd = panel.inputs[panel.inputs["iso3"] == "BGD"].set_index("year")
    assert bgd.loc[2006, "g_cn"] == 0 and bgd.loc[2006, "z_g_cn"] == 5
    assert bgd.loc[2007, "g_cn"] == pytest.approx(0.05 / 5) and bgd.loc[2007, "z_g_cn"] == 4
    assert bgd.loc[2008, "g_cn"] == pytest.approx(2 * 0.05 / 5)
    assert panel.reason("BGD") == "kept"


def test_one_way_flow_counts_as_zero_and_is_reported(tmp_path):
    panel = panel_from(write_dataset(tmp_path, skip_flow=[("USA", "MG_CIF_USD", "NOR", y) for y in YEARS]))
    nor = panel.inputs[panel.inputs["iso3"] == "NOR"]
    assert nor["g_us"].to_numpy() == pytest.approx(0.05)  # exports only: half of 0.10
    rows = panel.gaps[(panel.gaps["iso3"] == "NOR") & (panel.gaps["variable"] == "trade_USA")]
    assert len(rows) == len(YEARS) and rows["issue"].eq("USA reports no imports from this country").all()


def test_ratio_above_one_is_capped_and_reported(tmp_path):
    root = write_dataset(tmp_path)
    path = root / pipe.FILES["trade"]
    df = pd.read_csv(path, dtype=str)
    df.loc[df["SERIES_CODE"] == "CHN.XG_FOB_USD.TCD.A", "2008"] = str(1e6)  # a trillion US$ to a small economy
    df.to_csv(path, index=False)
    panel = panel_from(root)
    capped = panel.gaps[(panel.gaps["iso3"] == "TCD") & (panel.gaps["action"] == "capped at 1")]
    assert list(capped["year"]) == [2008]
    assert panel.inputs["g_cn"].max() <= 1.0


# --------------------------------------------------------------------------- each country's own reports
def test_reporter_ratios_come_from_each_countrys_own_workbook(tmp_path):
    panel = panel_from(write_dataset(tmp_path), trade="reporter")
    assert panel.source == "reporter (estimates kept)"
    for iso in ("NOR", "BGD", "TCD"):
        rows = panel.inputs[panel.inputs["iso3"] == iso]
        assert rows["g_us"].to_numpy() == pytest.approx(OWN_SHARE["United States"])
        assert rows["g_cn"].to_numpy() == pytest.approx(OWN_SHARE["China, P.R.: Mainland"])
        assert (rows["n_g_us"] == 5).all() and (rows["z_g_cn"] == 0).all()
    assert panel.gaps.empty


def test_estimates_are_kept_or_dropped_and_dropped_ones_become_footnote_27_zeros(tmp_path):
    china = "China, P.R.: Mainland"
    flagged = {"BGD": {(china, flow, 2008) for flow in dots.SHEETS} | {("United States", "exports", 2007)}}
    root = write_dataset(tmp_path, dots_estimate=flagged)
    kept = panel_from(root, trade="reporter")
    assert kept.inputs["g_cn"].to_numpy() == pytest.approx(OWN_SHARE[china])
    dropped = panel_from(root, trade="reporter", estimates="drop")
    bgd = dropped.inputs[dropped.inputs["iso3"] == "BGD"].set_index("year")
    assert bgd.loc[2008, "g_cn"] == pytest.approx(OWN_SHARE[china] * 4 / 5) and bgd.loc[2008, "z_g_cn"] == 1
    assert bgd.loc[2007, "g_cn"] == pytest.approx(OWN_SHARE[china])
    # One direction of US trade dropped in 2007: the other direction stays, the missing one counts as 0.
    assert bgd.loc[2007, "g_us"] == pytest.approx(OWN_SHARE["United States"] * (4 + 0.5) / 5)
    gaps = dropped.gaps[dropped.gaps["iso3"] == "BGD"].set_index(["year", "variable"])
    assert gaps.loc[(2008, "trade_CHN"), "action"] == "dropped (estimates = drop)"
    assert gaps.loc[(2008, "g_CHN"), "action"] == "footnote 27: g = 0 this year"
    assert gaps.loc[(2007, "trade_USA")]["issue"].tolist() == ["value flagged as an IMF estimate",
                                                              "reports no exports to USA"]
    with pytest.raises(SpheresInputError, match="estimates = 'some' must be one of: keep, drop"):
        panel_from(root, trade="reporter", estimates="some")


def test_missing_world_total_is_a_gap_not_a_zero(tmp_path):
    root = write_dataset(tmp_path, dots_skip={"NOR": {("World", "imports", 2005)}})
    panel = panel_from(root, trade="reporter")
    nor = panel.inputs[panel.inputs["iso3"] == "NOR"].set_index("year")
    assert nor.loc[2006, "n_g_us"] == 4 and nor.loc[2006, "g_us"] == pytest.approx(OWN_SHARE["United States"])
    gap = panel.gaps[(panel.gaps["iso3"] == "NOR") & (panel.gaps["year"] == 2005)]
    assert set(gap["issue"]) == {"its DOTS workbook has no World imports this year", "no annual value"}


def test_country_without_a_workbook_is_left_out_with_that_reason(tmp_path):
    panel = panel_from(write_dataset(tmp_path, no_workbook=["TCD"]), trade="reporter")
    assert panel.reason("TCD") == "left out: not a DOTS reporter (no own trade reports)"
    assert list(panel.counts["countries"]) == [3, 3, 3]


def test_first_row_must_be_an_exact_copy_of_the_australia_row(tmp_path):
    root = write_dataset(tmp_path)
    path = root / pipe.FILES["dots"] / "DOTS_1.xlsx"
    book = openpyxl.load_workbook(path)
    book["Imports, CIF"]["E8"] = 12345.0
    book.save(path)
    with pytest.raises(pipe.DataFileError, match=r"DOTS_1\.xlsx, sheet 'Imports, CIF', cell B8: the first 'Australia' row "
                                                 r"differs from row 13"):
        pipe.load_raw(root)


def test_duplicate_workbooks_of_one_reporter(tmp_path):
    root = write_dataset(tmp_path)
    folder = root / pipe.FILES["dots"]
    (folder / "DOTS_9.xlsx").write_bytes((folder / "DOTS_2.xlsx").read_bytes())
    reporters = pipe.load_raw(root).dots.reporters.set_index("file")
    assert reporters.at["DOTS_9.xlsx", "status"] == "left out"
    assert reporters.at["DOTS_9.xlsx", "reason"] == "duplicate of DOTS_2.xlsx (identical data)"
    book = openpyxl.load_workbook(folder / "DOTS_9.xlsx")
    book["Exports, FOB"]["D10"] = 1.0
    book.save(folder / "DOTS_9.xlsx")
    with pytest.raises(pipe.DataFileError, match=r"DOTS_9\.xlsx: a second workbook of reporter 'India' \(IND\) with data "
                                                 r"that differ from DOTS_2\.xlsx"):
        pipe.load_raw(root)


def test_unknown_imf_name_is_refused(tmp_path):
    root = write_dataset(tmp_path)
    path = root / pipe.FILES["dots"] / "DOTS_3.xlsx"
    book = openpyxl.load_workbook(path)
    for sheet in book:
        sheet["B4"] = "Bangladesh, People's Rep. of"
    book.save(path)
    with pytest.raises(pipe.DataFileError, match=r"DOTS_3\.xlsx, sheet 'Exports, FOB', cell B4: reporter "
                                                 r"\"Bangladesh, People's Rep. of\" is not in imf_dots_names\.csv"):
        pipe.load_raw(root)


def test_parsed_workbooks_are_cached_by_name_size_and_mtime(tmp_path):
    root = write_dataset(tmp_path)
    first = pipe.load_raw(root).dots
    entries = sorted(p.name for p in dots.cache_dir().glob("*.npz"))
    assert len(entries) == len(PLAYERS) and all(e.endswith(f"-v{dots.CACHE_VERSION}.npz") for e in entries)
    again = pipe.load_raw(root).dots
    for iso, book in first.books.items():
        assert book.same_data(again.books[iso])
    path = root / pipe.FILES["dots"] / "DOTS_1.xlsx"
    book = openpyxl.load_workbook(path)
    book["Exports, FOB"]["F10"] = "oops"
    book.save(path)  # a new size and mtime: parsed again, and checked again
    with pytest.raises(pipe.DataFileError, match=r"DOTS_1\.xlsx, sheet 'Exports, FOB', cell F10: value 'oops'"):
        pipe.load_raw(root)
    assert len(list(dots.cache_dir().glob("DOTS_1-*.npz"))) == 1


# --------------------------------------------------------------------------- locations
def test_locations_follow_footnote_25_per_year(tmp_path):
    panel = panel_from(write_dataset(tmp_path))
    for year in panel.years:
        frame = panel.year(year).set_index("iso3")
        dis = pd.concat([frame["di"], panel.superpowers.query("year == @year").set_index("iso3")["di"]])
        hi, lo = dis.max(), dis.min()
        assert frame.loc["NOR", "location"] == pytest.approx(0.0)  # most democratic
        assert frame.loc["TCD", "location"] == pytest.approx(1.0)  # least democratic
        assert frame.loc["IND", "location"] == pytest.approx((hi - frame.loc["IND", "di"]) / (hi - lo))
        us = panel.superpower(year, "USA")
        assert us["location"] == pytest.approx((hi - us["di"]) / (hi - lo))


def test_superpowers_enter_the_normalisation(tmp_path):
    # Make the US the most democratic player: it, not NOR, is at 0.
    override = {("usa", y): 99.0 for y in DI_YEARS}
    panel = panel_from(write_dataset(tmp_path, di_override=override))
    assert panel.superpower(2008, "USA")["location"] == pytest.approx(0.0)
    assert panel.year(2008).set_index("iso3").at["NOR", "location"] > 0


# --------------------------------------------------------------------------- a third pole
def test_third_pole_world_arrays(tmp_path):
    root = write_dataset(tmp_path)
    raw = pipe.load_raw(root)
    hist, proj = pipe.third_pole(raw, "IND", years=DI_YEARS, projection=None)
    assert proj is None and hist.poles == ("USA", "CHN", "IND")
    assert hist.reason("IND") == "superpower: pole IND (India)"
    world = hist.world(2008)
    frame = hist.year(2008)
    assert world.names == ("BGD", "NOR", "TCD") and world.g.shape == (3, 3)
    assert world.g[2] == pytest.approx(OWN_SHARE["India"])
    assert world.g[0] == pytest.approx(frame["g_us"].to_numpy()) and world.positions == pytest.approx(frame["location"])
    ind = hist.superpower(2008, "IND")
    assert world.homes[2] == pytest.approx(ind["location"]) and world.pole_omega[2] == pytest.approx(ind["gdp"])
    assert ind["gdp"] == pytest.approx(np.mean([gdp_value("ind", y) for y in range(2004, 2009)]) / 1e12)
    # The same poles projected: SSP GDP, 2008's locations and dependencies.
    ssp = pipe.build_projection(hist, (2030,), base_year=2008, data_dir=root)
    assert ssp.poles == hist.poles and ssp.world(2030).g == pytest.approx(world.g)
    assert ssp.superpower(2030, "IND")["gdp"] == pytest.approx(COUNTRIES["ind"][3] / 1e12 * (1 + 0.02 * 4))


def test_third_pole_needs_trade_with_it_in_the_chosen_years(tmp_path):
    no_india = {iso: {("India", flow, y) for flow in dots.SHEETS for y in YEARS} for iso in ("NOR", "BGD", "TCD")}
    raw = pipe.load_raw(write_dataset(tmp_path, dots_skip=no_india))
    with pytest.raises(SpheresInputError, match=r"pole IND: no country reports trade with it in the window of "
                                                r"2006-2008 \(3 years\) \(reporter \(estimates kept\) data\)"):
        pipe.third_pole(raw, "IND", years=DI_YEARS, projection=None)


@pytest.mark.parametrize("poles, match", [(("USA",), "two or more distinct"), (("USA", "USA"), "two or more distinct"),
                                          (("USA", "CHN", "RUS"), "two or more distinct of USA, CHN, IND, EU")])
def test_bad_poles_are_refused(tmp_path, poles, match):
    raw = pipe.load_raw(write_dataset(tmp_path))
    with pytest.raises(SpheresInputError, match=match):
        pipe.build_panel(raw, DI_YEARS, poles=poles)


def test_third_pole_refuses_mirror_data_and_unknown_poles(tmp_path):
    raw = pipe.load_raw(write_dataset(tmp_path), trade=("reporter", "mirror"))
    with pytest.raises(SpheresInputError, match=r"trade = 'mirror' holds only the US's and China's reports"):
        pipe.build_panel(raw, DI_YEARS, trade="mirror", poles=("USA", "CHN", "IND"))
    with pytest.raises(SpheresInputError, match="third pole = 'RUS' must be one of: IND, EU"):
        pipe.third_pole(raw, "RUS")


# --------------------------------------------------------------------------- projection and helpers
def test_projection_holds_base_year_and_takes_ssp_gdp(tmp_path):
    root = write_dataset(tmp_path, extra_ssp_missing=["BGD"])
    panel = panel_from(root)
    proj = pipe.build_projection(panel, (2030, 2035), base_year=2008, data_dir=root)
    base = panel.year(2008).set_index("iso3")
    p30 = proj.year(2030).set_index("iso3")
    assert "BGD" not in p30.index
    assert proj.reason("BGD") == "left out: no SSP2 GDP in the iiasa projections"
    assert list(proj.counts["countries"]) == [3, 3]
    for col in ("location", "g_us", "g_cn"):
        assert p30[col].to_numpy() == pytest.approx(base.loc[p30.index, col].to_numpy())
    k = (2030 - 2010) // 5
    assert p30.at["NOR", "gdp"] == pytest.approx(COUNTRIES["nor"][3] / 1e12 * (1 + 0.02 * k))
    assert proj.superpower(2035, "CHN")["gdp"] == pytest.approx(COUNTRIES["chn"][3] / 1e12 * (1 + 0.02 * (k + 1)))
    with pytest.raises(SpheresInputError, match="not in the SSP file"):
        pipe.build_projection(panel, (2031,), base_year=2008, data_dir=root)


def test_gdp_scale_counterfactual_touches_one_country(tmp_path):
    panel = panel_from(write_dataset(tmp_path))
    scaled = panel.with_gdp_scale("IND", 2.0)
    merged = panel.inputs.merge(scaled.inputs, on=["iso3", "year"], suffixes=("", "_s"))
    ratio = merged["gdp_s"] / merged["gdp"]
    assert ratio[merged["iso3"] == "IND"].to_numpy() == pytest.approx(2.0)
    assert ratio[merged["iso3"] != "IND"].to_numpy() == pytest.approx(1.0)
    with pytest.raises(SpheresInputError, match="must be a finite number > 0"):
        panel.with_gdp_scale("IND", 0.0)
    with pytest.raises(SpheresInputError, match="not a non-superpower"):
        panel.with_gdp_scale("USA", 2.0)


def test_summary_names_who_is_left_out_and_counts_the_gaps(tmp_path):
    panel = panel_from(write_dataset(tmp_path, skip_gdp=["TCD"], skip_cn=["BGD"]))
    text = panel.summary()
    assert text.splitlines()[0] == "mirror: 3 non-superpowers kept, 1 countries left out (reasons in *_countries.csv)"
    assert "  left out, no World Bank GDP: no GDP in the window of 2006-2008 (3 years): TCD" in text
    assert f"{len(YEARS):5d} x footnote 27: g = 0 this year" in text


@pytest.mark.parametrize("text, step, expected", [("2006-2019", 1, tuple(range(2006, 2020))), ("2019", 1, (2019,)),
                                                  ("2030-2100", 5, tuple(range(2030, 2101, 5)))])
def test_parse_years(text, step, expected):
    assert pipe.parse_years(text, step=step) == expected


@pytest.mark.parametrize("text, step", [("2019-2006", 1), ("20x6", 1), ("2030-2102", 5)])
def test_parse_years_rejects(text, step):
    with pytest.raises(SpheresInputError, match="years"):
        pipe.parse_years(text, step=step)
