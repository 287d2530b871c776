"""The paper's closed-form thresholds (Section 3, Appendix A), for checking the solver.

Each function is the formula as the paper states it, with the reading we had to choose
where the text is ambiguous or, after checking against the solver, wrong. The tests
(``tests/test_club_propositions.py``) probe the solver just inside every region.

Findings (each is a test):

* Proposition 1: g_U(n), g_B(n), g_B^h(n) and the locations it states are exactly what
  backward induction gives, for every odd n we tried (5 to 51).
* Proposition 2, g̲_B^h(n): the proof defines delta^x(n) as the *argmax* of
  k/n + 1/(k+1) - 1/(n+1-k); the threshold is its *minimum* (Lemma A.4 is about the
  argmin, and the maximum, 1/2 at k = 1, would make the region empty).
* Proposition 2, ḡ_B^h(n): the proof writes 1 - k/n - 1/(k+1) - 1/(n-1); the solver's
  switch is at the maximum of Lemma A.5's lambda_n(k) = 1 - k/n - 1/(k+1) + 1/(n-1)
  (the sign of 1/(n-1) differs). We use Lemma A.5's sign.
* Proposition 2, g̲_B(n) and ḡ_B(n): the formulas hold with the argmin/argmax taken
  over all k in {1, ..., (n-1)/2} (the proof names delta*(n)+1 and {delta*, delta*+1},
  which is where the optimum falls for the n we checked).
* Proposition 3.2 claims delta_a < delta_b for every g in (g_B^h(n), 1) once one of a's
  members grows without bound. Just above g_B^h(n) it fails: the large member leaves,
  a compromises to 1/n and keeps the other (n-1)/2 members while b has (n-3)/2
  (n = 31, g = 0.131; n = 51, g = 0.085). It holds for g further up (g = 0.5).
"""

from __future__ import annotations

import math

from games.validation import SpheresInputError


def _odd(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 5 or n % 2 == 0:
        raise SpheresInputError(f"n = {n!r} must be an odd integer >= 5 (Section 3 assumes n odd)")
    return n


def delta_star(n: int) -> int:
    """delta*(n) = floor((sqrt(1 + 4n) - 1) / 2): the smallest club a defends by compromising."""
    return math.floor((math.sqrt(1 + 4 * n) - 1) / 2)


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


# --------------------------------------------------------------------------- Proposition 2
def g_b_unipolar(n: int) -> float:
    """g̲_B(n): below it only b forms a club (g_a = g, g_b = 1 - g)."""
    n = _odd(n)
    return min(n / (n + k) * (k / n + 1 / (k + 1) - 1 / (n + 1 - k)) for k in range(1, (n - 1) // 2 + 1))


def g_a_unipolar(n: int) -> float:
    """ḡ_B(n): from it on only a forms a club."""
    n = _odd(n)
    return max(n / (n + k) * (k / (k + 1) + 1 / (n - 1)) for k in range(1, (n - 1) // 2 + 1))


def g_equal_low(n: int) -> float:
    """g̳(n) = (n-1)/(2n) - 2/(n+3) + 2/(n+1): from it on the clubs have equal size."""
    n = _odd(n)
    return (n - 1) / (2 * n) - 2 / (n + 3) + 2 / (n + 1)


def g_equal_high(n: int) -> float:
    """g̿(n) = (n+1)/(2n) + 2/(n+3) - 2/(n+1): from it on a's club is the larger."""
    n = _odd(n)
    return (n + 1) / (2 * n) + 2 / (n + 3) - 2 / (n + 1)


def g_a_home(n: int) -> float:
    """g̲_B^h(n): from it on a keeps its club at home (min of Lemma A.4's sigma_n)."""
    n = _odd(n)
    return min(k / n + 1 / (k + 1) - 1 / (n + 1 - k) for k in range(1, (n - 1) // 2 + 1))


def g_b_home(n: int) -> float:
    """ḡ_B^h(n): below it b keeps its club at home (max of Lemma A.5's lambda_n)."""
    n = _odd(n)
    return max(1 - k / n - 1 / (k + 1) + 1 / (n - 1) for k in range(1, (n - 1) // 2 + 1))


# --------------------------------------------------------------------------- Proposition 3
def g_endowment(n: int) -> float:
    """g*(n) = n / ((n + 1 - k)(2k - n)), k = round((3n + 2) / 4) (Prop. 3.1)."""
    n = _odd(n)
    k = math.floor((3 * n + 2) / 4 + 0.5)
    return n / ((n + 1 - k) * (2 * k - n))
