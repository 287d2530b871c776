"""The us-china and us-china-india commands end to end on the real data, their tables and figures."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pandas as pd
import pytest

import run as cli
from pipeline import us_china as pipe
from scenarios import us_china as sc
from scenarios import us_china_india as sci
from visualization import us_china_figures as figs


@pytest.fixture(scope="module")
def command(tmp_path_factory):
    """One run of the command (every trade source compared): its output folder and what it printed."""
    out = tmp_path_factory.mktemp("us_china") / "out"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = cli.main(["us-china", "--years", "2018-2019", "--projection", "2030-2035", "--out", str(out), "--quiet"])
    assert code == 0
    return out, printed.getvalue()


@pytest.fixture(scope="module")
def outdir(command):
    return command[0]


def test_command_writes_tidy_tables_and_figures(outdir):
    for kind in ("historical", "projection"):
        for name in ("equilibria", "members", "inputs", "countries", "counts", "data_gaps"):
            assert (outdir / f"{kind}_{name}.csv").stat().st_size > 0
        assert (outdir / f"{kind}_figure8.png").stat().st_size > 10_000
    assert (outdir / "historical_figure9.png").stat().st_size > 10_000
    assert (outdir / "projection_figure10.png").stat().st_size > 10_000
    reporters = pd.read_csv(outdir / "trade_reporters.csv", keep_default_na=False)
    assert len(reporters) == 235 and set(reporters["status"]) == {"used", "left out"}


def test_tables_are_consistent(outdir):
    for kind in ("historical", "projection"):
        eq = pd.read_csv(outdir / f"{kind}_equilibria.csv").set_index("year")
        members = pd.read_csv(outdir / f"{kind}_members.csv")
        assert (eq["members_us"] + eq["members_cn"] + eq["members_none"] == eq["countries"]).all()
        sizes = members.groupby(["year", "club"]).size().unstack(fill_value=0)
        assert (sizes["USA"] == eq["members_us"]).all() and (sizes["CHN"] == eq["members_cn"]).all()
        gdp = members.groupby(["year", "club"])["gdp"].sum().unstack(fill_value=0.0)
        assert np.allclose(gdp["USA"], eq["gdp_us_club"]) and np.allclose(gdp["CHN"], eq["gdp_cn_club"])
        assert np.allclose(eq["gdp_us_club_with_us"] - eq["gdp_us_club"], eq["gdp_us"])
        # Club goods on the grid x/500.
        for col in ("location_us", "location_cn"):
            loc = eq[col].dropna().to_numpy()
            assert np.allclose(loc * 500, np.round(loc * 500))
        # Stage two only takes members from a's stage-one club or outsiders; a's final club is inside it.
        assert (members.loc[members["club"] == "USA", "stage_one"] == "USA").all()


def test_comparison_table_sets_every_trade_source_side_by_side(outdir):
    table = pd.read_csv(outdir / "comparison.csv").set_index("result")
    sources = [pipe.source_label(trade, estimates) for trade, estimates in sc.COMPARED_SOURCES]
    assert list(table.columns) == ["paper"] + sources + [f"why: {s}" for s in sources]
    for needle in ("non-superpowers in the game", "mean g_i,US in 2019", "mean g_i,China in 2006",
                   "first year China's club", "year India leaves the US club", "China's club GDP passes", "club GDP ratio"):
        assert any(needle in result for result in table.index), needle
    for source in sources:
        assert table[f"why: {source}"].str.len().min() > 40
    # The values are each source's own (the 2006-2019 panels give the mean dependencies in every run).
    raw = pipe.load_raw(trade=pipe.TRADE_SOURCES)
    for trade, estimates in sc.COMPARED_SOURCES:
        means = pipe.build_panel(raw, range(2006, 2020), trade=trade, estimates=estimates).mean_dependency()
        row = means.set_index("year").loc[2019]
        label = pipe.source_label(trade, estimates)
        assert float(table.at["mean g_i,China in 2019", label]) == pytest.approx(round(row["g_cn"], 3))
        assert float(table.at["mean g_i,US in 2019", label]) == pytest.approx(round(row["g_us"], 3))
    passing = table.loc["China's club GDP passes the US club's (members only)", sources]
    assert all(v in ("not by 2035", "by 2030 (first projected year)") or v.startswith("2030-") for v in passing)


def test_prints_the_data_summary_and_the_comparison(command):
    text = command[1]
    assert "\ndata\nreporter (estimates kept): 161 non-superpowers kept" in text
    assert "  left out, World Bank GDP only 1960-2014: no GDP in the window of 2019: VEN" in text
    block = text[text.index("comparison with the paper"):]
    assert "  mean g_i,China in 2019 (paper: 0.14)\n    reporter (estimates kept)     0.122\n" in block
    for trade, estimates in sc.COMPARED_SOURCES:
        assert f"    {pipe.source_label(trade, estimates):<28}  " in block


def test_trade_options(tmp_path, capsys):
    assert cli.main(["us-china", "--trade", "mirror", "--estimates", "drop", "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err.strip() == "run.py us-china: error: --estimates applies only with --trade reporter"
    assert cli.main(["us-china", "--trade", "comtrade", "--out", str(tmp_path / "o")]) == 2
    assert "--trade" in capsys.readouterr().err
    assert cli.main(["us-china", "--years", "2019", "--trade", "mirror", "--no-compare-sources", "--no-figures",
                     "--quiet", "--out", str(tmp_path / "m")]) == 0
    table = pd.read_csv(tmp_path / "m" / "comparison.csv")
    assert list(table.columns) == ["result", "paper", "mirror", "why: mirror"]
    assert not (tmp_path / "m" / "trade_reporters.csv").exists()


def test_equilibrium_2019_on_real_data():
    panel = pipe.build_panel(pipe.load_raw(), [2019])
    world, frame = sc.world_for(panel, 2019)
    assert world.n_locations == 501 and world.n_countries == len(frame)
    out = sc.solve(world)
    assert out.index_a is not None and out.index_b is not None
    us, cn = set(out.members("a")), set(out.members("b"))
    assert {"JPN", "DEU", "GBR", "CAN"} <= us  # democracies near the US
    assert {"RUS", "SAU", "IRN"} <= cn
    assert not us & cn
    assert out.payoff_a > 0 and out.payoff_b > 0


def test_bad_input_is_one_line_and_status_2(tmp_path, capsys):
    assert cli.main(["us-china", "--years", "2019-2006", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "years = '2019-2006'" in err[0]
    assert cli.main(["us-china", "--projection", "2030-2032", "--out", str(tmp_path)]) == 2
    assert "multiple of 5" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.main(["us-china", "--years", "2019", "--data-dir", str(empty), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "ddf--entities--geo--country.csv: file not found" in err


def test_data_dir_from_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(pipe.DATA_ENV, str(tmp_path / "missing"))
    assert cli.main(["us-china", "--years", "2019", "--out", str(tmp_path)]) == 2
    assert "missing does not exist" in capsys.readouterr().err


def test_india_counterfactual_detects_moves_and_followers():
    raw = pipe.load_raw()
    base, proj = sci.panels(raw, (2020, 2025), pipe.DEFAULT_SSP_MODEL)

    class Bar:
        n = 0

        def update(self, k):
            self.n += k

    bar = Bar()
    rows, events = sci.run_scale(base, proj, 0.4, bar)
    table = pd.DataFrame(rows).set_index("year")
    assert bar.n == 3 and list(table.index) == [2019, 2020, 2025]
    clubs = table["india_club"]
    changes = [y for prev, y in zip(clubs.index[:-1], clubs.index[1:]) if clubs[prev] != clubs[y]]
    assert [e["year"] for e in events] == changes
    for e in events:
        assert e["from_club"] == clubs[e["year_from"]] and e["to_club"] == clubs[e["year"]]
        if e["n_followers"]:
            assert e["held_club"] == e["from_club"]  # followers are only named when India's move caused theirs
    # In the club India is in, its payoff (benefit - cost share) is non-negative.
    for year, r in table.iterrows():
        key = {"USA": "payoff_us", "CHN": "payoff_cn"}.get(r["india_club"])
        if key:
            assert r[key] >= -1e-9


def test_bar_height_and_captions(outdir):
    assert figs.bar_height([0.0, 1.0]) == pytest.approx(np.log([1.03, 2.03]))
    members = pd.read_csv(outdir / "historical_members.csv")
    eq = pd.read_csv(outdir / "historical_equilibria.csv")
    fig = figs.figure9(members, eq, (2019,))
    ax = fig.axes[0]
    texts = {t.get_text() for t in ax.texts}
    top30 = set(members[members["year"] == 2019].nlargest(30, "gdp")["iso3"])
    assert top30 <= texts
    assert not (set(members["iso3"]) - top30) & texts  # only the top 30 are captioned
    heights = sorted(p.get_height() for p in ax.patches if p.get_width() == pytest.approx(0.004))
    expected = sorted(figs.bar_height(members[members["year"] == 2019]["gdp"]))
    assert heights == pytest.approx(expected)
    with pytest.raises(pipe.SpheresInputError, match="no equilibrium for year 1999"):
        figs.figure9(members, eq, (1999,))


def test_paper_story_2006_vs_2019():
    """Section 4.1's story: the US club is the larger one in 2006, China's by 2019, the US club richer in both."""
    panel = pipe.build_panel(pipe.load_raw(), range(2006, 2020)).subset([2006, 2019])
    eq = sc.solve_years(panel, "historical", progress=False).equilibria.set_index("year")
    assert eq.at[2006, "members_us"] > eq.at[2006, "members_cn"]
    assert eq.at[2019, "members_cn"] > eq.at[2019, "members_us"]
    assert (eq["gdp_us_club"] > eq["gdp_cn_club"]).all()
    assert eq.at[2019, "members_us"] < eq.at[2006, "members_us"]


def test_india_gdp_scale_option(tmp_path):
    assert cli.main(["us-china", "--years", "2019", "--india-gdp-scale", "3", "--no-figures", "--quiet",
                     "--no-compare-sources", "--out", str(tmp_path)]) == 0
    inputs = pd.read_csv(tmp_path / "historical_inputs.csv").set_index("iso3")
    plain = pipe.build_panel(pipe.load_raw(), [2019]).year(2019).set_index("iso3")
    assert inputs.at["IND", "gdp"] == pytest.approx(3 * plain.at["IND", "gdp"])
    assert inputs.at["JPN", "gdp"] == pytest.approx(plain.at["JPN", "gdp"])
    assert cli.main(["us-china", "--india-gdp-scale", "-1"]) == 2  # one line, no SystemExit
