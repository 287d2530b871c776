"""Up-front validation: every bad parameter is named, with its allowed range, before work starts."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np


class SpheresInputError(ValueError):
    """A parameter is outside its allowed range. The message names the parameter and the range."""


def _as_float_array(name: str, value) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise SpheresInputError(f"{name} must be numeric, got {value!r}") from exc
    if np.isnan(arr).any():
        where = [int(i) for i in np.flatnonzero(np.isnan(arr.ravel()))[:5]]
        raise SpheresInputError(f"{name} contains NaN (at index {where})")
    return arr


def check_array(
    name: str,
    value,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
    length: int | None = None,
    ndim: int = 1,
) -> np.ndarray:
    """Return ``value`` as a float array after checking shape, NaN and the range [low, high].

    ``low_open``/``high_open`` make the bound strict. The error names the parameter, the
    first offending index and the allowed range.
    """
    arr = _as_float_array(name, value)
    if arr.ndim != ndim:
        raise SpheresInputError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if length is not None and arr.shape[0] != length:
        raise SpheresInputError(f"{name} must have length {length}, got {arr.shape[0]}")
    bad = (arr <= low if low_open else arr < low) | (arr >= high if high_open else arr > high)
    if bad.any():
        idx = tuple(int(i) for i in np.unravel_index(int(np.flatnonzero(bad.ravel())[0]), arr.shape))
        where = ", ".join(map(str, idx))
        raise SpheresInputError(
            f"{name}[{where}] = {float(arr[idx])!r} is outside the allowed range "
            f"{_interval(low, high, low_open, high_open)}"
        )
    return arr


def check_scalar(
    name: str,
    value,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a float after checking it is a number in the range [low, high]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SpheresInputError(f"{name} must be a number, got {value!r}")
    v = float(value)
    if math.isnan(v):
        raise SpheresInputError(f"{name} is NaN; allowed range {_interval(low, high, low_open, high_open)}")
    too_low = v <= low if low_open else v < low
    too_high = v >= high if high_open else v > high
    if too_low or too_high:
        raise SpheresInputError(
            f"{name} = {value!r} is outside the allowed range {_interval(low, high, low_open, high_open)}"
        )
    return v


def check_choice(name: str, value: str, allowed: Sequence[str]) -> str:
    """Check that ``value`` is one of ``allowed`` (names of rules, scenarios, ...)."""
    if value not in allowed:
        raise SpheresInputError(f"{name} = {value!r} is not one of: {', '.join(allowed)}")
    return value


def _interval(low: float, high: float, low_open: bool, high_open: bool) -> str:
    left = "(" if low_open or low == -math.inf else "["
    right = ")" if high_open or high == math.inf else "]"
    lo = "-inf" if low == -math.inf else f"{low:g}"
    hi = "inf" if high == math.inf else f"{high:g}"
    return f"{left}{lo}, {hi}{right}"


def memory_limit() -> int:
    """The most memory one computation may plan to use: half of this machine's physical memory."""
    import os

    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        total = 8 * 2**30
    return int(total // 2)


def format_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    return f"{n:.1f} TiB"  # pragma: no cover


def check_memory(name: str, nbytes: float, what: str = "", limit: int | None = None) -> None:
    """Refuse, before allocating, a computation whose arrays would need more than ``limit`` bytes.

    ``nbytes`` is the caller's estimate of what it is about to allocate; the message names the
    parameter, the estimate and the limit (default :func:`memory_limit`).
    """
    limit = memory_limit() if limit is None else limit
    if not math.isfinite(nbytes) or nbytes > limit:
        about = f" ({what})" if what else ""
        raise SpheresInputError(
            f"{name} is too large: it needs about {format_bytes(nbytes)} of memory{about}, "
            f"more than the {format_bytes(limit)} allowed (half of this machine's memory)"
        )
