"""The US-China data pipeline on small synthetic files: validation, gaps, moving averages, locations."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from games.validation import SpheresInputError
from pipeline import us_china as pipe

YEARS = list(range(2002, 2009))  # trade/GDP years; the synthetic index runs 2006-2008
DI_YEARS = [2006, 2007, 2008]
COUNTRIES = {  # gapminder code -> (ISO3, name, DI base, GDP base in US$)
    "aaa": ("AAA", "Aland", 90.0, 1e12),
    "bbb": ("BBB", "Borduria", 60.0, 5e11),
    "ccc": ("CCC", "Carpania", 30.0, 2e11),
    "ddd": ("DDD", "Dystopia", 10.0, 1e11),
    "usa": ("USA", "USA", 80.0, 1.5e13),
    "chn": ("CHN", "China", 30.0, 3e12),
}


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


def write_dataset(root: Path, *, skip_gdp=(), skip_cn=(), skip_flow=(), di_override=None, extra_ssp_missing=()) -> Path:
    """A complete synthetic data directory in the staged layout; ``skip_*`` punch holes."""
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
    for reporter, share in (("USA", 0.10), ("CHN", 0.05)):
        for c, (iso, name, _, _) in COUNTRIES.items():
            if iso in pipe.SUPERPOWERS:
                continue
            for ind in ("XG_FOB_USD", "MG_CIF_USD"):
                vals = []
                for y in YEARS:
                    total = 0.5 * gdp_value(c, y)  # merchandise trade = 50% of GDP
                    v = share * total / 2 / 1e6  # millions, half each direction
                    if reporter == "CHN" and (iso in skip_cn or (iso, y) in skip_cn):
                        v = ""
                    if (reporter, ind, iso, y) in skip_flow:
                        v = ""
                    vals.append(v)
                rows.append(["IMF.STA:IMTS(1.0.0)", f"{reporter}.{ind}.{iso}.A", "OBS_VALUE", reporter, ind, name] + vals)
        rows.append(["IMF.STA:IMTS(1.0.0)", f"{reporter}.XG_FOB_USD.G001.A", "OBS_VALUE", reporter, "x", "World"]
                    + [1.0] * len(YEARS))
    _write(root / f["trade"], header, rows)
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


def panel_from(root: Path, years=(2006, 2007, 2008)) -> pipe.Panel:
    return pipe.build_panel(pipe.load_raw(root), years)


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
    msg = str(err.value)
    assert "gdp.csv, line 5" in msg and "'Value' is 'lots'" in msg and "expected a number" in msg


def test_out_of_range_index_is_rejected_with_its_line(tmp_path):
    root = write_dataset(tmp_path, di_override={("bbb", 2007): 150})
    rows = pd.read_csv(root / pipe.FILES["democracy"])
    line = int(np.flatnonzero((rows["country"] == "bbb") & (rows["time"] == 2007))[0]) + 2
    with pytest.raises(pipe.DataFileError, match=rf"demox_eiu--by--country--time\.csv, line {line}: .*in \[0, 100\]"):
        pipe.load_raw(root)


def test_ragged_row_is_a_data_file_error(tmp_path):
    root = write_dataset(tmp_path)
    path = root / pipe.FILES["merchandise"]
    with path.open("a") as fh:
        fh.write("aaa,2009,1.0,extra,fields\n")
    with pytest.raises(pipe.DataFileError, match=r"merchandise_trade_percent_of_gdp--by--geo--time\.csv: not a readable CSV"):
        pipe.load_raw(root)


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
    with pytest.raises(pipe.DataFileError, match=rf"lines 2 and {len(lines) + 1}: duplicate country/time"):
        pipe.load_raw(root)


def test_bad_series_code_names_its_line(tmp_path):
    root = write_dataset(tmp_path)
    path = root / pipe.FILES["trade"]
    path.write_text(path.read_text().replace("USA.MG_CIF_USD.BBB.A", "USA.MG_XXX.BBB.A"))
    with pytest.raises(pipe.DataFileError, match=r"raw_trade_data\.csv, line \d+: SERIES_CODE is 'USA\.MG_XXX\.BBB\.A'"):
        pipe.load_raw(root)


# --------------------------------------------------------------------------- loading
def test_mirror_trade_is_in_dollars_and_drops_aggregates(tmp_path):
    raw = pipe.load_raw(write_dataset(tmp_path))
    assert "G001" not in set(raw.trade["iso3"])
    row = raw.trade[(raw.trade["iso3"] == "AAA") & (raw.trade["year"] == 2002)].iloc[0]
    expected = 0.10 * 0.5 * gdp_value("aaa", 2002) / 2
    assert row["USA_exports"] == pytest.approx(expected)
    assert row["CHN_imports"] == pytest.approx(expected / 2)


# --------------------------------------------------------------------------- moving averages and gaps
def test_moving_averages_follow_the_documented_windows(tmp_path):
    panel = panel_from(write_dataset(tmp_path))
    bbb = panel.inputs[panel.inputs["iso3"] == "BBB"].set_index("year")
    # EIU starts 2006: 1, 2, 3 years in the window.
    assert bbb.loc[2006, "di"] == pytest.approx(di_value("bbb", 2006))
    assert bbb.loc[2007, "di"] == pytest.approx(np.mean([di_value("bbb", y) for y in (2006, 2007)]))
    assert bbb.loc[2008, "di"] == pytest.approx(np.mean([di_value("bbb", y) for y in (2006, 2007, 2008)]))
    assert list(bbb["n_di"]) == [1, 2, 3]
    # GDP: full 5-year windows, in trillions.
    assert bbb.loc[2008, "gdp"] == pytest.approx(np.mean([gdp_value("bbb", y) for y in range(2004, 2009)]) / 1e12)
    assert list(bbb["n_gdp"]) == [5, 5, 5]
    # g = (exports + imports) / (merchandise share x GDP).
    assert bbb.loc[2008, "g_us"] == pytest.approx(0.10)
    assert bbb.loc[2008, "g_cn"] == pytest.approx(0.05)


def test_missing_country_year_is_averaged_out_and_reported(tmp_path):
    panel = panel_from(write_dataset(tmp_path, skip_gdp=[("BBB", 2004)]))
    bbb = panel.inputs[panel.inputs["iso3"] == "BBB"].set_index("year")
    assert bbb.loc[2006, "n_gdp"] == 4
    assert bbb.loc[2006, "gdp"] == pytest.approx(np.mean([gdp_value("bbb", y) for y in (2002, 2003, 2005, 2006)]) / 1e12)
    gaps = panel.gaps[(panel.gaps["iso3"] == "BBB") & (panel.gaps["year"] == 2004)]
    assert set(gaps["variable"]) >= {"gdp"}
    assert (gaps["issue"] == "no annual value").all()
    # The trade ratio needs GDP for its denominator, so it is missing that year too, and said so.
    assert bbb.loc[2006, "n_g_us"] == 4


def test_country_without_gdp_is_left_out_with_its_reason_and_counts(tmp_path):
    panel = panel_from(write_dataset(tmp_path, skip_gdp=["DDD"]))
    row = panel.countries.set_index("iso3").loc["DDD"]
    assert row["status"] == "left out"
    assert "no World Bank GDP" in row["reason"]
    assert "DDD" not in set(panel.inputs["iso3"])
    assert list(panel.counts["countries"]) == [3, 3, 3]
    assert set(panel.countries.loc[panel.countries["status"] == "kept", "iso3"]) == {"AAA", "BBB", "CCC"}
    assert set(panel.countries.loc[panel.countries["status"] == "superpower", "iso3"]) == {"USA", "CHN"}


def test_gdp_ending_before_the_window_leaves_the_country_out(tmp_path):
    panel = panel_from(write_dataset(tmp_path, skip_gdp=[("CCC", y) for y in range(2004, 2009)]))
    reason = panel.countries.set_index("iso3").at["CCC", "reason"]
    assert "World Bank GDP only 2002-2003" in reason and "2008" in reason


def test_footnote_27_china_missing_sets_zero_and_reports(tmp_path):
    panel = panel_from(write_dataset(tmp_path, skip_cn=["CCC"]))
    ccc = panel.inputs[panel.inputs["iso3"] == "CCC"]
    assert (ccc["g_cn"] == 0).all() and (ccc["fill"] == "g_cn").all()
    assert (ccc["g_us"] > 0).all()
    fn27 = panel.gaps[(panel.gaps["iso3"] == "CCC") & panel.gaps["action"].str.startswith("footnote 27")]
    assert sorted(fn27["year"]) == [2006, 2007, 2008]


def test_footnote_27_applies_per_window_not_per_country(tmp_path):
    # China trade with CCC missing 2002-2006 only: 2006's window is empty, 2007's has one year.
    panel = panel_from(write_dataset(tmp_path, skip_cn=[("CCC", y) for y in range(2002, 2007)]))
    ccc = panel.inputs[panel.inputs["iso3"] == "CCC"].set_index("year")
    assert ccc.loc[2006, "g_cn"] == 0 and ccc.loc[2006, "fill"] == "g_cn"
    assert ccc.loc[2007, "g_cn"] == pytest.approx(0.05) and ccc.loc[2007, "n_g_cn"] == 1


def test_one_way_flow_counts_as_zero_and_is_reported(tmp_path):
    panel = panel_from(write_dataset(tmp_path, skip_flow=[("USA", "MG_CIF_USD", "AAA", y) for y in YEARS]))
    aaa = panel.inputs[panel.inputs["iso3"] == "AAA"]
    assert aaa["g_us"].to_numpy() == pytest.approx(0.05)  # exports only: half of 0.10
    rows = panel.gaps[(panel.gaps["iso3"] == "AAA") & (panel.gaps["variable"] == "trade_USA")]
    assert len(rows) == len(YEARS) and rows["issue"].str.contains("imports from").all()


def test_ratio_above_one_is_capped_and_reported(tmp_path):
    root = write_dataset(tmp_path)
    path = root / pipe.FILES["trade"]
    df = pd.read_csv(path, dtype=str)
    mask = df["SERIES_CODE"] == "CHN.XG_FOB_USD.DDD.A"
    df.loc[mask, "2008"] = str(1e6)  # a trillion US$ of exports to a small economy
    df.to_csv(path, index=False)
    panel = panel_from(root)
    capped = panel.gaps[(panel.gaps["iso3"] == "DDD") & (panel.gaps["action"] == "capped at 1")]
    assert list(capped["year"]) == [2008]
    assert panel.inputs["g_cn"].max() <= 1.0


# --------------------------------------------------------------------------- locations
def test_locations_follow_footnote_25_per_year(tmp_path):
    panel = panel_from(write_dataset(tmp_path))
    for year in panel.years:
        frame = panel.year(year).set_index("iso3")
        dis = pd.concat([frame["di"], panel.superpowers.query("year == @year").set_index("iso3")["di"]])
        hi, lo = dis.max(), dis.min()
        assert frame.loc["AAA", "location"] == pytest.approx(0.0)  # most democratic
        assert frame.loc["DDD", "location"] == pytest.approx(1.0)  # least democratic
        assert frame.loc["BBB", "location"] == pytest.approx((hi - frame.loc["BBB", "di"]) / (hi - lo))
        us = panel.superpower(year, "USA")
        assert us["location"] == pytest.approx((hi - us["di"]) / (hi - lo))


def test_superpowers_enter_the_normalisation(tmp_path):
    # Make the US the most democratic player: it, not AAA, is at 0.
    override = {("usa", y): 99.0 for y in DI_YEARS}
    panel = panel_from(write_dataset(tmp_path, di_override=override))
    assert panel.superpower(2008, "USA")["location"] == pytest.approx(0.0)
    assert panel.year(2008).set_index("iso3").at["AAA", "location"] > 0


# --------------------------------------------------------------------------- projection and helpers
def test_projection_holds_base_year_and_takes_ssp_gdp(tmp_path):
    root = write_dataset(tmp_path, extra_ssp_missing=["CCC"])
    panel = panel_from(root)
    proj = pipe.build_projection(panel, (2030, 2035), base_year=2008, data_dir=root)
    base = panel.year(2008).set_index("iso3")
    p30 = proj.year(2030).set_index("iso3")
    assert "CCC" not in p30.index
    assert proj.countries.set_index("iso3").at["CCC", "status"] == "left out"
    assert list(proj.counts["countries"]) == [3, 3]
    for col in ("location", "g_us", "g_cn"):
        assert p30[col].to_numpy() == pytest.approx(base.loc[p30.index, col].to_numpy())
    k = (2030 - 2010) // 5
    assert p30.at["AAA", "gdp"] == pytest.approx(COUNTRIES["aaa"][3] / 1e12 * (1 + 0.02 * k))
    assert proj.superpower(2035, "CHN")["gdp"] == pytest.approx(COUNTRIES["chn"][3] / 1e12 * (1 + 0.02 * (k + 1)))
    with pytest.raises(SpheresInputError, match="not in the SSP file"):
        pipe.build_projection(panel, (2031,), base_year=2008, data_dir=root)


def test_gdp_scale_counterfactual_touches_one_country(tmp_path):
    panel = panel_from(write_dataset(tmp_path))
    scaled = panel.with_gdp_scale("BBB", 2.0)
    merged = panel.inputs.merge(scaled.inputs, on=["iso3", "year"], suffixes=("", "_s"))
    ratio = merged["gdp_s"] / merged["gdp"]
    assert ratio[merged["iso3"] == "BBB"].to_numpy() == pytest.approx(2.0)
    assert ratio[merged["iso3"] != "BBB"].to_numpy() == pytest.approx(1.0)
    with pytest.raises(SpheresInputError, match="must be a finite number > 0"):
        panel.with_gdp_scale("BBB", 0.0)
    with pytest.raises(SpheresInputError, match="not a non-superpower"):
        panel.with_gdp_scale("USA", 2.0)


@pytest.mark.parametrize("text, step, expected", [("2006-2019", 1, tuple(range(2006, 2020))), ("2019", 1, (2019,)),
                                                  ("2030-2100", 5, tuple(range(2030, 2101, 5)))])
def test_parse_years(text, step, expected):
    assert pipe.parse_years(text, step=step) == expected


@pytest.mark.parametrize("text, step", [("2019-2006", 1), ("20x6", 1), ("2030-2102", 5)])
def test_parse_years_rejects(text, step):
    with pytest.raises(SpheresInputError, match="years"):
        pipe.parse_years(text, step=step)


@pytest.mark.parametrize("code", ["USA.XG_FOB_USD.BBB", "USA.XG_FOB_USD.BBB.A.X", "FRA.XG_FOB_USD.BBB.A"])
def test_series_code_shape_is_checked_row_by_row(tmp_path, code):
    root = write_dataset(tmp_path)
    path = root / pipe.FILES["trade"]
    text = path.read_text()
    line = next(k for k, ln in enumerate(text.splitlines(), 1) if "CHN.MG_CIF_USD.CCC.A" in ln)
    path.write_text(text.replace("CHN.MG_CIF_USD.CCC.A", code))
    with pytest.raises(pipe.DataFileError, match=rf"raw_trade_data\.csv, line {line}: SERIES_CODE is '{code}'"):
        pipe.load_raw(root)
