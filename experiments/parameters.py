"""What an experiment may vary: each game's parameters, with their types and allowed ranges.

A :class:`Parameter` checks one value and names the parameter and its range when the value
is refused, so every level of every factor is checked before any run starts.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from games.validation import SpheresInputError, check_scalar

__all__ = ["Parameter", "number", "integer", "choice", "number_or_choice"]


@dataclass(frozen=True)
class Parameter:
    """One parameter of a game: its kind (``float``, ``int``, ``choice`` or ``float|choice``),
    its allowed range or choices, and a line of documentation.

    ``choices`` may be a callable, for lists that grow at run time (the rule registry).
    """

    name: str
    kind: str
    doc: str = ""
    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    choices: Sequence[str] | Callable[[], Sequence[str]] = ()
    shapes_world: bool = False
    """Does a change of this parameter change the shape of the game (runs are batched by shape)?"""
    default: object = field(default=None, compare=False)
    """The value a run takes when the experiment does not set it (None: the game's own default)."""

    @property
    def numeric(self) -> bool:
        return self.kind in ("float", "int")

    def allowed_choices(self) -> tuple[str, ...]:
        return tuple(self.choices() if callable(self.choices) else self.choices)

    def describe_range(self) -> str:
        parts = []
        if self.kind != "choice":
            lo = "-inf" if self.low == -math.inf else f"{self.low:g}"
            hi = "inf" if self.high == math.inf else f"{self.high:g}"
            left = "(" if self.low_open or self.low == -math.inf else "["
            right = ")" if self.high_open or self.high == math.inf else "]"
            parts.append(("an integer in " if self.kind == "int" else "a number in ") + f"{left}{lo}, {hi}{right}")
        if self.kind in ("choice", "float|choice"):
            parts.append("one of: " + ", ".join(self.allowed_choices()))
        return " or ".join(parts)

    def check(self, value, where: str | None = None):
        """``value`` as this parameter's type; a ``SpheresInputError`` naming ``where`` if it is refused."""
        label = where or self.name
        if self.kind in ("choice", "float|choice") and isinstance(value, str):
            allowed = self.allowed_choices()
            if value not in allowed:
                raise SpheresInputError(f"{label} = {value!r} is not {self.describe_range()}")
            return value
        if self.kind == "choice":
            raise SpheresInputError(f"{label} = {value!r} is not {self.describe_range()}")
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise SpheresInputError(f"{label} = {value!r} must be {self.describe_range()}")
        if self.kind == "int":
            if float(value) != int(value):
                raise SpheresInputError(f"{label} = {value!r} must be {self.describe_range()}")
            value = int(value)
        else:
            value = float(value)
        check_scalar(label, value, low=self.low, high=self.high, low_open=self.low_open, high_open=self.high_open)
        return value


def number(name: str, doc: str, low=-math.inf, high=math.inf, *, low_open=False, high_open=False, **kw) -> Parameter:
    return Parameter(name, "float", doc, low, high, low_open, high_open, **kw)


def integer(name: str, doc: str, low=-math.inf, high=math.inf, **kw) -> Parameter:
    return Parameter(name, "int", doc, low, high, **kw)


def choice(name: str, doc: str, choices, **kw) -> Parameter:
    return Parameter(name, "choice", doc, choices=choices, **kw)


def number_or_choice(name: str, doc: str, choices, low, high, **kw) -> Parameter:
    return Parameter(name, "float|choice", doc, low, high, choices=choices, **kw)
