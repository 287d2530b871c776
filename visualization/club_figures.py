"""Figures 2, 3, 5, 6 and 7 of *The Power of Non-Superpowers*, drawn from the solver's output.

Every figure function returns a matplotlib ``Figure`` (no pyplot state); :func:`save` writes
one. Colours come from one palette, :func:`club_colour`, indexed by the superpower's place
in the move order (0: a, 1: b, ...), shared with the visual server. :func:`draw_line` draws
the ideological line (Figure 2 and the server's line panel).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from games.club import member_payoff  # noqa: E402
from games.club import theory as th  # noqa: E402
from experiments.sweeps import CLUB_A, CLUB_B, CLUB_BOTH  # noqa: E402
from visualization._layout import unclutter  # noqa: E402

PALETTE = ("#1f5fbf", "#c8312b", "#2a9d4b", "#e08a00", "#1b9e9e", "#a65628", "#e377c2", "#6b6b00")
NO_CLUB_COLOUR = "#b0b0b0"
BOTH_COLOUR = "#7b3fa0"  # Figure 5: both superpowers form a club


def club_colour(k: int | None) -> str:
    """The colour of the club of the k-th superpower in the move order (0: a, 1: b, ...);
    grey for ``None`` (no club). Every figure and the visual server use it."""
    return NO_CLUB_COLOUR if k is None else PALETTE[k % len(PALETTE)]


A_COLOUR, B_COLOUR = club_colour(0), club_colour(1)
HOME_MARKERS = ("s", "D", "^", "v", "P", "X", "p", "h")


def save(fig: Figure, path: str | Path, dpi: int = 150) -> Path:
    """Write ``fig`` to ``path`` (folders created), trimmed to what is drawn."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    return path


def _number(x) -> str:
    return f"{float(x):.3g}" if np.issubdtype(np.asarray(x).dtype, np.number) else str(x)


# ------------------------------------------------------------------------------ the line
def stack_levels(x: np.ndarray, separation: float = 1e-9) -> np.ndarray:
    """0 for a country with no earlier one within ``separation`` of it, else the lowest level
    not taken by those: where to stack each country so that no two markers cover each other."""
    levels = np.zeros(len(x), dtype=int)
    for i in range(len(x)):
        taken = set(levels[:i][np.abs(x[:i] - x[i]) < separation])
        while levels[i] in taken:
            levels[i] += 1
    return levels


def draw_line(ax, x: np.ndarray, clubs: Sequence[int | None], omega: np.ndarray, names: Sequence[str], *,
              superpowers: Sequence[str] = ("a", "b"), homes: Sequence[float | None] = (None, None),
              goods: Sequence[float | None] = (None, None), locations: np.ndarray | None = None,
              labels: Sequence[str] | None = None, max_labels: int = 12) -> None:
    """The ideological line on ``ax`` (whose layout must be final: stacks are sized in points).

    Each country is a marker at its position ``x``, coloured by its club (``clubs[i]``: the
    index of its superpower, None for no club), its area growing with its endowment; countries
    at one position are stacked upwards. ``labels`` (default: the names) are written next
    to the markers when there are at most ``max_labels`` countries, moved apart until no two
    collide. Each superpower's home is a marker below the line, its club good a star above.
    The collections carry gids: ``countries-<club>``, ``home-<name>``, ``good-<name>``.
    """
    fig = ax.get_figure(root=True)
    ax.set_xlim(-0.1, 1.1)
    ax.set_ylim(-0.8, 0.8)
    ax.set_yticks([])
    ax.axhline(0.0, color="#404040", lw=1, zorder=1)
    if locations is not None:
        ax.plot(locations, np.zeros_like(locations), "|", color="#808080", ms=10, zorder=1)
    width_pt = ax.get_position().width * fig.get_figwidth() * 72
    height_pt = ax.get_position().height * fig.get_figheight() * 72
    pt_x, pt_y = 1.2 / width_pt, 1.6 / height_pt  # data units per point
    area = 30 + 220 * omega / omega.max()  # marker area (points^2) grows with the endowment
    gaps = np.diff(np.unique(np.round(x, 9)))
    typical = np.median(gaps) / pt_x if len(gaps) else np.inf
    diameter = 2 * np.sqrt(area.max() / np.pi)
    if typical < diameter:  # a crowded line: shrink every marker alike
        area = np.maximum(area * (0.9 * typical / diameter) ** 2, 12.0)
        diameter = 2 * np.sqrt(area.max() / np.pi)
    step = diameter + 3  # points between two stacked countries
    y = stack_levels(x, diameter * pt_x) * step * pt_y  # markers that would still touch are stacked
    for club in sorted({c for c in clubs if c is not None}) + ([None] if None in clubs else []):
        members = [i for i, c in enumerate(clubs) if c == club]
        label = "no club" if club is None else f"member of {superpowers[club]}'s club"
        ax.scatter(x[members], y[members], s=area[members], c=club_colour(club), edgecolors="black", linewidths=0.6,
                   zorder=3, label=label, gid=f"countries-{'none' if club is None else superpowers[club]}")
    texts = []
    for k, (name, home) in enumerate(zip(superpowers, homes)):
        if home is not None:
            ax.scatter([home], [-0.45], marker=HOME_MARKERS[k % len(HOME_MARKERS)], s=90, c=club_colour(k),
                       edgecolors="black", zorder=3, label=f"home of {name}", gid=f"home-{name}")
            texts.append(ax.annotate(f"home of {name}", (home, -0.45), xytext=(0, -16), textcoords="offset points",
                                     ha="center", va="center", fontsize=8))
    top = max(0.45, float(y.max()) + step * pt_y)
    for k, (name, good) in enumerate(zip(superpowers, goods)):
        if good is not None:
            ax.plot([good] * 2, [0, top], ls="--", color=club_colour(k), lw=1, zorder=2)
            ax.scatter([good], [top], marker="*", s=320, c=club_colour(k), edgecolors="black", zorder=4,
                       label=f"club good of {name}", gid=f"good-{name}")
    ax.set_ylim(-0.8, max(0.8, top + 0.3))
    if len(x) <= max_labels:
        below = [ax.annotate(text, (x[i], y[i]), xytext=(0, -14) if y[i] == 0 else (11, 0), textcoords="offset points",
                             ha="center" if y[i] == 0 else "left", va="center", fontsize=9)
                 for i, text in enumerate(labels or names)]
        texts = texts + below
    unclutter(texts, direction=(0.0, -1.0))
    legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=8, frameon=False)
    for handle in legend.legend_handles:  # one size in the legend, whatever the endowments
        if hasattr(handle, "set_sizes"):
            handle.set_sizes([50])


# ------------------------------------------------------------------------------ Figure 2
def _club_payoffs(world, clubs: Sequence[int | None], goods: Sequence[int]) -> np.ndarray:
    """Each country's payoff (SU1/SU2) when ``clubs[i]`` is its club (None: no club, payoff 0)
    and superpower k's good is at location index ``goods[k]``."""
    weight = world.cost_share.weights(world.omega)
    u = np.zeros(world.n_countries)
    for k, (g, omega_k) in enumerate(((world.g_a, world.omega_a), (world.g_b, world.omega_b))):
        members = np.array([c == k for c in clubs])
        if members.any():
            club_weight = float(world.cost_share.weights(omega_k)) + weight[members].sum()
            benefit = g * (1.0 - world.distance[:, goods[k]])
            u[members] = member_payoff(benefit, weight, club_weight)[members]
    return u


def figure2(world, index_a: int, index_b: int) -> Figure:
    """Figure 2, the first-mover advantage of a: with a's good at ``index_a`` and b's at
    ``index_b`` both "all four in a's club" (a) and "all four in b's club" (b) are in the
    stage-two core; (c) each country's payoff in these two and when only 3 and 4 go to b:
    3 and 4 gain only if 1 and 2 come too, and 1 and 2 are better off with a."""
    n = world.n_countries
    x = np.asarray(world.positions, dtype=float)
    goods = (index_a, index_b)
    at = (float(world.locations[index_a]), float(world.locations[index_b]))
    half = n // 2
    cases = {
        "all in a's club": [0] * n,
        "all in b's club": [1] * n,
        f"only {', '.join(world.names[half:])} in b's club": [0] * half + [1] * (n - half),
    }
    payoffs = {name: _club_payoffs(world, clubs, goods) for name, clubs in cases.items()}
    fig = Figure(figsize=(11, 8))
    grid = fig.add_gridspec(2, 2, height_ratios=(1, 1.1), left=0.08, right=0.98, top=0.9, bottom=0.08,
                            hspace=0.55, wspace=0.12)
    for col, (name, letter) in enumerate(zip(list(cases)[:2], "ab")):
        ax = fig.add_subplot(grid[0, col])
        clubs = cases[name]
        labels = [f"{c}: u = {u:.3f}" for c, u in zip(world.names, payoffs[name])]
        draw_line(ax, x, clubs, np.asarray(world.omega, float), world.names, homes=(world.home_a, world.home_b),
                  goods=at, locations=np.asarray(world.locations, float), labels=labels)
        ax.set_xlabel("ideological position")
        ax.set_ylabel("countries (stacked)")
        ax.set_title(f"({letter}) {name}: in the stage-two core", fontsize=10)
    ax = fig.add_subplot(grid[1, :])
    pos = np.arange(n)
    colours = (A_COLOUR, B_COLOUR, "#e08a00")
    for k, (name, u) in enumerate(payoffs.items()):
        ax.bar(pos + (k - 1) * 0.26, u, width=0.26, color=colours[k], label=name)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(pos, [f"country {c}" for c in world.names])
    ax.set_ylabel("payoff (benefit - cost share)")
    ax.set_xlabel("non-superpower")
    ax.set_title("(c) 3 and 4 gain in b's club only if 1 and 2 come too, and 1 and 2 are better off with a: "
                 "all four stay with a", fontsize=10)
    low, high = min(min(u) for u in payoffs.values()), max(max(u) for u in payoffs.values())
    ax.set_ylim(min(0.0, low) - 0.05, high + 0.25 * (high - min(0.0, low)))
    ax.legend(loc="upper center", ncol=3, fontsize=8, frameon=False)
    fig.suptitle(f"Figure 2: the first-mover advantage of a (a's good at {at[0]:.3g}, b's at {at[1]:.3g})")
    return fig


# ------------------------------------------------------------------------------ Figure 3
def best_replies(table: dict, world) -> tuple[np.ndarray, int]:
    """Backward induction on a payoff table (``games.club.payoff_table``; index K is "no
    club"): b's best reply to each of a's choices, and a's choice. Ties go to the location
    closest to home (A1); a zero payoff is no club (A2)."""
    k = world.n_locations

    def best(payoffs: np.ndarray, home_distance: np.ndarray) -> int:
        value = payoffs[:k].max()
        if value <= 1e-9:  # A2: no club
            return k
        tied = np.flatnonzero(payoffs[:k] >= value - 1e-9)
        return int(tied[np.argmin(home_distance[tied])])  # A1: closest to home

    replies = np.array([best(table["payoff_b"][i], world.home_distance_b) for i in range(k + 1)])
    choice = best(table["payoff_a"][np.arange(k + 1), replies], world.home_distance_a)
    return replies, choice


def figure3(world, table: dict) -> Figure:
    """Figure 3, the game tree of a small world: a's choices, b's replies, and the payoffs
    (U_a, U_b) at the leaves. The equilibrium path is red; b's best replies blue."""
    k = world.n_locations
    options = [*(_number(v) for v in world.locations), "none"]
    replies, choice = best_replies(table, world)
    n_leaves = (k + 1) ** 2
    width = max(10.0, n_leaves * 0.42)
    fig = Figure(figsize=(width, 6.2))
    ax = fig.add_axes((0.05, 0.16, 0.94, 0.72))
    ax.set_xlim(-2.2, n_leaves)
    ax.set_ylim(-0.62, 2.25)
    ax.axis("off")
    root = ((n_leaves - 1) / 2, 2.0)
    ax.plot(*root, "o", color="black", ms=4)
    ax.annotate("a", root, xytext=(0, 5), textcoords="offset points", ha="center", va="bottom", fontsize=13,
                fontweight="bold")
    for ia in range(k + 1):
        xa = ia * (k + 1) + k / 2
        path_a = ia == choice
        ax.plot([root[0], xa], [2.0, 1.0], color="red" if path_a else "0.6", lw=2.5 if path_a else 1, zorder=1)
        ax.plot(xa, 1.0, "o", color="black", ms=3)
        # a's choice beside the lower end of its branch, b's node below
        # a's choice written along its branch, just above it; b's node labelled away from the root
        (x0, y0), (x1, y1) = ax.transData.transform([(xa, 1.0), root])
        angle = np.degrees(np.arctan2(y1 - y0, x1 - x0))
        angle = angle - 180 if angle > 90 else angle
        ax.annotate(f"$\\ell_a$ = {options[ia]}", (xa + 0.3 * (root[0] - xa), 1.3), xytext=(0, 3),
                    textcoords="offset points", rotation=angle, rotation_mode="anchor", ha="center", va="bottom",
                    fontsize=9, color="red" if path_a else "0.25", fontweight="bold" if path_a else "normal")
        side = -1 if xa < root[0] else 1
        ax.annotate("b", (xa, 1.0), xytext=(side * 7, 0), textcoords="offset points", ha="left" if side > 0 else "right",
                    va="center", fontsize=11, fontweight="bold")
        for ib in range(k + 1):
            xb = ia * (k + 1) + ib
            reply = ib == replies[ia]
            colour = "red" if (path_a and reply) else A_COLOUR if reply else "0.75"
            ax.plot([xa, xb], [1.0, 0.0], color=colour, lw=2.5 if reply else 0.8, zorder=2 if reply else 1)
            text_colour = colour if reply else "0.35"
            ax.annotate(options[ib], (xb, 0.0), xytext=(0, -3), textcoords="offset points", ha="center", va="top",
                        fontsize=7, color=text_colour, rotation=90)
            for row, key in ((0, "payoff_a"), (1, "payoff_b")):
                ax.text(xb, -0.3 - 0.13 * row, f"{table[key][ia, ib]:.2f}", ha="center", va="center", fontsize=7,
                        color=text_colour, fontweight="bold" if reply else "normal")
    ax.text(-0.9, -0.3, "$U_a$", ha="right", va="center", fontsize=10)
    ax.text(-0.9, -0.43, "$U_b$", ha="right", va="center", fontsize=10)
    ax.text(-0.9, -0.06, "$\\ell_b$", ha="right", va="top", fontsize=10)
    ax.legend(handles=[Line2D([], [], color="red", lw=2.5, label="subgame perfect equilibrium path"),
                       Line2D([], [], color=A_COLOUR, lw=2.5, label="b's best reply to each choice of a"),
                       Line2D([], [], color="0.75", lw=0.8, label="other choices")],
              loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=3, fontsize=9, frameon=False)
    ax.set_title("Figure 3: the subgame perfect equilibrium; payoffs $(U_a, U_b)$ at the leaves", fontsize=12)
    return fig


# ------------------------------------------------------------------------------ Figure 5
def figure5(data: dict, n: int) -> Figure:
    """Figure 5: who forms a club for each (g_a, g_b): a only (blue), b only (red), both
    (purple), none (blank); circled: only a forms a club, but at the mirror point not only b."""
    grid, who = data["grid"], data["who"]
    ga, gb = np.meshgrid(grid, grid, indexing="ij")
    fig = Figure(figsize=(6.5, 7.3), layout="constrained")
    ax = fig.subplots()
    size = 9 if len(grid) > 60 else 22
    for code, colour, label in ((CLUB_A, A_COLOUR, "only a forms a club"), (CLUB_B, B_COLOUR, "only b forms a club"),
                                (CLUB_BOTH, BOTH_COLOUR, "both form a club")):
        mask = who == code
        ax.scatter(ga[mask], gb[mask], s=size, color=colour, label=label, linewidths=0)
    circ = data["asymmetric"]
    ax.scatter(ga[circ], gb[circ], s=size * 3.5, facecolors="none", edgecolors="black", linewidths=0.7,
               label="only a, but not only b at the mirror point")
    ax.set_xlabel("$g_a$ (dependency on a)")
    ax.set_ylabel("$g_b$ (dependency on b)")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_title(f"Figure 5: distribution of power, n = {n} (blank: no club)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=8, frameon=False)
    return fig


# ------------------------------------------------------------------------------ Figures 6 and 7
def _thresholds(ax, lines) -> None:
    """Dashed vertical lines at the thresholds, labelled above the axes; labels that would
    collide are stacked in rows (the title is lifted above the highest row)."""
    fig = ax.get_figure(root=True)
    labels = []
    lo, hi = ax.get_xlim()
    for value, label in sorted(lines):
        if lo <= value <= hi:
            ax.axvline(value, color="0.5", lw=0.8, ls="--")
            labels.append(ax.annotate(label, (value, 1.0), xycoords=ax.get_xaxis_transform(), xytext=(0, 4),
                                      textcoords="offset points", ha="center", va="bottom", fontsize=9))
    boxes = unclutter(labels)
    if boxes:
        top = max(b.y1 for b in boxes) - ax.get_window_extent().y1
        ax.set_title(ax.get_title(), pad=top * 72 / fig.dpi + 6)


def _finish(fig, ax, lines, xlabel: str, ylabel: str, title: str, locations: bool = False) -> Figure:
    """Labels, title, legend and threshold lines shared by Figures 6 and 7 (fixed margins,
    so the threshold labels are placed on the final layout)."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if locations:
        ax.set_ylim(-0.03, 1.03)
    ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    _thresholds(ax, lines)
    return fig


def _sweep_axes(width: float = 8.5) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, 4.4))
    ax = fig.add_axes((0.08, 0.13, 0.7, 0.68))
    return fig, ax


def _sym_lines(n: int):
    if n % 2 == 0 or n < 5:
        return []
    return [(th.g_unipolar(n), "$g_U$"), (th.g_bipolar(n), "$g_B$"), (th.g_bipolar_home(n), "$g_B^h$")]


def symmetric_range(n: int) -> float:
    """The largest g Figure 6 shows: twice g_B^h(n), past which nothing changes (a at 0,
    b at 1, two clubs of (n - 1) / 2 members up to g = 1); all of [0, 1] when n has no
    closed forms."""
    return min(1.0, 2 * th.g_bipolar_home(n)) if _sym_lines(n) else 1.0


def _flat_note(ax, data: dict, height: float) -> None:
    """Say that the picture goes on unchanged to g = 1 (Figure 6 shows [0, 2 g_B^h]), at
    ``height`` (axes fraction) on the right, where no data lie."""
    if float(np.max(data["g"])) < 1.0:
        ax.annotate("unchanged from here to g = 1 \u2192", (1.0, height), xycoords="axes fraction", xytext=(-4, 0),
                    textcoords="offset points", ha="right", va="center", fontsize=8, color="0.3")


def figure6a(data: dict, n: int) -> Figure:
    """Figure 6(a), symmetric case: club sizes against g, with the thresholds of Proposition 1
    (no club below g_U, a alone up to g_B, two equal clubs above)."""
    g = data["g"]
    fig, ax = _sweep_axes()
    ax.step(g, data["size_a"] + (data["size_a"] > 0), where="mid", color=A_COLOUR, label="$\\delta_a$: a's club,\na included")
    ax.step(g, data["size_b"] + (data["size_b"] > 0), where="mid", color=B_COLOUR, ls="--",
            label="$\\delta_b$: b's club,\nb included")
    ax.set_xlim(0, float(g.max()))
    ax.set_ylim(-1, n + 2)
    _flat_note(ax, data, 0.06)
    return _finish(fig, ax, _sym_lines(n), "$g = g_a = g_b$", "club size",
                   f"Figure 6(a): distribution of power, symmetric case, n = {n}")


def figure6b(data: dict, n: int) -> Figure:
    """Figure 6(b), symmetric case: a's location with and without b (non-monotonic), and b's."""
    g = data["g"]
    fig, ax = _sweep_axes()
    ax.plot(g, data["location_a"], "o", ms=3, color=A_COLOUR, label="$\\ell_a$ with b")
    ax.plot(g, data["location_a_without_b"], "x", ms=3, color="0.3", label="$\\ell_a$ without b")
    ax.plot(g, data["location_b"], "s", ms=2.5, color=B_COLOUR, label="$\\ell_b$")
    ax.set_xlim(0, float(g.max()))
    _flat_note(ax, data, 0.6)
    return _finish(fig, ax, _sym_lines(n), "$g = g_a = g_b$", "location of the club good",
                   f"Figure 6(b): non-monotonic behaviour, n = {n}", locations=True)


def _asym_lines(n: int):
    if n % 2 == 0 or n < 5:
        return []
    return [
        (th.g_b_unipolar(n), r"$\underline{g}_B$"), (th.g_a_home(n), r"$\underline{g}_B^h$"),
        (th.g_equal_low(n), "$g_=$"), (th.g_equal_high(n), "$g^=$"),
        (th.g_b_home(n), r"$\overline{g}_B^h$"), (th.g_a_unipolar(n), r"$\overline{g}_B$"),
    ]


def figure7a(data: dict, n: int) -> Figure:
    """Figure 7(a), asymmetric case (g_a = g, g_b = 1 - g): club sizes against g."""
    g = data["g"]
    fig, ax = _sweep_axes()
    ax.plot(g, data["size_a"] + (data["size_a"] > 0), "o", ms=2.5, color=A_COLOUR, label="$\\delta_a$")
    ax.plot(g, data["size_b"] + (data["size_b"] > 0), "s", ms=2.5, color=B_COLOUR, label="$\\delta_b$")
    return _finish(fig, ax, _asym_lines(n), "$g = g_a = 1 - g_b$", "club size (superpower included)",
                   f"Figure 7(a): club sizes, asymmetric case, n = {n}")


def figure7b(data: dict, n: int) -> Figure:
    """Figure 7(b), asymmetric case: the locations of both club goods against g."""
    g = data["g"]
    fig, ax = _sweep_axes()
    ax.plot(g, data["location_a"], "o", ms=2.5, color=A_COLOUR, label="$\\ell_a$")
    ax.plot(g, data["location_b"], "s", ms=2.5, color=B_COLOUR, label="$\\ell_b$")
    return _finish(fig, ax, _asym_lines(n), "$g = g_a = 1 - g_b$", "location of the club good",
                   f"Figure 7(b): location choices, asymmetric case, n = {n}", locations=True)


__all__ = [
    "PALETTE", "NO_CLUB_COLOUR", "A_COLOUR", "B_COLOUR", "BOTH_COLOUR", "club_colour", "save", "draw_line",
    "stack_levels", "figure2", "best_replies", "figure3", "figure5", "figure6a", "figure6b", "figure7a", "figure7b",
    "symmetric_range",
]
