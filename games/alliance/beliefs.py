"""C's beliefs: Bayes' rule on the path, an explicit rule off it.

C's belief is the probability that A is *committed*. On the path of a pure strategy
profile a history is reached by one type (belief 1 or 0) or by both (belief phi, the prior).
The slides never state off-path beliefs; here they are a parameter:

- ``"uncommitted"`` (default): an unexpected history is read as coming from the uncommitted
  patron (belief 0). After an off-path withdrawal C then screens with ``x = p_l - c_T``.
  This is what the propositions' conditions need: (7)'s upper bound
  ``beta_high (p_h - p_m - c_T) + c_A`` is the committed type's gain from staying when a
  withdrawal would be met by the screening offer, and ``a* = p_h - p_l`` is the demand the
  uncommitted protégé accepts when rejecting leads to the screening offer. Any belief below
  ``mu_hat = (p_m - p_l) / (p_m - p_l + c_T + c_C)`` gives the same equilibria.
- ``"prior"``: belief phi;  ``"committed"``: belief 1;  or any number in [0, 1].
- ``"any"`` (:data:`ANY`): no convention. The search then finds every outcome that *some*
  off-path beliefs support: at each off-path history C may hold any belief, and the search
  tries one belief in each of C's finitely many belief regions there (the beliefs between
  two breakpoints of C's best offer; see :class:`games.alliance.crisis.CrisisStage`).
  :mod:`games.alliance.refinements` then asks which of these outcomes survive the
  Intuitive Criterion and D1.

So "every pure PBE" always means: every pure PBE *under the stated off-path belief rule*;
with ``"any"``, every pure PBE outcome under some off-path beliefs.
"""

from __future__ import annotations

import numbers
from fractions import Fraction

from games.alliance.params import AllianceParams, to_fraction
from games.validation import SpheresInputError, check_scalar

__all__ = ["OFF_PATH_RULES", "DEFAULT_OFF_PATH", "ANY", "off_path_belief", "bayes_belief", "describe_off_path"]

ANY = "any"
"""The off-path convention "any belief": outcomes supported by some off-path beliefs."""
OFF_PATH_RULES = ("uncommitted", "prior", "committed", ANY)
DEFAULT_OFF_PATH = "uncommitted"


def off_path_belief(params: AllianceParams, rule=DEFAULT_OFF_PATH) -> Fraction | str:
    """C's belief (prob. committed) at histories no type reaches; :data:`ANY` for no convention."""
    if isinstance(rule, str):
        if rule == ANY:
            return ANY
        if rule == "uncommitted":
            return Fraction(0)
        if rule == "committed":
            return Fraction(1)
        if rule == "prior":
            return params.phi
        try:
            rule = Fraction(rule)
        except (ValueError, ZeroDivisionError):
            raise SpheresInputError(
                f"off_path_belief = {rule!r} is not one of: {', '.join(OFF_PATH_RULES)}, or a number in [0, 1]"
            ) from None
    if not isinstance(rule, numbers.Real) or isinstance(rule, bool):
        raise SpheresInputError(f"off_path_belief = {rule!r} must be one of {', '.join(OFF_PATH_RULES)} or a number in [0, 1]")
    check_scalar("off_path_belief", rule, low=0.0, high=1.0)
    return to_fraction("off_path_belief", rule)


def bayes_belief(prior: Fraction, committed_reaches: bool, uncommitted_reaches: bool) -> Fraction | None:
    """Bayes' rule for pure strategies; None when the history is off the path."""
    if committed_reaches and uncommitted_reaches:
        return prior
    if committed_reaches:
        return Fraction(1)
    if uncommitted_reaches:
        return Fraction(0)
    return None


def describe_off_path(mu) -> str:
    """The belief convention in words, for every report that says "every pure PBE"."""
    if mu == ANY:
        return "supported by some off-path beliefs (any belief after an unexpected history)"
    return f"with off-path belief {mu} (C's belief that A is committed after an unexpected history)"
