"""The data pipeline on the real staged data (../shared/data/raw, see docs/us_china.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline import dots
from pipeline import us_china as pipe

YEARS = tuple(range(2006, 2020))


@pytest.fixture(scope="module")
def raw():
    return pipe.load_raw(trade=("reporter", "mirror"))


@pytest.fixture(scope="module")
def panels(raw):
    return {trade: pipe.build_panel(raw, YEARS, trade=trade) for trade in pipe.TRADE_SOURCES}


@pytest.fixture(scope="module")
def panel(panels):
    return panels[pipe.DEFAULT_TRADE]


def test_raw_files_load_with_expected_units(raw):
    # PROVENANCE.md: US exports to Australia 2019 = 25,875 million US$.
    aus = raw.mirror[(raw.mirror["iso3"] == "AUS") & (raw.mirror["year"] == 2019)].iloc[0]
    assert aus["USA_exports"] == pytest.approx(25_875e6, rel=1e-3)
    # Partner codes: IMF WBG is Palestine, aggregates (G001 World ...) are gone.
    assert "PSE" in set(raw.mirror["iso3"]) and not raw.mirror["iso3"].str.match(r"G\d").any()
    assert raw.democracy["iso3"].nunique() == 167 and not raw.unmapped_democracy_codes
    us = raw.gdp[(raw.gdp["iso3"] == "USA") & (raw.gdp["year"] == 2019)]["gdp_usd"].iloc[0]
    assert 2.0e13 < us < 2.2e13  # current US$, not millions


def test_provenance_check_of_own_reports(raw):
    """PROVENANCE.md (e): Bangladesh 2019, its own data: X 35,919 / M 55,095 (US$ m) with the World."""
    flows = raw.dots.flows(["IND"], [2019])
    bgd = flows[(flows["iso3"] == "BGD")].set_index(["partner", "flow"])["value"] / 1e6
    assert bgd[("World", "exports")] == pytest.approx(35_919, abs=1)
    assert bgd[("World", "imports")] == pytest.approx(55_095, abs=1)
    share = (bgd[("IND", "exports")] + bgd[("IND", "imports")]) / (bgd[("World", "exports")] + bgd[("World", "imports")])
    assert share == pytest.approx(0.087, abs=0.001)


def test_every_workbook_is_mapped_or_left_out_with_its_reason(raw):
    reporters = raw.dots.reporters
    assert len(reporters) == 235 and reporters["file"].is_unique
    used = reporters[reporters["status"] == "used"]
    assert used["iso3"].str.fullmatch("[A-Z]{3}").all() and used["iso3"].is_unique and len(used) == 209
    left = reporters[reporters["status"] == "left out"].set_index("file")
    assert (left["reason"].str.len() > 0).all()
    assert left.at["DOTS_144.xlsx", "reason"] == "duplicate of DOTS_143.xlsx (identical data)"  # Nicaragua twice
    assert (left["kind"] == "aggregate").sum() == 15 and (left["kind"] == "historical").sum() == 10
    assert left.at["DOTS_169.xlsx", "imf_name"] == "Serbia and Montenegro"
    # Every EIU country that reports to the IMF has its workbook; Taiwan is a counterpart only.
    assert set(raw.democracy["iso3"]) - set(used["iso3"]) == {"TWN"}


def test_eu27_is_the_imf_european_union_row(raw):
    """The memorandum row 'European Union' equals the sum of the 27 members' rows, in every year we use."""
    label = {iso: name for name, iso in raw.dots.names.items()}
    for reporter in ("POL", "DEU", "USA", "CHN", "IND"):
        book = raw.dots.books[reporter]
        for flow in dots.SHEETS:
            rows = {lab: k for k, lab in enumerate(book.labels[flow])}
            cols = np.searchsorted(book.years, YEARS)
            members = [rows[label[m]] for m in pipe.EU27 if m != reporter]
            total = np.nansum(book.values[flow][np.ix_(members, cols)], axis=0)
            assert total == pytest.approx(book.values[flow][rows["European Union"], cols], rel=1e-6, abs=0.05)


@pytest.mark.parametrize("trade, left_out", [("reporter", {"ERI", "PRK", "TWN", "VEN"}),
                                             ("mirror", {"ERI", "PRK", "PSE", "TWN", "VEN"})])
def test_balanced_panel_and_who_is_left_out(panels, raw, trade, left_out):
    panel = panels[trade]
    counts = panel.counts.set_index("year")["countries"]
    assert list(counts.index) == list(YEARS)
    assert counts.nunique() == 1  # balanced: the same countries every year
    countries = panel.countries.set_index("iso3")
    eiu = countries.loc[sorted(set(raw.democracy["iso3"]))]
    assert set(eiu.index[eiu["status"] == "left out"]) == left_out
    assert "1960-2014" in countries.at["VEN", "reason"]
    if trade == "mirror":
        assert "merchandise" in countries.at["PSE", "reason"]
    else:
        assert countries.at["TWN", "reason"].endswith("not a DOTS reporter (no own trade reports)")
    assert set(countries.index[countries["status"] == "superpower"]) == {"USA", "CHN"}
    assert counts.iloc[0] == (countries["status"] == "kept").sum() == 167 - 2 - len(left_out)
    # Every other country of the inputs is listed, with the reason it is not a player.
    others = countries.drop(eiu.index)
    assert (others["status"] == "left out").all() and others["reason"].str.startswith("not in the EIU Democracy Index file").all()


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
    # g from Norway's own workbook: the 2019 value is the mean of the 2015-2019 annual ratios.
    flows = raw.dots.flows(["USA"], range(2015, 2020))
    own = flows[flows["iso3"] == "NOR"].pivot_table(index="year", columns=["partner", "flow"], values="value")
    annual = own["USA"].sum(axis=1) / own["World"].sum(axis=1)
    assert nor.at[2019, "g_us"] == pytest.approx(annual.mean())


def test_real_gaps_are_reported_not_zero_filled(panels):
    for panel in panels.values():
        gaps = panel.gaps
        # Yemen has no 2019 GDP: its 2019 average uses 2015-2018 and the gap is listed.
        yem = panel.inputs.query("iso3 == 'YEM' and year == 2019").iloc[0]
        assert yem["n_gdp"] == 4 and yem["gdp"] > 0
        assert ((gaps["iso3"] == "YEM") & (gaps["year"] == 2019) & (gaps["variable"] == "gdp")).any()
        # Every footnote-27 zero in a window has its line in the gap report.
        fn27 = gaps[gaps["action"] == "footnote 27: g = 0 this year"]
        for pole, key in (("USA", "us"), ("CHN", "cn")):
            rows = panel.inputs[panel.inputs[f"z_g_{key}"] > 0]
            for r in rows.itertuples():
                listed = fn27[(fn27["iso3"] == r.iso3) & (fn27["variable"] == f"g_{pole}")
                              & fn27["year"].between(r.year - 4, r.year)]
                assert len(listed) == getattr(r, f"z_g_{key}")
    # Mirror data: Serbia and Montenegro have their WDI totals from 2006, but the US and China report them
    # only from 2007: footnote-27 zeros in 2006, then averaged in.
    mirror = panels["mirror"]
    for iso in ("SRB", "MNE"):
        rows = mirror.inputs.query("iso3 == @iso").set_index("year")
        assert rows.at[2006, "g_us"] == 0 and rows.at[2006, "z_g_us"] == 1 and rows.at[2007, "z_g_us"] == 1


@pytest.mark.parametrize("trade, g_us_2006", [("mirror", 0.127), ("reporter", 0.112)])
def test_mean_trade_ratios(panels, trade, g_us_2006):
    # The US's share falls, China's rises past it (the paper's Figure 1a story), in both sources.
    means = panels[trade].mean_dependency().set_index("year")
    assert means.at[2006, "g_us"] > means.at[2006, "g_cn"]
    assert means.at[2019, "g_cn"] > means.at[2019, "g_us"]
    assert means["g_us"].is_monotonic_decreasing
    assert means.at[2006, "g_us"] == pytest.approx(g_us_2006, abs=0.0005)  # the paper: 0.13


def test_dropping_estimates_only_lowers_dependencies(raw, panel):
    dropped = pipe.build_panel(raw, YEARS, estimates="drop")
    assert dropped.source == "reporter (estimates dropped)"
    merged = panel.inputs.merge(dropped.inputs, on=["iso3", "year"], suffixes=("", "_d"))
    assert len(merged) == len(panel.inputs)
    assert (merged["g_cn_d"] <= merged["g_cn"] + 1e-12).all() and (merged["g_cn_d"] < merged["g_cn"] - 1e-6).any()
    assert (dropped.gaps["action"] == "dropped (estimates = drop)").sum() > 100


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


# --------------------------------------------------------------------------- a third pole
@pytest.fixture(scope="module")
def eu(raw):
    return pipe.third_pole(raw, "EU", projection=(2030, 2100))


def test_eu_pole_sums_its_members(raw, eu, panel):
    hist, proj = eu
    countries = hist.countries.set_index("iso3")
    assert set(countries.index[countries["status"] == "pole member"]) == set(pipe.EU27)
    assert not set(pipe.EU27) & set(hist.inputs["iso3"])
    assert set(hist.inputs["iso3"]) == set(panel.inputs["iso3"]) - set(pipe.EU27)
    base = panel.inputs.set_index(["iso3", "year"])
    for year in (2006, 2019):
        members = panel.year(year).set_index("iso3").loc[list(pipe.EU27)]
        pole = hist.superpower(year, "EU")
        assert pole["gdp"] == pytest.approx(members["gdp"].sum())
        # The home: the GDP-weighted mean of the members' locations (the normalisation is the same:
        # the members are players of the line whether they form a pole or not).
        assert pole["location"] == pytest.approx(np.average(members["location"], weights=members["gdp"]))
        frame = hist.year(year).set_index("iso3")
        assert frame["location"].to_numpy() == pytest.approx(base.xs(year, level="year").loc[frame.index, "location"])
    world = hist.world(2019)
    assert world.poles == ("USA", "CHN", "EU") and world.g.shape == (3, len(world.names))
    assert ((world.g >= 0) & (world.g <= 1)).all() and world.g[2].mean() > world.g[0].mean()  # Europe trades with Europe
    ssp = pipe.load_ssp_gdp(pipe.resolve_data_dir()).pivot_table(index="iso3", columns="year", values="gdp_ppp_bn")
    assert proj.superpower(2100, "EU")["gdp"] == pytest.approx(ssp.loc[list(pipe.EU27), 2100].sum() / 1e3)
    assert proj.world(2100).g == pytest.approx(world.g[:, [world.names.index(n) for n in proj.world(2100).names]])


def test_india_pole_leaves_the_non_superpowers(raw, panel):
    hist, _ = pipe.third_pole(raw, "IND", projection=None)
    assert "IND" not in set(hist.inputs["iso3"]) and len(hist.year(2019)) == len(panel.year(2019)) - 1
    india = hist.superpower(2019, "IND")
    own = panel.year(2019).set_index("iso3").loc["IND"]
    assert india["gdp"] == pytest.approx(own["gdp"]) and india["location"] == pytest.approx(own["location"])
    means = hist.mean_dependency().set_index("year")
    assert 0 < means.at[2019, "g_ind"] < means.at[2019, "g_cn"]

