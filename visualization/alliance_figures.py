"""Matplotlib figures of the alliance cost-sharing game (Agg backend; no display needed)."""

from __future__ import annotations

import textwrap
from collections import Counter
from fractions import Fraction
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from matplotlib import colormaps  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.offsetbox import AnchoredText  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from experiments.maps import EquilibriumMap, equilibrium_map  # noqa: E402
from visualization._layout import unclutter  # noqa: E402

__all__ = ["equilibrium_map_figure", "region_text", "boundaries", "GLOSSARY"]

_SYMBOL = {"l": "l", "pi": "π", "beta_low": "β̲", "beta_high": "β̄", "phi": "φ", "a_bar": "ā",
           "p_l": "p_l", "p_m": "p_m", "p_h": "p_h", "c_T": "c_T", "c_C": "c_C", "c_A": "c_A"}

GLOSSARY = (
    "How to read a region's name:\n"
    "Separating 1-3: the slides' propositions\n"
    "pool X: both types of A end the negotiation in X\n"
    "sep C:X/U:Y: the committed A in X, the uncommitted in Y\n"
    "  none: no offer    share: T pays the demand\n"
    "  free-ride: T refuses, A stays    withdraw: T refuses, A leaves\n"
    "+war: war on the equilibrium path\n"
    "line or dot: the region holds only on a boundary"
)
BOUNDARY_WIDTH = 6.0


def region_text(labels: frozenset) -> str:
    """The text of a region: its equilibria, propositions first, one per line."""
    return "\n".join(sorted(labels, key=lambda s: (not s.startswith("Separating"), s)))


def _exact(x) -> Fraction:
    return Fraction(repr(float(x)))  # the value the map's cell was solved at


def boundaries(data: EquilibriumMap) -> tuple[dict[int, str], dict[int, str], set[tuple[int, int]]]:
    """Where the map's grid lies exactly on a closed-form boundary of the (l, π) plane.

    Returns the columns on l = 0, the rows on π = β_low a* or π = π_high (each with its
    label), and the cells (row, column) on the curve l = l*(π). Empty for other axes.
    """
    if (data.x_name, data.y_name) != ("l", "pi"):
        return {}, {}, set()
    b = data.base
    columns = {i: "l = 0" for i, x in enumerate(data.xs) if _exact(x) == 0}
    rows = {}
    for j, y in enumerate(data.ys):
        if _exact(y) == b.pi_low:
            rows[j] = f"π = β̲a* = {float(b.pi_low):g}"
        elif _exact(y) == b.pi_high:
            rows[j] = f"π = π̄ = {float(b.pi_high):g}"
    curve = set()
    if b.a_bar > b.a_star:
        for j, y in enumerate(data.ys):
            l_star = ((1 + b.beta_low) * b.a_star - _exact(y)) / (b.a_bar - b.a_star)
            curve |= {(j, i) for i, x in enumerate(data.xs) if _exact(x) == l_star and i not in columns and j not in rows}
    return columns, rows, curve


def _edges(values: np.ndarray, on_boundary: dict[int, str]) -> tuple[np.ndarray, np.ndarray]:
    """The cells off the boundaries and their edges: neighbours of a boundary meet on it."""
    keep = np.array([k for k in range(len(values)) if k not in on_boundary])
    half = (values[1] - values[0]) / 2 if len(values) > 1 else 0.5
    edges = [values[keep[0]] - half]
    for a, b in zip(keep[:-1], keep[1:]):
        between = [values[k] for k in on_boundary if a < k < b]
        edges.append(between[0] if between else (values[a] + values[b]) / 2)
    edges.append(values[keep[-1]] + half)
    return keep, np.array(edges)


def equilibrium_map_figure(data: EquilibriumMap | None = None, *, base=None, path=None, title: str | None = None,
                           show_bounds: bool = True, **map_kwargs) -> Figure:
    """Draw an equilibrium map: every region coloured, labelled with the equilibria that hold
    there (its text near its centre when it is large, its number otherwise) and listed in
    the legend, with a glossary of the names.

    Pass a computed :class:`~experiments.maps.EquilibriumMap`, or ``base`` params and the
    keyword arguments of :func:`~experiments.maps.equilibrium_map`. On the default axes
    (l, π), with ``show_bounds``, the closed-form boundaries π = β_low a*, π = π_high,
    l = 0 and l = l*(π) are dashed and labelled, and grid cells that lie exactly on one
    (where the propositions' strict inequalities leave equilibria out) are drawn as lines
    or dots on it, not as bands. Saves to ``path`` when given; returns the Figure.
    """
    if data is None:
        if base is None:
            raise ValueError("give either data or base params")
        data = equilibrium_map(base, **map_kwargs)
    regions = data.regions()
    index = data.region_index()
    colours = colormaps["tab20"](np.arange(len(regions)) % 20)
    cmap = ListedColormap(colours)
    columns, rows, curve = boundaries(data) if show_bounds else ({}, {}, set())
    fig = Figure(figsize=(14, 7.5), layout="constrained")
    ax = fig.subplots()
    keep_x, x_edges = _edges(data.xs, columns)
    keep_y, y_edges = _edges(data.ys, rows)
    shown = index.copy()
    for j, i in curve:  # a cell on l = l*(π) is painted as its neighbours off the curve; a dot marks it
        around = [index[j + dj, i + di] for dj, di in ((0, -1), (0, 1), (-1, 0), (1, 0))
                  if 0 <= j + dj < index.shape[0] and 0 <= i + di < index.shape[1] and (j + dj, i + di) not in curve]
        shown[j, i] = Counter(around).most_common(1)[0][0] if around else index[j, i]
    ax.pcolormesh(x_edges, y_edges, shown[np.ix_(keep_y, keep_x)], cmap=cmap, vmin=-0.5, vmax=len(regions) - 0.5)
    span_x = {i: (x_edges[k], x_edges[k + 1]) for k, i in enumerate(keep_x)}
    span_y = {j: (y_edges[k], y_edges[k + 1]) for k, j in enumerate(keep_y)}
    for i in columns:
        for j in range(len(data.ys)):
            if j not in rows:
                ax.plot([data.xs[i]] * 2, span_y[j], color=colours[index[j, i]], lw=BOUNDARY_WIDTH, solid_capstyle="butt")
    for j in rows:
        for i in range(len(data.xs)):
            if i not in columns:
                ax.plot(span_x[i], [data.ys[j]] * 2, color=colours[index[j, i]], lw=BOUNDARY_WIDTH, solid_capstyle="butt")
    on_boundary: set[int] = set()
    dots = [(j, i) for j in rows for i in columns] + sorted(curve)
    for j, i in dots:
        ax.scatter([data.xs[i]], [data.ys[j]], s=90, color=colours[index[j, i]], edgecolors="black", linewidths=0.8,
                   zorder=4)
    for k in range(len(regions)):
        if all(j in rows or i in columns or (j, i) in curve for j, i in np.argwhere(index == k)):
            on_boundary.add(k)
    b = data.base
    labels = []
    if show_bounds and (data.x_name, data.y_name) == ("l", "pi"):
        lines = [("h", float(b.pi_low), f"π = β̲a* = {float(b.pi_low):g}"),
                 ("h", float(b.pi_high), f"π = π̄ = {float(b.pi_high):g}"), ("v", 0.0, "l = 0")]
        for kind, value, text in lines:
            if kind == "h" and data.ys[0] <= value <= data.ys[-1]:
                ax.axhline(value, ls="--", color="k", lw=0.8)
                labels.append(ax.annotate(text, (x_edges[-1], value), xytext=(-4, 0), textcoords="offset points",
                                          ha="right", va="center", fontsize=8, bbox=_white))
            elif kind == "v" and data.xs[0] <= value <= data.xs[-1]:
                ax.axvline(value, ls="--", color="k", lw=0.8)
                labels.append(ax.annotate(text, (value, y_edges[-1]), xytext=(0, -4), textcoords="offset points",
                                          ha="center", va="top", fontsize=8, bbox=_white))
        if b.a_bar > b.a_star:
            pis = np.linspace(y_edges[0], y_edges[-1], 200)
            lstar = ((1 + float(b.beta_low)) * float(b.a_star) - pis) / float(b.a_bar - b.a_star)
            inside = (lstar >= x_edges[0]) & (lstar <= x_edges[-1])
            if inside.any():
                ax.plot(lstar[inside], pis[inside], ls="--", color="k", lw=0.8)
                top = np.flatnonzero(inside)[-1]
                labels.append(ax.annotate("l = l*(π)", (lstar[top], pis[top]), xytext=(4, -4), textcoords="offset points",
                                          ha="left", va="top", fontsize=8, bbox=_white))
    ax.set_xlim(x_edges[0], x_edges[-1])
    ax.set_ylim(y_edges[0], y_edges[-1])
    ax.set_xlabel(_SYMBOL.get(data.x_name, data.x_name))
    ax.set_ylabel(_SYMBOL.get(data.y_name, data.y_name))
    ax.set_title(title or f"Pure-strategy PBE over ({data.x_name}, {data.y_name})")
    handles = [Patch(color=colours[k]) for k in range(len(regions))]
    names = [textwrap.fill(f"[{k + 1}] " + region_text(r).replace("\n", "; ")
                           + (" (on a boundary only)" if k in on_boundary else ""), 64, subsequent_indent="      ")
             for k, r in enumerate(regions)]
    ax.legend(handles, names, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False,
              title="regions: the equilibria that hold there", title_fontsize=8, alignment="left")
    ax.add_artist(AnchoredText(GLOSSARY, loc="lower left", bbox_to_anchor=(1.01, 0.0), bbox_transform=ax.transAxes,
                               prop={"fontsize": 7}, frameon=False, borderpad=0))
    fig.draw_without_rendering()  # the layout is final: place the region labels on it
    fig.set_layout_engine("none")
    total = index.size
    for k, names_k in enumerate(regions):
        cells = np.argwhere(index == k)
        if k not in on_boundary:  # label a region inside its area, not on a boundary line
            cells = np.array([c for c in cells if c[0] not in rows and c[1] not in columns and tuple(c) not in curve])
        jj, ii = cells[:, 0], cells[:, 1]
        best = np.argmin((jj - jj.mean()) ** 2 + (ii - ii.mean()) ** 2)
        text = f"[{k + 1}] " + region_text(names_k) if len(jj) >= 0.06 * total else f"{k + 1}"
        labels.append(ax.annotate(text, (data.xs[ii[best]], data.ys[jj[best]]), xytext=(0, 0), textcoords="offset points",
                                  ha="center", va="center", fontsize=7, bbox=_white))
    unclutter(labels, direction=(0.0, -1.0))
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=130)
    return fig


_white = dict(boxstyle="round,pad=0.2", fc="white", alpha=0.85, lw=0)
