"""The Mesa models of Spheres. Each ``step`` enacts one stage event, in the order the paper gives."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import mesa
import networkx as nx
import numpy as np

from agents.club import NonSuperpower, Superpower, membership_array
from games.club.core import NONSUPERPOWER_RULES, Role, nonsuperpower_rule, superpower_rule
from games.club.examples import world_by_name
from games.club.solver import Rules
from games.validation import SpheresInputError


# =========================================================================== the club game
class ClubPhase(StrEnum):
    LEADER = "a places its club good"
    JOINING = "stage one: joining a's club"
    SHIFTING = "stage two: shifting"
    DONE = "done"


class ClubModel(mesa.Model):
    """*The Power of Non-Superpowers*: two superpowers place club goods, countries form coalitions.

    One ``step`` is one stage event: a places its club good; each round of countries
    joining a's club; b places its club good; each round of countries shifting to b's
    club or leaving a's; then the payoffs. Rules are chosen by name (``rule_a``,
    ``rule_b``, ``rule_countries``: one name, or one per country) and can be swapped on
    the agents between steps; the leader always anticipates the rules actually in play.

    ``world`` is a ``games.club.World``; without one, ``world_name`` picks a named world
    (``figure3``, ``figure2``, ``section3`` with ``n``, ``g_a``, ``g_b``, ``random``).
    ``country``/``omega_country`` set one country's endowment (by index).
    """

    def __init__(
        self,
        world=None,
        *,
        world_name: str = "figure3",
        n: int = 31,
        g_a: float = 0.1,
        g_b: float | None = None,
        country: int | None = None,
        omega_country: float = 1.0,
        rule_a: str = "equilibrium",
        rule_b: str = "equilibrium",
        rule_countries: str | list[str] = "coalition",
        rng=None,
    ):
        rule_a_obj, rule_b_obj = superpower_rule(rule_a), superpower_rule(rule_b)
        if world is None:
            params = {"n": int(n), "g_a": g_a, "g_b": g_b} if world_name == "section3" else {}
            world = world_by_name(world_name, **params)
        if country is not None:
            if not 0 <= int(country) < world.n_countries:
                raise SpheresInputError(f"country = {country} is outside the allowed range [0, {world.n_countries - 1}]")
            world = world.with_omega(int(country), omega_country)
        names = [rule_countries] * world.n_countries if isinstance(rule_countries, str) else list(rule_countries)
        if len(names) != world.n_countries:
            raise SpheresInputError(f"rule_countries must name one rule or {world.n_countries} rules, got {len(names)}")
        country_rules = [nonsuperpower_rule(r) for r in names]
        super().__init__(rng=rng)

        self.world = world
        self.leader = Superpower(self, "a", rule_a_obj)
        self.challenger = Superpower(self, "b", rule_b_obj)
        self.countries = [NonSuperpower(self, i, rule) for i, rule in enumerate(country_rules)]
        self.phase = ClubPhase.LEADER
        self.round = 0  # coalition round within the current stage
        self.events: list[dict] = []  # who moved, when, why
        self.graph = self._membership_graph()
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "phase": lambda m: m.phase.value,
                "location_a": lambda m: m.location("a"),
                "location_b": lambda m: m.location("b"),
                "size_a": lambda m: int(m.membership("a").sum()),
                "size_b": lambda m: int(m.membership("b").sum()),
                "endowment_a": lambda m: m.club_endowment("a"),
                "endowment_b": lambda m: m.club_endowment("b"),
                "payoff_a": lambda m: m.leader.payoff(),
                "payoff_b": lambda m: m.challenger.payoff(),
            },
            agenttype_reporters={NonSuperpower: {"country": "name", "club": "club", "payoff": lambda c: c.payoff()}},
        )
        self.datacollector.collect(self)

    # -- the move order ------------------------------------------------------------------
    def step(self) -> None:
        """Enact the next stage event: a places -> join rounds -> b places -> shift rounds -> payoffs."""
        if self.phase is ClubPhase.LEADER:
            self.leader.step()  # 1. a places its club good (anticipating b and the countries)
            self._enter(ClubPhase.JOINING)
        elif self.phase is ClubPhase.JOINING and self.joining_round():
            pass  # 2. a group of countries joins a's club
        elif self.phase is ClubPhase.JOINING:
            for c in self.countries:  # stage one is over: a's club is a fait accompli
                c.in_stage_one = c.club == "a"
            self._enter(ClubPhase.SHIFTING)
            self.challenger.step()  # 3. b places its club good, given a's club
        elif self.phase is ClubPhase.SHIFTING and self.shifting_round():
            pass  # 4. a group shifts to b's club and/or members leave a's
        elif self.phase is ClubPhase.SHIFTING:
            self._finish()  # 5. nobody moves any more: payoffs
        self.datacollector.collect(self)

    def run_to_end(self, max_steps: int = 10_000) -> None:
        """Step until the game is over."""
        while self.running and max_steps > 0:
            self.step()
            max_steps -= 1

    # -- the coalition rounds, enacted by the agents --------------------------------------
    def coalition(self, role: Role, candidates: list[NonSuperpower]) -> list[NonSuperpower]:
        """The largest group of candidates who all accept joining ``role``'s club together.

        Every candidate is proposed; those who decline drop out and the rest are asked
        again, until everyone left accepts (the greatest fixed point). Candidates are
        asked in a random order each time; the group does not depend on it.
        """
        proposal = list(candidates)
        while True:
            total = sum(c.weight for c in proposal)
            self.random.shuffle(proposal)
            accepted = [c for c in proposal if c.accepts(role, total)]
            if len(accepted) == len(proposal):
                return accepted
            proposal = accepted

    def joining_round(self) -> bool:
        """One round of stage one (eq. 1). Returns whether anyone joined."""
        joiners = self.coalition("a", [c for c in self.countries if c.may_join("a")])
        if not joiners:
            return False
        self.round += 1
        for c in joiners:
            c.club = "a"
            self._begin(c, "a")
        club = self.club_weight("a")
        for c in joiners:
            self.record(c.name, "joins a's club", f"round {self.round}: payoff {c.payoff():.4f} >= 0 in a club of weight {club:g}")
        return True

    def shifting_round(self) -> bool:
        """One round of stage two (eq. 2). Returns whether anyone moved."""
        if self.challenger.location is None:
            return False
        movers = self.coalition("b", [c for c in self.countries if c.may_join("b")])
        moving = set(map(id, movers))
        leavers = [c for c in self.countries if c.wants_to_leave() and id(c) not in moving]
        if not movers and not leavers:
            return False
        self.round += 1
        before = {id(c): c.payoff() for c in movers + leavers}
        for c in leavers:
            c.club = None
            self._end(c, "a")
        for c in movers:
            if c.club == "a":
                self._end(c, "a")
            c.club = "b"
            self._begin(c, "b")
        for c in movers:
            self.record(c.name, "moves to b's club", f"round {self.round}: payoff {before[id(c)]:.4f} -> {c.payoff():.4f}")
        for c in leavers:
            self.record(c.name, "leaves a's club", f"round {self.round}: payoff in a's club {before[id(c)]:.4f} < 0")
        return True

    # -- state ------------------------------------------------------------------------------
    @property
    def rules(self) -> Rules:
        """The rules in play, read from the agents (what the leader anticipates)."""
        return Rules(a=self.leader.rule, b=self.challenger.rule, countries=tuple(c.rule for c in self.countries))

    def superpower(self, role: Role) -> Superpower:
        return self.leader if role == "a" else self.challenger

    def membership(self, role: Role) -> np.ndarray:
        return membership_array(self.countries, role)

    def club_weight(self, role: Role) -> float:
        """The superpower's cost-share weight plus its members' (the denominator of rho)."""
        w = self.world
        return w.superpower_weight(role) + float(w.weight[self.membership(role)].sum())

    def club_endowment(self, role: Role) -> float:
        """Total endowment of the club, its superpower included; 0 with no club."""
        if self.superpower(role).location is None:
            return 0.0
        w = self.world
        own = w.omega_a if role == "a" else w.omega_b
        return float(own + w.omega[self.membership(role)].sum())

    def location(self, role: Role) -> float:
        loc = self.superpower(role).location
        return float("nan") if loc is None else float(self.world.locations[loc])

    def record(self, actor: str, action: str, why: str) -> None:
        self.events.append({"step": self.steps, "phase": self.phase.value, "actor": actor, "action": action, "why": why})

    def _enter(self, phase: ClubPhase) -> None:
        self.phase = phase
        self.round = 0

    def _finish(self) -> None:
        self.phase = ClubPhase.DONE
        self.record("game", "ends", f"payoffs: a {self.leader.payoff():.4f}, b {self.challenger.payoff():.4f}")
        self.running = False

    # -- the membership graph -----------------------------------------------------------------
    def _membership_graph(self) -> nx.MultiGraph:
        g = nx.MultiGraph(mode="dynamic", world=self.world.cost_share.name)
        for role in ("a", "b"):
            g.add_node(role, kind="superpower")
        for c in self.countries:
            pos = None if self.world.positions is None else float(self.world.positions[c.index])
            g.add_node(c.name, kind="country", position=pos, endowment=float(self.world.omega[c.index]))
        return g

    def _begin(self, country: NonSuperpower, role: Role) -> None:
        self.graph.add_edge(country.name, role, key=role, start=self.steps, end=None)

    def _end(self, country: NonSuperpower, role: Role) -> None:
        self.graph.edges[country.name, role, role]["end"] = self.steps

    def memberships(self) -> list[dict]:
        """Every membership so far: country, club, the step it began and (if over) ended."""
        return [
            {"country": u if v in "ab" else v, "club": v if v in "ab" else u, "start": d["start"], "end": d["end"]}
            for u, v, d in self.graph.edges(data=True)
        ]

    def export_membership(self, path: str | Path) -> Path:
        """Write the membership graph: ``.gexf`` (dynamic, start/end spells), ``.graphml`` or ``.json``."""
        path = Path(path)
        g = self.graph.copy()
        for *_, d in g.edges(data=True):
            if d["end"] is None:
                del d["end"]  # still a member: an open spell
        for _, d in g.nodes(data=True):
            for key in [k for k, v in d.items() if v is None]:
                del d[key]
        suffix = path.suffix.lower()
        if suffix == ".gexf":
            nx.write_gexf(g, path)
        elif suffix == ".graphml":
            nx.write_graphml(g, path)
        elif suffix == ".json":
            path.write_text(json.dumps(nx.node_link_data(g, edges="edges"), indent=1))
        else:
            raise SpheresInputError(f"membership export path {str(path)!r} must end in .gexf, .graphml or .json")
        return path


__all__ = ["ClubModel", "ClubPhase", "NONSUPERPOWER_RULES"]
