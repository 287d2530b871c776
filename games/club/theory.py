"""The paper's closed-form thresholds (Section 3, Appendix A), for checking the solver.

Each function is the formula as the paper states it, with the reading we had to choose
where the text is ambiguous or, after checking against the solver and the exact reference
(``games.club.reference``), wrong. The tests (``tests/test_club_propositions.py``) probe
the solver just inside every region and at the exceptional points; ``docs/club_theory.md``
states each proposition precisely, with the tables.

Findings (each is a test):

* Proposition 1: g_U(n), g_B(n), g_B^h(n) and the locations it states are what backward
  induction gives, for every odd n from 5 to 51, except at the isolated points
  :func:`bipolar_exceptions` inside (g_B(n), g_B^h(n)), where one country is exactly
  indifferent and a alone keeps all n - 1 countries (n = 11, g = 11/40: a at 3/11).
* Proposition 2, g̲_B(n): the proof names k = delta*(n) + 1 as the minimiser of
  :func:`b_unipolar_bound`; at n = 11 it is k = 4 = delta*(n) + 2 (193/600, not 163/504).
  We take the minimum over all k in {1, ..., (n-1)/2}; likewise the maximum for ḡ_B(n).
* Proposition 2, g̲_B^h(n): the proof defines delta^x(n) as the *argmax* of
  :func:`sigma`; the threshold is its *minimum* (Lemma A.4 is about the argmin, and the
  maximum, 1/2 at k = 1, would make the region empty).
* Proposition 2, ḡ_B^h(n): the proof writes 1 - k/n - 1/(k+1) - 1/(n-1); the solver's
  switch is at the maximum of Lemma A.5's :func:`lam`, with + 1/(n-1).
* Proposition 3.1 holds as an existence claim, but the proof's g*(n)
  (:func:`g_endowment`) is too low for n = 7, 11, 15, 19: as omega grows b compromises to
  (n-1)/n, because moving one step wins it two or more members (the proof assumes one).
  :func:`g_endowment_limit` is the proof's own limit argument with b's best reply over
  all its locations; at n = 11 the failures at finite omega reach above it, up to 11/20.
* Proposition 3.2 claims delta_a < delta_b for every g in (g_B^h(n), 1) once one of a's
  members grows without bound. Just above g_B^h(n) it fails: the large member leaves,
  a compromises to 1/n and keeps the other (n-1)/2 members while b has (n-3)/2
  (n = 31, g = 0.131; n = 51, g = 0.085). It holds for g further up (g = 0.5).
"""

from __future__ import annotations

import math
from fractions import Fraction

from games.validation import SpheresInputError


def _odd(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 5 or n % 2 == 0:
        raise SpheresInputError(f"n = {n!r} must be an odd integer >= 5 (Section 3 assumes n odd)")
    return n


def _ks(n: int) -> range:
    """The club sizes k in {1, ..., (n-1)/2} over which the proof of Proposition 2 optimises."""
    return range(1, (n - 1) // 2 + 1)


def delta_star(n: int) -> int:
    """delta*(n) = floor((sqrt(1 + 4n) - 1) / 2): the smallest club a defends by compromising."""
    return (math.isqrt(1 + 4 * n) - 1) // 2


# --------------------------------------------------------------------------- Proposition 1
def g_unipolar(n: int) -> float:
    """g_U(n) = 2n / ((n + 3)(n - 1)): below it no club forms (Prop. 1.1)."""
    n = _odd(n)
    return 2 * n / ((n + 3) * (n - 1))


def g_bipolar(n: int) -> float:
    """g_B(n) = 4n / ((n + 3)(n + 1)): above it the world is bipolar (Prop. 1.3)."""
    n = _odd(n)
    return 4 * n / ((n + 3) * (n + 1))


def g_bipolar_home(n: int) -> float:
    """g_B^h(n) = 4n / (n + 1)^2: from it on both superpowers stay at home (Prop. 1.3)."""
    n = _odd(n)
    return 4 * n / (n + 1) ** 2


def indifference_points(n: int) -> list[Fraction]:
    """Every g in [0, 1] where a country of Section 3's symmetric world can be exactly indifferent.

    With unit endowments a country compares g(1 - j/n) - 1/m with 0 (joining, staying) or
    with g(1 - j'/n) - 1/m' (shifting), for club weights m, m' in [2, n] (the superpower
    counted) and distances j/n, j'/n: each comparison is linear in g, with its root at
    n / (m(n - j)) or n(m' - m) / (m m' t), t = j - j'. The superpowers' comparisons do not
    involve g. Between two neighbouring points every comparison keeps its sign, so the
    equilibrium is the same all along the open interval: these points and one point
    inside each interval decide every g in [0, 1].
    """
    n = _odd(n)
    join = {Fraction(n, m * (n - j)) for m in range(2, n + 1) for j in range(n)}
    shift = {Fraction(n * (m2 - m1), m1 * m2 * t) for m1 in range(2, n + 1) for m2 in range(m1 + 1, n + 1) for t in range(1, n)}
    return sorted(x for x in join | shift if x <= 1)


def bipolar_exceptions(n: int) -> list[Fraction]:
    """The g in (g_B(n), g_B^h(n)) where Proposition 1.3 fails, exactly: n / ((c+1)(n+1-c)).

    At g_c = n / ((c+1)(n+1-c)) country c (at c/n) gets exactly 0 both in a's club
    {1, ..., c} at 1/n and in b's club {c, ..., n-1} at (n-1)/n. It joins a in stage one
    (footnote 11) and, gaining nothing, does not shift to b (eq. (2) asks a strict gain),
    so the chain of shifts that gives b its half never starts; a then does better
    elsewhere, alone with all n - 1 countries. c = (n+1)/2 gives g_B(n) itself; the
    exceptions are c = (n+3)/2, (n+5)/2, ... while g_c < g_B^h(n), in increasing order.
    """
    n = _odd(n)
    out = []
    c = (n + 3) // 2
    while 4 * (c + 1) * (n + 1 - c) > (n + 1) ** 2:
        out.append(Fraction(n, (c + 1) * (n + 1 - c)))
        c += 1
    return out


# --------------------------------------------------------------------------- Proposition 2
def b_unipolar_bound(n: int, k: int) -> Fraction:
    """n/(n+k) (k/n + 1/(k+1) - 1/(n+1-k)): below it b takes country k from a's club {1, ..., k} at k/n."""
    return Fraction(n, n + k) * (Fraction(k, n) + Fraction(1, k + 1) - Fraction(1, n + 1 - k))


def a_unipolar_bound(n: int, k: int) -> Fraction:
    """n/(n+k) (k/(k+1) + 1/(n-1)): from it on b's last stronghold n - k switches to a."""
    return Fraction(n, n + k) * (Fraction(k, k + 1) + Fraction(1, n - 1))


def sigma(n: int, k: int) -> Fraction:
    """Lemma A.4's sigma_n(k) = k/n + 1/(k+1) - 1/(n+1-k): from it on a holds {1, ..., k} at home."""
    return Fraction(k, n) + Fraction(1, k + 1) - Fraction(1, n + 1 - k)


def lam(n: int, k: int) -> Fraction:
    """Lemma A.5's lambda_n(k) = 1 - k/n - 1/(k+1) + 1/(n-1): below it b holds its k at home."""
    return 1 - Fraction(k, n) - Fraction(1, k + 1) + Fraction(1, n - 1)


def g_b_unipolar(n: int) -> float:
    """g̲_B(n): below it only b forms a club (g_a = g, g_b = 1 - g); min over k of :func:`b_unipolar_bound`."""
    n = _odd(n)
    return float(min(b_unipolar_bound(n, k) for k in _ks(n)))


def g_a_unipolar(n: int) -> float:
    """ḡ_B(n): from it on only a forms a club; max over k of :func:`a_unipolar_bound`."""
    n = _odd(n)
    return float(max(a_unipolar_bound(n, k) for k in _ks(n)))


def g_equal_low(n: int) -> float:
    """g̳(n) = (n-1)/(2n) - 2/(n+3) + 2/(n+1): from it on the clubs have equal size."""
    n = _odd(n)
    return (n - 1) / (2 * n) - 2 / (n + 3) + 2 / (n + 1)


def g_equal_high(n: int) -> float:
    """g̿(n) = (n+1)/(2n) + 2/(n+3) - 2/(n+1): from it on a's club is the larger."""
    n = _odd(n)
    return (n + 1) / (2 * n) + 2 / (n + 3) - 2 / (n + 1)


def g_a_home(n: int) -> float:
    """g̲_B^h(n): from it on a keeps its club at home (min of Lemma A.4's :func:`sigma`)."""
    n = _odd(n)
    return float(min(sigma(n, k) for k in _ks(n)))


def g_b_home(n: int) -> float:
    """ḡ_B^h(n): below it b keeps its club at home (max of Lemma A.5's :func:`lam`)."""
    n = _odd(n)
    return float(max(lam(n, k) for k in _ks(n)))


# --------------------------------------------------------------------------- Proposition 3
def endowment_k(n: int) -> int:
    """k* = round((3n + 2) / 4), the maximiser of (n + 1 - k)(2k - n) and the bound on a's club."""
    return (3 * _odd(n) + 4) // 4  # (3n + 2)/4 is never a half-integer for odd n


def g_endowment(n: int) -> float:
    """The proof's g*(n) = n / ((n + 1 - k*)(2k* - n)) (Prop. 3.1); too low for n = 7, 11, 15, 19."""
    k = endowment_k(n)
    return n / ((n + 1 - k) * (2 * k - n))


def b_stays_home_in_limit(n: int, g) -> bool:
    """Proposition 3.1 as omega -> infinity: does b keep a club at home against a at 0?

    Countries 1, ..., (n-1)/2 and a have endowment omega, the others 1. In the limit a
    sits at 0 with every country (Lemma A.6); there a light country k > (n-1)/2 pays
    nothing, and the heavy ones never move. With b's good at (n-t)/n, the light countries
    k, ..., n-1 shift together iff the most reluctant, k, gains:
    g min(2k+t-n, n-t) / n > 1 / (n+1-k). b takes the largest such group and chooses t
    for its payoff 1 - t/n - 1/(n+1-k), ties to the smaller t (A1). The proof takes t = 0.
    """
    h = (n - 1) // 2
    best_t, best = None, Fraction(0)
    for t in range(h + 1):
        k = next((k for k in range(h + 1, n) if g * min(2 * k + t - n, n - t) * (n + 1 - k) > n), None)
        payoff = None if k is None else 1 - Fraction(t, n) - Fraction(1, n + 1 - k)
        if payoff is not None and payoff > best:
            best_t, best = t, payoff
    return best_t == 0


def g_endowment_limit(n: int) -> Fraction:
    """The least g* with :func:`b_stays_home_in_limit` true on all of (g*, 1], exactly.

    b's reply changes only where g min(2k+t-n, n-t)(n+1-k) = n for some k and t, so testing
    each such point and one point between neighbours decides every g. Equal to
    :func:`g_endowment` except n = 7, 15, 19 (odd n up to 101): 7/9, 3/7, 19/54.
    """
    n = _odd(n)
    h = (n - 1) // 2
    low = Fraction(4 * n, (n + 1) ** 2)
    cuts = {Fraction(n, m * (n + 1 - k)) for t in range(h + 1) for k in range(h + 1, n) if (m := min(2 * k + t - n, n - t)) > 0}
    cuts = sorted({low, Fraction(1)} | {x for x in cuts if low < x < 1})
    sup = low
    for x, y in zip(cuts, cuts[1:]):
        if not (b_stays_home_in_limit(n, (x + y) / 2) and b_stays_home_in_limit(n, y)):
            sup = y
    return sup
