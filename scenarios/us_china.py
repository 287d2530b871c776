"""US-China club competition on real data 2006-2019 and the SSP2 projection to 2100 (paper Section 4)."""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from games.club import World, solve
from games.validation import SpheresInputError
from pipeline import us_china as pipe
from scenarios._common import integer, number, refuse_given

GRID = 500
"""The superpowers choose x/500 for integer x in [0, 500] (Section 4)."""
THIRD_POLE_GRID = 100
"""With a third superpower the default grid is x/100: a three-pole year on x/500 takes up to a
minute and a half (the EU as third pole), on x/100 a few seconds (docs/many_poles.md)."""
INDIA = "IND"
DEFAULT_YEARS = "2006-2019"
DEFAULT_PROJECTION = "2030-2100"
"""The paper's projection (Section 4.2), also us-china-india's default."""
OUTPUT = "out/us_china"
GDP_SCALE_MAX = 1e3
"""The largest factor on India's GDP: 1000 times India is ~10^5 times the smallest economies, whose
cost shares then stay well above the solver's payoff tolerance (1e-9)."""

# The paper's stated results (Section 4), for the comparison table.
PAPER = {
    "countries": 145,
    "mean_g_us_2006": 0.13,
    "mean_g_cn_2006": 0.02,
    "mean_g_us_2019": 0.10,
    "mean_g_cn_2019": 0.14,
    "first_year_cn_more_members": 2017,
    "india_leaves_us_by": 2030,
    "cn_club_gdp_passes_us": (2030, 2035),
}
COMPARED_SOURCES = (("reporter", "keep"), ("reporter", "drop"), ("mirror", "keep"))
"""The trade sources of the side-by-side comparison: (trade, estimates)."""


# --------------------------------------------------------------------------- solving
def world_for(panel: pipe.Panel, year: int, grid: int = GRID) -> tuple[World, pd.DataFrame]:
    """The game of one year, L = {x/grid}: the panel's poles move in order (the US is a, the status
    quo, and China b, the challenger; a third pole, if any, is c)."""
    w = panel.world(year)
    world = World.on_line(w.positions, g=w.g, omega=w.omega, homes=w.homes, superpower_omega=w.pole_omega,
                          locations=np.arange(grid + 1) / grid, names=list(w.names))
    return world, panel.year(year)


@dataclass(frozen=True)
class Run:
    """The equilibria of a range of years: tidy tables plus the solver outcomes."""

    kind: str  # "historical" or "projection"
    panel: pipe.Panel
    equilibria: pd.DataFrame
    members: pd.DataFrame
    outcomes: dict


def solve_years(panel: pipe.Panel, kind: str, *, progress: bool = True, grid: int = GRID) -> Run:
    """Solve every year of ``panel`` on the locations x/grid (a tqdm bar over years) and tabulate the clubs."""
    eq_rows, member_frames, outcomes = [], [], {}
    for year in tqdm(panel.years, desc=f"us-china {kind} ({panel.source})", unit="year", disable=not progress):
        world, frame = world_for(panel, year, grid)
        out = solve(world)
        outcomes[year] = out
        us, cn = panel.superpower(year, pipe.US), panel.superpower(year, pipe.CN)
        club = np.where(out.club_a, pipe.US, np.where(out.club_b, pipe.CN, "none"))
        member_frames.append(frame.assign(
            run=kind, club=club, stage_one=np.where(out.stage_one, pipe.US, "none")
        )[["run", "year", "iso3", "name", "location", "g_us", "g_cn", "gdp", "stage_one", "club"]])
        gdp = frame["gdp"].to_numpy()
        formed_us, formed_cn = out.index_a is not None, out.index_b is not None
        eq_rows.append(dict(
            run=kind, year=year, countries=len(frame),
            location_us=np.nan if not formed_us else float(out.location_a),
            location_cn=np.nan if not formed_cn else float(out.location_b),
            home_us=float(us["location"]), home_cn=float(cn["location"]),
            payoff_us=out.payoff_a, payoff_cn=out.payoff_b,
            members_us=int(out.club_a.sum()), members_cn=int(out.club_b.sum()),
            members_none=int((~out.club_a & ~out.club_b).sum()), stage_one_us=int(out.stage_one.sum()),
            gdp_us_club=float(gdp[out.club_a].sum()), gdp_cn_club=float(gdp[out.club_b].sum()),
            gdp_us_club_with_us=float(gdp[out.club_a].sum() + (us["gdp"] if formed_us else 0.0)),
            gdp_cn_club_with_cn=float(gdp[out.club_b].sum() + (cn["gdp"] if formed_cn else 0.0)),
            gdp_us=float(us["gdp"]), gdp_cn=float(cn["gdp"]),
            mean_g_us=float(frame["g_us"].mean()), mean_g_cn=float(frame["g_cn"].mean()),
        ))
    return Run(kind, panel, pd.DataFrame(eq_rows), pd.concat(member_frames, ignore_index=True), outcomes)


def club_of(members: pd.DataFrame, iso3: str) -> pd.Series:
    """The club ('USA', 'CHN', 'none') of one country in every year of a members table."""
    rows = members[members["iso3"] == iso3].set_index("year")["club"]
    return rows.sort_index()


@dataclass(frozen=True)
class SourceRun:
    """One trade source's runs: its 2006-2019 panel, the solved years, and the solved 2019 game
    (``base``) that the projection rows compare with when ``historical`` does not hold 2019."""

    reference: pipe.Panel
    historical: Run | None
    projection: Run | None
    base: Run | None

    @property
    def label(self) -> str:
        return self.reference.source


def solve_source(raw: pipe.RawData, trade: str, estimates: str, years: tuple[int, ...] | None,
                 projection: tuple[int, ...] | None, *, ssp_model: str = pipe.DEFAULT_SSP_MODEL,
                 india_gdp_scale: float = 1.0, progress: bool = True, grid: int = GRID) -> SourceRun:
    """Build the panels of one trade source and solve the historical and projected years asked for."""
    base_years = tuple(range(2006, pipe.BASE_YEAR + 1))

    def panel_for(panel_years):
        panel = pipe.build_panel(raw, panel_years, trade=trade, estimates=estimates)
        return panel if india_gdp_scale == 1.0 else panel.with_gdp_scale(INDIA, india_gdp_scale)

    reference = panel_for(base_years)
    hist = proj = base = None
    if years is not None:
        hist = solve_years(reference if years == base_years else panel_for(years), "historical", progress=progress,
                           grid=grid)
    if projection is not None:
        panel = pipe.build_projection(reference, projection, model=ssp_model, data_dir=raw.data_dir)
        if india_gdp_scale != 1.0:
            panel = panel.with_gdp_scale(INDIA, india_gdp_scale)
        proj = solve_years(panel, "projection", progress=progress, grid=grid)
        if hist is None or pipe.BASE_YEAR not in hist.panel.years:
            base = solve_years(reference.subset([pipe.BASE_YEAR]), "historical", progress=False, grid=grid)
    return SourceRun(reference, hist, proj, base if base is not None else hist)


# --------------------------------------------------------------------------- comparison with the paper
def _first_year(mask: pd.Series) -> int | None:
    hits = mask[mask]
    return None if hits.empty else int(hits.index[0])


def compare_with_paper(runs: Sequence[SourceRun]) -> pd.DataFrame:
    """The paper's stated Section 4 results next to each trade source's, side by side.

    Columns: result, paper, one column per source (its value), then ``why: <source>`` for
    each source: the reason for the remaining difference, computed from the run (counts,
    means, who moved), never typed in.
    """
    tables = [_compare_one(r) for r in runs]
    rows = []
    for k, first in enumerate(tables[0]):
        row = {"result": first["result"], "paper": first["paper"]}
        row |= {r.label: t[k]["value"] for r, t in zip(runs, tables)}
        row |= {f"why: {r.label}": t[k]["why"] for r, t in zip(runs, tables)}
        rows.append(row)
    return pd.DataFrame(rows)


def _closeness(ours: float, paper: float) -> str:
    return "Close" if abs(ours - paper) <= 0.02 else "Higher" if ours > paper else "Lower"


def _compare_one(src: SourceRun) -> list[dict]:
    """The comparison rows of one trade source: result, paper, value, why."""
    panel, historical, projection = src.reference, src.historical, src.projection
    reporter = panel.trade == "reporter"
    rows = []
    n = panel.counts.set_index("year")["countries"]
    g = panel.mean_dependency().set_index("year")
    inputs = panel.inputs

    def row(result, paper, value, why):
        rows.append(dict(result=result, paper=paper, value=value, why=why))

    count = str(int(n.min())) if n.min() == n.max() else f"{int(n.min())}-{int(n.max())}"
    if projection is not None:
        pn = projection.panel.counts["countries"]
        count += f" (projection: {int(pn.min())})" if pn.min() == pn.max() else f" (projection: {int(pn.min())}-{int(pn.max())})"
    left = panel.countries[(panel.countries["status"] == "left out")
                           & ~panel.countries["reason"].str.startswith("not in the EIU")]
    left_text = "; ".join(f"{r.iso3 or r.name} ({r.reason.split(';')[0]})" for r in left.itertuples())
    row("non-superpowers in the game", PAPER["countries"], count,
        "Kept: every country of the EIU index with a GDP in every year and its total trade in some year ("
        + ("its own DOTS World totals" if reporter else "WDI merchandise trade x GDP") + f"). Left out: {left_text or 'none'}"
        + "; see countries.csv. The paper's 145 are set by its trade data (Comtrade), which we cannot identify.")
    construction = ("each country's own reports (IMF DOTS, ~2022 release): exports to the superpower (FOB) plus "
                    "imports from it (CIF) over its trade with the World, the paper's construction" if reporter else
                    "the US's and China's own reports of their trade with each country over that country's WDI "
                    "merchandise trade (mirror data)")
    for year in (2006, 2019):
        if year not in g.index:
            continue
        frame = inputs[inputs["year"] == year]
        zero_windows = int((frame["z_g_cn"] > 0).sum())
        zero = int((frame["g_cn"] == 0).sum())
        ours_us, ours_cn = float(g.at[year, "g_us"]), float(g.at[year, "g_cn"])
        paper_us, paper_cn = PAPER[f"mean_g_us_{year}"], PAPER[f"mean_g_cn_{year}"]
        row(f"mean g_i,US in {year}", paper_us, round(ours_us, 3),
            f"{_closeness(ours_us, paper_us)}: {construction}; the rest is the sample ({len(frame)} countries "
            "against 145) and the data vintage.")
        if year == 2006:
            why = (f"{zero_windows} of {len(frame)} countries have footnote-27 zeros in their 2002-2006 China window here "
                   f"({zero} with g_i,China = 0). The paper's trade data miss China for many countries before 2015 "
                   "(footnote 28) and footnote 27 sets those to 0, which pulls its mean down; ")
            why += (("DOTS fills the gaps of countries that do not report with IMF estimates from partner data "
                     "(flagged ' e'), so few values are missing." if panel.estimates == "keep" else
                     f"with the IMF estimates dropped, {_dropped(panel, pipe.CN, 2002, 2006)} country-years of trade "
                     "with China in 2002-2006 lose a value, but most are estimates of only one direction.")
                    if reporter else "China's customs report every partner, so nothing is missing in mirror data.")
        else:
            capped = sorted(set(panel.gaps.loc[panel.gaps["action"].eq("capped at 1")
                                               & panel.gaps["year"].between(year - 4, year)
                                               & panel.gaps["variable"].eq(f"g_{pipe.CN}"), "iso3"]))
            why = (f"China's share rises from {float(g.at[2006, 'g_cn']) if 2006 in g.index else float('nan'):.3f} "
                   f"in 2006 and passes the US's, as in the paper; {zero_windows} countries still have footnote-27 "
                   "zeros in their 2015-2019 China window.")
            if capped:
                wo = float(frame.loc[~frame["iso3"].isin(capped), "g_cn"].mean())
                why += (" China's reports by declared destination exceed what partners record (ship registries, "
                        f"transit trade): annual ratios above 1 capped for {', '.join(capped)} (mean without them "
                        f"{wo:.3f}).")
        row(f"mean g_i,China in {year}", paper_cn, round(ours_cn, 3), f"{_closeness(ours_cn, paper_cn)}: {why}")
    if historical is not None:
        eq = historical.equilibria.set_index("year")
        first = _first_year(eq["members_cn"] > eq["members_us"])
        y0, last = int(eq.index.min()), int(eq.index.max())
        row("first year China's club has more members than the US club", PAPER["first_year_cn_more_members"],
            f"not in {y0}-{last}" if first is None else
            (f"{first} or earlier (first year run)" if first == y0 and y0 > 2006 else first),
            _first_more_explanation(eq, inputs, first, y0, reporter))
        ratio = eq.at[last, "gdp_us_club"] / eq.at[last, "gdp_cn_club"] if eq.at[last, "gdp_cn_club"] > 0 else math.inf
        ratio_w = eq.at[last, "gdp_us_club_with_us"] / eq.at[last, "gdp_cn_club_with_cn"] \
            if eq.at[last, "gdp_cn_club_with_cn"] > 0 else math.inf
        row(f"club GDP ratio US/China in {last} (members only; with superpowers)",
            "US club's much larger (Fig. 8b; no number stated)", f"{ratio:.2f}; {ratio_w:.2f}",
            ("Agrees qualitatively: " if ratio > 1 else "Differs: ")
            + f"China's club has {int(eq.at[last, 'members_cn'])} members against the US club's "
            f"{int(eq.at[last, 'members_us'])}, with member GDP {eq.at[last, 'gdp_cn_club']:.1f} against "
            f"{eq.at[last, 'gdp_us_club']:.1f} trillion US$"
            + ("; China attracts low-GDP countries and bears most of its club's cost." if ratio > 1 else "."))
        india = club_of(historical.members, INDIA)
        if india.empty:
            row(f"India's club in {last}", "US club (Fig. 9b)", "not a player", f"India is {panel.reason(INDIA)}.")
        else:
            frame = historical.panel.year(last).set_index("iso3")
            row(f"India's club in {last}", "US club (Fig. 9b)", india.iloc[-1],
                f"Same: India's cost share in the US club is small at market exchange rates (its GDP is "
                f"{_india_us_ratio(historical.panel, last):.2f} x the US's)." if india.iloc[-1] == pipe.US else
                f"Differs: India's dependencies here are g_US = {frame.at[INDIA, 'g_us']:.3f} and g_China = "
                f"{frame.at[INDIA, 'g_cn']:.3f}, at {frame.at[INDIA, 'location']:.2f} on the line.")
    if projection is not None:
        eq = projection.equilibria.set_index("year")
        india = club_of(projection.members, INDIA)
        if india.empty:
            row("year India leaves the US club", f"by {PAPER['india_leaves_us_by']}", "India not in the projection",
                f"India is {projection.panel.reason(INDIA)}.")
        else:
            left = _first_year(india != pipe.US)
            hist_india = club_of(src.base.members, INDIA).get(pipe.BASE_YEAR, "?") if src.base is not None else "?"
            row("year India leaves the US club", f"by {PAPER['india_leaves_us_by']} (in the US club in 2019)",
                "stays to the end" if left is None else
                (f"by {left} (first projected year" if left == int(eq.index.min()) else f"{left} (") +
                ("; to no club)" if india.at[left] == "none" else f"; to {india.at[left]})") + f"; 2019: {hist_india}",
                _india_explanation(projection, panel, left))
        first = _first_year(eq["gdp_cn_club"] > eq["gdp_us_club"])
        lo, hi = PAPER["cn_club_gdp_passes_us"]
        if first is None:
            ours = f"not by {int(eq.index.max())}"
        else:
            prev = [y for y in eq.index if y < first]
            ours = f"{prev[-1]}-{first}" if prev else f"by {first} (first projected year)"
        row("China's club GDP passes the US club's (members only)", f"between {lo} and {hi}", ours,
            _passing_explanation(projection, src.base, first, lo, hi))
    return rows


def _dropped(panel: pipe.Panel, pole: str, start: int, end: int) -> int:
    """Country-years of trade with ``pole`` in [start, end] that lost a value flagged as an IMF estimate."""
    gaps = panel.gaps
    return int((gaps["variable"].eq(f"trade_{pole}") & gaps["action"].str.startswith("dropped")
                & gaps["year"].between(start, end)).sum())


def _first_more_explanation(eq: pd.DataFrame, inputs: pd.DataFrame, first: int | None, y0: int, reporter: bool) -> str:
    paper = PAPER["first_year_cn_more_members"]
    if first is None:
        return f"Differs: China's club never has more members than the US club in {y0}-{int(eq.index.max())}."
    if first == paper:
        return "Same year as the paper."
    if first > paper:
        return "Later than the paper: China's trade shares in these data rise more slowly than the paper's."
    s0 = inputs[inputs["year"] == y0]
    more = int((s0["g_cn"] > s0["g_us"]).sum())
    return (f"Earlier: China's trade shares in these data are already high in {y0} (mean {eq.at[y0, 'mean_g_cn']:.2f}; "
            f"{more} of {len(s0)} countries trade more with China than with the US), so countries close to China "
            "join its club early. In the paper footnote 28 ties the 2015-2017 rise to China's trade data becoming "
            "available (before that, footnote-27 zeros); "
            + ("DOTS carries IMF estimates where a country's own reports are missing, so that gap is not reproduced."
               if reporter else "China's own reports cover every partner, so that gap is not reproduced."))


def _india_explanation(projection: Run, panel: pipe.Panel, left: int | None) -> str:
    if left is None:
        return ("India stays: with this SSP model its cost share in the US club stays below its benefit "
                "g_IND,US (1 - d) at the US location; see the us-china-india counterfactual for the GDP at which it leaves.")
    eq = projection.equilibria.set_index("year")
    world, frame = world_for(projection.panel, left)
    i = list(frame["iso3"]).index(INDIA)
    loc = eq.at[left, "location_us"]
    d = abs(frame.at[i, "location"] - loc) if pd.notna(loc) else float("nan")
    benefit = frame.at[i, "g_us"] * (1 - d)
    club_w = eq.at[left, "gdp_us_club_with_us"] + frame.at[i, "gdp"]
    share = frame.at[i, "gdp"] / club_w
    first = int(eq.index.min())
    ppp = _india_us_ratio(projection.panel, first)
    text = (f"Proposition 3.2: India's GDP ({frame.at[i, 'gdp']:.1f} {projection.panel.gdp_unit} in {left}) makes its "
            f"cost share in the US club ({share:.3f} if it stayed) exceed its benefit g(1-d) = {benefit:.3f}. "
            f"Most of the jump is the switch from market exchange rates to PPP: India's GDP is {ppp:.2f} x the "
            f"US's in the SSP2 data of {first}, against {_india_us_ratio(panel, pipe.BASE_YEAR):.2f} x in the "
            f"{pipe.BASE_YEAR} game (current US$); run --projection 2020-2100 for the first SSP years, and the "
            "us-china-india command for the India GDP path at which it stays. ")
    return text + ("Same timing as the paper." if left <= PAPER["india_leaves_us_by"] else
                   "Later than the paper: the SSP vintage/model and India's dependencies in these data differ.")


def _india_us_ratio(panel: pipe.Panel, year: int) -> float:
    """India's GDP over the US's in one year of a panel."""
    frame = panel.year(year).set_index("iso3")
    return float(frame.at[INDIA, "gdp"] / panel.superpower(year, pipe.US)["gdp"])


def _passing_explanation(projection: Run, base: Run | None, first: int | None, lo: int, hi: int) -> str:
    if first is None:
        eq = projection.equilibria
        return (f"Within the projected years {int(eq['year'].min())}-{int(eq['year'].max())} China's club members' GDP "
                "stays below the US club members' (run the full 2030-2100 projection).")
    mem = projection.members
    if base is not None:
        start, before = pipe.BASE_YEAR, base.members[base.members["year"] == pipe.BASE_YEAR]
    else:
        start = int(projection.equilibria["year"].min())
        before = mem[mem["year"] == start]
    before = before.set_index("iso3")["club"]
    now = mem[mem["year"] == first].set_index("iso3")
    moved = now[[before.get(iso) == pipe.US and now.at[iso, "club"] != pipe.US for iso in now.index]]
    moved = moved.sort_values("gdp", ascending=False)
    listed = ", ".join(f"{iso} (to {'no club' if c == 'none' else c})" for iso, c in moved["club"].head(8).items())
    eq = projection.equilibria.set_index("year")
    at_start = mem[mem["year"] == int(eq.index.min())].set_index("iso3")["club"]
    early = int(sum(at_start.get(iso) != pipe.US for iso in moved.index))
    grew = [y for y in eq.index if y <= first]
    g0, g1 = grew[0], grew[-1]
    if g0 == g1:
        growth = (f"In {g1}, the first projected year, China's club members hold {eq.at[g1, 'gdp_cn_club']:.1f} "
                  f"against {eq.at[g1, 'gdp_us_club']:.1f} for the US club's; ")
    else:
        growth = (f"From {g0} to {g1} China's club members' GDP grows from {eq.at[g0, 'gdp_cn_club']:.1f} to "
                  f"{eq.at[g1, 'gdp_cn_club']:.1f}, the US club's from {eq.at[g0, 'gdp_us_club']:.1f} to "
                  f"{eq.at[g1, 'gdp_us_club']:.1f}; ")
    growth += f"China's club good sits at {eq.at[g1, 'location_cn']:.3f}. "
    text = growth + (f"Left the US club between {start} and {first}: {listed}" + (" ..." if len(moved) > 8 else "")
                     if len(moved) else f"No country left the US club between {start} and {first}.")
    text += " (Paper: India leaves by 2030; China moves its good toward the centre and KOR, BRA, ARG, PHL switch by 2035.)"
    if lo < first <= hi:
        return "Same interval as the paper. " + text
    if first <= lo:
        return "Earlier than the paper. " + text
    at = max(y for y in eq.index if y < first)
    return (f"Later than the paper: in {at} China's club members hold {eq.at[at, 'gdp_cn_club']:.1f} against "
            f"{eq.at[at, 'gdp_us_club']:.1f} for the US club's ({eq.at[at, 'gdp_cn_club'] / eq.at[at, 'gdp_us_club']:.0%}); "
            f"{early} of the {len(moved)} countries that leave the US club by {first} have left by "
            f"{int(eq.index.min())} already, so the rest is the growth of the members' SSP2 GDP, which differs by "
            "model and vintage. " + text)


# --------------------------------------------------------------------------- output
def write_run(run: Run, out: Path, figures: bool, figure_years: Sequence[int]) -> list[Path]:
    """Write the tidy tables (and figures) of one run; returns the files written."""
    prefix = run.kind
    files = []
    for name, table in (("equilibria", run.equilibria), ("members", run.members), ("inputs", run.panel.inputs),
                        ("countries", run.panel.countries), ("counts", run.panel.counts),
                        ("data_gaps", run.panel.gaps)):
        path = out / f"{prefix}_{name}.csv"
        table.to_csv(path, index=False)
        files.append(path)
    if figures:
        import matplotlib.pyplot as plt

        from visualization import us_china_figures as figs

        fig8 = figs.figure8(run.equilibria, gdp_unit=run.panel.gdp_unit)
        path = out / f"{prefix}_figure8.png"
        fig8.savefig(path, dpi=130)
        plt.close(fig8)
        files.append(path)
        shown = [y for y in figure_years if y in set(run.equilibria["year"])]
        if shown:
            if run.kind == "historical":
                fig, name = figs.figure9(run.members, run.equilibria, shown), "figure9"
            else:
                fig, name = figs.figure10(run.members, run.equilibria, shown, gdp_unit=run.panel.gdp_unit), "figure10"
            path = out / f"{prefix}_{name}.png"
            fig.savefig(path, dpi=130)
            plt.close(fig)
            files.append(path)
    return files


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--years", metavar="FIRST-LAST", help=f"historical years to solve (e.g. {DEFAULT_YEARS})")
    parser.add_argument("--projection", metavar="FIRST-LAST",
                        help=f"projected years, 5-year steps (e.g. {DEFAULT_PROJECTION}); "
                             "with neither option both defaults run")
    parser.add_argument("--data-dir", default=None,
                        help=f"raw data folder (default: ${pipe.DATA_ENV} or ../shared/data/raw)")
    parser.add_argument("--ssp-model", default=pipe.DEFAULT_SSP_MODEL, choices=list(pipe.SSP_MODELS),
                        help="SSP2 GDP projection (default: iiasa, the SSP database v2 levels)")
    parser.add_argument("--india-gdp-scale", type=number(0, GDP_SCALE_MAX, low_open=True), default=1.0,
                        help=f"counterfactual: multiply India's GDP in every year by this factor, in (0, {GDP_SCALE_MAX:g}] (default 1)")
    parser.add_argument("--figure-years", default=None,
                        help="comma-separated years for Figures 9/10 (default 2006,2019 and 2030,2035)")
    add_trade_arguments(parser)
    parser.add_argument("--compare-sources", action=argparse.BooleanOptionalAction, default=None,
                        help="solve the same years with every trade source for the comparison with the paper, "
                             "side by side (default; --no-compare-sources compares this run's source only)")
    parser.add_argument("--third-pole", choices=list(pipe.THIRD_POLES), default=None,
                        help="a third superpower moving last: IND (India) or EU (its 27 members as one); "
                             "compared with the two-pole world (docs/many_poles.md)")
    parser.add_argument("--grid", type=integer(10, 2000), default=None,
                        help=f"the superpowers choose x/GRID, x = 0..GRID (default {GRID}, the paper's; "
                             f"{THIRD_POLE_GRID} with --third-pole)")
    parser.add_argument("--no-figures", action="store_true", help="write the tables only")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def add_trade_arguments(parser: argparse.ArgumentParser) -> None:
    """--trade and --estimates (also used by us-china-india)."""
    parser.add_argument("--trade", default=pipe.DEFAULT_TRADE, choices=list(pipe.TRADE_SOURCES),
                        help="dependencies from each country's own IMF DOTS reports (reporter, the paper's "
                             "construction; default) or from the US's and China's reports (mirror)")
    parser.add_argument("--estimates", default=None, choices=list(pipe.dots_.ESTIMATES),
                        help="with --trade reporter: keep (default) or drop the values the IMF flags as estimates "
                             "(dropped values are gaps, and footnote 27's zeros apply to them)")


def trade_choice(args: argparse.Namespace) -> tuple[str, str]:
    """(trade, estimates) from the options; --estimates is refused with --trade mirror."""
    if args.trade == "mirror":
        refuse_given(args, ("estimates",), "with --trade reporter")
    return args.trade, args.estimates or pipe.DEFAULT_ESTIMATES


def run(args: argparse.Namespace) -> int:
    if args.no_figures:
        refuse_given(args, ("figure_years",), "without --no-figures")
    years = pipe.parse_years(args.years) if args.years else None
    projection = pipe.parse_years(args.projection, step=5) if args.projection else None
    if years is None and projection is None:
        years, projection = pipe.parse_years(DEFAULT_YEARS), pipe.parse_years(DEFAULT_PROJECTION, step=5)
    if projection is not None and projection[0] <= pipe.BASE_YEAR:
        raise SpheresInputError(f"projection = {args.projection!r}; projected years must be after {pipe.BASE_YEAR}")
    fig_years = None
    if args.figure_years:
        try:
            fig_years = [int(y) for y in args.figure_years.split(",")]
        except ValueError as exc:
            raise SpheresInputError(f"figure-years = {args.figure_years!r}; expected years such as 2006,2019") from exc
        solved = set(years or ()) | set(projection or ())
        if any(y not in solved for y in fig_years):
            raise SpheresInputError(f"figure-years = {args.figure_years!r}; every year must be one this run solves")
    if args.third_pole is not None:
        refuse_given(args, ("compare_sources", "figure_years"), "without --third-pole")
        if args.india_gdp_scale != 1.0:
            raise SpheresInputError("--india-gdp-scale applies only without --third-pole")
        if args.trade == "mirror":
            raise SpheresInputError("--trade mirror applies only without --third-pole (a third pole needs each country's "
                                    "own reports of its trade with it)")
        from scenarios.us_china_poles import run_third_pole

        return run_third_pole(args, years, projection)
    grid = GRID if args.grid is None else args.grid
    sources = [trade_choice(args)]
    if args.compare_sources is not False:
        sources += [s for s in COMPARED_SOURCES if s != sources[0]]
    raw = pipe.load_raw(args.data_dir, trade=sorted({trade for trade, _ in sources}))
    runs = [solve_source(raw, trade, estimates, years, projection, ssp_model=args.ssp_model,
                         india_gdp_scale=args.india_gdp_scale, progress=not args.quiet, grid=grid)
            for trade, estimates in sources]
    main, out = runs[0], args.out
    if main.historical is not None:
        write_run(main.historical, out, not args.no_figures, fig_years or [2006, 2019])
    if main.projection is not None:
        write_run(main.projection, out, not args.no_figures, fig_years or [2030, 2035])
    if args.trade == "reporter":
        raw.dots.reporters.to_csv(out / "trade_reporters.csv", index=False)
    table = compare_with_paper(runs)
    table.to_csv(out / "comparison.csv", index=False)
    _print_summary(main, table, args)
    return 0


def _print_summary(main: SourceRun, table: pd.DataFrame, args) -> None:
    cols = ["year", "countries", "location_us", "location_cn", "members_us", "members_cn", "gdp_us_club", "gdp_cn_club"]
    for run_ in (main.historical, main.projection):
        if run_ is None:
            continue
        print(f"\n{run_.kind} equilibria ({main.label}; GDP in {run_.panel.gdp_unit}"
              + (f"; India's GDP x {args.india_gdp_scale:g}" if args.india_gdp_scale != 1.0 else "") + ")")
        print(run_.equilibria[cols].to_string(index=False, float_format=lambda x: f"{x:.3f}", na_rep="no club"))
    print("\ndata")
    print((main.historical.panel if main.historical is not None else main.reference).summary())
    if main.projection is not None:
        ssp = main.projection.panel.gaps.drop_duplicates("iso3")
        print(f"  projection: {len(ssp)} more left out for lack of SSP2 GDP ({args.ssp_model})"
              + (f": {', '.join(ssp['iso3'])}" if len(ssp) else ""))
    print("\ncomparison with the paper (Section 4), by trade source")
    sources = [label for label in table.columns[2:] if not label.startswith("why: ")]
    width = max(map(len, sources))
    for _, r in table.iterrows():
        print(f"  {r['result']} (paper: {r['paper']})")
        for label in sources:
            print(f"    {label:<{width}}  {r[label]}")
    print("the reason for each difference: comparison.csv (columns 'why: ...') and docs/us_china.md")
