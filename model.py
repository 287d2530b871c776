"""The Mesa models of Spheres (`ClubModel`, `AllianceModel`). Each ``step`` enacts one stage event, in the order the paper gives."""

from __future__ import annotations

import json
import numbers
from enum import StrEnum
from fractions import Fraction
from pathlib import Path

import mesa
import networkx as nx
import numpy as np
from mesa.agent import AgentSet

from agents.alliance import Challenger, Patron, Protege
from agents.club import NonSuperpower, Superpower, membership_array
from games import registry
from games.alliance import (
    PROPOSITIONS, AllianceParams, History, bilateral_war, label_equilibrium, lambda_A, lambda_T,
    multilateral_war, settlement, solve,
)
from games.alliance.examples import example
from games.alliance.rules import MODES as ALLIANCE_MODES
from games.alliance.rules import Game as AllianceGame
from games.alliance.rules import fixed_choices
from games.alliance.solver import NoEquilibrium
from games.alliance.payoffs import FREE_RIDING, NO_OFFER, SHARING, WITHDRAWAL
from games.club.core import World
from games.club.examples import world_by_name
from games.club.rules import NO_CLUB
from games.club.solver import Rules
from games.validation import SpheresInputError, check_choice, check_count, check_seed


# =========================================================================== the club game
class ClubPhase(StrEnum):
    PLACE = "a superpower places its club good"
    ROUNDS = "countries move to its club"
    DONE = "done"


class ClubModel(mesa.Model):
    """*The Power of Non-Superpowers*: K superpowers place club goods in turn, countries form coalitions.

    The move order, one stage event per ``step`` (see :meth:`step`): superpower 0 (a)
    places its good; each round of countries joining its club; the round in which nobody
    moves ends stage one; superpower 1 (b) places its good; each round of countries
    shifting to its club (and of members leaving a club that turned negative); the round in
    which nobody moves ends that stage; and so on for every superpower, the last stage's end
    being the end of the game. A rule may be swapped on any agent between two steps; the
    superpowers always anticipate the rules actually in play.

    ``world`` is a ``games.club.World`` (any number of superpowers); without one,
    ``world_name`` picks a named world: ``figure3``, ``figure2``, ``section3`` (with ``n``,
    ``g_a``, ``g_b``), ``random`` (with ``n`` countries) or ``poles`` (three superpowers on
    the symmetric circle, with ``n`` points and every dependency ``g_a``). ``country`` (a country's number
    as printed, from 1) and ``omega_country`` set one country's endowment. Rules are names,
    classes or instances (``games.registry``): ``rule_a``, ``rule_b`` (the first two
    superpowers), ``superpower_rules`` (one per superpower, for any K), ``rule_countries``
    (one for all, or one per country). ``rng``: the seed (a non-negative integer) of the
    order in which the agents are asked; it changes no outcome.
    """

    def __init__(
        self,
        world=None,
        *,
        world_name: str | None = None,
        n: int | None = None,
        g_a: float | None = None,
        g_b: float | None = None,
        country: int | None = None,
        omega_country: float | None = None,
        rule_a="equilibrium",
        rule_b="equilibrium",
        superpower_rules=None,
        rule_countries="coalition",
        rng=None,
    ):
        # Everything that can fail is checked before the Mesa model exists.
        world = _club_world(world, world_name, n, g_a, g_b)
        if country is not None:
            number = check_count("country", country, low=1, high=world.n_countries)
            if omega_country is None:
                raise SpheresInputError("country needs omega_country (the endowment to give it)")
            world = world.with_omega(number - 1, omega_country)
        elif omega_country is not None:
            raise SpheresInputError("omega_country needs country (the number of the country whose endowment it is)")
        k = world.n_superpowers
        if superpower_rules is None:
            superpower_rules = [rule_a, rule_b] + ["equilibrium"] * (k - 2)
        elif rule_a != "equilibrium" or rule_b != "equilibrium":
            raise SpheresInputError("give either rule_a/rule_b or superpower_rules (one per superpower), not both")
        if isinstance(superpower_rules, (str, bytes)) or not hasattr(superpower_rules, "__len__") or len(superpower_rules) != k:
            raise SpheresInputError(f"superpower_rules must hold one rule per superpower ({k}), got {superpower_rules!r}")
        sp_rules = [registry.coerce("superpower", r, f"rule of {world.superpowers[i]}") for i, r in enumerate(superpower_rules)]
        if isinstance(rule_countries, (str, type)) or isinstance(rule_countries, registry.base_class("non-superpower")):
            rule_countries = [rule_countries] * world.n_countries
        elif not hasattr(rule_countries, "__len__") or len(rule_countries) != world.n_countries:
            raise SpheresInputError(f"rule_countries must be one rule or {world.n_countries} rules (one per country)")
        country_rules = [registry.coerce("non-superpower", r, f"rule of country {world.names[i]}") for i, r in enumerate(rule_countries)]
        super().__init__(rng=check_seed("rng", rng))

        self.world = world
        self.superpowers = [Superpower(self, i, rule) for i, rule in enumerate(sp_rules)]
        self.leader, self.challenger = self.superpowers[0], self.superpowers[1]
        for i, rule in enumerate(country_rules):
            NonSuperpower(self, i, rule)
        self.countries = self.agents_by_type[NonSuperpower]  # an AgentSet, in country order
        self.mover = 0  # the superpower whose stage is being played
        self.phase = ClubPhase.PLACE
        self.round = 0  # coalition round within the current stage
        self.event = "start"  # what the last step did
        self.stages: list[np.ndarray] = []  # everyone's club at the end of each stage (-1: none)
        self.events: list[dict] = []  # who moved, when, why
        self.graph = self._membership_graph()
        reporters = {"phase": "event"}
        for i, name in enumerate(world.superpowers):
            reporters[f"location_{name}"] = lambda m, i=i: m.location(i)
            reporters[f"size_{name}"] = lambda m, i=i: int(m.membership(i).sum())
            reporters[f"endowment_{name}"] = lambda m, i=i: m.club_endowment(i)
            reporters[f"payoff_{name}"] = lambda m, i=i: m.superpowers[i].payoff()
        self.datacollector = mesa.DataCollector(
            model_reporters=reporters,
            agenttype_reporters={NonSuperpower: {"country": "name", "club": "club_name", "payoff": lambda c: c.payoff()}},
        )
        self.datacollector.collect(self)

    # -- the move order ------------------------------------------------------------------
    def step(self) -> None:
        """Enact the next stage event: superpower k places -> rounds of stage k -> the round that ends it -> k + 1 ..."""
        if not self.running:
            return  # the game is over: a further step changes nothing
        k = self.mover
        if self.phase is ClubPhase.PLACE:
            self.superpowers[k].step()  # 1. superpower k places its good, anticipating the later movers
            self.event = f"{self.events[-1]['actor']} {self.events[-1]['action']}"
            self.phase, self.round = ClubPhase.ROUNDS, 0
        elif self.stage_round(k):
            pass  # 2. a group moves to k's club; members whose payoff turned negative leave theirs
        else:
            self.close_stage(k)  # 3. nobody moves: the stage ends, its clubs a fait accompli for the next mover
            if k + 1 < self.world.n_superpowers:
                self.mover, self.phase = k + 1, ClubPhase.PLACE
            else:
                self._finish()  # 4. the last stage is over: payoffs
        self.datacollector.collect(self)

    def run_to_end(self, max_steps: int = 100_000) -> None:
        """Step until the game is over."""
        while self.running and max_steps > 0:
            self.step()
            max_steps -= 1

    # -- the coalition rounds, enacted by the agents --------------------------------------
    def coalition(self, k: int, candidates: AgentSet) -> AgentSet:
        """The group of candidates who all accept joining superpower k's club together.

        Every candidate is proposed; those who decline drop out and the rest are asked
        again, until everyone left accepts (for monotone rules, the largest such group).
        Candidates are asked in a random order each time; the group does not depend on it.
        """
        proposal = candidates
        while True:
            total, size = sum(proposal.get("weight")), len(proposal)
            accepted = proposal.shuffle().select(lambda c: c.accepts(k, total, size))
            if len(accepted) == len(proposal):
                return accepted
            proposal = accepted

    def stage_round(self, k: int) -> bool:
        """One round of stage k (eq. 1 for k = 0, eq. 2 after). Returns whether anyone moved."""
        if self.superpowers[k].location is None:
            return False
        movers = self.coalition(k, self.countries.select(lambda c: c.may_join(k)))
        leavers = self.countries.select(lambda c: c.wants_to_leave(k) and c not in movers)
        if not movers and not leavers:
            return False
        self.round += 1
        name = self.world.superpowers[k]
        before = {c: (c.club_name, c.payoff()) for c in [*movers, *leavers]}
        for c in leavers:
            self._end(c, c.club)
            c.club = None
        for c in movers:
            if c.club is not None:
                self._end(c, c.club)
            c.club = k
            self._begin(c, k)
        club = self.club_weight(k)
        for c in movers:
            was, u = before[c]
            if was is None:
                self.record(c.name, f"joins {name}'s club", f"round {self.round}: payoff {c.payoff():.4f} >= 0 in a club of weight {club:g}")
            else:
                self.record(c.name, f"moves from {was}'s club to {name}'s", f"round {self.round}: payoff {u:.4f} -> {c.payoff():.4f}")
        for c in leavers:
            was, u = before[c]
            self.record(c.name, f"leaves {was}'s club", f"round {self.round}: payoff there {u:.4f} < 0")
        self.event = f"stage {k + 1}, round {self.round}: countries move to {name}'s club"
        return True

    def close_stage(self, k: int) -> None:
        """The round in which nobody moves: stage k ends, and everyone's club is where the next stage begins."""
        name = self.world.superpowers[k]
        for c in self.countries:
            c.origin = c.club
        self.stages.append(self.state())
        what = "no club to join" if self.superpowers[k].location is None else "no group gains by moving"
        self.record(f"stage {k + 1}", "ends", f"{what}: {name}'s club has {int(self.membership(k).sum())} members")
        self.event = f"stage {k + 1} ends"

    # -- state ------------------------------------------------------------------------------
    @property
    def rules(self) -> Rules:
        """The rules in play, read from the agents (what the superpowers anticipate)."""
        return Rules(superpowers=[s.rule for s in self.superpowers], countries=tuple(c.rule for c in self.countries))

    def superpower(self, role) -> Superpower:
        return self.superpowers[self.world.index_of(role)]

    def locations(self) -> list[int | None]:
        """Each superpower's location index so far (None: no club, or not placed yet)."""
        return [s.location for s in self.superpowers]

    def state(self) -> np.ndarray:
        """Every country's club now (superpower index; -1: none)."""
        out = np.full(self.world.n_countries, NO_CLUB, dtype=np.int8)
        for c in self.countries:
            if c.club is not None:
                out[c.index] = c.club
        return out

    def membership(self, role) -> np.ndarray:
        return membership_array(self.countries, self.world.index_of(role))

    def club_size(self, role) -> int:
        return int(self.membership(role).sum())

    def club_weight(self, role) -> float:
        """The superpower's cost-share weight plus its members' (the denominator of rho)."""
        k, w = self.world.index_of(role), self.world
        return float(w.superpower_weight[k]) + float(w.weight[self.membership(k)].sum())

    def club_endowment(self, role) -> float:
        """Total endowment of the club, its superpower included; 0 with no club."""
        k, w = self.world.index_of(role), self.world
        if self.superpowers[k].location is None:
            return 0.0
        return float(w.superpower_omega[k] + w.omega[self.membership(k)].sum())

    def location(self, role):
        """The location of the superpower's good: its coordinate on a line, else its label in L (NaN: no club, or not
        placed yet)."""
        loc = self.superpowers[self.world.index_of(role)].location
        if loc is None:
            return float("nan")
        label = self.world.locations[loc]
        return float(label) if isinstance(label, (numbers.Real, np.number)) else label

    def record(self, actor: str, action: str, why: str) -> None:
        self.events.append({"step": self.steps, "actor": actor, "action": action, "why": why})

    def _finish(self) -> None:
        self.phase = ClubPhase.DONE
        payoffs = ", ".join(f"{s.name} {s.payoff():.4f}" for s in self.superpowers)
        self.record("game", "ends", f"payoffs: {payoffs}")
        self.event = "the game ends"
        self.running = False
        # Mesa 3.5 counts a step before calling ``step``; stopping its step schedule keeps a
        # step after the end from advancing the step counter (the state stays as it is anyway).
        self._default_schedule.stop()

    # -- the membership graph -----------------------------------------------------------------
    def _membership_graph(self) -> nx.MultiGraph:
        g = nx.MultiGraph(mode="dynamic", world=self.world.cost_share.name)
        for name in self.world.superpowers:
            g.add_node(name, kind="superpower")
        for c in self.countries:
            pos = None if self.world.positions is None else float(self.world.positions[c.index])
            g.add_node(c.name, kind="country", position=pos, endowment=float(self.world.omega[c.index]))
        return g

    def _begin(self, country: NonSuperpower, k: int) -> None:
        name = self.world.superpowers[k]
        self.graph.add_edge(country.name, name, key=name, start=self.steps, end=None)

    def _end(self, country: NonSuperpower, k: int) -> None:
        name = self.world.superpowers[k]
        self.graph.edges[country.name, name, name]["end"] = self.steps

    def memberships(self) -> list[dict]:
        """Every membership so far: country, club, the step it began and (if over) ended."""
        sps = set(self.world.superpowers)
        return [
            {"country": u if v in sps else v, "club": v if v in sps else u, "start": d["start"], "end": d["end"]}
            for u, v, d in self.graph.edges(data=True)
        ]

    def export_membership(self, path: str | Path) -> Path:
        """Write the membership graph: ``.gexf`` (dynamic, start/end spells), ``.graphml`` or ``.json``."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".gexf", ".graphml", ".json"):
            raise SpheresInputError(f"membership export path {str(path)!r} must end in .gexf, .graphml or .json")
        g = self.graph.copy()
        for *_, d in g.edges(data=True):
            if d["end"] is None:
                del d["end"]  # still a member: an open spell
        for _, d in g.nodes(data=True):
            for key in [k for k, v in d.items() if v is None]:
                del d[key]
        if suffix == ".gexf":
            nx.write_gexf(g, path)
        elif suffix == ".graphml":
            nx.write_graphml(g, path)
        else:
            path.write_text(json.dumps(nx.node_link_data(g, edges="edges"), indent=1))
        return path


def _club_world(world, world_name, n, g_a, g_b) -> World:
    """The world a ClubModel plays: given, or named (with only the options that name takes)."""
    if world is not None:
        if not isinstance(world, World):
            raise SpheresInputError(f"world must be a games.club.World, got {type(world).__name__}")
        given = [k for k, v in (("world_name", world_name), ("n", n), ("g_a", g_a), ("g_b", g_b)) if v is not None]
        if given:
            raise SpheresInputError(f"{', '.join(given)} apply to named worlds only, not to a given world")
        return world
    name = "figure3" if world_name is None else world_name
    takes = {"section3": ("n", "g_a", "g_b"), "random": ("n",), "poles": ("n", "g_a")}.get(name, ())
    for option, value in (("n", n), ("g_a", g_a), ("g_b", g_b)):
        if value is not None and option not in takes:
            raise SpheresInputError(f"{option} does not apply to world {name!r} (it takes: {', '.join(takes) or 'no options'})")
    params = {}
    if name == "section3":
        params = {"n": 31 if n is None else n, "g_a": 0.1 if g_a is None else g_a, "g_b": g_b}
    elif name == "random" and n is not None:
        params = {"n_countries": n}
    elif name == "poles":
        params = {k: v for k, v in (("n", n), ("g_a", g_a)) if v is not None}
    return world_by_name(name, **params)


# =========================================================================== the alliance game
class AllianceStage(StrEnum):
    NATURE = "nature draws A's type"
    DEMAND = "A demands a share (or makes no offer)"
    RESPONSE = "T accepts or rejects the demand"
    WITHDRAWAL = "A withdraws or stays"
    OFFER = "C offers x"
    CRISIS = "T accepts the offer or fights"
    INTERVENTION = "A intervenes or stays out"


ALLIANCE_OUTCOMES = ("no offer", "sharing", "free-riding", "withdrawal", "settlement", "war", "intervention")


class AllianceModel(mesa.Model):
    """*A Theory of Cost-Sharing Negotiations of Alliances*: repeated episodes of the game.

    One ``step`` enacts ONE stage event, in this order within an episode (stages that the
    play makes moot are skipped, never merged): nature's draw of A's type, A's demand,
    T's response, A's withdrawal or stay, C's offer, T's acceptance or war, A's
    intervention. The next step after the last event of an episode starts the next episode
    with a new draw of nature (from the seeded ``self.rng``).

    Each agent holds a rule (``patron_rule``, ``protege_rule``, ``challenger_rule``: a
    registered name, a rule class or a rule object; see ``games.alliance.rules``). Where a
    rule answers ``EQUILIBRIUM`` the agent plays a PBE assessment found by
    ``games.alliance.solve`` on the model's grids (``equilibrium``: None picks the first of
    Separating 1-3 found, else the first equilibrium; an int picks by index; a proposition
    name picks that profile). ``mode`` says whether the other players know the rules:
    ``"surprise"`` (they keep the equilibrium of the game without the rules) or
    ``"anticipated"`` (the equilibrium is one of the game in which each rule's role is
    restricted to the rule's moves, so everybody re-optimises around them). Every rule is
    asked at every information set before the Mesa model exists; an illegal answer or a
    rule that cannot be honoured in the mode is refused with a ``SpheresInputError``.

    Exposed for a visual server: ``challenger_belief``, ``path`` (the (stage, actor,
    action) events of the current episode), ``tree_path()`` (action labels from the root,
    as in the ``.efg`` export), ``graph`` (networkx: A, T, C; the alliance status after each
    step, its log in ``graph.graph['log']``). ``datacollector`` collects after every step
    and writes one row per finished episode into its ``episodes`` table;
    ``outcome_table()`` gives the outcome frequencies.
    """

    STAGE_ORDER = tuple(AllianceStage)

    def __init__(
        self,
        params: AllianceParams | dict | str = "japan-1978",
        *,
        n_demands: int = 20,
        n_offers: int = 100,
        off_path_belief="uncommitted",
        equilibrium=None,
        patron_rule="equilibrium",
        protege_rule="equilibrium",
        challenger_rule="equilibrium",
        mode: str = "surprise",
        seed=None,
    ) -> None:
        # Everything that can fail is checked before the Mesa model exists: nothing half-built.
        if isinstance(params, str):
            params = example(params)
        elif isinstance(params, dict):
            params = AllianceParams.from_mapping(params)
        elif not isinstance(params, AllianceParams):
            raise SpheresInputError(f"params must be AllianceParams, a dict or an example name, got {type(params).__name__}")
        n_demands = check_count("n_demands", n_demands, low=1)
        n_offers = check_count("n_offers", n_offers, low=2)
        seed = check_seed("seed", seed)
        if not isinstance(mode, str):
            raise SpheresInputError(f"mode = {mode!r} is not one of: {', '.join(ALLIANCE_MODES)}")
        check_choice("mode", mode, ALLIANCE_MODES)
        rules = {role: registry.coerce(role, rule, f"{role}_rule")
                 for role, rule in (("patron", patron_rule), ("protege", protege_rule), ("challenger", challenger_rule))}
        search = solve(params, n_demands=n_demands, n_offers=n_offers, off_path_belief_rule=off_path_belief,
                       rules=rules if mode == "anticipated" else None)
        chosen = self._select(search, params, equilibrium)
        game = AllianceGame(params, search.demands, search.offers)
        # every rule must say what it does at every information set it can meet (checked)
        fixed = search.fixed if mode == "anticipated" and search.fixed else fixed_choices(game, rules)
        for h in game.histories:
            fixed.offer(h, fixed.belief.get(h, chosen.assessment.belief[h]))
        super().__init__(rng=seed)
        self.params = params
        self.mode = mode
        self.game = game
        self.search = search
        self.crisis = chosen.assessment.crisis(params, search.offers)
        self.offers = search.offers
        self.demands = search.demands
        self.equilibrium = chosen
        self.equilibrium_label = label_equilibrium(chosen, params)
        self.assessment = chosen.assessment

        self.patron = Patron(self, rules["patron"])
        self.protege = Protege(self, rules["protege"])
        self.challenger = Challenger(self, rules["challenger"])

        self.graph = nx.Graph()
        self.graph.add_node("A", role="patron")
        self.graph.add_node("T", role="protege")
        self.graph.add_node("C", role="challenger")
        self.graph.add_edge("A", "T", kind="alliance", status="intact", amount=None)
        self.graph.add_edge("C", "T", kind="crisis", status="none", offer=None)
        self.graph.add_edge("A", "C", kind="intervention", status="none")
        self.graph.graph["log"] = []

        self.episode = 0
        self.next_stage = AllianceStage.NATURE
        self.last_stage: AllianceStage | None = None
        self._reset_episode()
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "episode": "episode",
                "stage": lambda m: str(m.last_stage) if m.last_stage else "",
                "alliance": lambda m: m.graph.edges["A", "T"]["status"],
                "belief": lambda m: float(m.challenger_belief),
            },
            tables={"episodes": ["episode", "type", "demand", "negotiation", "belief", "offer", "settlement",
                                 "war", "intervention", "payoff_A", "payoff_T", "payoff_C"]},
        )

    # ------------------------------------------------------------------ selection
    @staticmethod
    def _select(search, params: AllianceParams, equilibrium):
        """The equilibrium the equilibrium rules play (see the class docstring)."""
        eqs = search.equilibria
        if not eqs:
            raise NoEquilibrium(
                f"no pure-strategy PBE exists at these parameters on this grid, {search.convention()} "
                "(try other parameters, grids, off-path beliefs or rules)"
            )
        labels = [label_equilibrium(eq, params) for eq in eqs]
        if equilibrium is None:
            for name in PROPOSITIONS:
                if name in labels:
                    return eqs[labels.index(name)]
            return eqs[0]
        if isinstance(equilibrium, str):
            check_choice("equilibrium", equilibrium, PROPOSITIONS)
            if equilibrium in labels:
                return eqs[labels.index(equilibrium)]
            raise SpheresInputError(f"equilibrium = {equilibrium!r} does not hold at these parameters")
        if isinstance(equilibrium, bool) or not isinstance(equilibrium, int) or not 0 <= equilibrium < len(eqs):
            raise SpheresInputError(f"equilibrium = {equilibrium!r} must be an index in [0, {len(eqs) - 1}] or a proposition name")
        return eqs[equilibrium]

    # ------------------------------------------------------------------ state
    def _reset_episode(self) -> None:
        self.committed: bool | None = None
        self.demand: Fraction | None = None
        self.demand_accepted: bool | None = None
        self.withdrawn: bool | None = None
        self.history: History | None = None
        self.offer: Fraction | None = None
        self.offer_accepted: bool | None = None
        self.intervened: bool | None = None
        self.path: list[tuple[str, str, str]] = []

    @property
    def rule_names(self) -> dict[str, str]:
        """The rule each role plays now (read through the model's AgentSet)."""
        return dict(self.agents.map(lambda agent: (agent.role, agent.rule.name)))

    @property
    def challenger_belief(self) -> Fraction:
        """C's current belief that A is committed (the prior before C has seen the negotiation)."""
        return self.challenger.belief

    def tree_path(self) -> list[str]:
        """Action labels from the root of the game tree along the current episode's path."""
        return [action for _stage, _actor, action in self.path]

    # ------------------------------------------------------------------ the stage events
    def step(self) -> None:
        """Enact the next stage event (see the class docstring for the order)."""
        stage = self.next_stage
        if stage is AllianceStage.NATURE:
            self._nature()
        elif stage is AllianceStage.DEMAND:
            self._demand()
        elif stage is AllianceStage.RESPONSE:
            self._response()
        elif stage is AllianceStage.WITHDRAWAL:
            self._withdrawal()
        elif stage is AllianceStage.OFFER:
            self._offer()
        elif stage is AllianceStage.CRISIS:
            self._crisis()
        else:
            self._intervention()
        self.last_stage = stage
        self.graph.graph["log"].append({
            "step": self.steps, "episode": self.episode, "stage": str(stage),
            **{f"{u}{v}": dict(self.graph.edges[u, v]) for u, v in (("A", "T"), ("C", "T"), ("A", "C"))},
        })
        self.datacollector.collect(self)

    def _nature(self) -> None:
        self._reset_episode()
        self.episode += 1
        self.committed = bool(self.rng.random() < float(self.params.phi))
        self.challenger.belief = self.params.phi
        self._set_edges(alliance="intact", amount=None, crisis="none", offer=None, intervention="none")
        self.path.append(("nature", "N", "committed" if self.committed else "uncommitted"))
        self.next_stage = AllianceStage.DEMAND

    def _demand(self) -> None:
        self.demand = self.patron.make_demand()
        if self.demand is None:
            self.path.append(("demand", "A", "no offer"))
            self.history = History(NO_OFFER, None)
            self.next_stage = AllianceStage.OFFER
        else:
            self.path.append(("demand", "A", f"a={self.demand}"))
            self._set_edges(alliance="demand", amount=self.demand)
            self.next_stage = AllianceStage.RESPONSE

    def _response(self) -> None:
        self.demand_accepted = self.protege.respond_to_demand(self.demand)
        self.path.append(("response", "T", "accept" if self.demand_accepted else "reject"))
        if self.demand_accepted:
            self.history = History(SHARING, self.demand)
            self._set_edges(alliance="sharing", amount=self.demand)
            self.next_stage = AllianceStage.OFFER
        else:
            self._set_edges(alliance="rejected", amount=self.demand)
            self.next_stage = AllianceStage.WITHDRAWAL

    def _withdrawal(self) -> None:
        self.withdrawn = self.patron.decide_withdrawal(self.demand)
        self.path.append(("withdrawal", "A", "withdraw" if self.withdrawn else "stay"))
        self.history = History(WITHDRAWAL if self.withdrawn else FREE_RIDING, self.demand)
        self._set_edges(alliance="withdrawn" if self.withdrawn else "free-riding")
        self.next_stage = AllianceStage.OFFER

    def _offer(self) -> None:
        self.offer = self.challenger.make_offer(self.history)
        self.path.append(("offer", "C", f"x={self.offer}"))
        self._set_edges(crisis="offer", offer=self.offer)
        self.next_stage = AllianceStage.CRISIS

    def _crisis(self) -> None:
        self.offer_accepted = self.protege.respond_to_offer(self.history, self.offer)
        self.path.append(("crisis", "T", "accept" if self.offer_accepted else "fight"))
        if self.offer_accepted:
            self._set_edges(crisis="settled")
            self._finish_episode()
        else:
            self._set_edges(crisis="war")
            self.next_stage = AllianceStage.INTERVENTION

    def _intervention(self) -> None:
        self.intervened = self.patron.decide_intervention(self.history, self.offer)
        self.path.append(("intervention", "A", "intervene" if self.intervened else "stay out"))
        self._set_edges(intervention="intervened" if self.intervened else "stayed out")
        self._finish_episode()

    # ------------------------------------------------------------------ bookkeeping
    def _set_edges(self, alliance=None, amount="keep", crisis=None, offer="keep", intervention=None) -> None:
        at, ct, ac = self.graph.edges["A", "T"], self.graph.edges["C", "T"], self.graph.edges["A", "C"]
        if alliance is not None:
            at["status"] = alliance
        if amount != "keep":
            at["amount"] = None if amount is None else float(amount)
        if crisis is not None:
            ct["status"] = crisis
        if offer != "keep":
            ct["offer"] = None if offer is None else float(offer)
        if intervention is not None:
            ac["status"] = intervention

    def payoffs(self) -> tuple[Fraction, Fraction, Fraction]:
        """Whole-game payoffs (A, T, C) of the finished episode."""
        p, h = self.params, self.history
        beta = p.beta(self.committed)
        lam_a, lam_t = lambda_A(p, h.outcome, h.demand), lambda_T(p, h.outcome, h.demand)
        if self.offer_accepted:
            u = settlement(p, beta, self.offer, lam_a, lam_t)
        elif self.intervened:
            u = multilateral_war(p, beta, p.p_h if h.intact else p.p_m, lam_a, lam_t)
        else:
            u = bilateral_war(p, beta, lam_a, lam_t)
        return u.A, u.T, u.C

    def _finish_episode(self) -> None:
        u_a, u_t, u_c = self.payoffs()
        self.datacollector.add_table_row("episodes", {
            "episode": self.episode,
            "type": "committed" if self.committed else "uncommitted",
            "demand": None if self.demand is None else float(self.demand),
            "negotiation": self.history.outcome,
            "belief": float(self.challenger_belief),
            "offer": float(self.offer),
            "settlement": bool(self.offer_accepted),
            "war": not self.offer_accepted,
            "intervention": bool(self.intervened),
            "payoff_A": float(u_a), "payoff_T": float(u_t), "payoff_C": float(u_c),
        })
        self.next_stage = AllianceStage.NATURE

    # ------------------------------------------------------------------ many episodes
    @property
    def episodes_finished(self) -> int:
        """Number of finished episodes (the current one counts once its last event is played)."""
        return self.episode if self.next_stage is AllianceStage.NATURE else self.episode - 1

    def run_episodes(self, n: int) -> None:
        """Step until ``n`` more episodes have finished (an episode in progress counts as one)."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise SpheresInputError(f"episodes = {n!r} must be an integer in [0, inf)")
        target = self.episodes_finished + n
        while self.episodes_finished < target:
            self.step()

    def episodes_table(self):
        """The DataCollector's table: one row per finished episode (pandas DataFrame)."""
        return self.datacollector.get_table_dataframe("episodes")

    def outcome_table(self):
        """Outcome frequencies over the finished episodes: count and share of each outcome
        (negotiation outcomes, settlement, war, intervention), overall and by A's type."""
        import pandas as pd

        df = self.episodes_table()
        rows = []
        groups = [("all", df)] + [(t, df[df["type"] == t]) for t in ("committed", "uncommitted")]
        for outcome in ALLIANCE_OUTCOMES:
            row = {"outcome": outcome}
            for name, part in groups:
                if outcome in ("settlement", "war", "intervention"):
                    count = int(part[outcome].sum()) if len(part) else 0
                else:
                    count = int((part["negotiation"] == outcome).sum()) if len(part) else 0
                row[f"{name} count"] = count
                row[f"{name} share"] = count / len(part) if len(part) else 0.0
            rows.append(row)
        table = pd.DataFrame(rows).set_index("outcome")
        table.attrs["episodes"] = len(df)
        table.attrs["mean offer"] = float(df["offer"].mean()) if len(df) else float("nan")
        return table


__all__ = ["ClubModel", "ClubPhase", "AllianceModel", "AllianceStage", "ALLIANCE_OUTCOMES"]
