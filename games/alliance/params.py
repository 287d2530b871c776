"""Parameters of Masumura's alliance cost-sharing game, validated up front.

Every number is stored as an exact :class:`fractions.Fraction`. Floats are read through
their shortest decimal ``repr`` (``0.1`` becomes ``1/10``, not the binary double), so that
the equilibrium search decides ties (``a = a*``, ``l = l*``, ``pi = beta_low * a*``) exactly
the way the user typed the numbers.

Assumptions (1) and (2) of the slides' appendix are checked on construction; a violated one
raises :class:`~games.validation.SpheresInputError` naming it, unless
``check_assumptions=False`` (for users who study the game outside them).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from fractions import Fraction

from games.validation import SpheresInputError, check_scalar

__all__ = ["AllianceParams", "to_fraction"]


def to_fraction(name: str, value) -> Fraction:
    """Exact rational of a real number; floats go through their decimal ``repr``."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise SpheresInputError(f"{name} must be a number, got {value!r}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SpheresInputError(f"{name} must be finite, got {value!r}")
        return Fraction(repr(value))
    try:
        return Fraction(value)
    except (TypeError, ValueError) as exc:
        raise SpheresInputError(f"{name} must be a number, got {value!r}") from exc


def _show(value: Fraction) -> str:
    """A Fraction as the user likely typed it: an exact decimal when there is one, else p/q."""
    d = value.denominator
    for factor in (2, 5):
        while d % factor == 0:
            d //= factor
    if d == 1:
        from decimal import Decimal

        text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{value} (~{float(value):.6g})"


def _check_exact(name: str, value: Fraction, low: float, high: float, low_open: bool, high_open: bool) -> None:
    """Exact range check of a Fraction, with check_scalar's message (value shown as a decimal)."""
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        left = "(" if low_open or low == -math.inf else "["
        right = ")" if high_open or high == math.inf else "]"
        lo = "-inf" if low == -math.inf else f"{low:g}"
        hi = "inf" if high == math.inf else f"{high:g}"
        shown = _show(value)
        raise SpheresInputError(f"{name} = {shown} is outside the allowed range {left}{lo}, {hi}{right}")


# name -> (low, high, low_open, high_open) for check_scalar
_RANGES: dict[str, tuple[float, float, bool, bool]] = {
    "beta_low": (0.0, 1.0, True, True),
    "beta_high": (0.0, 1.0, True, True),
    "phi": (0.0, 1.0, True, True),
    "pi": (0.0, math.inf, True, False),
    "a_bar": (0.0, math.inf, True, False),
    "l": (-1.0, 1.0, True, True),
    "p_l": (0.0, 1.0, True, True),
    "p_m": (0.0, 1.0, True, True),
    "p_h": (0.0, 1.0, True, True),
    "c_T": (0.0, math.inf, True, False),
    "c_C": (0.0, math.inf, True, False),
    "c_A": (0.0, math.inf, True, False),
}


@dataclass(frozen=True)
class AllianceParams:
    """One parameter point of the game (notation of the slides).

    beta_low, beta_high : value of the issue to the uncommitted / committed patron A,
        ``0 < beta_low < beta_high < 1``.
    phi : prior probability that A is committed (``beta_high``), in (0, 1).
    pi : cost of the alliance to A while it lasts, > 0.
    a_bar : largest cost-sharing demand A may make (demands lie in (0, a_bar]), > 0.
    l : domestic reward per unit demanded (isolationism), in (-1, 1).
    p_l, p_m, p_h : T's probability of winning alone / with A but without the alliance /
        with A inside the alliance, ``0 < p_l < p_m < p_h < 1``.
    c_T, c_C, c_A : war costs of T, C and A (if it intervenes), > 0.
    check_assumptions : check assumptions (1) ``p_l > c_T`` and (2)
        ``min{beta_high (p_m - p_l), beta_low (p_h - p_l)} > c_A > beta_low (p_m - p_l)``.
    """

    beta_low: Fraction
    beta_high: Fraction
    phi: Fraction
    pi: Fraction
    a_bar: Fraction
    l: Fraction
    p_l: Fraction
    p_m: Fraction
    p_h: Fraction
    c_T: Fraction
    c_C: Fraction
    c_A: Fraction
    check_assumptions: bool = True

    def __post_init__(self) -> None:
        for name, (low, high, low_open, high_open) in _RANGES.items():
            raw = getattr(self, name)
            if isinstance(raw, str):
                raw = to_fraction(name, raw)
            if isinstance(raw, Fraction):
                _check_exact(name, raw, low, high, low_open, high_open)
            else:
                check_scalar(name, raw, low=low, high=high, low_open=low_open, high_open=high_open)
            object.__setattr__(self, name, to_fraction(name, raw))
        if not isinstance(self.check_assumptions, bool):
            raise SpheresInputError(f"check_assumptions must be True or False, got {self.check_assumptions!r}")
        if not self.beta_low < self.beta_high:
            raise SpheresInputError(
                f"beta_low = {float(self.beta_low):g} must be below beta_high = {float(self.beta_high):g} "
                "(allowed: 0 < beta_low < beta_high < 1)"
            )
        if not self.p_l < self.p_m:
            raise SpheresInputError(
                f"p_l = {float(self.p_l):g} must be below p_m = {float(self.p_m):g} (allowed: 0 < p_l < p_m < p_h < 1)"
            )
        if not self.p_m < self.p_h:
            raise SpheresInputError(
                f"p_m = {float(self.p_m):g} must be below p_h = {float(self.p_h):g} (allowed: 0 < p_l < p_m < p_h < 1)"
            )
        if self.check_assumptions:
            violated = self.violated_assumptions()
            if violated:
                raise SpheresInputError(
                    "; ".join(violated) + " (pass check_assumptions=False to study the game outside the assumptions)"
                )

    # ----------------------------------------------------------------- helpers
    @classmethod
    def from_mapping(cls, values: dict, **overrides) -> "AllianceParams":
        """Build from a dict (unknown keys are an error naming them)."""
        merged = {**values, **overrides}
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(merged) - known)
        if unknown:
            raise SpheresInputError(f"unknown alliance parameter(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        missing = sorted(known - set(merged) - {"check_assumptions"})
        if missing:
            raise SpheresInputError(f"missing alliance parameter(s): {', '.join(missing)}")
        return cls(**merged)

    def replace(self, **changes) -> "AllianceParams":
        """A copy with some parameters changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, Fraction]:
        return {name: getattr(self, name) for name in _RANGES}

    def violated_assumptions(self) -> list[str]:
        """Human-readable list of the appendix assumptions that fail (empty if both hold)."""
        out = []
        if not self.p_l > self.c_T:
            out.append(f"assumption (1) p_l > c_T is violated (p_l = {float(self.p_l):g}, c_T = {float(self.c_T):g})")
        upper = min(self.beta_high * (self.p_m - self.p_l), self.beta_low * (self.p_h - self.p_l))
        lower = self.beta_low * (self.p_m - self.p_l)
        if not (upper > self.c_A > lower):
            out.append(
                "assumption (2) min{beta_high (p_m - p_l), beta_low (p_h - p_l)} > c_A > beta_low (p_m - p_l) "
                f"is violated (needs {float(lower):g} < c_A < {float(upper):g}, c_A = {float(self.c_A):g})"
            )
        return out

    # ------------------------------------------------------- derived quantities
    @property
    def a_star(self) -> Fraction:
        """a* = p_h - p_l: the largest demand the uncommitted type's protégé accepts."""
        return self.p_h - self.p_l

    @property
    def l_star(self) -> Fraction | None:
        """l* = ((1 + beta_low) a* - pi) / (a_bar - a*), defined when a_bar > a*."""
        if self.a_bar <= self.a_star:
            return None
        return ((1 + self.beta_low) * self.a_star - self.pi) / (self.a_bar - self.a_star)

    @property
    def pi_low(self) -> Fraction:
        """beta_low (p_h - p_l): above it the uncommitted patron's threat to withdraw is credible."""
        return self.beta_low * self.a_star

    @property
    def pi_high(self) -> Fraction:
        """beta_high (p_h - p_m - c_T) + c_A: below it the committed patron never withdraws
        (after a withdrawal C screens with x = p_l - c_T, the committed patron's protégé fights)."""
        return self.beta_high * (self.p_h - self.p_m - self.c_T) + self.c_A

    @property
    def mu_hat(self) -> Fraction:
        """C's belief (prob. committed) after a withdrawal at which screening (x = p_l - c_T) and
        pooling (x = p_m - c_T) offers give C the same payoff, under assumption (2)."""
        gap = self.p_m - self.p_l
        return gap / (gap + self.c_T + self.c_C)

    def beta(self, committed: bool) -> Fraction:
        return self.beta_high if committed else self.beta_low
