"""One experiment, declared: the game, the factors, the design, replications and seeds, the
outputs. The same as a TOML file (:func:`load`) and as Python objects (:class:`Experiment`).

Everything is checked when the experiment is built, before any run: unknown games, factors,
parameters and outputs, levels outside their range, designs that do not fit their factors.
Each refusal is a ``SpheresInputError`` of one line naming what is wrong. See
``docs/experiments.md`` for the file format.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from experiments.designs import RUN_COLUMNS, Design, Factor, check_factors, count_points, generate
from experiments.games import GAMES, AllianceGame, ClubGame, UsChinaGame
from games import registry
from games.validation import SpheresInputError

__all__ = ["Experiment", "load", "loads"]

_RESERVED = set(RUN_COLUMNS) | {"error"}


@dataclass(frozen=True)
class Experiment:
    """A declared experiment (see the module docstring and ``docs/experiments.md``).

    game:          ``ClubGame``, ``AllianceGame`` or ``UsChinaGame``
    factors:       the parameters varied (``Factor``), in order (the last varies fastest)
    design:        how the runs are chosen (``Design``)
    derived:       parameters computed from the factors per run, ``{name: expression}``
                   (pandas ``DataFrame.eval`` syntax, e.g. ``{"g_b": "1 - g_a"}``)
    outputs:       outputs recorded per run (default: the game's standard set)
    membership:    also each country's club, one column ``club_<name>`` per country
    replications:  runs per design point; ``seed``: the base of every run's seed;
    common_random_numbers: replication r has the same seed at every point
    chunk_size:    runs per task (default: chosen from the design and the workers)
    rules_modules: users' rules files (``.py``), loaded before the names are checked
    """

    game: ClubGame | AllianceGame | UsChinaGame
    factors: tuple[Factor, ...] = ()
    design: Design = field(default_factory=Design)
    derived: Mapping[str, str] = field(default_factory=dict)
    outputs: tuple[str, ...] | None = None
    membership: bool = False
    replications: int = 1
    seed: int = 0
    common_random_numbers: bool = True
    chunk_size: int | None = None
    rules_modules: tuple[str, ...] = ()
    name: str = "experiment"
    description: str = ""
    source: str | None = field(default=None, compare=False)
    """The experiment file's text, when it came from one (kept in the manifest)."""
    path: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if not isinstance(self.game, tuple(GAMES.values())):
            raise SpheresInputError(f"game must be one of {', '.join(g.__name__ for g in GAMES.values())}, got {type(self.game).__name__}")
        for module in self.rules_modules:
            registry.load_rules_module(module)
        set_(self, "factors", tuple(self.factors))
        set_(self, "derived", dict(self.derived))
        for name, value, low in (("replications", self.replications, 1), ("seed", self.seed, 0)):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise SpheresInputError(f"{name} = {value!r} must be an integer >= {low}")
        if self.chunk_size is not None and (isinstance(self.chunk_size, bool) or not isinstance(self.chunk_size, int) or self.chunk_size < 1):
            raise SpheresInputError(f"chunk_size = {self.chunk_size!r} must be an integer >= 1")
        for name in ("membership", "common_random_numbers"):
            if not isinstance(getattr(self, name), bool):
                raise SpheresInputError(f"{name} = {getattr(self, name)!r} must be true or false")
        if not isinstance(self.name, str) or not self.name.strip() or any(c in self.name for c in "/\\"):
            raise SpheresInputError(f"name = {self.name!r} must be a non-empty name without slashes")
        self._check_parameters()
        set_(self, "outputs", self._check_outputs())

    # -- checks ---------------------------------------------------------------------------
    def _parameter(self, name: str, where: str):
        params = self.game.parameters()
        if name in _RESERVED:
            raise SpheresInputError(f"{where}: {name!r} is set by the experiment itself (seed, replications), not a parameter")
        if name not in params:
            raise SpheresInputError(f"{where}: {name!r} is not a parameter of this {self.game.kind} game; "
                                    f"its parameters: {', '.join(params)}")
        return params[name]

    def _check_parameters(self) -> None:
        fixed = self.game.params
        varied: dict[str, str] = {}
        for f in self.factors:
            where = f"factors.{f.name}"
            if not isinstance(f, Factor):
                raise SpheresInputError(f"factors must hold Factor objects, got {type(f).__name__}")
            if f.name in varied:
                raise SpheresInputError(f"{where} is declared twice")
            param = self._parameter(f.name, where)
            if f.sampled or f.range is not None:
                if not param.numeric:
                    raise SpheresInputError(f"{where} has a range, but {f.name} takes names: give levels")
                for end in f.range:
                    param.check(end, f"{where}.range end")
            if not f.sampled:
                for level in f.values():
                    param.check(level, f"{where} level")
            varied[f.name] = where
        for name in self.design.list_names():
            param = self._parameter(name, "design.runs")
            for i, run in enumerate(self.design.runs):
                run[name] = param.check(run[name], f"design.runs[{i}].{name}")
            varied[name] = "design.runs"
        for name, expr in self.derived.items():
            self._parameter(name, f"derived.{name}")
            if not isinstance(expr, str) or not expr.strip():
                raise SpheresInputError(f"derived.{name} must be an expression (a string), got {expr!r}")
            if name in varied:
                raise SpheresInputError(f"derived.{name}: {name} is also a factor")
            varied[name] = f"derived.{name}"
        both = sorted(set(fixed) & set(varied))
        if both:
            raise SpheresInputError(f"{varied[both[0]]}: {both[0]} is also fixed in game.params")
        # joint checks, one varied value at a time (the others at their first level)
        first = {**fixed, **{f.name: (f.range[0] if f.sampled else f.values()[0]) for f in self.factors},
                 **(dict(self.design.runs[0]) if self.design.kind == "list" else {}),
                 **{name: None for name in self.derived}}
        self.game.check_values(first)
        for f in self.factors:
            for level in (f.range if f.sampled else f.values()):
                self.game.check_values({**first, f.name: level})
        check_factors(self.factors, self.design)

    def _check_outputs(self) -> tuple[str, ...]:
        known = self.game.outputs()
        outputs = self.game.default_outputs() if self.outputs is None else tuple(self.outputs)
        if not outputs:
            raise SpheresInputError("outputs must name at least one output")
        for name in outputs:
            if name not in known:
                raise SpheresInputError(f"outputs: {name!r} is not an output of the {self.game.kind} game; "
                                        f"its outputs: {', '.join(known)}")
        if len(set(outputs)) != len(outputs):
            raise SpheresInputError("outputs names an output twice")
        if self.membership and isinstance(self.game, AllianceGame):
            raise SpheresInputError("membership applies to the club and US-China games, not the alliance game")
        if hasattr(self.game, "check_design"):
            self.game.check_design(outputs, self._takes)
        return outputs

    def _takes(self, name: str) -> set:
        """The values parameter ``name`` takes in this experiment (its default if it is not set)."""
        if name in self.game.params:
            return {self.game.params[name]}
        for f in self.factors:
            if f.name == name:
                return set(f.range if f.sampled else f.values())
        if name in self.design.list_names():
            return {run[name] for run in self.design.runs}
        if name in self.derived:
            return {None}
        return {self.game.parameters()[name].default}

    # -- the runs -------------------------------------------------------------------------
    @property
    def varied(self) -> tuple[str, ...]:
        """The table's parameter columns: factors, listed parameters, derived parameters."""
        return tuple(f.name for f in self.factors) + self.design.list_names() + tuple(self.derived)

    @property
    def points(self) -> int:
        return count_points(self.factors, self.design)

    @property
    def runs(self) -> int:
        return self.points * self.replications

    def integer_parameters(self) -> dict[str, bool]:
        return {name: p.kind == "int" for name, p in self.game.parameters().items()}

    def table(self) -> pd.DataFrame:
        """Every run: ``run``, ``point``, ``replication``, ``seed`` and the varied parameters."""
        table = generate(self.factors, self.design, replications=self.replications, seed=self.seed,
                         common_random_numbers=self.common_random_numbers, integer=self.integer_parameters())
        params = self.game.parameters()
        for name, expr in self.derived.items():
            try:
                values = table.eval(expr)
            except Exception as exc:  # noqa: BLE001 - any error in the user's expression is one line
                raise SpheresInputError(f"derived.{name} = {expr!r} cannot be evaluated: {type(exc).__name__}: {exc}") from None
            table[name] = _check_column(params[name], pd.Series(values, index=table.index), f"derived.{name}")
        return table

    # -- identity ---------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """A JSON-able description (a ``World`` object or ``AllianceParams`` by a digest of its contents)."""
        def jsonable(x):
            if isinstance(x, Mapping):
                return {str(k): jsonable(v) for k, v in x.items()}
            if isinstance(x, (list, tuple)):
                return [jsonable(v) for v in x]
            if x is None or isinstance(x, (bool, int, float, str)):
                return x
            return {type(x).__name__: hashlib.sha256(pickle.dumps(x)).hexdigest()[:16]}

        game = {"kind": self.game.kind, **{f.name: jsonable(getattr(self.game, f.name)) for f in fields(self.game)}}
        return {
            "name": self.name, "description": self.description, "game": game,
            "factors": [{k: jsonable(v) for k, v in (("name", f.name), ("levels", f.levels), ("range", f.range),
                                                   ("points", f.points)) if v is not None} for f in self.factors],
            "design": {"kind": self.design.kind, "samples": self.design.samples, "second_order": self.design.second_order,
                       "levels": self.design.levels, "runs": jsonable(self.design.runs)},
            "derived": dict(self.derived), "outputs": list(self.outputs), "membership": self.membership,
            "replications": self.replications, "seed": self.seed, "common_random_numbers": self.common_random_numbers,
            "rules_modules": [{"path": m, "sha256": _digest(Path(m).read_bytes())} for m in self.rules_modules],
        }

    def fingerprint(self) -> str:
        """Equal for experiments that make the same runs (``--resume`` checks it)."""
        return _digest(json.dumps(self.to_dict(), sort_keys=True).encode())


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def plain(x):
    """A numpy scalar as the Python number it holds."""
    return x.item() if hasattr(x, "item") else x


def _check_column(param, column: pd.Series, where: str) -> pd.Series:
    """Check a column of values (the extremes stand for every numeric value)."""
    if param.numeric:
        values = pd.to_numeric(column, errors="coerce")
        if values.isna().any():
            raise SpheresInputError(f"{where} = {column[values.isna()].iloc[0]!r} must be {param.describe_range()}")
        for extreme in (values.min(), values.max()):
            param.check(plain(extreme), where)
        if param.kind == "int":
            if (values != values.round()).any():
                raise SpheresInputError(f"{where} = {values[values != values.round()].iloc[0]!r} must be {param.describe_range()}")
            return values.astype("int64")
        return values.astype(float)
    for value in column.unique():
        param.check(plain(value), where)
    return column


# =========================================================================== TOML
_TOP = ("name", "description", "seed", "replications", "common_random_numbers", "outputs", "membership",
        "rules_modules", "chunk_size", "game", "factors", "derived", "design")
_GAME_KEYS = {
    "club": ("kind", "world", "params"),
    "alliance": ("kind", "example", "base", "params", "check_assumptions"),
    "us-china": ("kind", "data_dir", "projection", "params"),
}


def _known(table: Mapping, allowed: Sequence[str], where: str) -> None:
    unknown = [k for k in table if k not in allowed]
    if unknown:
        raise SpheresInputError(f"{where}unknown key {unknown[0]!r} (known: {', '.join(allowed)})")


def loads(text: str, *, base_dir: str | Path = ".", path: str | None = None, rules_modules: Sequence[str] = ()) -> Experiment:
    """An experiment from TOML text; relative paths (rules modules, data_dir) are read from ``base_dir``."""
    label = f"{path}: " if path else ""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpheresInputError(f"{label}not valid TOML: {exc}") from None
    base_dir = Path(base_dir)
    _known(doc, _TOP, label)
    game_table = doc.get("game")
    if not isinstance(game_table, Mapping) or "kind" not in game_table:
        raise SpheresInputError(f"{label}[game] with a kind ({', '.join(GAMES)}) is required")
    kind = game_table["kind"]
    if kind not in GAMES:
        raise SpheresInputError(f"{label}game.kind = {kind!r} is not one of: {', '.join(GAMES)}")
    _known(game_table, _GAME_KEYS[kind], f"{label}game: ")
    game_args = {k: v for k, v in game_table.items() if k != "kind"}
    if isinstance(game_args.get("data_dir"), str):
        game_args["data_dir"] = str(base_dir / game_args["data_dir"])
    factors_table = doc.get("factors", {})
    if not isinstance(factors_table, Mapping):
        raise SpheresInputError(f"{label}[factors] must be a table of factors")
    factors = []
    for name, spec in factors_table.items():
        if not isinstance(spec, Mapping):
            raise SpheresInputError(f"{label}factors.{name} must be a table (levels = [...], or range = [low, high] with points)")
        _known(spec, ("levels", "range", "points"), f"{label}factors.{name}: ")
        factors.append(Factor(name, **spec))
    design_table = doc.get("design", {})
    _known(design_table, ("kind", "samples", "second_order", "levels", "runs"), f"{label}design: ")
    modules = [str(base_dir / m) for m in doc.get("rules_modules", [])] + list(rules_modules)
    top = {k: v for k, v in doc.items() if k not in ("game", "factors", "design", "rules_modules")}
    if "outputs" in top:
        top["outputs"] = tuple(top["outputs"])
    try:
        for module in modules:  # before the game: its params may name the module's rules
            registry.load_rules_module(module)
        return Experiment(game=GAMES[kind](**game_args), factors=tuple(factors), design=Design(**design_table),
                          rules_modules=tuple(modules), source=text, path=path, **top)
    except SpheresInputError as exc:
        raise SpheresInputError(f"{label}{exc}") from None


def load(path: str | Path, *, rules_modules: Sequence[str] = ()) -> Experiment:
    """An experiment from a TOML file (see ``docs/experiments.md``)."""
    p = Path(path)
    if p.suffix != ".toml":
        raise SpheresInputError(f"experiment file {str(path)!r} must be a .toml file")
    if not p.is_file():
        raise SpheresInputError(f"experiment file {str(path)!r} does not exist")
    return loads(p.read_text(encoding="utf-8"), base_dir=p.parent, path=str(path), rules_modules=rules_modules)
