"""Up-front validation: every bad parameter is named, with its allowed range, before work starts."""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import numpy as np


class SpheresInputError(ValueError):
    """A parameter is outside its allowed range. The message names the parameter and the range."""


def _as_float_array(name: str, value) -> np.ndarray:
    if value is None or isinstance(value, (str, bytes)):  # numpy would read None as NaN and "1" as 1
        raise SpheresInputError(f"{name} must be numeric, got {value!r}")
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


TIME_LIMIT_S = 24 * 3600
"""The longest one computation may plan to run (estimated before it starts): one day."""


def format_seconds(s: float) -> str:
    """'0.3 s', '12 min', '1 day', '2.5 days'."""
    if not math.isfinite(s):
        return "forever"
    unit, size = next(((u, k) for u, k in (("day", 86400), ("h", 3600), ("min", 60)) if s >= k), ("s", 1))
    value = f"{s / size:.1f}".removesuffix(".0")
    return f"{value} {unit}{'s' if unit == 'day' and value != '1' else ''}"


def check_memory(name: str, nbytes: float, what: str = "", limit: int | None = None) -> None:
    """Refuse, before allocating, a computation whose arrays would need more than ``limit`` bytes.

    ``nbytes`` is the caller's estimate of what it is about to allocate; the message names the
    parameter, the estimate and the limit (default :func:`memory_limit`).
    """
    problem = _memory_problem(nbytes, what, memory_limit() if limit is None else limit)
    if problem:
        raise SpheresInputError(f"{name} is too large: {problem}")


def _memory_problem(nbytes: float, what: str, limit: float) -> str | None:
    if math.isfinite(nbytes) and nbytes <= limit:
        return None
    about = f" ({what})" if what else ""
    return (f"it needs about {format_bytes(nbytes)} of memory{about}, "
            f"more than the {format_bytes(limit)} allowed (half of this machine's memory)")


def _time_problem(seconds: float, what: str, limit: float) -> str | None:
    if math.isfinite(seconds) and seconds <= limit:
        return None
    about = f" ({what})" if what else ""
    return f"it would take about {format_seconds(seconds)}{about}, more than the {format_seconds(limit)} allowed for one computation"


def check_time(name: str, seconds: float, what: str = "", limit: float | None = None) -> None:
    """Refuse, before starting, a computation estimated to run longer than ``limit`` (default one day)."""
    problem = _time_problem(seconds, what, TIME_LIMIT_S if limit is None else limit)
    if problem:
        raise SpheresInputError(f"{name} is too large: {problem}")


def check_size(name: str, value, *, low: int = 1, high: int | None = None, memory=None, seconds=None,
               what: str = "") -> int:
    """An integer size, checked against what it costs before anything is allocated.

    ``memory(v)`` (bytes) and ``seconds(v)`` estimate the cost at size ``v``; both must grow
    with ``v``. The allowed range is [low, the largest size whose estimates fit
    :func:`memory_limit` and ``TIME_LIMIT_S``] (found by bisection; ``high`` caps it further),
    so the one-line error states the range and, above it, the estimate that does not fit:
    ``n = 100000 is outside the allowed range [3, 9920]: it needs about 1.2 TiB of memory ...``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise SpheresInputError(f"{name} = {value!r} must be an integer >= {low}")
    value = int(value)
    mem_limit = memory_limit()

    checks = [lambda v: _memory_problem(float(memory(v)), what, mem_limit)] if memory else []
    checks += [lambda v: _time_problem(float(seconds(v)), what, TIME_LIMIT_S)] if seconds else []

    def problem(v: int, among=checks) -> str | None:
        return next(filter(None, (check(v) for check in among)), None)

    if low <= value and (high is None or value <= high) and problem(value) is None:
        return value
    if problem(low) is not None:
        raise SpheresInputError(f"{name} = {value} cannot be computed here: even at {low} {problem(low)}")
    ok, bad = low, max(value, low + 1)  # problem(ok) is None; find a bad one, then bisect
    while problem(bad) is None and (high is None or bad <= high) and bad < 2**62:
        ok, bad = bad, 2 * bad
    if problem(bad) is None:  # no estimate binds below ``high`` (or at all)
        ok = high
    while ok is not None and bad - ok > 1:
        mid = (ok + bad) // 2
        ok, bad = (mid, bad) if problem(mid) is None else (ok, mid)
    top = ok if high is None or ok is None else min(ok, high)
    why = None
    if top == ok and ok is not None and value > ok:  # explain with the estimate that sets the bound
        why = problem(value, [check for check in checks if check(ok + 1)])
    allowed = f"[{low}, {'...' if top is None else top}]"
    raise SpheresInputError(f"{name} = {value} is outside the allowed range {allowed}" + (f": {why}" if why else ""))


_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_RATIO = re.compile(r"[+-]?\d+/[+-]?\d+")
MAX_EXPONENT = 30
"""Exact numbers typed by a person lie within 1e-30 <= |x| <= 1e30 (or are 0)."""


def parse_exact(name: str, text) -> Fraction:
    """The exact rational a person typed: a decimal (``0.25``, ``-2.5e-3``) or a fraction (``1/4``).

    Refused with one line naming ``name``: anything else (``inf``, ``nan``, words), a zero
    denominator, and magnitudes outside [1e-30, 1e30], which would otherwise build integers
    of millions of digits (``1e99999999``).
    """
    s = str(text).strip()
    form = "a decimal such as 0.25 or 2.5e-3, or a fraction such as 1/4"
    if len(s) > 64 or not (_DECIMAL.fullmatch(s) or _RATIO.fullmatch(s)):
        raise SpheresInputError(f"{name} = {str(text)!r} must be a finite number: {form}")
    if "/" in s:
        top, bottom = s.split("/")
        if int(bottom) == 0:
            raise SpheresInputError(f"{name} = {s!r} divides by zero")
        value = Fraction(int(top), int(bottom))
    else:
        dec = Decimal(s)
        if dec and not -MAX_EXPONENT <= dec.adjusted() <= MAX_EXPONENT:
            raise SpheresInputError(f"{name} = {s!r} is outside the allowed magnitudes 1e-{MAX_EXPONENT} to 1e{MAX_EXPONENT} (or 0)")
        value = Fraction(dec)
    if value and not Fraction(1, 10**MAX_EXPONENT) <= abs(value) <= 10**MAX_EXPONENT:
        raise SpheresInputError(f"{name} = {s!r} is outside the allowed magnitudes 1e-{MAX_EXPONENT} to 1e{MAX_EXPONENT} (or 0)")
    return value


def check_count(name: str, value, low: int = 0, high: int | None = None) -> int:
    """An integer parameter (a count, a number or an index) in [low, high].

    Text, bools, None, NaN and non-integral floats such as 31.7 are refused; an integral
    float (31.0) is taken as the integer.
    """
    hi = "inf" if high is None else str(high)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SpheresInputError(f"{name} = {value!r} must be an integer in [{low}, {hi}]")
    if not isinstance(value, numbers.Integral):
        if not (math.isfinite(float(value)) and float(value).is_integer()):
            raise SpheresInputError(f"{name} = {value!r} must be an integer in [{low}, {hi}]")
    value = int(value)
    if value < low or (high is not None and value > high):
        raise SpheresInputError(f"{name} = {value} is outside the allowed range [{low}, {hi}]")
    return value


def check_seed(name: str, value):
    """A random seed: None (fresh entropy), a non-negative integer, or a numpy Generator."""
    if value is None or isinstance(value, np.random.Generator):
        return value
    return check_count(name, value, low=0, high=2**63 - 1)
