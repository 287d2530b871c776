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
from scenarios._common import number, refuse_given

GRID = np.arange(501) / 500
"""The superpowers choose x/500 for integer x in [0, 500] (Section 4)."""
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


# --------------------------------------------------------------------------- solving
def world_for(panel: pipe.Panel, year: int) -> tuple[World, pd.DataFrame]:
    """The game of one year: the US is a (status quo), China b (challenger), L = {x/500}."""
    frame = panel.year(year)
    us, cn = panel.superpower(year, pipe.US), panel.superpower(year, pipe.CN)
    world = World.on_line(
        frame["location"].to_numpy(),
        frame["g_us"].to_numpy(),
        frame["g_cn"].to_numpy(),
        frame["gdp"].to_numpy(),
        omega_a=float(us["gdp"]),
        omega_b=float(cn["gdp"]),
        home_a=float(us["location"]),
        home_b=float(cn["location"]),
        locations=GRID,
        names=list(frame["iso3"]),
    )
    return world, frame


@dataclass(frozen=True)
class Run:
    """The equilibria of a range of years: tidy tables plus the solver outcomes."""

    kind: str  # "historical" or "projection"
    panel: pipe.Panel
    equilibria: pd.DataFrame
    members: pd.DataFrame
    outcomes: dict


def solve_years(panel: pipe.Panel, kind: str, *, progress: bool = True) -> Run:
    """Solve every year of ``panel`` (a tqdm bar over years) and tabulate the clubs."""
    eq_rows, member_frames, outcomes = [], [], {}
    for year in tqdm(panel.years, desc=f"us-china {kind}", unit="year", disable=not progress):
        world, frame = world_for(panel, year)
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


# --------------------------------------------------------------------------- comparison with the paper
def _first_year(mask: pd.Series) -> int | None:
    hits = mask[mask]
    return None if hits.empty else int(hits.index[0])


def compare_with_paper(panel: pipe.Panel, historical: Run | None, projection: Run | None,
                       base: Run | None = None) -> pd.DataFrame:
    """The paper's stated Section 4 results next to this run's, each difference explained.

    ``panel`` is the 2006-2019 panel (trade ratios); ``base`` the solved base year (2019),
    used for the projection rows when ``historical`` does not contain it.
    """
    if base is None and historical is not None and pipe.BASE_YEAR in historical.panel.years:
        base = historical
    rows = []
    n = panel.counts.set_index("year")["countries"]
    g = panel.mean_dependency().set_index("year")
    inputs = panel.inputs

    def row(result, paper, ours, explanation):
        rows.append(dict(result=result, paper=paper, this_run=ours, explanation=explanation))

    count = str(int(n.min())) if n.min() == n.max() else f"{int(n.min())}-{int(n.max())}"
    if projection is not None:
        pn = projection.panel.counts["countries"]
        count += f" (projection: {int(pn.min())})" if pn.min() == pn.max() else f" (projection: {int(pn.min())}-{int(pn.max())})"
    row("non-superpowers in the game", PAPER["countries"], count,
        "Paper: 145 countries with EIU index and reporter-side trade data 2006-2019. Here: every EIU country with "
        "a location and a GDP in each year and a mirror trade ratio in some year (see countries.csv for the "
        "left-out ones and why); mirror data exist for more countries than partner reports.")
    if 2006 in g.index:
        s06 = inputs[inputs["year"] == 2006]
        zero_cn = int((s06["g_cn"] == 0).sum())
        row("mean g_i,US in 2006", PAPER["mean_g_us_2006"], round(float(g.at[2006, "g_us"]), 3),
            "Close: US-reported flows (US exports FOB + imports CIF) over each partner's WDI merchandise trade; the "
            "residual is the sample (more small countries here), CIF/FOB valuation and the 2026 data vintage.")
        row("mean g_i,China in 2006", PAPER["mean_g_cn_2006"], round(float(g.at[2006, "g_cn"]), 3),
            f"Mirror data: China's own customs reports cover every partner from 2002, so only {zero_cn} of "
            f"{len(s06)} countries have g_i,China = 0 in 2006 here; in the paper the partner-reported China data are "
            "missing for many countries before 2015 and footnote 27 sets those to 0, which pulls its mean down.")
    if 2019 in g.index:
        s19 = inputs[inputs["year"] == 2019]
        capped_iso = sorted(set(panel.gaps.loc[panel.gaps["action"].eq("capped at 1")
                                               & panel.gaps["year"].between(2015, 2019)
                                               & panel.gaps["variable"].eq("g_CHN"), "iso3"]))
        wo = float(s19.loc[~s19["iso3"].isin(capped_iso), "g_cn"].mean())
        row("mean g_i,US in 2019", PAPER["mean_g_us_2019"], round(float(g.at[2019, "g_us"]), 3),
            "Close: same construction as 2006; the US share falls over time in both.")
        row("mean g_i,China in 2019", PAPER["mean_g_cn_2019"], round(float(g.at[2019, "g_cn"]), 3),
            "Higher: China-reported exports by declared destination exceed what partners record as imports from "
            "China (flag-of-convenience ship registries, transit trade); annual ratios above 1 are capped at 1 for "
            f"{', '.join(capped_iso) or 'no country'} in 2015-2019 (mean without them {wo:.3f}). The paper's "
            "2019 moving average also still contains footnote-27 zeros for the years before 2015 data existed.")
    if historical is not None:
        eq = historical.equilibria.set_index("year")
        first = _first_year(eq["members_cn"] > eq["members_us"])
        y0 = int(eq.index.min())
        row("first year China's club has more members than the US club", PAPER["first_year_cn_more_members"],
            f"not in {y0}-{int(eq.index.max())}" if first is None else
            (f"{first} or earlier (first year run)" if first == y0 and y0 > 2006 else first),
            _first_more_explanation(eq, inputs, first, y0))
        last = int(eq.index.max())
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
        if not india.empty:
            row(f"India's club in {int(india.index.max())}", "US club (Fig. 9b)", india.iloc[-1],
                f"Same: India's cost share in the US club is small at market exchange rates (its GDP is "
                f"{_india_us_ratio(historical.panel, int(india.index.max())):.2f} x the US's)." if india.iloc[-1] == pipe.US else
                "Differs: India's mirror dependency on China is higher here than in the paper's data.")
    if projection is not None:
        eq = projection.equilibria.set_index("year")
        india = club_of(projection.members, INDIA)
        if india.empty:
            row("year India leaves the US club", f"by {PAPER['india_leaves_us_by']}", "India not in the projection",
                "India has no SSP2 GDP in the chosen model.")
        else:
            left = _first_year(india != pipe.US)
            hist_india = club_of(base.members, INDIA).get(pipe.BASE_YEAR, "?") if base is not None else "?"
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
            _passing_explanation(projection, base, first, lo, hi))
    return pd.DataFrame(rows)


def _first_more_explanation(eq: pd.DataFrame, inputs: pd.DataFrame, first: int | None, y0: int) -> str:
    paper = PAPER["first_year_cn_more_members"]
    if first is None:
        return f"Differs: China's club never has more members than the US club in {y0}-{int(eq.index.max())}."
    if first == paper:
        return "Same year as the paper."
    if first > paper:
        return "Later than the paper: China's trade shares in these data rise more slowly than the paper's."
    s0 = inputs[inputs["year"] == y0]
    more = int((s0["g_cn"] > s0["g_us"]).sum())
    return (f"Earlier: with mirror data the China ratios are already high in {y0} (mean {eq.at[y0, 'mean_g_cn']:.2f}; "
            f"{more} of {len(s0)} countries trade more with China than with the US), so countries close to China "
            "join its club early; in the paper footnote 28 attributes the 2015-2017 rise to China's trade data "
            "becoming available (before that, footnote 27 zeros).")


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
                   "Later than the paper: the SSP vintage/model and India's mirror dependency differ.")


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
    growth = (f"From {g0} to {g1} China's club members' GDP grows from {eq.at[g0, 'gdp_cn_club']:.1f} to "
              f"{eq.at[g1, 'gdp_cn_club']:.1f}, the US club's from {eq.at[g0, 'gdp_us_club']:.1f} to "
              f"{eq.at[g1, 'gdp_us_club']:.1f}; China's club good sits at {eq.at[g1, 'location_cn']:.3f}. ")
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
    parser.add_argument("--no-figures", action="store_true", help="write the tables only")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


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
    raw = pipe.load_raw(args.data_dir)
    base_years = tuple(range(2006, pipe.BASE_YEAR + 1))
    reference = pipe.build_panel(raw, base_years)
    if args.india_gdp_scale != 1.0:
        reference = reference.with_gdp_scale(INDIA, args.india_gdp_scale)
    out = args.out
    progress = not args.quiet
    hist = proj = None
    if years is not None:
        panel = reference if years == base_years else pipe.build_panel(raw, years)
        if args.india_gdp_scale != 1.0 and panel is not reference:
            panel = panel.with_gdp_scale(INDIA, args.india_gdp_scale)
        hist = solve_years(panel, "historical", progress=progress)
        write_run(hist, out, not args.no_figures, fig_years or [2006, 2019])
    if projection is not None:
        panel = pipe.build_projection(reference, projection, model=args.ssp_model, data_dir=raw.data_dir)
        if args.india_gdp_scale != 1.0:
            panel = panel.with_gdp_scale(INDIA, args.india_gdp_scale)
        proj = solve_years(panel, "projection", progress=progress)
        write_run(proj, out, not args.no_figures, fig_years or [2030, 2035])
    base = None
    if proj is not None and (hist is None or pipe.BASE_YEAR not in hist.panel.years):
        base = solve_years(reference.subset([pipe.BASE_YEAR]), "historical", progress=False)
    table = compare_with_paper(reference, hist, proj, base)
    table.to_csv(out / "comparison.csv", index=False)
    _print_summary(hist, proj, table, args)
    return 0


def _print_summary(hist: Run | None, proj: Run | None, table: pd.DataFrame, args) -> None:
    cols = ["year", "countries", "location_us", "location_cn", "members_us", "members_cn", "gdp_us_club", "gdp_cn_club"]
    for run_ in (hist, proj):
        if run_ is None:
            continue
        print(f"\n{run_.kind} equilibria (GDP in {run_.panel.gdp_unit}"
              + (f"; India's GDP x {args.india_gdp_scale:g}" if args.india_gdp_scale != 1.0 else "") + ")")
        print(run_.equilibria[cols].to_string(index=False, float_format=lambda x: f"{x:.3f}", na_rep="no club"))
    print("\ncomparison with the paper (Section 4)")
    with pd.option_context("display.max_colwidth", 70, "display.width", 200):
        print(table[["result", "paper", "this_run"]].to_string(index=False))
    print("explanations: see comparison.csv (column 'explanation') and docs/us_china.md")
