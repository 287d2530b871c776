"""Figures 3, 5, 6 and 7 of *The Power of Non-Superpowers*, drawn from the solver's output."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402

from games.club import theory as th  # noqa: E402
from games.club.solver import NO_CLUB  # noqa: E402
from games.club.sweeps import CLUB_A, CLUB_B, CLUB_BOTH  # noqa: E402

A_COLOUR, B_COLOUR, BOTH_COLOUR = "#1f5fbf", "#c8312b", "#7b3fa0"


def _save(fig, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
    return path


def _loc_label(world, k: int) -> str:
    if k == NO_CLUB:
        return "none"
    x = world.locations[k]
    return f"{float(x):.3g}" if np.issubdtype(np.asarray(x).dtype, np.number) else str(x)


def figure3_tree(world, table: dict, outcome, path: str | Path) -> Path:
    """The game tree of a small world: a's choices, b's replies, payoffs (U_a, U_b) at the leaves.

    The equilibrium path is red; b's best reply to each of a's choices is blue.
    ``table`` is ``payoff_table(world)``; ``outcome`` the solved equilibrium.
    """
    from games.club.solver import follower_reply, stage_one_clubs

    k = world.n_locations
    a_choices = [*range(k), NO_CLUB]
    s1 = stage_one_clubs(world)
    stage_one = np.vstack([s1, np.zeros((1, world.n_countries), dtype=bool)])
    replies = follower_reply(world, np.array(a_choices), stage_one[[c if c != NO_CLUB else k for c in a_choices]])[0]
    eq_a = NO_CLUB if outcome.index_a is None else outcome.index_a
    n_leaves = len(a_choices) * (k + 1)
    fig, ax = plt.subplots(figsize=(max(10, n_leaves * 0.42), 6))
    root = (n_leaves - 1) / 2, 2.0
    ax.annotate("a", root, ha="center", va="bottom", fontsize=13, fontweight="bold", xytext=(0, 6), textcoords="offset points")
    for ia, ca in enumerate(a_choices):
        xa = ia * (k + 1) + k / 2
        on_path_a = ca == eq_a
        ax.plot([root[0], xa], [2.0, 1.0], color="red" if on_path_a else "0.6", lw=2.5 if on_path_a else 1)
        ax.text((root[0] + xa) / 2, 1.55, _loc_label(world, ca), ha="center", fontsize=9, color="red" if on_path_a else "0.3")
        ax.text(xa, 1.02, "b", ha="center", va="bottom", fontsize=11, fontweight="bold")
        for ib, cb in enumerate([*range(k), NO_CLUB]):
            xb = ia * (k + 1) + ib
            reply = cb == replies[ia]
            colour = "red" if (on_path_a and reply) else A_COLOUR if reply else "0.75"
            ax.plot([xa, xb], [1.0, 0.0], color=colour, lw=2.5 if reply else 0.8)
            ra, rb = (ca if ca != NO_CLUB else k), (cb if cb != NO_CLUB else k)
            ax.text(xb, -0.08, f"{table['payoff_a'][ra, rb]:.2f}\n{table['payoff_b'][ra, rb]:.2f}", ha="center", va="top", fontsize=7, color=colour if reply else "0.35")
            ax.text(xb, 0.12, _loc_label(world, cb), ha="center", fontsize=6, rotation=90, color="0.4")
    ax.text(-1.2, -0.2, "$U_a$\n$U_b$", ha="right", va="top", fontsize=9)
    ax.set_xlim(-2, n_leaves)
    ax.set_ylim(-0.55, 2.3)
    ax.axis("off")
    ax.set_title("Figure 3: the subgame perfect equilibrium (red); b's best replies (blue)")
    return _save(fig, path)


def figure5_map(data: dict, n: int, path: str | Path) -> Path:
    """Who forms a club for each (g_a, g_b): a only (blue), b only (red), both (purple), none (blank)."""
    grid, who = data["grid"], data["who"]
    ga, gb = np.meshgrid(grid, grid, indexing="ij")
    fig, ax = plt.subplots(figsize=(6.5, 6.5))
    size = 9 if len(grid) > 60 else 22
    for code, colour, label in ((CLUB_A, A_COLOUR, "only a forms a club"), (CLUB_B, B_COLOUR, "only b forms a club"), (CLUB_BOTH, BOTH_COLOUR, "both form a club")):
        mask = who == code
        ax.scatter(ga[mask], gb[mask], s=size, color=colour, label=label, linewidths=0)
    circ = data["asymmetric"]
    ax.scatter(ga[circ], gb[circ], s=size * 3.5, facecolors="none", edgecolors="black", linewidths=0.7, label="only a, but not only b at the mirror point")
    ax.set_xlabel("$g_a$ (dependency on a)")
    ax.set_ylabel("$g_b$ (dependency on b)")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_title(f"Figure 5: distribution of power, n = {n}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=8, frameon=False)
    return _save(fig, path)


def _thresholds(ax, lines):
    for value, label in lines:
        ax.axvline(value, color="0.5", lw=0.8, ls="--")
        ax.text(value, 1.01, label, transform=ax.get_xaxis_transform(), ha="center", va="bottom", fontsize=8)


def _finish(ax, fig, lines, xlabel: str, ylabel: str, title: str, path, locations: bool = False) -> Path:
    """Threshold lines, labels, title and legend shared by Figures 6 and 7."""
    _thresholds(ax, lines)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if locations:
        ax.set_ylim(-0.03, 1.03)
    ax.set_title(title, pad=16)
    ax.legend(fontsize=8)
    return _save(fig, path)


def _sym_lines(n: int):
    if n % 2 == 0 or n < 5:
        return []
    return [(th.g_unipolar(n), "$g_U$"), (th.g_bipolar(n), "$g_B$"), (th.g_bipolar_home(n), "$g_B^h$")]


def figure6a(data: dict, n: int, path: str | Path) -> Path:
    """Symmetric case: club sizes against g, with the thresholds of Proposition 1."""
    g = data["g"]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.step(g, data["size_a"] + (data["size_a"] > 0), where="mid", color=A_COLOUR, label=r"$\delta_a$ (a's club, a included)")
    ax.step(g, data["size_b"] + (data["size_b"] > 0), where="mid", color=B_COLOUR, ls="--", label=r"$\delta_b$ (b's club, b included)")
    return _finish(ax, fig, _sym_lines(n), "$g = g_a = g_b$", "club size", f"Figure 6(a): distribution of power, symmetric case, n = {n}", path)


def figure6b(data: dict, n: int, path: str | Path) -> Path:
    """Symmetric case: a's location with and without b (non-monotonic)."""
    g = data["g"]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(g, data["location_a"], "o", ms=3, color=A_COLOUR, label=r"$\ell_a$ with b")
    ax.plot(g, data["location_a_without_b"], "x", ms=3, color="0.3", label=r"$\ell_a$ without b")
    ax.plot(g, data["location_b"], "s", ms=2.5, color=B_COLOUR, label=r"$\ell_b$")
    title = f"Figure 6(b): non-monotonic behaviour, n = {n}"
    if _sym_lines(n):  # the behaviour is all below g_B^h: zoom in there
        ax.set_xlim(0, min(1.0, 2 * th.g_bipolar_home(n)))
    return _finish(ax, fig, _sym_lines(n), "$g = g_a = g_b$", "location of the club good", title, path, locations=True)


def _asym_lines(n: int):
    if n % 2 == 0 or n < 5:
        return []
    return [
        (th.g_b_unipolar(n), r"$\underline{g}_B$"), (th.g_a_home(n), r"$\underline{g}_B^h$"),
        (th.g_equal_low(n), "$g_=$"), (th.g_equal_high(n), "$g^=$"),
        (th.g_b_home(n), r"$\overline{g}_B^h$"), (th.g_a_unipolar(n), r"$\overline{g}_B$"),
    ]


def figure7a(data: dict, n: int, path: str | Path) -> Path:
    """Asymmetric case (g_a = g, g_b = 1 - g): club sizes against g."""
    g = data["g"]
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(g, data["size_a"] + (data["size_a"] > 0), "o", ms=2.5, color=A_COLOUR, label=r"$\delta_a$")
    ax.plot(g, data["size_b"] + (data["size_b"] > 0), "s", ms=2.5, color=B_COLOUR, label=r"$\delta_b$")
    title = f"Figure 7(a): club sizes, asymmetric case, n = {n}"
    return _finish(ax, fig, _asym_lines(n), "$g = g_a = 1 - g_b$", "club size (superpower included)", title, path)


def figure7b(data: dict, n: int, path: str | Path) -> Path:
    """Asymmetric case: the locations of both club goods against g."""
    g = data["g"]
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(g, data["location_a"], "o", ms=2.5, color=A_COLOUR, label=r"$\ell_a$")
    ax.plot(g, data["location_b"], "s", ms=2.5, color=B_COLOUR, label=r"$\ell_b$")
    title = f"Figure 7(b): location choices, asymmetric case, n = {n}"
    return _finish(ax, fig, _asym_lines(n), "$g = g_a = 1 - g_b$", "location of the club good", title, path, locations=True)
