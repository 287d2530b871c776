"""`run.py us-china --third-pole IND|EU`: the US-China simulation with a third superpower (docs/many_poles.md).

The US moves first, China second, the third pole last. India is one country; the EU is its 27
members as one superpower (GDP summed, home at their GDP-weighted location, every other
country's dependency from its trade with the 27). The same years are solved with two poles
for the comparison: what the third pole changes.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from tqdm import tqdm

from games.club import solve
from pipeline import us_china as pipe
from scenarios.us_china import world_for

POLE_NAMES = {pipe.US: "US", pipe.CN: "China", pipe.IND: "India", pipe.EU: "EU"}


def solve_poles(panel: pipe.Panel, kind: str, *, grid: int, progress: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every year of a K-pole panel on the locations x/grid: (clubs, members) tables, one row per (year, pole) and
    per (year, country)."""
    club_rows, member_frames = [], []
    for year in tqdm(panel.years, desc=f"us-china {kind}, poles {', '.join(panel.poles)}", unit="year", disable=not progress):
        world, frame = world_for(panel, year, grid)
        out = solve(world)
        gdp = frame["gdp"].to_numpy()
        clubs = np.full(len(frame), "none", dtype=object)
        for k, pole in enumerate(panel.poles):
            sp = panel.superpower(year, pole)
            members = out.club(k)
            clubs[members] = pole
            formed = out.indices[k] is not None
            club_rows.append(dict(
                run=kind, year=year, pole=pole, home=float(sp["location"]),
                location=float(out.location(k)) if formed else np.nan, members=int(members.sum()),
                club_gdp=float(gdp[members].sum()), club_gdp_with_pole=float(gdp[members].sum() + (sp["gdp"] if formed else 0.0)),
                pole_gdp=float(sp["gdp"]), payoff=out.payoffs[k],
            ))
        member_frames.append(frame.assign(run=kind, club=clubs)[["run", "year", "iso3", "name", "location", "gdp", "club"]])
    return pd.DataFrame(club_rows), pd.concat(member_frames, ignore_index=True)


def two_pole_clubs(members: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """The two-pole run's US and China clubs, in the long form of :func:`solve_poles`, counting only the
    ``countries`` (year, iso3) that are non-superpowers in the three-pole world too (the EU's 27 members
    are one superpower there)."""
    common = members.merge(countries[["year", "iso3"]], on=["year", "iso3"])
    rows = []
    for (run, year), frame in common.groupby(["run", "year"]):
        for pole in (pipe.US, pipe.CN):
            club = frame[frame["club"] == pole]
            rows.append(dict(run=run, year=year, pole=pole, members=len(club), club_gdp=float(club["gdp"].sum())))
    return pd.DataFrame(rows)


def run_third_pole(args: argparse.Namespace, years, projection) -> int:
    """Solve the three-pole world (and the two-pole one for comparison); write tables and the figure."""
    from scenarios.us_china import THIRD_POLE_GRID, solve_source, trade_choice

    grid = THIRD_POLE_GRID if args.grid is None else args.grid
    trade, estimates = trade_choice(args)
    raw = pipe.load_raw(args.data_dir, trade=[trade])
    base_years = tuple(range(2006, pipe.BASE_YEAR + 1))
    reference, proj_panel = pipe.third_pole(raw, args.third_pole, base_years, projection, model=args.ssp_model,
                                            estimates=estimates)
    parts, members = [], []
    for kind, panel in (("historical", None if years is None else (reference if years == base_years else reference.subset(years))),
                        ("projection", proj_panel)):
        if panel is not None:
            clubs, who = solve_poles(panel, kind, grid=grid, progress=not args.quiet)
            parts.append(clubs)
            members.append(who)
    three = pd.concat(parts, ignore_index=True)
    members = pd.concat(members, ignore_index=True)
    two_run = solve_source(raw, trade, estimates, years, projection, ssp_model=args.ssp_model, progress=not args.quiet,
                           grid=grid)
    two = pd.concat([two_pole_clubs(r.members, members) for r in (two_run.historical, two_run.projection)
                     if r is not None], ignore_index=True)
    out = args.out
    three.to_csv(out / "poles_clubs.csv", index=False)
    members.to_csv(out / "poles_members.csv", index=False)
    reference.countries.to_csv(out / "poles_countries.csv", index=False)
    changes = compare(three, two)
    changes.to_csv(out / "poles_vs_two_poles.csv", index=False)
    if not args.no_figures:
        from visualization.poles_figures import pole_clubs_figure

        names = [POLE_NAMES[p] for p in reference.poles]
        pole_clubs_figure(three, two, list(reference.poles), names, gdp_unit=reference.gdp_unit).savefig(
            out / "poles_figure.png", dpi=130)
    print(reference.summary())
    print(f"\nthree superpowers (US, China, {POLE_NAMES[args.third_pole]}), each country's own trade reports, "
          f"goods at x/{grid}:")
    shown = three.pivot_table(index="year", columns="pole", values=["members", "club_gdp"], sort=False)
    print(shown.to_string(float_format=lambda x: f"{x:.2f}"))
    print("\nagainst the two-pole world (members and club GDP of the countries that are non-superpowers in both worlds, "
          "the superpowers excluded; + gained, - lost):")
    print(changes.to_string(index=False, float_format=lambda x: f"{x:+.2f}"))
    return 0


def compare(three: pd.DataFrame, two: pd.DataFrame) -> pd.DataFrame:
    """Per year, how the US's and China's clubs change when the third pole plays."""
    key = ["year", "pole"]
    both = three[three["pole"].isin([pipe.US, pipe.CN])].merge(two, on=key, suffixes=("", "_two"))
    rows = []
    for year, g in both.groupby("year"):
        row = {"year": year}
        for _, r in g.iterrows():
            name = POLE_NAMES[r["pole"]]
            row[f"{name} members"] = int(r["members"] - r["members_two"])
            row[f"{name} club GDP"] = float(r["club_gdp"] - r["club_gdp_two"])
        third = three[(three["year"] == year) & ~three["pole"].isin([pipe.US, pipe.CN])].iloc[0]
        row[f"{POLE_NAMES[third['pole']]} members"] = int(third["members"])
        row[f"{POLE_NAMES[third['pole']]} club GDP"] = float(third["club_gdp"])
        rows.append(row)
    return pd.DataFrame(rows)
