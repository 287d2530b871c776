"""Figures 8, 9 and 10 of *The Power of Non-Superpowers* (Section 4) from the us-china tables.

Inputs are the tidy tables the ``us-china`` scenario writes:

* ``equilibria``: one row per year (columns year, members_us, members_cn, gdp_us_club,
  gdp_cn_club, gdp_us_club_with_us, gdp_cn_club_with_cn, location_us, location_cn,
  home_us, home_cn, gdp_us, gdp_cn, mean_g_us, mean_g_cn, countries);
* ``members``: one row per (year, non-superpower) (columns year, iso3, name, location,
  gdp, club in {'USA', 'CHN', 'none'}).

Bar heights follow the paper's note: ln(x + 1.03) with x the GDP in trillions; the 30
largest economies of the year are captioned.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from games.validation import SpheresInputError  # noqa: E402
from visualization._layout import unclutter  # noqa: E402

US_COLOR = "#1f4e9c"
CN_COLOR = "#c8102e"
NONE_COLOR = "#9a9a9a"
CLUB_COLORS = {"USA": US_COLOR, "CHN": CN_COLOR, "none": NONE_COLOR}
TOP = 30
SHIFT = 1.03
_WHITE = dict(boxstyle="square,pad=0.1", fc="white", ec="none", alpha=0.9)


def bar_height(gdp_trillions) -> np.ndarray:
    """The paper's bar height ln(x + 1.03), x = GDP in trillions (keeps small economies visible)."""
    return np.log(np.asarray(gdp_trillions, dtype=float) + SHIFT)


def figure8(equilibria: pd.DataFrame, *, gdp_unit: str = "trillion current US$", title: str | None = None) -> Figure:
    """Figure 8: (a) number of club members, (b) total GDP of club members, per year."""
    eq = equilibria.sort_values("year")
    if eq.empty:
        raise SpheresInputError("figure8 needs at least one year of equilibria")
    fig = Figure(figsize=(11, 5), layout="constrained")
    ax_n, ax_g = fig.subplots(1, 2)
    years = eq["year"].to_numpy()
    ax_n.plot(years, eq["members_us"], "o-", color=US_COLOR, label="US club")
    ax_n.plot(years, eq["members_cn"], "s-", color=CN_COLOR, label="China club")
    ax_n.plot(years, eq["countries"] - eq["members_us"] - eq["members_cn"], ":", color=NONE_COLOR, label="no club")
    ax_n.set_title("(a) Number of club members")
    ax_n.set_ylabel("non-superpowers")
    ax_g.plot(years, eq["gdp_us_club"], "o-", color=US_COLOR, label="US club members")
    ax_g.plot(years, eq["gdp_cn_club"], "s-", color=CN_COLOR, label="China club members")
    ax_g.plot(years, eq["gdp_us_club_with_us"], "o--", color=US_COLOR, alpha=0.5, label="... with the US")
    ax_g.plot(years, eq["gdp_cn_club_with_cn"], "s--", color=CN_COLOR, alpha=0.5, label="... with China")
    ax_g.set_title("(b) Total GDP of club members")
    ax_g.set_ylabel(f"GDP ({gdp_unit})")
    for ax, ncol in ((ax_n, 3), (ax_g, 2)):  # legends below the axes, never over the lines
        ax.set_xlabel("year")
        ax.grid(alpha=0.3)
        if len(years) <= 20:
            ax.set_xticks(years)
            ax.tick_params(axis="x", labelrotation=60)
        ax.legend(frameon=False, fontsize=8, ncol=ncol, loc="upper center", bbox_to_anchor=(0.5, -0.3))
    n = int(eq["countries"].max())
    fig.suptitle(title or f"The club formation of two superpowers with {n} non-superpowers")
    return fig


def country_bars(ax, members: pd.DataFrame, row: pd.Series, *, caption: str = "", top: int = TOP) -> None:
    """One panel of Figures 9/10: each country a bar at its location, coloured by its club.

    The ``top`` largest economies are captioned above their bars; a caption that would
    collide with another caption or a bar is lifted, with a leader line, until it is clear
    (the y axis grows to make room). Call it once the figure's layout is final: the
    captions are placed in pixels.
    """
    m = members.sort_values("location")
    colors = m["club"].map(CLUB_COLORS).fillna(NONE_COLOR)
    ax.bar(m["location"], bar_height(m["gdp"]), width=0.004, color=colors, linewidth=0)
    captions = []
    for iso, home, gdp, color in (("USA", row["home_us"], row["gdp_us"], US_COLOR),
                                  ("CHN", row["home_cn"], row["gdp_cn"], CN_COLOR)):  # superpowers at home, hatched
        h = float(bar_height(gdp))
        ax.bar([home], [h], width=0.006, color=color, edgecolor="black", hatch="///", linewidth=0.5)
        captions.append(ax.annotate(iso, (home, h), xytext=(0, 3), textcoords="offset points", ha="center",
                                    va="bottom", fontsize=7, fontweight="bold", bbox=_WHITE))
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(0, float(bar_height(max(m["gdp"].max(), row["gdp_us"], row["gdp_cn"]))) * 1.15)
    goods = []  # club goods: dashed lines, labelled above the axes
    for loc, color, label in ((row["location_us"], US_COLOR, r"$\ell_{US}$"), (row["location_cn"], CN_COLOR, r"$\ell_{China}$")):
        if pd.notna(loc):
            ax.axvline(loc, color=color, linestyle="--", linewidth=1)
            goods.append(ax.annotate(f"{label} = {loc:.3f}", (loc, 1.0), xycoords=ax.get_xaxis_transform(),
                                     xytext=(0, 3), textcoords="offset points", color=color, ha="center", va="bottom",
                                     fontsize=8))
    unclutter(goods)
    legend = ax.legend(handles=[Patch(color=US_COLOR, label=f"US club ({int(row['members_us'])})"),
                                Patch(color=CN_COLOR, label=f"China club ({int(row['members_cn'])})"),
                                Patch(color=NONE_COLOR, label="no club")], fontsize=7, ncol=3, frameon=False)
    lines = [ax.transData.transform((x, 0))[0] for x in (row["location_us"], row["location_cn"]) if pd.notna(x)]
    for loc in ("upper center", "upper left", "upper right"):  # where no club good's line runs
        legend.set_loc(loc)
        box = legend.get_window_extent()
        if not any(box.x0 - 4 <= x <= box.x1 + 4 for x in lines):
            break
    for _, r in m.nlargest(top, "gdp").iterrows():
        captions.append(ax.annotate(r["iso3"], (r["location"], float(bar_height(r["gdp"]))), xytext=(0, 3),
                                    textcoords="offset points", rotation=90, ha="center", va="bottom", fontsize=6,
                                    bbox=_WHITE, arrowprops=dict(arrowstyle="-", lw=0.4, color="0.55", shrinkA=0, shrinkB=0)))
    _place_captions(ax, captions, legend)
    ax.set_xlabel("location (0 = most democratic)")
    ax.set_ylabel("ln(GDP + 1.03)")
    ax.set_title(caption, fontsize=10, pad=16)


def _place_captions(ax, captions, legend) -> None:
    """Lift captions clear of each other, of every bar and of the legend; raise the y limit
    (up to six times) until they fit under the top of the axes."""
    for attempt in range(7):
        for caption in captions:
            caption.xyann = (0, 3)
        avoid = [p.get_window_extent() for p in ax.patches] + [legend.get_window_extent()]
        boxes = unclutter(captions, avoid=avoid)
        needed = ax.transData.inverted().transform((0, max(b.y1 for b in boxes) + 3))[1]
        low, high = ax.get_ylim()
        if needed <= high or attempt == 6:
            return
        ax.set_ylim(low, low + (needed - low) * 1.05)


def _bars_figure(members: pd.DataFrame, equilibria: pd.DataFrame, years: Sequence[int], captions: Sequence[str],
                 title: str, note: str) -> Figure:
    """One panel per year, stacked; the layout is fixed first, then the bars are captioned on it."""
    fig = Figure(figsize=(12, 4.6 * len(years)), layout="constrained")
    axes = fig.subplots(len(years), 1, squeeze=False)[:, 0]
    fig.suptitle(title)
    fig.text(0.01, 0.002, note, fontsize=7, ha="left", va="bottom")
    fig.get_layout_engine().set(rect=(0, 0.02, 1, 0.98))
    rows = []
    for ax, year, caption in zip(axes, years, captions):
        row = equilibria[equilibria["year"] == year]
        part = members[members["year"] == year]
        if row.empty or part.empty:
            raise SpheresInputError(f"no equilibrium for year {year} to draw (have {sorted(equilibria['year'])})")
        rows.append((part, row.iloc[0]))
        ax.set_title(caption, fontsize=10, pad=16)  # what the layout must leave room for
        ax.set_xlabel("location")
        ax.set_ylabel("ln(GDP + 1.03)")
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    for ax, (part, row), caption in zip(axes, rows, captions):
        country_bars(ax, part, row, caption=caption)
    return fig


def figure9(members: pd.DataFrame, equilibria: pd.DataFrame, years: Sequence[int] = (2006, 2019)) -> Figure:
    """Figure 9: the choices of the US, China and the other countries in two years."""
    captions = []
    for label, year in zip("abcdefgh", years):
        row = equilibria[equilibria["year"] == year]
        if row.empty:
            raise SpheresInputError(f"no equilibrium for year {year} to draw (have {sorted(equilibria['year'])})")
        r = row.iloc[0]
        captions.append(f"({label}) {year}: mean g_i,US = {r['mean_g_us']:.2f} and mean g_i,China = {r['mean_g_cn']:.2f}")
    n = int(equilibria["countries"].max())
    return _bars_figure(members, equilibria, years, captions, f"The choices of the US and China and {n} other countries",
                        "Note: the bar depicts ln(x + 1.03) where x is GDP in trillion current USD. "
                        f"The top {TOP} GDP countries are captioned.")


def figure10(members: pd.DataFrame, equilibria: pd.DataFrame, years: Sequence[int] = (2030, 2035), *,
             gdp_unit: str = "trillion PPP US$") -> Figure:
    """Figure 10: the projected clubs in two years, with who left which club between them."""
    captions = []
    prev = None
    for label, year in zip("abcdefgh", years):
        row = equilibria[equilibria["year"] == year]
        if row.empty:
            raise SpheresInputError(f"no equilibrium for year {year} to draw (have {sorted(equilibria['year'])})")
        r = row.iloc[0]
        text = (f"({label}) {year}: club GDP (members only) US {r['gdp_us_club']:.1f}, "
                f"China {r['gdp_cn_club']:.1f} {gdp_unit}")
        now = members[members["year"] == year].set_index("iso3")["club"]
        if prev is not None:
            moved = [iso for iso in now.index if iso in prev.index and prev[iso] != now[iso]]
            if moved:
                text += "; changed club since the panel above: " + ", ".join(moved[:12]) + ("..." if len(moved) > 12 else "")
        captions.append(textwrap.fill(text, 150))
        prev = now
    n = int(equilibria["countries"].max())
    return _bars_figure(members, equilibria, years, captions,
                        f"Projected clubs of the US and China with {n} non-superpowers",
                        f"Note: the bar depicts ln(x + 1.03) where x is GDP in {gdp_unit} (SSP2). "
                        f"The top {TOP} GDP countries are captioned.")


def india_figure(paths: pd.DataFrame, moves: pd.DataFrame) -> Figure:
    """The India counterfactual: India's club by year for each GDP scale, and its terms in the US club."""
    if paths.empty:
        raise SpheresInputError("india_figure needs at least one solved year")
    scales = sorted(paths["scale"].unique())
    fig = Figure(figsize=(11, 7.5), layout="constrained")
    ax_c, ax_p = fig.subplots(2, 1, sharex=True)
    for k, scale in enumerate(scales):
        part = paths[paths["scale"] == scale].sort_values("year")
        ax_c.scatter(part["year"], np.full(len(part), k), c=part["india_club"].map(CLUB_COLORS).fillna(NONE_COLOR),
                     s=60, marker="s")
        ax_p.plot(part["year"], part["payoff_us"], "o-", label=f"x{scale:g}")
    for _, m in moves.iterrows():
        k = scales.index(m["scale"])
        ax_c.annotate(f"{m['from_club']}->{m['to_club']}" + (f" +{int(m['n_followers'])}" if m["n_followers"] else ""),
                      (m["year"], k), xytext=(0, 9), textcoords="offset points", ha="center", fontsize=7)
    ax_c.set_yticks(range(len(scales)), [f"x{s:g}" for s in scales])
    ax_c.set_ylim(-0.6, len(scales) - 0.3)
    ax_c.set_ylabel("India's GDP scale")
    ax_c.set_title("(a) India's club (blue: US, red: China, grey: none); +n = countries that follow India")
    ax_c.legend(handles=[Patch(color=c, label=k) for k, c in CLUB_COLORS.items()], fontsize=7, loc="lower right")
    ax_p.axhline(0, color="black", linewidth=0.8)
    ax_p.set_ylabel("benefit - cost share")
    ax_p.set_title("(b) India's payoff in the US club at the US location (as a member); < 0: it leaves")
    ax_p.set_xlabel("year (2019: data in current US$; later: SSP2 PPP)")
    ax_p.legend(title="India's GDP", fontsize=7, ncol=len(scales))
    for ax in (ax_c, ax_p):
        ax.grid(alpha=0.3)
    return fig
