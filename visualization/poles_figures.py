"""The three-pole analogue of Figure 6: club sizes and locations on the symmetric circle as g grows."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

POLE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def poles_figure(table, n: int, threshold: float, superpowers=("a", "b", "c")) -> Figure:
    """(a) each club's size, stacked; (b) each superpower's location, over g (``table`` from many_poles.sweep)."""
    fig = Figure(figsize=(10, 4.2), layout="constrained")
    ax_size, ax_loc = fig.subplots(1, 2)
    g = table["g"].to_numpy()
    sizes = [table[f"size_{name}"].to_numpy() for name in superpowers]
    ax_size.stackplot(g, *sizes, colors=POLE_COLOURS[: len(superpowers)], labels=[f"{s}'s club" for s in superpowers],
                      step="post", alpha=0.85)
    ax_size.axvline(threshold, color="black", lw=0.8, ls="--")
    ax_size.annotate("no club below\n$g_\\varnothing(n)$", (threshold, 0.5), xycoords=("data", "axes fraction"),
                     xytext=(-4, 0), textcoords="offset points", ha="right", va="center", fontsize=9)
    ax_size.set(xlabel="g (every dependency)", ylabel="members", title=f"(a) club sizes, n = {n}")
    ax_size.legend(loc="lower right", fontsize=8)
    for colour, name in zip(POLE_COLOURS, superpowers):
        loc = table[f"location_{name}"].to_numpy()
        ax_loc.plot(g, loc, drawstyle="steps-post", color=colour, lw=1.8, label=f"{name}'s good")
    homes = np.arange(len(superpowers)) / len(superpowers)
    for colour, home in zip(POLE_COLOURS, homes):
        ax_loc.axhline(home, color=colour, lw=0.6, ls=":")
    ax_loc.set(xlabel="g (every dependency)", ylabel="location on the circle", ylim=(-0.03, 1.0),
               title="(b) where the goods are (dotted: homes)")
    ax_loc.legend(loc="center right", fontsize=8)
    return fig


def pole_clubs_figure(three, two, poles, names, gdp_unit: str = "trillion current US$") -> Figure:
    """The US-China simulation with a third pole: (a) members and (b) club GDP of each pole's club over the
    years (solid), with the two-pole world's US and China clubs for comparison (dashed).

    ``three``: scenarios.us_china_poles.solve_poles's clubs table; ``two``: the two-pole run in the same form.
    """
    fig = Figure(figsize=(11, 4.4), layout="constrained")
    ax_n, ax_g = fig.subplots(1, 2)
    for colour, pole, name in zip(POLE_COLOURS, poles, names):
        mine = three[three["pole"] == pole].sort_values("year")
        for ax, col in ((ax_n, "members"), (ax_g, "club_gdp")):
            ax.plot(mine["year"], mine[col], color=colour, lw=2, marker="o", ms=3, label=f"{name}'s club")
        old = two[two["pole"] == pole].sort_values("year")
        if len(old):
            for ax, col in ((ax_n, "members"), (ax_g, "club_gdp")):
                ax.plot(old["year"], old[col], color=colour, lw=1.2, ls="--", label=f"{name}'s club, two poles")
    years = sorted(set(three["year"]))
    gap = [y for y in (2019, 2030) if years[0] <= y <= years[-1]]
    for ax in (ax_n, ax_g):
        if len(gap) == 2:
            ax.axvspan(2019, 2030, color="0.92", lw=0)
        ax.set_xlabel("year")
    ax_n.set(ylabel="members (countries)", title="(a) club members")
    ax_g.set(ylabel=f"members' GDP ({gdp_unit})", title="(b) club GDP, the superpower excluded")
    ax_n.legend(fontsize=7, loc="best")
    return fig
