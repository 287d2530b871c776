"""Named parameter points of the alliance game (used by the scenarios and the model).

The numbers are illustrative, chosen so that each point sits where the slides place the
case (see docs/alliance.md for the reasoning); they are not estimates.

- ``japan-1978``: Separating 1. The alliance's cost pi has risen (Japan's growth and
  inflation) and the uncommitted patron's stake beta_low has fallen (end of the Vietnam War,
  detente, opening to China), so pi > beta_low a*: the threat of abandonment is credible.
  Domestic politics does not reward demands (l < 0).
- ``japan-pre-1978``: the same alliance earlier: cheaper (pi lower) and the uncommitted
  patron more attached (beta_low higher), so pi < beta_low a*: no credible threat.
- ``japan-2019``: Separating 2. A committed patron (beta_high high: Trump-Abe, commitment to
  Japan's security) facing isolationism (0 <= l < l*) demands a_bar = 4 a* ("quadruple the
  payments"); the protégé refuses and the patron stays.
"""

from __future__ import annotations

from games.alliance.params import AllianceParams
from games.validation import check_choice

__all__ = ["EXAMPLES", "example", "random_params"]

_COMMON = dict(p_l=0.30, p_m=0.40, p_h=0.55, c_T=0.05, c_C=0.10)

EXAMPLES: dict[str, dict] = {
    "japan-1978": dict(_COMMON, beta_low=0.25, beta_high=0.80, phi=0.5, pi=0.11, a_bar=0.5, l=-0.2, c_A=0.05),
    "japan-pre-1978": dict(_COMMON, beta_low=0.35, beta_high=0.80, phi=0.5, pi=0.07, a_bar=0.5, l=-0.2, c_A=0.05),
    "japan-2019": dict(_COMMON, beta_low=0.30, beta_high=0.80, phi=0.6, pi=0.10, a_bar=1.0, l=0.2, c_A=0.05),
}


def example(name: str, **overrides) -> AllianceParams:
    """The named parameter point, with optional overrides (validated)."""
    check_choice("example", name, tuple(EXAMPLES))
    return AllianceParams.from_mapping(EXAMPLES[name], **overrides)


def random_params(rng, ties: bool = True) -> AllianceParams:
    """A random parameter point satisfying assumptions (1)-(2) (for tests and benchmarks).

    ``rng`` is a ``numpy.random.Generator``. Values are short decimals (exact as Fractions);
    with ``ties`` some draws put pi, l or a_bar exactly on a proposition's boundary
    (pi = beta_low a*, pi = pi_high, l = 0, l = l*, a_bar = a*), where ties decide.
    """
    from fractions import Fraction

    def dec(x: float, digits: int = 2) -> Fraction:
        return Fraction(round(float(x) * 10**digits), 10**digits)

    while True:
        p_l, p_m, p_h = (dec(v) for v in sorted(rng.uniform(0.05, 0.95, 3)))
        b_lo, b_hi = (dec(v) for v in sorted(rng.uniform(0.02, 0.98, 2)))
        if not (p_l < p_m < p_h and 0 < b_lo < b_hi):
            continue
        c_T = dec(rng.uniform(0.0, float(p_l)), 3)
        if not 0 < c_T < p_l:
            continue
        lo, hi = b_lo * (p_m - p_l), min(b_hi * (p_m - p_l), b_lo * (p_h - p_l))
        c_A = lo + (hi - lo) * Fraction(int(rng.integers(1, 20)), 20)
        a_star = p_h - p_l
        pi_low, pi_high = b_lo * a_star, b_hi * (p_h - p_m - c_T) + c_A
        r = rng.random()
        if ties and r < 0.1:
            pi = pi_low
        elif ties and r < 0.2:
            pi = pi_high
        elif r < 0.7 and pi_high > pi_low:
            pi = pi_low + (pi_high - pi_low) * dec(rng.uniform(0.01, 0.99))
        else:
            pi = dec(rng.uniform(0.0, float(2 * max(pi_high, pi_low))), 3)
        if pi <= 0:
            continue
        a_bar = a_star if (ties and rng.random() < 0.08) else dec(rng.uniform(0.05, 1.5))
        l = dec(rng.uniform(-0.95, 0.95))
        if a_bar > a_star:
            l_star = ((1 + b_lo) * a_star - pi) / (a_bar - a_star)
            r = rng.random()
            if ties and r < 0.1 and -1 < l_star < 1:
                l = l_star
            elif r < 0.45 and -1 < l_star < 1:
                l = dec(float(l_star) + rng.normal(0.0, 0.1), 3)
        if ties and rng.random() < 0.08:
            l = Fraction(0)
        if not -1 < l < 1:
            continue
        try:
            return AllianceParams(beta_low=b_lo, beta_high=b_hi, phi=dec(rng.uniform(0.05, 0.95)), pi=pi, a_bar=a_bar,
                                  l=l, p_l=p_l, p_m=p_m, p_h=p_h, c_T=c_T, c_C=dec(rng.uniform(0.01, 0.3)), c_A=c_A)
        except Exception:  # pragma: no cover - rejected draw, try again
            continue
