"""The Mesa models of Spheres (`ClubModel`, `AllianceModel`). Each ``step`` enacts one stage event, in the order the paper gives."""

from __future__ import annotations

import json
from enum import StrEnum
from fractions import Fraction
from pathlib import Path

import mesa
import networkx as nx
import numpy as np
from mesa.agent import AgentSet

from agents.alliance import Challenger, Patron, Protege, make_rule
from agents.club import NonSuperpower, Superpower, membership_array
from games.alliance import (
    PROPOSITIONS, AllianceParams, History, bilateral_war, label_equilibrium, lambda_A, lambda_T,
    multilateral_war, profile, settlement, solve,
)
from games.alliance.examples import example
from games.alliance.payoffs import FREE_RIDING, NO_OFFER, SHARING, WITHDRAWAL
from games.club.core import NONSUPERPOWER_RULES, Role, nonsuperpower_rule, superpower_rule
from games.club.examples import world_by_name
from games.club.solver import Rules
from games.validation import SpheresInputError, check_choice


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
        for i, rule in enumerate(country_rules):
            NonSuperpower(self, i, rule)
        self.countries = self.agents_by_type[NonSuperpower]  # an AgentSet, in country order
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
    def coalition(self, role: Role, candidates: AgentSet) -> AgentSet:
        """The largest group of candidates who all accept joining ``role``'s club together.

        Every candidate is proposed; those who decline drop out and the rest are asked
        again, until everyone left accepts (the greatest fixed point). Candidates are
        asked in a random order each time; the group does not depend on it.
        """
        proposal = candidates
        while True:
            total = sum(proposal.get("weight"))
            accepted = proposal.shuffle().select(lambda c: c.accepts(role, total))
            if len(accepted) == len(proposal):
                return accepted
            proposal = accepted

    def joining_round(self) -> bool:
        """One round of stage one (eq. 1). Returns whether anyone joined."""
        joiners = self.coalition("a", self.countries.select(lambda c: c.may_join("a")))
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
        movers = self.coalition("b", self.countries.select(lambda c: c.may_join("b")))
        leavers = self.countries.select(lambda c: c.wants_to_leave() and c not in movers)
        if not movers and not leavers:
            return False
        self.round += 1
        before = {c: c.payoff() for c in [*movers, *leavers]}
        for c in leavers:
            c.club = None
            self._end(c, "a")
        for c in movers:
            if c.club == "a":
                self._end(c, "a")
            c.club = "b"
            self._begin(c, "b")
        for c in movers:
            self.record(c.name, "moves to b's club", f"round {self.round}: payoff {before[c]:.4f} -> {c.payoff():.4f}")
        for c in leavers:
            self.record(c.name, "leaves a's club", f"round {self.round}: payoff in a's club {before[c]:.4f} < 0")
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

    The equilibrium rules play a PBE assessment found by ``games.alliance.solve`` on the
    model's grids (``equilibrium``: None picks the first of Separating 1-3 found, else the
    first equilibrium; an int picks by index; a proposition name picks that profile).
    Counterfactual rules are chosen by name (``agents.alliance.*_RULES``).

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
        patron_rule: str = "equilibrium",
        protege_rule: str = "equilibrium",
        challenger_rule: str = "equilibrium",
        seed=None,
    ) -> None:
        # Everything that can fail is checked before the Mesa model exists: nothing half-built.
        if isinstance(params, str):
            params = example(params)
        elif isinstance(params, dict):
            params = AllianceParams.from_mapping(params)
        elif not isinstance(params, AllianceParams):
            raise SpheresInputError(f"params must be AllianceParams, a dict or an example name, got {type(params).__name__}")
        rules = {role: make_rule(role, name) if isinstance(name, str) else name
                 for role, name in (("patron", patron_rule), ("protege", protege_rule), ("challenger", challenger_rule))}
        search = solve(params, n_demands=n_demands, n_offers=n_offers, off_path_belief_rule=off_path_belief)
        chosen = self._select(search.equilibria, params, equilibrium)
        super().__init__(rng=seed)
        self.params = params
        self.search = search
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
    def _select(eqs, params: AllianceParams, equilibrium):
        """The equilibrium the equilibrium rules play (see the class docstring)."""
        if not eqs:
            raise SpheresInputError(
                "no pure-strategy PBE exists at these parameters on this grid (try other parameters, grids or off-path beliefs)"
            )
        if equilibrium is None:
            for name in PROPOSITIONS:
                target = profile(name, params)
                for eq in eqs:
                    if eq.signature() == target:
                        return eq
            return eqs[0]
        if isinstance(equilibrium, str):
            check_choice("equilibrium", equilibrium, PROPOSITIONS)
            target = profile(equilibrium, params)
            for eq in eqs:
                if eq.signature() == target:
                    return eq
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
        self.offer_accepted = self.protege.respond_to_offer(self.offer, self.history.intact)
        self.path.append(("crisis", "T", "accept" if self.offer_accepted else "fight"))
        if self.offer_accepted:
            self._set_edges(crisis="settled")
            self._finish_episode()
        else:
            self._set_edges(crisis="war")
            self.next_stage = AllianceStage.INTERVENTION

    def _intervention(self) -> None:
        self.intervened = self.patron.decide_intervention(self.history.intact)
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
