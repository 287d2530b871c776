"""The games an experiment runs: which parameters a run may set, how its values become a game,
how a batch of runs is solved, and which outputs each run records.

Three games share one interface (``parameters()``, ``outputs()``, ``batch_columns()``,
``evaluate(runs, outputs, membership)``):

* :class:`ClubGame`: *The Power of Non-Superpowers* on a named world
  (:func:`games.club.examples.world_by_name`), on a line given inline (the arguments of
  ``World.on_line``) or on any ``World`` object; solved by backward induction, runs of one
  world shape and one set of rules together.
* :class:`AllianceGame`: Masumura's alliance game at a named example or a parameter set; the
  exhaustive pure-PBE search, and, with ``episodes > 0``, episodes of ``AllianceModel``
  played with the rules chosen by name.
* :class:`UsChinaGame`: Section 4's US-China game of one year, built by ``pipeline/`` and
  ``scenarios.us_china.world_for`` from the data choices.

``evaluate`` returns, per run, either a dict of outputs or the exception the run raised, so
one failing run never stops the others.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from experiments.parameters import Parameter, choice, integer, number, number_or_choice
from games import registry
from games.validation import SpheresInputError

__all__ = ["ClubGame", "AllianceGame", "UsChinaGame", "GAMES", "REGIMES", "OUTSIDE", "NONE_FOUND"]

REGIMES = ("none", "a", "b", "both")
"""Who forms a club (a club is formed when its good is placed and it has members): Figure 5's colours."""

OUTSIDE = "outside assumptions"
"""The alliance label of a run whose parameters break a joint constraint (beta_low < beta_high, assumptions (1)-(2))."""
NONE_FOUND = "no pure PBE"


# =========================================================================== the club game
def club_rules(superpowers: tuple[str, ...], countries: str):
    """The solver's rules from registered names, one per superpower (checked against ``games.registry`` up front)."""
    from games.club.solver import Rules

    return Rules(superpowers=list(superpowers), countries=countries)


def _rule_parameters(superpowers=("a", "b")) -> dict[str, Parameter]:
    out = {f"rule_{name}": choice(f"rule_{name}", f"superpower {name}'s rule", lambda: registry.names("superpower"),
                                  default="equilibrium") for name in superpowers}
    out["rule_countries"] = choice("rule_countries", "every non-superpower's rule",
                                   lambda: registry.names("non-superpower"), default="coalition")
    return out


# Parameters a world may take, by the name its builder uses. A named world offers those its
# builder accepts; an inline line world offers the scalar arguments of World.on_line.
_WORLD_PARAMETERS = {
    p.name: p
    for p in (
        integer("n", "Section 3's n: n - 1 countries at 1/n, ..., (n-1)/n, L = {0, 1/n, ..., 1}", 2, 100_000, shapes_world=True),
        number("g_a", "every country's dependency on a", 0.0, 1.0),
        number("g_b", "every country's dependency on b (Section 3: g_a when not set)", 0.0, 1.0),
        number("omega", "every country's endowment", 0.0, math.inf, low_open=True),
        number("omega_a", "a's endowment", 0.0, math.inf, low_open=True),
        number("omega_b", "b's endowment", 0.0, math.inf, low_open=True),
        number("home_a", "a's home on [0, 1]", 0.0, 1.0),
        number("home_b", "b's home on [0, 1]", 0.0, 1.0),
        integer("n_countries", "countries of the random world", 1, 100_000, shapes_world=True),
        integer("n_locations", "locations of the random world", 1, 100_000, shapes_world=True),
    )
}
_LINE_SCALARS = ("g_a", "g_b", "omega", "omega_a", "omega_b", "home_a", "home_b")
_LINE_KEYS = ("positions", "g_a", "g_b", "omega", "omega_a", "omega_b", "home_a", "home_b", "locations", "names")
_COUNTRY = (
    integer("country", "one country (its number as printed, from 1) whose endowment omega_country sets", 1, 100_000),
    number("omega_country", "the endowment of `country`", 0.0, math.inf, low_open=True),
)

def _club_output_names(superpowers=("a", "b")) -> dict[str, str]:
    """The outputs of a club run, named by the superpowers (a and b in the paper; c, ... beyond)."""
    out = {}
    for name in superpowers:
        out[f"location_{name}"] = f"where {name}'s club good is (NaN: no club)"
    for name in superpowers:
        out[f"size_{name}"] = f"members of {name}'s club ({name} not counted)"
    out[f"stage_one_{superpowers[0]}"] = f"members of {superpowers[0]}'s club at the end of stage one"
    for name in superpowers:
        out[f"endowment_{name}"] = f"total endowment of {name}'s club, {name} included (0: no club)"
    for name in superpowers:
        out[f"payoff_{name}"] = f"{name}'s payoff (HU)"
    both = "both" if len(superpowers) == 2 else "'+'-joined names"
    out["regime"] = f"who forms a club: none, one name, or {both}"
    return out


def _club_outputs(outcome, membership: bool) -> dict:
    """One run's outputs from the solver's ``Outcome`` (superpowers named as in the world: a, b, ...)."""
    world, state = outcome.world, outcome.state
    names = world.superpowers
    row, formed = {}, []
    for k, name in enumerate(names):
        index, club = outcome.indices[k], state == k
        size = int(club.sum())
        location = math.nan if index is None else outcome.location(k)
        row[f"location_{name}"] = location if isinstance(location, (int, float)) else str(location)
        row[f"size_{name}"] = size
        row[f"endowment_{name}"] = float(world.omega[club].sum() + (0.0 if index is None else world.superpower_omega[k]))
        row[f"payoff_{name}"] = float(outcome.payoffs[k])
        if index is not None and size > 0:
            formed.append(name)
    row[f"stage_one_{names[0]}"] = int((outcome.stages[0] == 0).sum())
    row["regime"] = "none" if not formed else "both" if len(formed) == len(names) == 2 else "+".join(formed)
    if membership:
        clubs = np.array(["none", *names])[state + 1]
        row.update({f"club_{name}": str(c) for name, c in zip(world.names, clubs)})
    return row


def _solve_worlds(items, outputs, membership) -> list:
    """``items``: (world, rules names) or an exception, per run. Runs of one world shape and one
    set of rules are solved together (``games.club.solver.solve_many``, vectorised across the
    worlds); a batch that raises is solved again run by run, so that the error is recorded
    against the run that caused it."""
    from games.club.solver import solve_many

    results: list = [None] * len(items)
    groups: dict[tuple, list[int]] = {}
    for i, item in enumerate(items):
        if isinstance(item, BaseException):
            results[i] = item
        else:
            world, names = item
            groups.setdefault((world.n_countries, world.n_locations, world.n_superpowers, names), []).append(i)
    for (*_, names), rows in groups.items():
        try:
            rules = club_rules(*names)
            worlds = [items[i][0] for i in rows]
            try:
                outcomes = solve_many(worlds, rules)
            except Exception:  # noqa: BLE001 - find the run that raised
                outcomes = [_try(solve_many, [w], rules) for w in worlds]
                outcomes = [o if isinstance(o, BaseException) else o[0] for o in outcomes]
        except Exception as exc:  # noqa: BLE001 - recorded per run
            outcomes = [exc] * len(rows)
        for i, o in zip(rows, outcomes):
            results[i] = o if isinstance(o, BaseException) else _keep(_club_outputs(o, membership), outputs, membership)
    return results


def check_params(game) -> None:
    """Check a game's fixed ``params`` against its parameters (each game calls it when built)."""
    if not isinstance(game.params, Mapping):
        raise SpheresInputError(f"game.params must be a table of parameter values, got {game.params!r}")
    known = game.parameters()
    fixed = {}
    for name, value in game.params.items():
        if name not in known:
            raise SpheresInputError(f"game.params: {name!r} is not a parameter of this {game.kind} game; "
                                    f"its parameters: {', '.join(known)}")
        fixed[name] = known[name].check(value, f"game.params.{name}")
    object.__setattr__(game, "params", fixed)


def with_defaults(game, runs):
    """Each run's values with the parameters' defaults filled in (a default of None: not set)."""
    defaults = {k: p.default for k, p in game.parameters().items() if p.default is not None}
    return [({**defaults, **values}, seed) for values, seed in runs]


def _try(fn, *args):
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - recorded per run
        return exc


def _keep(row: dict, outputs, membership: bool) -> dict:
    return {k: v for k, v in row.items() if k in outputs or (membership and k.startswith("club_"))}


@dataclass(frozen=True)
class ClubGame:
    """The club game on one world: a name of ``games.club.examples.WORLDS``, the arguments of
    ``World.on_line`` (a mapping with ``positions`` and any of g_a, g_b, omega, omega_a,
    omega_b, home_a, home_b, locations, names) or a ``World``. ``params`` fixes parameters
    for every run."""

    world: object = "section3"
    params: Mapping = field(default_factory=dict)
    kind = "club"

    def __post_init__(self) -> None:
        from games.club import World
        from games.club.examples import WORLDS

        if isinstance(self.world, str):
            if self.world not in WORLDS:
                raise SpheresInputError(f"game.world = {self.world!r} is not one of: {', '.join(WORLDS)} (or a table of World.on_line arguments)")
        elif isinstance(self.world, Mapping):
            unknown = sorted(set(self.world) - set(_LINE_KEYS))
            if unknown or "positions" not in self.world:
                raise SpheresInputError(
                    f"game.world as a table takes positions and any of {', '.join(_LINE_KEYS[1:])}; "
                    + (f"unknown: {', '.join(unknown)}" if unknown else "positions is missing"))
            World.on_line(**self.world)  # checked now, before any run
        elif not isinstance(self.world, World):
            raise SpheresInputError(f"game.world must be a world name, a table or a World, got {type(self.world).__name__}")
        check_params(self)

    @cached_property
    def superpowers(self) -> tuple[str, ...]:
        """The names of the world's superpowers (a, b in the paper's game; a, b, c, ... with more)."""
        fixed = {k: v for k, v in self.params.items() if k in self._world_parameter_names}
        return self.world_for(fixed, 0).superpowers

    # -- what a run may set ------------------------------------------------------------
    @cached_property
    def _builder_parameters(self) -> tuple[str, ...]:
        from games.club.examples import WORLDS

        return tuple(inspect.signature(WORLDS[self.world]).parameters) if isinstance(self.world, str) else ()

    @cached_property
    def _world_parameter_names(self) -> tuple[str, ...]:
        if isinstance(self.world, str):  # a named world's seed is the run's seed
            return tuple(n for n in self._builder_parameters if n != "seed")
        return _LINE_SCALARS if isinstance(self.world, Mapping) else ()

    def parameters(self) -> dict[str, Parameter]:
        out = {name: _WORLD_PARAMETERS[name] for name in self._world_parameter_names}
        out.update({p.name: p for p in _COUNTRY})
        out.update(_rule_parameters(self.superpowers))
        return out

    def outputs(self) -> dict[str, str]:
        return _club_output_names(self.superpowers)

    def default_outputs(self) -> tuple[str, ...]:
        return tuple(_club_output_names(self.superpowers))

    def check_values(self, values: Mapping) -> None:
        """Checks that involve more than one parameter (before any run)."""
        if "omega_country" in values and "country" not in values:
            raise SpheresInputError("omega_country needs country (the country whose endowment it sets)")
        if "country" in values and "omega_country" not in values:
            raise SpheresInputError("country needs omega_country (the endowment it sets)")
        if values.get("country") is not None:
            n = self.countries(values)
            if not values["country"] <= n:
                raise SpheresInputError(f"country = {values['country']} is outside the allowed range [1, {n}] "
                                        f"(this world has {n} countries)")

    def countries(self, values: Mapping) -> int:
        """How many non-superpowers a run with these values has (its world built, rules aside)."""
        own = {k: v for k, v in values.items() if k in self._world_parameter_names and v is not None}
        return self.world_for(own, 0).n_countries

    # -- a run ---------------------------------------------------------------------------
    def world_for(self, values: Mapping, seed: int):
        from games.club import World
        from games.club.examples import world_by_name

        own = {k: v for k, v in values.items() if k in self._world_parameter_names}
        if isinstance(self.world, str):
            if "seed" in self._builder_parameters:
                own["seed"] = seed
            world = world_by_name(self.world, **own)
        elif isinstance(self.world, Mapping):
            world = World.on_line(**{**self.world, **own})
        else:
            world = self.world
        if "country" in values:
            world = world.with_omega(int(values["country"]) - 1, float(values["omega_country"]))
        return world

    def batch_columns(self) -> tuple[str, ...]:
        """Parameters whose values split runs into batches (world shape, rules)."""
        return tuple(k for k, p in self.parameters().items() if p.shapes_world) + _rule_columns(self.superpowers)

    def evaluate(self, runs, outputs, membership: bool) -> list:
        items = [_try(lambda v=values, s=seed: (self.world_for(v, s), _rule_names(v, self.superpowers)))
                 for values, seed in with_defaults(self, runs)]
        return _solve_worlds(items, outputs, membership)


def _rule_columns(superpowers) -> tuple[str, ...]:
    return tuple(f"rule_{name}" for name in superpowers) + ("rule_countries",)


def _rule_names(values: Mapping, superpowers=("a", "b")) -> tuple[tuple[str, ...], str]:
    return tuple(values[f"rule_{name}"] for name in superpowers), values["rule_countries"]


# =========================================================================== the US-China game
@dataclass(frozen=True)
class UsChinaGame:
    """Section 4's game of one year (the US is a, China b, L = {x/500}), from the data choices:
    ``data_dir`` (default: ``$SPHERES_DATA`` or ../shared/data/raw) and the projected span
    ``projection`` (FIRST-LAST, 5-year steps, as ``run.py us-china``). Factors: ``year``
    (2006-2019, or a projected year), ``trade`` (reporter or mirror), ``estimates`` (keep or
    drop, with reporter data), ``ssp_model``, ``india_gdp_scale`` and the rules; membership
    columns are named by ISO3 code. The panels are built as ``scenarios.us_china.solve_source``
    builds them, once per process."""

    data_dir: str | None = None
    projection: str = "2030-2100"
    params: Mapping = field(default_factory=dict)
    kind = "us-china"

    def __post_init__(self) -> None:
        from pipeline import us_china as pipe

        pipe.parse_years(self.projection, step=5)
        if self.data_dir is not None and not isinstance(self.data_dir, str):
            raise SpheresInputError(f"game.data_dir must be a folder name, got {self.data_dir!r}")
        check_params(self)

    def _years(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        from pipeline import us_china as pipe

        return tuple(range(2006, pipe.BASE_YEAR + 1)), pipe.parse_years(self.projection, step=5)

    def parameters(self) -> dict[str, Parameter]:
        from pipeline import dots
        from pipeline import us_china as pipe

        historical, projected = self._years()
        out = {
            "year": integer("year", f"the year: {historical[0]}-{historical[-1]}, or one of the projection "
                            f"{self.projection} (5-year steps)", historical[0], projected[-1], shapes_world=True,
                            default=pipe.BASE_YEAR),
            "trade": choice("trade", "dependencies from each country's own IMF DOTS reports (reporter) or from the "
                            "US's and China's (mirror)", pipe.TRADE_SOURCES, shapes_world=True, default=pipe.DEFAULT_TRADE),
            "estimates": choice("estimates", "with reporter data: keep or drop the values the IMF flags as estimates",
                                dots.ESTIMATES, shapes_world=True, default=pipe.DEFAULT_ESTIMATES),
            "india_gdp_scale": number("india_gdp_scale", "India's GDP multiplied by this in every year", 0.0, 1000.0,
                                      low_open=True, default=1.0),
            "ssp_model": choice("ssp_model", "SSP2 GDP projection", tuple(pipe.SSP_MODELS), default=pipe.DEFAULT_SSP_MODEL),
        }
        out.update(_rule_parameters())
        return out

    def outputs(self) -> dict[str, str]:
        return _club_output_names()

    def default_outputs(self) -> tuple[str, ...]:
        return tuple(_club_output_names())

    def check_values(self, values: Mapping) -> None:
        historical, projected = self._years()
        year = values.get("year")
        if year is not None and year not in historical and year not in projected:
            raise SpheresInputError(
                f"year = {year} is neither a historical year ({historical[0]}-{historical[-1]}) nor one of the "
                f"projection's years ({', '.join(map(str, projected))})")
        if "estimates" in values and values.get("trade") == "mirror":
            raise SpheresInputError("estimates applies to trade = reporter (the IMF's flags are on the reporters' data)")

    def countries(self, values: Mapping) -> int:
        return 200  # an upper bound (the pipeline keeps about 160), for the size estimate

    def check_data(self) -> None:
        """The data folder exists (before any run)."""
        from pipeline import us_china as pipe

        pipe.resolve_data_dir(self.data_dir)

    def world_for(self, values: Mapping):
        from scenarios.us_china import world_for

        year = int(values["year"])
        key = (self.data_dir, values["trade"], values["estimates"], float(values["india_gdp_scale"]),
               values["ssp_model"] if year not in self._years()[0] else None)
        if key not in _PANELS:
            _PANELS[key] = self._panel(*key)
        return world_for(_PANELS[key], year)[0]

    def _panel(self, data_dir, trade, estimates, scale, ssp_model):
        """The 2006-2019 panel, or the projection built on it, as ``solve_source`` builds them."""
        from pipeline import us_china as pipe
        from scenarios.us_china import INDIA

        raw = _RAW.get((data_dir, trade)) or _RAW.setdefault((data_dir, trade), pipe.load_raw(data_dir, trade))
        panel = pipe.build_panel(raw, self._years()[0], trade=trade, estimates=estimates)
        panel = panel if scale == 1.0 else panel.with_gdp_scale(INDIA, scale)
        if ssp_model is None:
            return panel
        projected = pipe.build_projection(panel, self._years()[1], model=ssp_model, data_dir=raw.data_dir)
        return projected if scale == 1.0 else projected.with_gdp_scale(INDIA, scale)

    def batch_columns(self) -> tuple[str, ...]:
        return ("year", "trade", "estimates") + _rule_columns(("a", "b"))

    def evaluate(self, runs, outputs, membership: bool) -> list:
        items = [_try(lambda v=values: (self.world_for(v), _rule_names(v))) for values, _seed in with_defaults(self, runs)]
        return _solve_worlds(items, outputs, membership)


_RAW: dict[tuple, object] = {}
_PANELS: dict[tuple, object] = {}
"""The US-China data and panels this process has built (a worker builds each once)."""


# =========================================================================== the alliance game
_ALLIANCE_ROLES = ("patron", "protege", "challenger")
_PROPOSITION_COLUMNS = {"Separating 1": "separating_1", "Separating 2": "separating_2", "Separating 3": "separating_3"}
_ALLIANCE_OUTPUTS = {
    "equilibria": "how many pure-PBE outcomes the search finds (0 outside the assumptions)",
    "labels": f"the labels of all of them, sorted, joined by '; ' ({OUTSIDE!r}, {NONE_FOUND!r})",
    "separating_1": "Separating 1 is among them",
    "separating_2": "Separating 2 is among them",
    "separating_3": "Separating 3 is among them",
    "label": "the label of the equilibrium played (the first of Separating 1-3 found, else the first)",
    "outcome_committed": "the committed patron's negotiation outcome in it",
    "outcome_uncommitted": "the uncommitted patron's negotiation outcome in it",
    "demand_committed": "the committed patron's demand (NaN: no offer)",
    "demand_uncommitted": "the uncommitted patron's demand (NaN: no offer)",
    "offer_committed": "C's offer after the committed patron's negotiation",
    "offer_uncommitted": "C's offer after the uncommitted patron's negotiation",
    "war_committed": "war on the committed patron's path",
    "war_uncommitted": "war on the uncommitted patron's path",
}


def _episode_outputs() -> dict[str, str]:
    from model import ALLIANCE_OUTCOMES

    out = {f"share_{_snake(o)}": f"share of episodes with {o}" for o in ALLIANCE_OUTCOMES}
    out.update({f"mean_payoff_{r}": f"{r}'s mean payoff over the episodes" for r in "ATC"})
    return out


def _snake(text: str) -> str:
    return text.replace(" ", "_").replace("-", "_")


@dataclass(frozen=True)
class AllianceGame:
    """The alliance game at a base point (``example``, a name of ``games.alliance.examples``, or
    ``base``: an ``AllianceParams`` or a complete table of its parameters), ``params`` fixed for
    every run. A run that breaks a joint constraint (beta_low < beta_high, p_l < p_m < p_h,
    assumptions (1)-(2) unless ``check_assumptions = false``; default: the base's own setting,
    else true) is labelled 'outside assumptions'.
    With ``episodes > 0`` each run also plays that many episodes of ``AllianceModel`` (seeded by
    the run's seed) with the rules chosen by name."""

    example: str | None = None
    base: object = None
    params: Mapping = field(default_factory=dict)
    check_assumptions: bool | None = None
    kind = "alliance"

    def __post_init__(self) -> None:
        from games.alliance import AllianceParams
        from games.alliance.examples import EXAMPLES

        if (self.example is None) == (self.base is None):
            raise SpheresInputError("the alliance game needs exactly one of game.example or game.base")
        if self.example is not None and self.example not in EXAMPLES:
            raise SpheresInputError(f"game.example = {self.example!r} is not one of: {', '.join(EXAMPLES)}")
        if self.base is not None and not isinstance(self.base, (AllianceParams, Mapping)):
            raise SpheresInputError(f"game.base must be AllianceParams or a table, got {type(self.base).__name__}")
        if self.check_assumptions is not None and not isinstance(self.check_assumptions, bool):
            raise SpheresInputError(f"game.check_assumptions must be true or false, got {self.check_assumptions!r}")
        self.base_params()  # checked now, before any run
        check_params(self)

    def base_params(self):
        from games.alliance import AllianceParams
        from games.alliance.examples import EXAMPLES

        check = self.check_assumptions
        if isinstance(self.base, AllianceParams):
            return self.base if check is None else self.base.replace(check_assumptions=check)
        table = EXAMPLES[self.example] if self.example is not None else self.base
        return AllianceParams.from_mapping(dict(table), check_assumptions=True if check is None else check)

    def parameters(self) -> dict[str, Parameter]:
        from games.alliance import MODES
        from games.alliance.beliefs import OFF_PATH_RULES
        from games.alliance.params import _RANGES

        out = {name: number(name, f"the alliance game's {name}", low, high, low_open=lo_open, high_open=hi_open)
               for name, (low, high, lo_open, hi_open) in _RANGES.items()}
        out.update({
            "n_demands": integer("n_demands", "demand grid size (the named values always included)", 1, 200, default=20),
            "n_offers": integer("n_offers", "offer grid size", 2, 1000, default=100),
            "off_path_belief": number_or_choice("off_path_belief", "C's belief at histories no type reaches",
                                                OFF_PATH_RULES, 0.0, 1.0, default="uncommitted"),
            "episodes": integer("episodes", "episodes of AllianceModel per run (0: the search only)", 0, 10_000_000, default=0),
            "mode": choice("mode", "surprise: a swapped rule is played in the episodes against the others' equilibrium; "
                           "anticipated: the others know it, the search finds the restricted game's PBE", MODES,
                           default="surprise"),
            **{f"rule_{role}": choice(f"rule_{role}", f"the {role}'s rule", lambda role=role: registry.names(role),
                                      default="equilibrium") for role in _ALLIANCE_ROLES},
        })
        return out

    def outputs(self) -> dict[str, str]:
        return {**_ALLIANCE_OUTPUTS, **_episode_outputs()}

    def default_outputs(self) -> tuple[str, ...]:
        return tuple(_ALLIANCE_OUTPUTS)

    def check_values(self, values: Mapping) -> None:
        pass

    def check_design(self, outputs, takes) -> None:
        """Settings that cannot matter are refused: ``takes(name)`` is the set of values a
        parameter takes in the experiment."""
        needs = [o for o in outputs if o in _episode_outputs()]
        if needs and takes("episodes") == {0}:
            raise SpheresInputError(f"outputs: {needs[0]} comes from episodes: set episodes > 0 (in game.params or every level)")
        rules = [f"rule_{role}" for role in _ALLIANCE_ROLES if takes(f"rule_{role}") != {"equilibrium"}]
        if rules and takes("episodes") == {0} and "anticipated" not in takes("mode"):
            raise SpheresInputError(f"{rules[0]} changes nothing here: play it in episodes (episodes > 0) or let the "
                                    "others anticipate it (mode = anticipated)")

    def countries(self, values: Mapping) -> int:
        return 0

    def batch_columns(self) -> tuple[str, ...]:
        return ()

    def evaluate(self, runs, outputs, membership: bool) -> list:
        return [_try(self._one, values, seed, outputs) for values, seed in with_defaults(self, runs)]

    def _one(self, values: Mapping, seed: int, outputs) -> dict:
        from games.alliance import label_equilibrium, solve
        from games.alliance.params import _RANGES

        own = {k: v for k, v in values.items() if k in _RANGES}
        try:
            params = self.base_params().replace(**own)
        except SpheresInputError:
            row = {**_outside_row(), **{k: math.nan for k in _episode_outputs()}}
            return _keep(row, outputs, False)
        grids = dict(n_demands=int(values["n_demands"]), n_offers=int(values["n_offers"]))
        belief = values["off_path_belief"]
        episodes, mode = int(values["episodes"]), values["mode"]
        rules = {role: values[f"rule_{role}"] for role in _ALLIANCE_ROLES}
        row = {}
        if episodes:
            from model import AllianceModel

            model = AllianceModel(params, off_path_belief=belief, seed=seed, mode=mode, **grids,
                                  **{f"{role}_rule": rule for role, rule in rules.items()})
            model.run_episodes(episodes)
            result = model.search
            row.update(_episode_row(model))
        else:
            result = solve(params, off_path_belief_rule=belief, rules=rules if mode == "anticipated" else None, **grids)
        labels = [label_equilibrium(e, params) for e in result]
        row.update(_equilibrium_row(result.equilibria, labels))
        return _keep(row, outputs, False)


def _outside_row() -> dict:
    return {"equilibria": 0, "labels": OUTSIDE, **{c: False for c in _PROPOSITION_COLUMNS.values()}, "label": OUTSIDE,
            **{f"{k}_{t}": v for t in ("committed", "uncommitted")
               for k, v in (("outcome", ""), ("demand", math.nan), ("offer", math.nan), ("war", False))}}


def _equilibrium_row(equilibria: list, labels: list[str]) -> dict:
    if not equilibria:
        return {**_outside_row(), "labels": NONE_FOUND, "label": NONE_FOUND}
    played = next((e for name in _PROPOSITION_COLUMNS for e, lab in zip(equilibria, labels) if lab == name), equilibria[0])
    row = {"equilibria": len(equilibria), "labels": "; ".join(sorted(set(labels))),
           **{col: name in labels for name, col in _PROPOSITION_COLUMNS.items()},
           "label": labels[equilibria.index(played)]}
    for t, path in (("committed", played.committed), ("uncommitted", played.uncommitted)):
        row[f"outcome_{t}"] = path.outcome
        row[f"demand_{t}"] = math.nan if path.demand is None else float(path.demand)
        row[f"offer_{t}"] = float(path.offer)
        row[f"war_{t}"] = bool(path.war)
    return row


def _episode_row(model) -> dict:
    table = model.outcome_table()
    row = {f"share_{_snake(o)}": float(table.loc[o, "all share"]) for o in table.index}
    episodes = model.episodes_table()
    row.update({f"mean_payoff_{r}": float(episodes[f"payoff_{r}"].mean()) for r in "ATC"})
    return row


GAMES = {"club": ClubGame, "alliance": AllianceGame, "us-china": UsChinaGame}
"""The game kinds of an experiment file's ``[game] kind``."""
