"""Gambit ``.efg`` export of the discretised game (format written by hand, no Gambit needed).

Players: 1 = A (patron), 2 = T (protégé), 3 = C (challenger). Payoffs are exact rationals
(``EFG 2 R``). Information sets: A and T know the type, so their information sets are per
type; C's information set after a negotiation history holds the two type nodes. Every
terminal node gets its own outcome. :func:`parse_efg` reads the text back (used by the
tests, and handy to check a file before loading it in Gambit).
"""

from __future__ import annotations

import re
import shlex
from fractions import Fraction
from pathlib import Path

from games.alliance.grids import demand_grid, offer_grid
from games.alliance.params import AllianceParams
from games.alliance.payoffs import (
    FREE_RIDING, NO_OFFER, SHARING, WITHDRAWAL, History, bilateral_war, lambda_A, lambda_T,
    multilateral_war, settlement,
)

__all__ = ["to_efg", "write_efg", "parse_efg", "expected_counts"]

PLAYERS = ("A (patron)", "T (protege)", "C (challenger)")


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _num(v: Fraction) -> str:
    v = Fraction(v)
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


class _Writer:
    def __init__(self, params: AllianceParams, demands, offers):
        self.p = params
        self.demands = tuple(demands)
        self.offers = tuple(offers)
        self.lines: list[str] = []
        self.isets: dict[tuple, int] = {}
        self.counter = {1: 0, 2: 0, 3: 0}
        self.outcomes = 0

    def iset(self, player: int, key) -> int:
        k = (player, key)
        if k not in self.isets:
            self.counter[player] += 1
            self.isets[k] = self.counter[player]
        return self.isets[k]

    def player(self, player: int, key, name: str, actions) -> None:
        acts = " ".join(_q(a) for a in actions)
        self.lines.append(f"p \"\" {player} {self.iset(player, key)} {_q(name)} {{ {acts} }} 0")

    def terminal(self, name: str, payoffs) -> None:
        self.outcomes += 1
        pay = ", ".join(_num(v) for v in payoffs)
        self.lines.append(f"t \"\" {self.outcomes} {_q(name)} {{ {pay} }}")

    def crisis(self, committed: bool, h: History) -> None:
        p = self.p
        t = "committed" if committed else "uncommitted"
        beta = p.beta(committed)
        lam_A = lambda_A(p, h.outcome, h.demand)
        lam_T = lambda_T(p, h.outcome, h.demand)
        self.player(3, ("C", h), f"C after {h.label()}", [f"x={_num(x)}" for x in self.offers])
        for x in self.offers:
            self.player(2, ("Tx", committed, h, x), f"T ({t}) after {h.label()}, x={_num(x)}", ["accept", "fight"])
            self.terminal(f"{t}: {h.label()}, settle x={_num(x)}", settlement(p, beta, x, lam_A, lam_T))
            self.player(1, ("Aw", committed, h, x), f"A ({t}) war after {h.label()}, x={_num(x)}", ["intervene", "stay out"])
            war_p = p.p_h if h.intact else p.p_m
            self.terminal(f"{t}: {h.label()}, x={_num(x)}, multilateral war", multilateral_war(p, beta, war_p, lam_A, lam_T))
            self.terminal(f"{t}: {h.label()}, x={_num(x)}, bilateral war", bilateral_war(p, beta, lam_A, lam_T))

    def game(self, title: str) -> str:
        p = self.p
        self.lines = [
            f"EFG 2 R {_q(title)} {{ {' '.join(_q(x) for x in PLAYERS)} }}",
            _q("Masumura's alliance cost-sharing game, discretised by Spheres (games.alliance.efg)"),
            "",
            f"c \"\" 1 \"nature\" {{ \"committed\" {_num(p.phi)} \"uncommitted\" {_num(1 - p.phi)} }} 0",
        ]
        for committed in (True, False):
            t = "committed" if committed else "uncommitted"
            labels = ["no offer"] + [f"a={_num(a)}" for a in self.demands]
            self.player(1, ("Ad", committed), f"A ({t}) demand", labels)
            self.crisis(committed, History(NO_OFFER, None))
            for a in self.demands:
                self.player(2, ("Tr", committed, a), f"T ({t}) on a={_num(a)}", ["accept", "reject"])
                self.crisis(committed, History(SHARING, a))
                self.player(1, ("Aq", committed, a), f"A ({t}) after rejection of a={_num(a)}", ["stay", "withdraw"])
                self.crisis(committed, History(FREE_RIDING, a))
                self.crisis(committed, History(WITHDRAWAL, a))
        return "\n".join(self.lines) + "\n"


def to_efg(params: AllianceParams, demands=None, offers=None, n_demands: int = 5, n_offers: int = 10,
           title: str = "Alliance cost-sharing game") -> str:
    """The discretised game as Gambit ``.efg`` text (default grids are small: the tree grows as
    ``2 (1 + 3 |demands|) (1 + 5 |offers|)`` nodes)."""
    demands = demand_grid(params, n_demands) if demands is None else tuple(sorted(Fraction(a) for a in demands))
    offers = offer_grid(params, n_offers) if offers is None else tuple(sorted(Fraction(x) for x in offers))
    return _Writer(params, demands, offers).game(title)


def write_efg(path, params: AllianceParams, **kwargs) -> Path:
    """Write :func:`to_efg` to ``path`` (folders are created) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_efg(params, **kwargs), encoding="utf-8")
    return path


def expected_counts(n_demands_total: int, n_offers_total: int) -> dict[str, int]:
    """Node counts of the exported tree for grids of the given sizes."""
    crises = 2 * (1 + 3 * n_demands_total)
    return {
        "chance": 1,
        "terminal": crises * 3 * n_offers_total,
        "player": 2 + 2 * n_demands_total * 2 + crises * (1 + 2 * n_offers_total),
    }


_NODE = re.compile(r"^([cpt])\s")


def parse_efg(text: str) -> dict:
    """Parse ``.efg`` text back and check it: header, node kinds, tree shape (every node's
    children are present, in preorder), consistent information sets, chance probabilities
    summing to 1, one payoff per player. Raises ValueError on a malformed file."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines or not lines[0].startswith("EFG 2 R"):
        raise ValueError("missing 'EFG 2 R' header")
    header = shlex.split(lines[0].replace("{", " { ").replace("}", " } "))
    brace = header.index("{")
    players = header[brace + 1: header.index("}")]
    nodes = []
    for ln in lines[1:]:
        if not _NODE.match(ln):
            continue
        tokens = shlex.split(ln.replace("{", " { ").replace("}", " } ").replace(",", " "))
        kind = tokens[0]
        if kind == "t":
            inner = tokens[tokens.index("{") + 1: tokens.index("}")]
            nodes.append(("t", int(tokens[2]), [Fraction(v) for v in inner]))
        elif kind == "c":
            inner = tokens[tokens.index("{") + 1: tokens.index("}")]
            acts, probs = inner[0::2], [Fraction(v) for v in inner[1::2]]
            nodes.append(("c", int(tokens[2]), acts, probs))
        else:
            inner = tokens[tokens.index("{") + 1: tokens.index("}")]
            nodes.append(("p", int(tokens[2]), int(tokens[3]), inner))
    isets: dict = {}
    outcomes: dict = {}
    pos = 0

    def walk() -> None:
        nonlocal pos
        if pos >= len(nodes):
            raise ValueError("tree ends early: a node is missing children")
        node = nodes[pos]
        pos += 1
        if node[0] == "t":
            if len(node[2]) != len(players):
                raise ValueError(f"outcome {node[1]} has {len(node[2])} payoffs for {len(players)} players")
            outcomes.setdefault(node[1], node[2])
            return
        if node[0] == "c":
            if sum(node[3]) != 1:
                raise ValueError("chance probabilities do not sum to 1")
            children = len(node[2])
        else:
            player, number, acts = node[1], node[2], node[3]
            if not 1 <= player <= len(players):
                raise ValueError(f"unknown player {player}")
            previous = isets.setdefault((player, number), acts)
            if previous != acts:
                raise ValueError(f"information set {number} of player {player} has inconsistent actions")
            children = len(acts)
        for _ in range(children):
            walk()

    walk()
    if pos != len(nodes):
        raise ValueError(f"{len(nodes) - pos} nodes left over after the tree")
    count = {k: sum(1 for n in nodes if n[0] == k) for k in "cpt"}
    return {
        "players": players,
        "chance": count["c"],
        "player": count["p"],
        "terminal": count["t"],
        "outcomes": len(outcomes),
        "infosets": {i + 1: sum(1 for (pl, _n) in isets if pl == i + 1) for i in range(len(players))},
    }
