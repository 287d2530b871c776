"""SolaraViz app of the alliance cost-sharing game (Masumura), built on ``model.AllianceModel``.

Panels (each a plain function of the model, redrawn by Mesa after every step):

- :func:`status_panel`: the episode, the stage event just played, the path of the episode
  so far, the challenger's belief, the equilibrium being played, the rules and every
  parameter of the run, as text;
- :func:`tree_panel`: the game tree (``visualization.alliance_tree``): C's information sets,
  C's beliefs, the payoffs at the leaves; the path just played in red, each type's
  equilibrium path dashed;
- :func:`belief_panel`: C's belief that A is committed, step by step, against the prior;
- :func:`outcomes_panel`: outcome frequencies over the finished episodes, by A's type.

Controls: every parameter of the game (sliders, or a named example), the grids, C's
off-path belief, which equilibrium the equilibrium rules play, each role's rule (every
registered name, a ``--rules-module``'s included), whether the rules are a surprise or
anticipated, the seed.
One Step is one stage event; an episode is 4 to 6 steps; the next Step starts a new one.
"""

from __future__ import annotations

from fractions import Fraction

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import solara  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from games import registry  # noqa: E402
from games.alliance import OFF_PATH_RULES, PROPOSITIONS, AllianceParams, to_fraction  # noqa: E402
from games.alliance.examples import EXAMPLES  # noqa: E402
from games.alliance.params import _RANGES  # noqa: E402
from games.alliance.rules import MODES  # noqa: E402
from games.validation import SpheresInputError, check_choice  # noqa: E402
from model import ALLIANCE_OUTCOMES, AllianceModel, AllianceStage  # noqa: E402
from visualization import _panels  # noqa: E402
from visualization._panels import (  # noqa: E402
    VizPage, esc, figure_element, item, parameters_item, parse_seed, status_element, value,
)
from visualization.alliance_tree import tree_figure  # noqa: E402

SLIDERS = "sliders"  # the "example" control's value meaning: use the parameter sliders
AUTO = "auto"  # the "equilibrium" control's value meaning: first of Separating 1-3 found
DEFAULT_EXAMPLE = "japan-1978"
PARAMETERS = tuple(_RANGES)  # beta_low, beta_high, phi, pi, a_bar, l, p_l, p_m, p_h, c_T, c_C, c_A
LABELS = {
    "beta_low": "β_low (uncommitted A)", "beta_high": "β_high (committed A)", "phi": "φ: P(A committed)",
    "pi": "π: alliance cost to A", "a_bar": "a_bar: largest demand", "l": "l: domestic reward",
    "p_l": "p_l: T wins alone", "p_m": "p_m: T wins, A in", "p_h": "p_h: T wins, ally A in",
    "c_T": "c_T: T's war cost", "c_C": "c_C: C's war cost", "c_A": "c_A: A's war cost",
}
SLIDER_RANGES = {  # (min, max) of each slider; the model checks the paper's exact ranges
    "beta_low": (0.01, 0.99), "beta_high": (0.01, 0.99), "phi": (0.01, 0.99), "pi": (0.01, 1.0),
    "a_bar": (0.01, 2.0), "l": (-0.99, 0.99), "p_l": (0.01, 0.99), "p_m": (0.01, 0.99), "p_h": (0.01, 0.99),
    "c_T": (0.01, 0.5), "c_C": (0.01, 0.5), "c_A": (0.01, 0.5),
}
EQUILIBRIUM_CHOICES = [AUTO, *PROPOSITIONS] + [f"index {i}" for i in range(10)]
TYPE_COLOURS = {"all": "#4c4c4c", "committed": "#1f5fbf", "uncommitted": "#e08a00"}


def _decimal(name: str, x) -> Fraction:
    """A slider's value as the decimal it shows (0.3, not 0.30000000000000004)."""
    return to_fraction(name, round(float(x), 6))


class AllianceVizModel(AllianceModel):
    """``AllianceModel`` with the visual server's controls as keyword arguments.

    ``example``: ``"sliders"`` builds the parameters from the twelve sliders, a name from
    ``games.alliance.examples.EXAMPLES`` uses that point (the sliders are then ignored).
    ``equilibrium``: ``"auto"``, a proposition name, or ``"index k"``. ``seed`` may be text.

    Bad parameters (a range, assumptions (1)-(2), no pure equilibrium on the grid): Mesa's
    Reset would turn the exception into a page-wide traceback, so the model is built from
    the default controls instead and ``input_error`` says why (the status panel shows it).
    Use :meth:`checked` or ``AllianceModel`` to get the exception.
    """

    def __init__(
        self,
        *,
        example: str = SLIDERS,
        beta_low: float = 0.25, beta_high: float = 0.8, phi: float = 0.5, pi: float = 0.11, a_bar: float = 0.5,
        l: float = -0.2, p_l: float = 0.3, p_m: float = 0.4, p_h: float = 0.55,  # noqa: E741
        c_T: float = 0.05, c_C: float = 0.1, c_A: float = 0.05,
        check_assumptions: bool = True,
        n_demands: int = 20,
        n_offers: int = 100,
        off_path_belief: str = "uncommitted",
        equilibrium: str = AUTO,
        patron_rule: str = "equilibrium",
        protege_rule: str = "equilibrium",
        challenger_rule: str = "equilibrium",
        mode: str = "surprise",
        seed="0",
    ):
        controls = dict(example=example, beta_low=beta_low, beta_high=beta_high, phi=phi, pi=pi, a_bar=a_bar, l=l,
                        p_l=p_l, p_m=p_m, p_h=p_h, c_T=c_T, c_C=c_C, c_A=c_A, check_assumptions=check_assumptions,
                        n_demands=n_demands, n_offers=n_offers, off_path_belief=off_path_belief,
                        equilibrium=equilibrium, patron_rule=patron_rule, protege_rule=protege_rule,
                        challenger_rule=challenger_rule, mode=mode, seed=seed)
        self.input_error: str | None = None
        used = controls
        try:
            super().__init__(**self.checked(**controls))
        except SpheresInputError as exc:  # e.g. no pure PBE at these parameters on this grid
            # AllianceModel checks everything before mesa.Model.__init__, so nothing is half-built
            used = default_params()
            super().__init__(**self.checked(**used))
            self.input_error = str(exc)
        self.example = used["example"]
        self.settings = {k: used[k] for k in ("n_demands", "n_offers", "off_path_belief", "seed")}
        """The controls of the run in play that the model does not hold itself (the status panel lists them)."""

    @staticmethod
    def checked(*, example, check_assumptions, n_demands, n_offers, off_path_belief, equilibrium,
                patron_rule, protege_rule, challenger_rule, mode, seed, **values) -> dict:
        """The controls as ``AllianceModel`` arguments; raises ``SpheresInputError`` on bad input."""
        check_choice("example", example, (SLIDERS, *EXAMPLES))
        if example == SLIDERS:
            unknown = sorted(set(values) - set(PARAMETERS))
            if unknown:
                raise SpheresInputError(f"unknown parameter(s) {', '.join(unknown)}")
            numbers = {k: _decimal(k, v) for k, v in values.items()}
        else:
            numbers = dict(EXAMPLES[example])
        params = AllianceParams.from_mapping(numbers, check_assumptions=bool(check_assumptions))
        for name, n, low, high in (("n_demands", n_demands, 1, 200), ("n_offers", n_offers, 2, 1000)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not low <= n <= high:
                raise SpheresInputError(f"{name} = {n!r} must be an integer in [{low}, {high}]")
        check_choice("off_path_belief", off_path_belief, OFF_PATH_RULES)
        check_choice("equilibrium", equilibrium, EQUILIBRIUM_CHOICES)
        for role, name in (("patron", patron_rule), ("protege", protege_rule), ("challenger", challenger_rule)):
            registry.coerce(role, name, f"{role}_rule")
        check_choice("mode", mode, MODES)
        chosen = None if equilibrium == AUTO else int(equilibrium[6:]) if equilibrium.startswith("index ") else equilibrium
        return dict(params=params, n_demands=int(n_demands), n_offers=int(n_offers), off_path_belief=off_path_belief,
                    equilibrium=chosen, patron_rule=patron_rule, protege_rule=protege_rule,
                    challenger_rule=challenger_rule, mode=mode, seed=parse_seed("seed", seed))


# ------------------------------------------------------------------------------ the controls
def _slider(name: str) -> dict:
    low, high = SLIDER_RANGES[name]
    return {"type": "SliderFloat", "value": float(EXAMPLES[DEFAULT_EXAMPLE][name]), "min": low, "max": high,
            "step": 0.01, "label": LABELS[name]}


model_params = {
    "example": {"type": "Select", "value": SLIDERS, "values": [SLIDERS, *EXAMPLES],
                "label": "Parameters: the sliders, or a named example"},
    **{name: _slider(name) for name in PARAMETERS},
    "check_assumptions": {"type": "Checkbox", "value": True, "label": "Require assumptions (1)-(2)"},
    "n_demands": {"type": "SliderInt", "value": 20, "min": 1, "max": 60, "step": 1, "label": "Demand grid size"},
    "n_offers": {"type": "SliderInt", "value": 100, "min": 2, "max": 300, "step": 1, "label": "Offer grid size"},
    "off_path_belief": {"type": "Select", "value": "uncommitted", "values": list(OFF_PATH_RULES),
                        "label": "C's belief after an unexpected negotiation"},
    "equilibrium": {"type": "Select", "value": AUTO, "values": EQUILIBRIUM_CHOICES,
                    "label": "Equilibrium played by the equilibrium rules"},
    "patron_rule": {"type": "Select", "value": "equilibrium", "values": registry.names("patron"), "label": "Rule of A (patron)"},
    "protege_rule": {"type": "Select", "value": "equilibrium", "values": registry.names("protege"), "label": "Rule of T (protégé)"},
    "challenger_rule": {"type": "Select", "value": "equilibrium", "values": registry.names("challenger"),
                        "label": "Rule of C (challenger)"},
    "mode": {"type": "Select", "value": "surprise", "values": list(MODES),
             "label": "Rules: a surprise, or anticipated by everybody"},
    "seed": {"type": "InputText", "value": "0", "label": "Seed (nature's draws of A's type)"},
}


def controls() -> dict:
    """``model_params`` with every rule registered now in the rule dropdowns (a ``--rules-module``'s too)."""
    return {**model_params, **{f"{role}_rule": {**model_params[f"{role}_rule"], "values": registry.names(role)}
                               for role in ("patron", "protege", "challenger")}}


def default_params() -> dict:
    """The controls' initial values, as keyword arguments of ``AllianceVizModel``."""
    return {k: v["value"] for k, v in model_params.items()}


# ------------------------------------------------------------------------------ belief and outcomes
def belief_figure(model: AllianceModel) -> Figure:
    """C's belief that A is committed after every step, with the prior φ and episode starts."""
    df = model.datacollector.get_model_vars_dataframe()
    fig = Figure(figsize=(6, 4))
    ax = fig.subplots()
    phi = float(model.params.phi)
    ax.axhline(phi, ls="--", color="#777777", lw=1, label=f"prior φ = {phi:g}")
    if len(df):
        steps = np.arange(1, len(df) + 1)
        for s in steps[(df["stage"] == str(AllianceStage.NATURE)).to_numpy()]:
            ax.axvline(s, color="#e0e0e0", lw=0.8, zorder=0)
        ax.step(steps, df["belief"].to_numpy(dtype=float), where="post", color=TYPE_COLOURS["committed"], marker="o",
                ms=3, label="C's belief that A is committed")
    now = float(model.challenger_belief)
    ax.set_title(f"C's belief now: P(A committed) = {now:.3g}", fontsize=10)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlim(left=0.5)
    ax.set_xlabel("step (grey lines: a new episode begins)")
    ax.set_ylabel("P(A committed)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=8, frameon=False)  # off the lines
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.25, top=0.92)
    return fig


def outcome_frequencies(model: AllianceModel) -> dict[str, np.ndarray]:
    """Share of the finished episodes with each outcome (``ALLIANCE_OUTCOMES``), overall and by A's type."""
    table = model.outcome_table()
    return {who: table[f"{who} share"].reindex(ALLIANCE_OUTCOMES).to_numpy(dtype=float)
            for who in ("all", "committed", "uncommitted")}


def outcomes_figure(model: AllianceModel) -> Figure:
    """Outcome frequencies over the finished episodes (grouped bars: all, committed A, uncommitted A)."""
    n = model.episodes_finished
    fig = Figure(figsize=(6, 4))
    ax = fig.subplots()
    x = np.arange(len(ALLIANCE_OUTCOMES))
    if n:
        freq = outcome_frequencies(model)
        for k, who in enumerate(("all", "committed", "uncommitted")):
            ax.bar(x + (k - 1) * 0.27, freq[who], width=0.27, color=TYPE_COLOURS[who],
                   label=who if who == "all" else f"{who} A", gid=f"bars-{who}")
        ax.legend(fontsize=8, loc="upper center", ncol=3, frameon=False)  # above every bar: shares end at 1
    else:
        ax.text(0.5, 0.5, "no episode finished yet", transform=ax.transAxes, ha="center", va="center", color="#777777")
    ax.set_xticks(x, ALLIANCE_OUTCOMES, rotation=30, ha="right", fontsize=8)
    ax.set_ylim(0, 1.2)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_ylabel("share of episodes")
    ax.set_xlabel("outcome of the episode")
    ax.set_title(f"outcomes over {n} finished episode{'s' if n != 1 else ''}", fontsize=10)
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.27, top=0.92)
    return fig


# ------------------------------------------------------------------------------ the panels
def status_html(model: AllianceModel) -> str:
    """The episode, the event just played, the path so far, C's belief (the text the tests read)."""
    stage = f"just played: {model.last_stage}" if model.last_stage else "nothing played yet"
    moves = " → ".join(f"{actor}: {action}" for _stage, actor, action in model.path) or "none yet"
    last = model.path[-1] if model.path else None
    a_type = "not drawn yet" if model.committed is None else ("committed" if model.committed else "uncommitted")
    p = model.params
    items = [
        item("episode", "episode", value("episode-number", model.episode) + esc(f" (finished: {model.episodes_finished})")),
        item("a-type", "A's type this episode", value("a-type-value", a_type)),
        item("path", "path so far", value("path-value", moves)),
        item("last-move", "last move", value("last-move-value", f"{last[1]}: {last[2]}" if last else "none")),
        item("belief", "C's belief that A is committed", value("belief-value", f"{float(model.challenger_belief):.4g}")
             + esc(f" (prior φ = {float(p.phi):g})")),
        item("next", "next stage", esc(model.next_stage)),
        item("equilibrium", "equilibrium played", esc(f"{model.equilibrium_label} "
                                                      f"({len(model.search.equilibria)} pure PBE on this grid, "
                                                      f"{model.search.convention()})")),
        item("rules", "rules", esc(f"A {model.patron.rule.name}, T {model.protege.rule.name}, C {model.challenger.rule.name} "
                                   f"({model.mode})")),
        parameters_item({"example": getattr(model, "example", SLIDERS),
                         **{k: f"{float(getattr(p, k)):g}" for k in PARAMETERS}, **getattr(model, "settings", {})}),
    ]
    return _panels.status_html(f"Step {model.steps} ({stage})", items, "", [], error=model.input_error)


def status_panel(model: AllianceModel):
    """Text panel: the episode, the event just played, the path so far, C's belief."""
    return status_element(status_html(model))


def tree_panel(model: AllianceModel):
    """The game tree with the path just played highlighted (see :func:`tree_figure`)."""
    return figure_element(tree_figure(model), dpi=100)


def belief_panel(model: AllianceModel):
    """C's belief over the steps (see :func:`belief_figure`)."""
    return figure_element(belief_figure(model))


def outcomes_panel(model: AllianceModel):
    """Outcome frequencies over the episodes (see :func:`outcomes_figure`)."""
    return figure_element(outcomes_figure(model))


COMPONENTS = [status_panel, tree_panel, belief_panel, outcomes_panel]
LAYOUT = [(1, 2), (1, 1)]
"""Rows of panels and their shares of the width: status | tree (two thirds: its text stays
readable at page size), then belief | outcomes."""


@solara.component
def Page():
    """The alliance game's SolaraViz page; every browser session gets its own model."""
    return VizPage(lambda: AllianceVizModel(**default_params()), COMPONENTS, controls(), "Spheres: the alliance game",
                   LAYOUT)
