"""Counterfactual India: scale India's GDP path and show when and why it leaves a club and who follows."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from tqdm import tqdm

from games.club import solve
from games.validation import SpheresInputError, check_size
from pipeline import us_china as pipe
from scenarios import _costs as cost
from scenarios.us_china import DEFAULT_PROJECTION, GDP_SCALE_MAX, INDIA, add_trade_arguments, trade_choice, world_for

DEFAULT_SCALES = "0.2,0.3,0.4,0.5,1"
OUTPUT = "out/us_china_india"


def india_terms(world, out, i: int) -> dict:
    """India's benefit, cost share (as a member, given the others in the club) and payoff in each club."""
    terms = {}
    for role, key, index, club, own in (("a", "us", out.index_a, out.club_a, world.omega_a),
                                        ("b", "cn", out.index_b, out.club_b, world.omega_b)):
        if index is None:
            terms.update({f"benefit_{key}": np.nan, f"share_{key}": np.nan, f"payoff_{key}": np.nan})
            continue
        benefit = float(world.benefit_of(role)[i, index])
        others = float(world.omega[club].sum() - (world.omega[i] if club[i] else 0.0))
        share = float(world.omega[i] / (own + others + world.omega[i]))
        terms.update({f"benefit_{key}": benefit, f"share_{key}": share, f"payoff_{key}": benefit - share})
    return terms


def panels(raw: pipe.RawData, years: tuple[int, ...], model: str, trade: str = pipe.DEFAULT_TRADE,
           estimates: str = pipe.DEFAULT_ESTIMATES) -> tuple[pipe.Panel, pipe.Panel]:
    """The 2006-2019 panel (its 2019 game in current US$) and the SSP2 projection (PPP) built on it."""
    base = pipe.build_panel(raw, range(2006, pipe.BASE_YEAR + 1), trade=trade, estimates=estimates)
    proj = pipe.build_projection(base, years, model=model, data_dir=raw.data_dir)
    return base, proj


def _solve_with(panel: pipe.Panel, year: int, india_gdp: float | None = None):
    world, frame = world_for(panel, year)
    i = list(frame["iso3"]).index(INDIA)
    if india_gdp is not None:
        world = world.with_omega(i, india_gdp)
    return world, frame, i, solve(world)


def run_scale(base: pipe.Panel, proj: pipe.Panel, scale: float, bar) -> tuple[list[dict], list[dict]]:
    """Solve 2019 and every projected year with India's GDP x ``scale``; detect India's moves."""
    rows, events = [], []
    steps = [(base.with_gdp_scale(INDIA, scale), pipe.BASE_YEAR)] + [
        (proj.with_gdp_scale(INDIA, scale), y) for y in proj.years]
    prev = None
    for panel, year in steps:
        world, frame, i, out = _solve_with(panel, year)
        clubs = np.where(out.club_a, pipe.US, np.where(out.club_b, pipe.CN, "none"))
        total = float(world.omega.sum() + world.omega_a + world.omega_b)
        row = dict(scale=scale, year=year, india_club=clubs[i], india_gdp=float(world.omega[i]),
                   india_gdp_share=float(world.omega[i]) / total,
                   location_us=out.location_a, location_cn=out.location_b,
                   members_us=int(out.club_a.sum()), members_cn=int(out.club_b.sum()),
                   gdp_us_club=float(world.omega[out.club_a].sum()), gdp_cn_club=float(world.omega[out.club_b].sum()),
                   **india_terms(world, out, i))
        rows.append(row)
        if prev is not None and prev["club"] != clubs[i]:
            events.append(_event(panel, year, world, frame, i, out, clubs, prev, scale))
        prev = dict(year=year, club=clubs[i], share=row["india_gdp_share"],
                    clubs=dict(zip(frame["iso3"], clubs)))
        bar.update(1)
    return rows, events


def _event(panel, year, world, frame, i, out, clubs, prev, scale) -> dict:
    """India changed club between prev['year'] and year: why, and who followed.

    The test: solve ``year`` again with India's GDP held at its previous share of the
    players' total GDP. If India then stays in its old club, the countries that are in
    that club in the held run but not in the actual run left *with* India: they follow.
    """
    others = float(world.omega.sum() - world.omega[i] + world.omega_a + world.omega_b)
    s = prev["share"]
    held_gdp = s * others / (1.0 - s)
    held = solve(world.with_omega(i, held_gdp))
    held_clubs = np.where(held.club_a, pipe.US, np.where(held.club_b, pipe.CN, "none"))
    old, new = prev["club"], clubs[i]
    iso = list(frame["iso3"])
    if held_clubs[i] == old:
        followers = [iso[j] for j in range(len(iso)) if j != i and held_clubs[j] == old and clubs[j] != old]
        driver = "India's own GDP growth (with its earlier GDP share it stays)"
    else:
        followers = []
        driver = "the others' GDP and the clubs' moves (India moves even at its earlier GDP share)"
    terms = india_terms(world, out, i)
    key = {"USA": "us", "CHN": "cn"}.get(old)
    why = driver
    if key and not np.isnan(terms[f"benefit_{key}"]):
        why += (f"; in the {old} club its cost share would be {terms[f'share_{key}']:.3f} against a benefit "
                f"g(1-d) = {terms[f'benefit_{key}']:.3f}")
    if prev["year"] == pipe.BASE_YEAR:
        why += (f"; note that from {pipe.BASE_YEAR} (current US$) to {year} (SSP2 PPP) every GDP also switches "
                "from market exchange rates to PPP, which raises India's share")
    moved_with = [f"{c} (to {clubs[iso.index(c)]})" for c in followers]
    return dict(scale=scale, year_from=prev["year"], year=year, from_club=old, to_club=new,
                india_gdp=float(world.omega[i]), held_club=held_clubs[i],
                followers=", ".join(moved_with), n_followers=len(followers), why=why)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scales", default=DEFAULT_SCALES,
                        help=f"comma-separated factors on India's GDP path (default {DEFAULT_SCALES})")
    parser.add_argument("--projection", default=DEFAULT_PROJECTION, metavar="FIRST-LAST",
                        help=f"projected years, 5-year steps (default {DEFAULT_PROJECTION}, as us-china); 2019 is always the start")
    parser.add_argument("--data-dir", default=None,
                        help=f"raw data folder (default: ${pipe.DATA_ENV} or ../shared/data/raw)")
    parser.add_argument("--ssp-model", default=pipe.DEFAULT_SSP_MODEL, choices=list(pipe.SSP_MODELS))
    add_trade_arguments(parser)
    parser.add_argument("--no-figures", action="store_true", help="write the tables only")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def parse_scales(text: str, seconds_each: float = 0.0) -> list[float]:
    """The distinct factors of ``--scales``, each in (0, GDP_SCALE_MAX]; their number limited by time."""
    expected = f"expected numbers in (0, {GDP_SCALE_MAX:g}] such as 0.5,1,2"
    try:
        scales = [float(x) for x in text.split(",") if x.strip()]
    except ValueError as exc:
        raise SpheresInputError(f"--scales = {text!r}; {expected}") from exc
    if not scales or any(not (np.isfinite(x) and 0 < x <= GDP_SCALE_MAX) for x in scales):
        raise SpheresInputError(f"--scales = {text!r}; {expected}")
    scales = sorted(set(scales))
    check_size("number of --scales", len(scales), seconds=lambda k: k * seconds_each, what="one path of games per scale")
    return scales


def run(args: argparse.Namespace) -> int:
    years = pipe.parse_years(args.projection, step=5)
    if years[0] <= pipe.BASE_YEAR:
        raise SpheresInputError(f"projection = {args.projection!r}; projected years must be after {pipe.BASE_YEAR}")
    scales = parse_scales(args.scales, 2 * (len(years) + 1) * cost.us_china_solve_seconds())  # a re-solve per move at most
    trade, estimates = trade_choice(args)
    raw = pipe.load_raw(args.data_dir, trade=trade)
    base, proj = panels(raw, years, args.ssp_model, trade, estimates)
    if INDIA not in set(proj.inputs["iso3"]):
        raise SpheresInputError(f"India is not a non-superpower of the projection ({proj.reason(INDIA)})")
    rows, events = [], []
    with tqdm(total=len(scales) * (len(years) + 1), desc="us-china-india", unit="game", disable=args.quiet) as bar:
        for scale in scales:
            r, e = run_scale(base, proj, scale, bar)
            rows += r
            events += e
    table = pd.DataFrame(rows)
    moves = pd.DataFrame(events, columns=["scale", "year_from", "year", "from_club", "to_club", "india_gdp",
                                          "held_club", "followers", "n_followers", "why"])
    out = args.out
    table.to_csv(out / "india_paths.csv", index=False)
    moves.to_csv(out / "india_moves.csv", index=False)
    if not args.no_figures:
        import matplotlib.pyplot as plt

        from visualization.us_china_figures import india_figure

        fig = india_figure(table, moves)
        fig.savefig(out / "india_counterfactual.png", dpi=130)
        plt.close(fig)
    print("India's club by year (rows: GDP scale; 2019 in current US$, later years SSP2 PPP)")
    print(table.pivot(index="scale", columns="year", values="india_club").to_string())
    print("\nIndia's moves (held = India's club when its GDP share is held at the previous step)")
    with pd.option_context("display.max_colwidth", 90, "display.width", 220):
        print(moves[["scale", "year_from", "year", "from_club", "to_club", "held_club", "n_followers", "followers"]]
              .to_string(index=False) if len(moves) else "  India never changes club")
    return 0
