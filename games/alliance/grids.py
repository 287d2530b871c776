"""Discretised demand and offer grids (exact rationals), holding every value the propositions name.

- Demands: ``k a_bar / n`` for k = 1..n (so ``a_bar`` itself is a demand), plus
  ``a* = p_h - p_l`` and ``p_h - p_m`` (the protégé's acceptance thresholds under screening
  and pooling crisis offers) when they lie in (0, a_bar], plus any ``extra`` values.
- Offers: ``k / n`` for k = 1..n-1 (inside (0, 1)), plus T's war values ``p_h - c_T``,
  ``p_m - c_T`` and ``p_l - c_T`` when they lie in (0, 1), plus any ``extra`` values.
"""

from __future__ import annotations

import numbers
from fractions import Fraction

from games.alliance.params import AllianceParams, to_fraction
from games.validation import SpheresInputError

__all__ = ["demand_grid", "offer_grid", "check_grid_size", "named_demands", "named_offers"]


def check_grid_size(name: str, n) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise SpheresInputError(f"{name} = {n!r} must be an integer in [1, inf)")
    return int(n)


def named_demands(params: AllianceParams) -> tuple[Fraction, ...]:
    """Demands the analysis names: a_bar, a*, p_h - p_m (those inside (0, a_bar])."""
    values = {params.a_bar, params.a_star, params.p_h - params.p_m}
    return tuple(sorted(v for v in values if 0 < v <= params.a_bar))


def named_offers(params: AllianceParams) -> tuple[Fraction, ...]:
    """Offers the analysis names: T's war values p_h - c_T, p_m - c_T, p_l - c_T (inside (0, 1))."""
    values = {params.p_h - params.c_T, params.p_m - params.c_T, params.p_l - params.c_T}
    return tuple(sorted(v for v in values if 0 < v < 1))


def demand_grid(params: AllianceParams, n: int = 50, extra=()) -> tuple[Fraction, ...]:
    """Sorted demand grid in (0, a_bar]; see the module docstring."""
    n = check_grid_size("n_demands", n)
    values = {params.a_bar * k / n for k in range(1, n + 1)} | set(named_demands(params))
    for i, v in enumerate(extra):
        v = to_fraction(f"extra demand [{i}]", v)
        if not 0 < v <= params.a_bar:
            raise SpheresInputError(f"extra demand [{i}] = {v} is outside the allowed range (0, a_bar = {params.a_bar}]")
        values.add(v)
    return tuple(sorted(values))


def offer_grid(params: AllianceParams, n: int = 100, extra=()) -> tuple[Fraction, ...]:
    """Sorted offer grid in (0, 1); see the module docstring."""
    n = check_grid_size("n_offers", n)
    values = {Fraction(k, n) for k in range(1, n)} | set(named_offers(params))
    for i, v in enumerate(extra):
        v = to_fraction(f"extra offer [{i}]", v)
        if not 0 < v < 1:
            raise SpheresInputError(f"extra offer [{i}] = {v} is outside the allowed range (0, 1)")
        values.add(v)
    if not values:
        raise SpheresInputError("the offer grid is empty: n_offers must be at least 2 or extra offers given")
    return tuple(sorted(values))
