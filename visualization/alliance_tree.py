"""The alliance game's tree as the visual server draws it: information sets, payoffs at the leaves.

One half of the tree per type of A (nature's draw: committed above, uncommitted below).
In each half A makes no offer or demands a, T accepts or rejects, A withdraws or stays;
whichever way the negotiation ends, C moves next. All of C's nodes stand in one column,
the two halves mirrored so that the nodes C cannot tell apart (the same negotiation
history, different types of A) face each other: each such information set is drawn as a
dashed bracket, with C's belief that A is committed there. After C's offer x, T accepts
(settlement) or fights, and in a war A intervenes or stays out; each leaf shows the
whole-game payoffs (A, T, C).

The tree shows one demand per half and one offer per C node, the values in play: those of
the episode where it has played them, else the equilibrium's (a type that makes no offer
is shown the other type's demand, the deviation that matters for C's inference). The
path of the current episode is red; each type's equilibrium path is dashed grey.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from games.alliance.crisis import crisis_outcome
from games.alliance.negotiation import patron_value, protege_value
from games.alliance.payoffs import FREE_RIDING, NO_OFFER, SHARING, WITHDRAWAL, History

PLAYED, EQUILIBRIUM_PATH, INFORMATION_SET = "#d62728", "#7f7f7f", "#7b3fa0"
OUTCOMES_TOP_DOWN = (WITHDRAWAL, FREE_RIDING, SHARING, NO_OFFER)  # the committed half; the other is mirrored
LEAVES = ("settlement", "war, A intervenes", "war, A stays out")
X = {"N": 0.0, "A": 0.9, "T": 1.8, "A'": 2.7, "C": 4.0, "T'": 5.0, "A''": 5.9, "leaf": 6.7}
"""The column of each kind of node (depth to the right; all of C's nodes in one column)."""


@dataclass
class Node:
    key: tuple
    player: str | None  # N, A, T, C; None at a leaf
    x: float
    y: float
    label: str = ""  # the leaf's outcome and payoffs


def _fmt(v: Fraction | None) -> str:
    return "?" if v is None else f"{float(v):.3g}"


def _shown_demand(model, committed: bool) -> Fraction:
    """The demand shown in a half: this episode's, the type's equilibrium one, the other type's, or a*."""
    if model.path and model.committed == committed and model.demand is not None:
        return model.demand
    for c in (committed, not committed):
        d = model.equilibrium.path(c).demand
        if d is not None:
            return d
    return model.params.a_star if model.params.a_star in model.demands else model.demands[0]


def _played_path(model) -> list[tuple]:
    """The keys of the nodes this episode has passed through, root first."""
    if not model.path:
        return [("N",)]
    t = "committed" if model.committed else "uncommitted"
    keys = [("N",), (t, "A")]
    actions = [action for _s, _a, action in model.path][1:]
    outcome = None
    for action in actions:
        last = keys[-1]
        if last[-1] == "A" and len(last) == 2:
            if action == "no offer":
                outcome = NO_OFFER
                keys.append((t, "C", outcome))
            else:
                keys.append((t, "T"))
        elif last[-1] == "T" and len(last) == 2:
            if action == "accept":
                outcome = SHARING
                keys.append((t, "C", outcome))
            else:
                keys.append((t, "A'"))
        elif last[-1] == "A'":
            outcome = WITHDRAWAL if action == "withdraw" else FREE_RIDING
            keys.append((t, "C", outcome))
        elif last[1] == "C":
            keys.append((t, "T'", outcome))
        elif last[1] == "T'":
            keys.append((t, "leaf", outcome, LEAVES[0]) if action == "accept" else (t, "A''", outcome))
        elif last[1] == "A''":
            keys.append((t, "leaf", outcome, LEAVES[1] if action == "intervene" else LEAVES[2]))
    return keys


def _equilibrium_path(model, committed: bool) -> list[tuple]:
    """The keys of the nodes along one type's equilibrium path."""
    t = "committed" if committed else "uncommitted"
    tp = model.equilibrium.path(committed)
    keys = [("N",), (t, "A")]
    if tp.outcome != NO_OFFER:
        keys.append((t, "T"))
        if tp.outcome != SHARING:
            keys.append((t, "A'"))
    keys += [(t, "C", tp.outcome), (t, "T'", tp.outcome)]
    if tp.crisis_accepted:
        keys.append((t, "leaf", tp.outcome, LEAVES[0]))
    else:
        keys += [(t, "A''", tp.outcome), (t, "leaf", tp.outcome, LEAVES[1] if tp.intervene else LEAVES[2])]
    return keys


def build_tree(model) -> tuple[dict, list, dict]:
    """The nodes (key -> Node), the edges (parent, child, move label) and C's nodes' histories
    (key -> (History, offer shown, C's belief)) of the tree at the model's current state."""
    p = model.params
    played = _played_path(model)
    nodes: dict = {}
    edges: list = []
    c_info: dict = {}
    row = 0.0
    nodes[("N",)] = Node(("N",), "N", X["N"], 0.0)
    for committed, order in ((True, OUTCOMES_TOP_DOWN), (False, OUTCOMES_TOP_DOWN[::-1])):
        t = "committed" if committed else "uncommitted"
        a = _shown_demand(model, committed)
        for outcome in order:
            history = History(outcome, None if outcome == NO_OFFER else a)
            c_key, t_key, a_key = (t, "C", outcome), (t, "T'", outcome), (t, "A''", outcome)
            on_path = t_key in played  # C has made its offer here
            x = model.offer if on_path else model.assessment.offer.get(history)
            c_info[c_key] = (history, x, model.assessment.belief.get(history))
            ys = [row, row - 1.0, row - 2.0]
            for leaf, y, (accepted, intervene) in zip(LEAVES, ys, ((True, None), (False, True), (False, False))):
                key = (t, "leaf", outcome, leaf)
                text = leaf
                if x is not None:
                    play = crisis_outcome(p, committed, history.intact, x, accepted, bool(intervene))
                    values = (patron_value(p, outcome, history.demand, play), protege_value(p, outcome, history.demand, play),
                              play.C)
                    text = f"{leaf}: " + ", ".join(_fmt(v) for v in values)
                nodes[key] = Node(key, None, X["leaf"], y, text)
            nodes[a_key] = Node(a_key, "A", X["A''"], (ys[1] + ys[2]) / 2)
            nodes[t_key] = Node(t_key, "T", X["T'"], (ys[0] + nodes[a_key].y) / 2)
            nodes[c_key] = Node(c_key, "C", X["C"], nodes[t_key].y)
            edges += [(c_key, t_key, f"x={_fmt(x)}"), (t_key, (t, "leaf", outcome, LEAVES[0]), "accept"),
                      (t_key, a_key, "fight"), (a_key, (t, "leaf", outcome, LEAVES[1]), "intervene"),
                      (a_key, (t, "leaf", outcome, LEAVES[2]), "stay out")]
            row -= 3.0
        by = {o: nodes[(t, "C", o)].y for o in OUTCOMES_TOP_DOWN}
        nodes[(t, "A'")] = Node((t, "A'"), "A", X["A'"], (by[WITHDRAWAL] + by[FREE_RIDING]) / 2)
        nodes[(t, "T")] = Node((t, "T"), "T", X["T"], (by[SHARING] + nodes[(t, "A'")].y) / 2)
        nodes[(t, "A")] = Node((t, "A"), "A", X["A"], (by[NO_OFFER] + nodes[(t, "T")].y) / 2)
        edges += [(("N",), (t, "A"), f"{t} ({'φ' if committed else '1-φ'})"), ((t, "A"), (t, "C", NO_OFFER), "no offer"),
                  ((t, "A"), (t, "T"), f"a={_fmt(a)}"), ((t, "T"), (t, "C", SHARING), "accept"),
                  ((t, "T"), (t, "A'"), "reject"), ((t, "A'"), (t, "C", WITHDRAWAL), "withdraw"),
                  ((t, "A'"), (t, "C", FREE_RIDING), "stay")]
        row -= 1.5  # a gap between the two halves
    nodes[("N",)].y = (nodes[("committed", "A")].y + nodes[("uncommitted", "A")].y) / 2
    return nodes, edges, c_info


def information_sets(c_info: dict) -> list[tuple[tuple, tuple]]:
    """Pairs of C's nodes that C cannot tell apart: the same history after different types."""
    pairs = []
    for key, (history, _x, _mu) in c_info.items():
        if key[0] == "committed":
            other = ("uncommitted", "C", key[2])
            if c_info[other][0] == history:
                pairs.append((key, other))
    return pairs


def tree_figure(model) -> Figure:
    """The game tree at the model's current state (see the module docstring)."""
    nodes, edges, c_info = build_tree(model)
    played = _played_path(model)
    played_edges = set(zip(played, played[1:]))
    eq_edges = {e for c in (True, False) for e in zip(_equilibrium_path(model, c), _equilibrium_path(model, c)[1:])}
    fig = Figure(figsize=(9.6, 7.2))
    ax = fig.add_axes((0.005, 0.07, 0.99, 0.87))
    ys = [n.y for n in nodes.values()]
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.set_xlim(-0.25, X["leaf"] + 2.6)
    ax.axis("off")
    for u, v, move in edges:
        (x0, y0), (x1, y1) = (nodes[u].x, nodes[u].y), (nodes[v].x, nodes[v].y)
        on_path = (u, v) in played_edges
        if on_path:
            ax.plot([x0, x1], [y0, y1], color=PLAYED, lw=3.2, zorder=3, solid_capstyle="round")
        elif (u, v) in eq_edges:
            ax.plot([x0, x1], [y0, y1], color=EQUILIBRIUM_PATH, lw=2.0, ls="--", zorder=2)
        else:
            ax.plot([x0, x1], [y0, y1], color="#c8c8c8", lw=1.0, zorder=1)
        t = 0.55 if nodes[v].player is None or nodes[u].player == "N" else 0.5
        ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), move, fontsize=7.5, ha="center", va="center", zorder=5,
                color=PLAYED if on_path else "#444444", fontweight="bold" if on_path else "normal",
                bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.95))
    on_path = set(played)
    for n in nodes.values():
        if n.player:  # the player's letter in a circle that covers the edges' ends
            ax.text(n.x, n.y, n.player, fontsize=7.5, ha="center", va="center", zorder=7,
                    bbox=dict(boxstyle="circle,pad=0.3", fc="#ffd9d9" if n.key in on_path else "white",
                              ec=PLAYED if n.key in on_path else "#555555", lw=1.0))
        else:
            ax.text(n.x + 0.08, n.y, n.label, fontsize=8, ha="left", va="center",
                    color=PLAYED if n.key in on_path else "#222222", fontweight="bold" if n.key in on_path else "normal")
    for k, (top, bottom) in enumerate(sorted(information_sets(c_info), key=lambda pair: -nodes[pair[0]].y)):
        x = X["C"] - 0.22 - 0.1 * (3 - k)
        y0, y1 = nodes[top].y, nodes[bottom].y
        ax.plot([X["C"] - 0.1, x, x, X["C"] - 0.1], [y0, y0, y1, y1], color=INFORMATION_SET, lw=1.1, ls="--", zorder=4)
    for key, (history, _x, mu) in c_info.items():
        ax.text(X["C"] + 0.02, nodes[key].y + 0.5, f"μ={_fmt(mu)}", fontsize=7.5, ha="center", va="bottom",
                color=INFORMATION_SET, zorder=5)
    last = model.path[-1] if model.path else None
    ax.set_title("game tree, payoffs (A, T, C) at the leaves" + (f"; last move {last[1]}: {last[2]}" if last else
                 "; press Step (nature moves first)"), fontsize=10)
    ax.legend(handles=[Line2D([], [], color=PLAYED, lw=3.2, label="this episode"),
                       Line2D([], [], color=EQUILIBRIUM_PATH, lw=2, ls="--",
                              label=f"equilibrium path ({model.equilibrium_label})"),
                       Line2D([], [], color=INFORMATION_SET, lw=1.1, ls="--",
                              label="C's information set (C does not see A's type); μ: C's belief that A is committed")],
              loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=7.5, frameon=False, borderaxespad=0.3)
    return fig


__all__ = ["tree_figure", "build_tree", "information_sets", "PLAYED", "EQUILIBRIUM_PATH", "INFORMATION_SET"]
