"""*A Theory of Cost-Sharing Negotiations of Alliances* (Masumura): the pure game theory.

A patron A (committed, beta_high, with probability phi, else uncommitted, beta_low) may
demand a share a in (0, a_bar] of the alliance's cost from its protégé T, who accepts
(sharing) or rejects; after a rejection A withdraws or stays (free-riding). A challenger C,
who does not know A's type, then offers T a share x of a disputed issue; T accepts or fights,
and A intervenes or not. See docs/alliance.md for every modelling choice and every place
where the slides are wrong or incomplete.

Modules: :mod:`params` (validated parameters, assumptions (1)-(2)), :mod:`payoffs`,
:mod:`crisis` (intervention, T's acceptance rule, C's best offers), :mod:`beliefs`,
:mod:`grids`, :mod:`negotiation` (A's withdrawal, T's acceptance of a demand), :mod:`solver` (the exhaustive PBE search and a brute-force verifier),
:mod:`propositions` (Separating 1-3: classifier, slide conditions, profiles),
:mod:`rules` (one interface per role, the built-in rules, what a rule fixes),
:mod:`refinements` (the Intuitive Criterion and D1) and :mod:`efg` (Gambit export).
Pure: numpy/fractions/stdlib only, never mesa.

Tolerance: none is needed; every payoff comparison is exact (``fractions.Fraction``).
"""

from games.alliance.beliefs import ANY, DEFAULT_OFF_PATH, OFF_PATH_RULES, bayes_belief, off_path_belief
from games.alliance.crisis import best_offers, crisis_play, intervention_options, regimes, t_accepts, t_war_value
from games.alliance.efg import parse_efg, to_efg, write_efg
from games.alliance.grids import demand_grid, offer_grid
from games.alliance.negotiation import patron_value, protege_accepts_demand, protege_value, withdrawal_choices
from games.alliance.params import AllianceParams, to_fraction
from games.alliance.payoffs import (
    FREE_RIDING, NO_OFFER, OUTCOMES, SHARING, WITHDRAWAL, History, bilateral_war, lambda_A, lambda_T,
    multilateral_war, settlement, win_probability,
)
from games.alliance.propositions import (
    PROPOSITIONS, classify, label_equilibrium, profile, short_label, slide_classify, slide_conditions, slide_profile,
)
from games.alliance.refinements import REFINEMENTS, d1, intuitive_criterion, refine
from games.alliance.rules import EQUILIBRIUM, MODES, ChallengerRule, Game, PatronRule, ProtegeRule
from games.alliance.solver import Assessment, Equilibrium, NoEquilibrium, SearchResult, TypePath, solve, verify_assessment

__all__ = [
    "AllianceParams", "to_fraction", "History", "NO_OFFER", "SHARING", "FREE_RIDING", "WITHDRAWAL", "OUTCOMES",
    "lambda_A", "lambda_T", "settlement", "bilateral_war", "multilateral_war", "win_probability",
    "intervention_options", "regimes", "t_war_value", "t_accepts", "crisis_play", "best_offers",
    "DEFAULT_OFF_PATH", "OFF_PATH_RULES", "ANY", "off_path_belief", "bayes_belief", "demand_grid", "offer_grid",
    "patron_value", "protege_value", "withdrawal_choices", "protege_accepts_demand",
    "solve", "verify_assessment", "Assessment", "Equilibrium", "SearchResult", "TypePath", "NoEquilibrium",
    "EQUILIBRIUM", "MODES", "Game", "PatronRule", "ProtegeRule", "ChallengerRule",
    "REFINEMENTS", "refine", "intuitive_criterion", "d1",
    "PROPOSITIONS", "classify", "slide_conditions", "slide_classify", "profile", "slide_profile",
    "label_equilibrium", "short_label", "to_efg", "write_efg", "parse_efg",
]
