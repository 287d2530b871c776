"""Propositions Separating 1-3: the slides' conditions, corrected exact conditions, profiles.

Notation: ``a* = p_h - p_l``, ``l* = ((1 + beta_low) a* - pi) / (a_bar - a*)``,
``pi_low = beta_low a*``, ``pi_high = beta_high (p_h - p_m - c_T) + c_A``.

:func:`classify` gives the exact conditions (derived in docs/alliance.md) under which each
proposition's profile is a PBE of the game, under assumptions (1)-(2) and off-path beliefs
at which C screens after an unexpected withdrawal (belief below ``mu_hat``, e.g. the default
"uncommitted")::

    Separating 1:  l <= 0              and pi_low <= pi <= pi_high
    Separating 2:  0 <= l, a_bar >= a*, (a_bar = a* or l <= l*)  and pi_low <= pi <= pi_high
    Separating 3:  a_bar > a*, l >= 0, (l >= l* or pi = pi_low)  and pi_low <= pi <= pi_high

:func:`slide_conditions` / :func:`slide_classify` evaluate the slides' own statements
(conditions (1)-(11), strict as printed, "I < 0" read as l < 0 and the unbarred beta in (4)
and (9) read as beta_low). :func:`profile` gives each proposition's path of play as derived
here; :func:`slide_profile` as printed on the slides (which differ for Separating 3: after
the uncommitted patron's withdrawal C offers ``p_l - c_T``, not ``p_h - c_T``).
"""

from __future__ import annotations

from fractions import Fraction

from games.alliance.beliefs import ANY, DEFAULT_OFF_PATH, off_path_belief
from games.alliance.params import AllianceParams
from games.alliance.payoffs import FREE_RIDING, NO_OFFER, SHARING, WITHDRAWAL
from games.validation import SpheresInputError, check_choice

__all__ = [
    "PROPOSITIONS", "classify", "slide_conditions", "slide_classify", "profile", "slide_profile",
    "label_equilibrium", "short_label",
]

PROPOSITIONS = ("Separating 1", "Separating 2", "Separating 3")


def _require_assumptions(params: AllianceParams, what: str) -> None:
    violated = params.violated_assumptions()
    if violated:
        raise SpheresInputError(f"{what} assumes the appendix assumptions; " + "; ".join(violated))


def classify(params: AllianceParams, off_path_belief_rule=DEFAULT_OFF_PATH) -> dict[str, bool]:
    """Which of Separating 1-3 are PBE at ``params`` (exact, closed form; see module doc).

    Valid under assumptions (1)-(2) and off-path beliefs below ``mu_hat`` (C screens after an
    off-path withdrawal); anything else is refused with a SpheresInputError, since the
    closed forms change there (use the search, :func:`games.alliance.solver.solve`).
    """
    _require_assumptions(params, "the closed-form classifier")
    mu = off_path_belief(params, off_path_belief_rule)
    if mu == ANY:
        raise SpheresInputError(
            "off_path_belief = 'any' is not a belief rule: the closed-form classifier needs one (with free off-path "
            "beliefs use the search and games.alliance.refinements)"
        )
    if mu >= params.mu_hat:
        raise SpheresInputError(
            f"off_path_belief = {mu} is outside the allowed range [0, mu_hat = {params.mu_hat}) of the closed-form "
            "classifier (at or above mu_hat C pools after an off-path withdrawal; use the search)"
        )
    p = params
    credible = p.pi_low <= p.pi <= p.pi_high
    a_star, a_bar, l = p.a_star, p.a_bar, p.l
    l_star = p.l_star
    sep1 = credible and l <= 0
    sep2 = credible and l >= 0 and a_bar >= a_star and (a_bar == a_star or l <= l_star)
    # at pi = beta_low a* the uncommitted patron is indifferent between withdrawing and staying;
    # staying after a rejected a* then makes its protégé refuse a*, so nothing beats a_bar for l >= 0
    sep3 = credible and a_bar > a_star and l >= 0 and (l >= l_star or p.pi == p.pi_low)
    return dict(zip(PROPOSITIONS, (sep1, sep2, sep3)))


def slide_conditions(params: AllianceParams) -> dict[str, bool]:
    """Truth of the slides' numbered conditions (1)-(11), as printed (strict inequalities)."""
    p = params
    a_star = p.a_star
    l_star = p.l_star
    out = {
        "(1)": p.p_l > p.c_T,
        "(2)": min(p.beta_high * (p.p_m - p.p_l), p.beta_low * (p.p_h - p.p_l)) > p.c_A > p.beta_low * (p.p_m - p.p_l),
        "(3)": p.l < 0,
        "(6)": p.p_h - p.p_m > p.c_T,
        "(7)": p.pi_low < p.pi < p.pi_high,
        "(8)": p.a_bar > a_star,
        "(10)": p.a_bar > (p.beta_low + 2) * a_star - p.pi,
    }
    gap = p.p_h - p.p_m - p.c_T
    out["(4)"] = gap > 0 and p.beta_high > (p.beta_low * a_star - p.c_A) / gap
    out["(5)"] = (gap + p.c_A) / a_star > p.beta_low
    out["(9)"] = l_star is not None and min(Fraction(1), l_star) > p.l >= 0
    out["(11)"] = l_star is not None and 1 > p.l > l_star
    return {k: out[k] for k in ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)")}


def slide_classify(params: AllianceParams) -> dict[str, bool]:
    """The propositions as the slides state them (which conditions each one lists)."""
    c = slide_conditions(params)
    base = c["(1)"] and c["(4)"] and c["(5)"] and c["(6)"] and c["(7)"]
    return {
        "Separating 1": base and c["(3)"],
        "Separating 2": base and c["(8)"] and c["(9)"],
        "Separating 3": base and c["(10)"] and c["(11)"],
    }


def profile(name: str, params: AllianceParams) -> tuple:
    """The proposition's path, derived here: ((demand, outcome, offer) committed, same uncommitted)."""
    check_choice("proposition", name, PROPOSITIONS)
    p = params
    x_h = p.p_h - p.c_T
    if name == "Separating 1":
        return ((None, NO_OFFER, x_h), (min(p.a_star, p.a_bar), SHARING, x_h))
    if name == "Separating 2":
        return ((p.a_bar, FREE_RIDING, x_h), (p.a_star, SHARING, x_h))
    # after the (on-path) withdrawal C knows the patron is uncommitted and will not intervene
    return ((p.a_bar, FREE_RIDING, x_h), (p.a_bar, WITHDRAWAL, p.p_l - p.c_T))


def slide_profile(name: str, params: AllianceParams) -> tuple:
    """The proposition's path as printed on the slides (C offers p_h - c_T everywhere)."""
    derived = profile(name, params)
    x_h = params.p_h - params.c_T
    return tuple((d, n, x_h) for d, n, _x in derived)


_ABBREV = {NO_OFFER: "none", SHARING: "share", FREE_RIDING: "free-ride", WITHDRAWAL: "withdraw"}


def label_equilibrium(eq, params: AllianceParams) -> str:
    """'Separating k' when the equilibrium is a proposition's profile (every crisis settled), else a short description."""
    settled = eq.committed.crisis_accepted and eq.uncommitted.crisis_accepted
    for name in PROPOSITIONS:
        if settled and eq.signature() == profile(name, params):
            return name
    return short_label(eq)


def short_label(eq) -> str:
    """E.g. 'pool withdraw', 'sep C:free-ride/U:share', with '+war' if war happens on the path."""
    h, u = eq.committed, eq.uncommitted
    war = "+war" if (h.war or u.war) else ""
    if eq.pooling:
        return f"pool {_ABBREV[h.outcome]}{war}"
    return f"sep C:{_ABBREV[h.outcome]}/U:{_ABBREV[u.outcome]}{war}"
