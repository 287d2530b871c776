"""Matplotlib figures of the alliance cost-sharing game (Agg backend; no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402

from games.alliance.maps import EquilibriumMap, equilibrium_map  # noqa: E402

__all__ = ["equilibrium_map_figure", "region_text"]

_SYMBOL = {"l": "l", "pi": "π", "beta_low": "β̲", "beta_high": "β̄", "phi": "φ", "a_bar": "ā",
           "p_l": "p_l", "p_m": "p_m", "p_h": "p_h", "c_T": "c_T", "c_C": "c_C", "c_A": "c_A"}


def region_text(labels: frozenset) -> str:
    """The text of a region: its equilibria, propositions first, one per line."""
    return "\n".join(sorted(labels, key=lambda s: (not s.startswith("Separating"), s)))


def equilibrium_map_figure(data: EquilibriumMap | None = None, *, base=None, path=None, title: str | None = None,
                           show_bounds: bool = True, **map_kwargs):
    """Draw an equilibrium map; every region is coloured and labelled with the equilibria
    that hold there (text at a cell of the region near its centre, plus a legend).

    Pass a computed :class:`~games.alliance.maps.EquilibriumMap`, or ``base`` params and the
    keyword arguments of :func:`~games.alliance.maps.equilibrium_map`. With ``show_bounds``
    and the default axes (l, pi), the closed-form boundaries pi = beta_low a*,
    pi = pi_high and l = 0, l = l*(pi) are drawn as dashed lines. Saves to ``path`` when
    given; returns the matplotlib Figure.
    """
    if data is None:
        if base is None:
            raise ValueError("give either data or base params")
        data = equilibrium_map(base, **map_kwargs)
    regions = data.regions()
    index = data.region_index()
    cmap = ListedColormap(plt.get_cmap("tab20")(np.arange(len(regions)) % 20))
    fig, ax = plt.subplots(figsize=(13, 7))
    dx = (data.xs[1] - data.xs[0]) / 2 if len(data.xs) > 1 else 0.5
    dy = (data.ys[1] - data.ys[0]) / 2 if len(data.ys) > 1 else 0.5
    extent = (data.xs[0] - dx, data.xs[-1] + dx, data.ys[0] - dy, data.ys[-1] + dy)
    ax.imshow(index, origin="lower", extent=extent, aspect="auto", cmap=cmap, vmin=-0.5, vmax=len(regions) - 0.5,
              interpolation="nearest")
    total = index.size
    for k, labels in enumerate(regions):
        jj, ii = np.nonzero(index == k)
        cj, ci = jj.mean(), ii.mean()
        best = np.argmin((jj - cj) ** 2 + (ii - ci) ** 2)
        # large regions carry their equilibria as text, small ones their legend number
        text = f"[{k + 1}] " + region_text(labels) if len(jj) >= 0.06 * total else f"{k + 1}"
        ax.text(data.xs[ii[best]], data.ys[jj[best]], text, ha="center", va="center", fontsize=7,
                bbox=dict(boxstyle="round,pad=0.2", fc="white", alpha=0.75, lw=0))
    handles = [plt.Rectangle((0, 0), 1, 1, color=cmap(k)) for k in range(len(regions))]
    ax.legend(handles, [f"[{k + 1}] " + region_text(r).replace("\n", "; ") for k, r in enumerate(regions)],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    b = data.base
    if show_bounds and (data.x_name, data.y_name) == ("l", "pi"):
        ax.axhline(float(b.pi_low), ls="--", color="k", lw=0.8)
        ax.axhline(float(b.pi_high), ls="--", color="k", lw=0.8)
        ax.axvline(0.0, ls="--", color="k", lw=0.8)
        if b.a_bar > b.a_star:
            pis = np.linspace(data.ys[0], data.ys[-1], 200)
            lstar = ((1 + float(b.beta_low)) * float(b.a_star) - pis) / float(b.a_bar - b.a_star)
            ax.plot(lstar, pis, ls="--", color="k", lw=0.8)
            ax.set_xlim(extent[0], extent[1])
    ax.set_xlabel(_SYMBOL.get(data.x_name, data.x_name))
    ax.set_ylabel(_SYMBOL.get(data.y_name, data.y_name))
    ax.set_title(title or f"Pure-strategy PBE over ({data.x_name}, {data.y_name})")
    fig.tight_layout()
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=130)
    return fig
