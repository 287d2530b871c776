"""The US-China pipeline on the real staged data (../shared/data/raw, see docs/us_china.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline import us_china as pipe

YEARS = tuple(range(2006, 2020))


@pytest.fixture(scope="module")
def raw():
    return pipe.load_raw()


@pytest.fixture(scope="module")
def panel(raw):
    return pipe.build_panel(raw, YEARS)


def test_raw_files_load_with_expected_units(raw):
    # PROVENANCE.md: US exports to Australia 2019 = 25,875 million US$.
    aus = raw.trade[(raw.trade["iso3"] == "AUS") & (raw.trade["year"] == 2019)].iloc[0]
    assert aus["USA_exports"] == pytest.approx(25_875e6, rel=1e-3)
    # Partner codes: IMF WBG is Palestine, aggregates (G001 World ...) are gone.
    assert "PSE" in set(raw.trade["iso3"]) and not raw.trade["iso3"].str.match(r"G\d").any()
    assert raw.democracy["iso3"].nunique() == 167 and not raw.unmapped_democracy_codes
    us = raw.gdp[(raw.gdp["iso3"] == "USA") & (raw.gdp["year"] == 2019)]["gdp_usd"].iloc[0]
    assert 2.0e13 < us < 2.2e13  # current US$, not millions


def test_balanced_panel_and_who_is_left_out(panel):
    counts = panel.counts.set_index("year")["countries"]
    assert list(counts.index) == list(YEARS)
    assert counts.nunique() == 1  # balanced: the same countries every year
    status = panel.countries.set_index("iso3")["status"]
    left = set(status[status == "left out"].index)
    # No World Bank GDP (PRK, TWN) or GDP ending too early (ERI 2011, VEN 2014); no trade denominator (PSE).
    assert left == {"ERI", "PRK", "PSE", "TWN", "VEN"}
    reasons = panel.countries.set_index("iso3")["reason"]
    assert "2002-2014" in reasons["VEN"] and "merchandise" in reasons["PSE"]
    assert set(status[status == "superpower"].index) == {"USA", "CHN"}
    assert counts.iloc[0] == (status == "kept").sum()
    # Every country of the index is accounted for.
    assert len(panel.countries) == 167


def test_inputs_are_in_range_and_superpowers_where_the_paper_puts_them(panel):
    x = panel.inputs
    assert x["location"].between(0, 1).all() and x["g_us"].between(0, 1).all() and x["g_cn"].between(0, 1).all()
    assert (x["gdp"] > 0).all()
    for year in (2006, 2019):
        frame = x[x["year"] == year]
        both = pd.concat([frame["location"], panel.superpowers.query("year == @year")["location"]])
        assert both.min() == pytest.approx(0.0) and both.max() == pytest.approx(1.0)
    # Footnote 25: "The US is located around 0.2 and China around 0.8."
    assert panel.superpowers.query("iso3 == 'USA'")["location"].between(0.15, 0.3).all()
    assert panel.superpowers.query("iso3 == 'CHN'")["location"].between(0.7, 0.9).all()


def test_moving_average_windows_on_real_data(raw, panel):
    nor = panel.inputs[panel.inputs["iso3"] == "NOR"].set_index("year")
    di = raw.democracy[raw.democracy["iso3"] == "NOR"].set_index("year")["di"]
    assert nor.at[2006, "di"] == pytest.approx(di[2006])  # the index starts in 2006
    assert nor.at[2008, "di"] == pytest.approx(di[[2006, 2007, 2008]].mean())
    assert nor.at[2019, "di"] == pytest.approx(di[range(2015, 2020)].mean())
    gdp = raw.gdp[raw.gdp["iso3"] == "NOR"].set_index("year")["gdp_usd"]
    assert nor.at[2006, "gdp"] == pytest.approx(gdp[range(2002, 2007)].mean() / 1e12)
    assert (nor["n_gdp"] == 5).all()


def test_real_gaps_are_reported_not_zero_filled(panel):
    gaps = panel.gaps
    # Yemen has no 2019 GDP: its 2019 average uses 2015-2018 and the gap is listed.
    yem = panel.inputs.query("iso3 == 'YEM' and year == 2019").iloc[0]
    assert yem["n_gdp"] == 4 and yem["gdp"] > 0
    assert ((gaps["iso3"] == "YEM") & (gaps["year"] == 2019) & (gaps["variable"] == "gdp")).any()
    # Serbia and Montenegro report trade only from 2007: footnote 27 zeros in 2006, reported.
    for iso in ("SRB", "MNE"):
        row = panel.inputs.query("iso3 == @iso and year == 2006").iloc[0]
        assert row["g_us"] == 0 and row["g_cn"] == 0 and row["fill"] == "both"
        assert ((gaps["iso3"] == iso) & gaps["action"].str.startswith("footnote 27")).any()
    # Every footnote-27 zero in the inputs has its line in the gap report.
    filled = panel.inputs[panel.inputs["fill"] != ""]
    fn27 = gaps[gaps["action"].str.startswith("footnote 27")]
    assert set(zip(filled["iso3"], filled["year"])) == set(zip(fn27["iso3"], fn27["year"]))


def test_mean_trade_ratios_match_provenance_check(panel):
    # Mirror data: US shares fall, China's rise past them (paper's Figure 1a story).
    means = panel.mean_dependency().set_index("year")
    assert means.at[2006, "g_us"] > means.at[2006, "g_cn"]
    assert means.at[2019, "g_cn"] > means.at[2019, "g_us"]
    assert means["g_us"].is_monotonic_decreasing
    assert np.isclose(means.at[2006, "g_us"], 0.13, atol=0.02)  # the paper's 0.13


@pytest.mark.parametrize("model, missing", [("iiasa", {"AFG", "AGO", "ALB", "ARE", "MMR", "QAT"}), ("oecd-v3.1", {"AFG"})])
def test_projection_inputs(panel, model, missing):
    proj = pipe.build_projection(panel, (2030, 2100), model=model)
    left = set(proj.countries.loc[proj.countries["status"] == "left out", "iso3"])
    assert missing <= left
    p30 = proj.year(2030).set_index("iso3")
    b19 = panel.year(2019).set_index("iso3")
    assert p30["location"].to_numpy() == pytest.approx(b19.loc[p30.index, "location"].to_numpy())
    assert p30["g_cn"].to_numpy() == pytest.approx(b19.loc[p30.index, "g_cn"].to_numpy())
    # SSP2: India overtakes the US in PPP terms during the projection.
    ind = proj.inputs.query("iso3 == 'IND'").set_index("year")["gdp"]
    us = proj.superpowers.query("iso3 == 'USA'").set_index("year")["gdp"]
    assert ind[2100] > us[2100]
