"""SolaraViz app of the club game (*The Power of Non-Superpowers*), built on ``model.ClubModel``.

Panels (each a plain function of the model, redrawn by Mesa after every step):

- :func:`status_panel`: the stage event just played, both clubs (location, members, size,
  endowment, payoff) and the event log of the current step, as text;
- :func:`line_panel`: the ideological line: every country a marker coloured by its club,
  sized by its endowment; both superpowers' homes and both club goods marked;
- :data:`SIZE_PLOT`, :data:`ENDOWMENT_PLOT`: club sizes and club endowments over the steps
  (Mesa's ``make_plot_component`` over the model's DataCollector);
- :func:`graph_panel`: the membership graph (networkx), current memberships solid, ended
  ones dashed.

Controls: the world (``figure3``, ``figure2``, ``section3``, ``random``), n, g_a, g_b
(``section3`` only), the endowment of one chosen country, each role's rule by name, and the
seed. ``Reset`` builds a new model from them; ``Step`` plays one stage event.

The figure functions (``line_figure``, ``graph_figure``) return matplotlib figures so the
tests can inspect what is drawn.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import solara  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from mesa.visualization import make_plot_component  # noqa: E402

from games.club.core import NONSUPERPOWER_RULES, SUPERPOWER_RULES, nonsuperpower_rule, superpower_rule  # noqa: E402
from games.club.examples import WORLDS, world_by_name  # noqa: E402
from games.validation import SpheresInputError, check_scalar  # noqa: E402
from model import ClubModel, ClubPhase  # noqa: E402
from visualization import _panels  # noqa: E402
from visualization._panels import VizPage, esc, item, parse_seed, status_element, value  # noqa: E402
from visualization.club_figures import A_COLOUR, B_COLOUR  # noqa: E402

NO_CLUB_COLOUR = "#b0b0b0"
CLUB_COLOURS = {"a": A_COLOUR, "b": B_COLOUR, None: NO_CLUB_COLOUR}
NO_COUNTRY = "none"
MAX_COUNTRIES = 60  # the largest world the controls offer (section3 with n = 61)


class ClubVizModel(ClubModel):
    """``ClubModel`` with the visual server's controls as keyword arguments.

    Differences from ``ClubModel`` (the move order and the agents are the same):
    ``country`` is a country's *name* (``"none"``: no change of endowment), and ``rng`` may
    be the seed as text, as Mesa's ``InputText`` control gives it.

    Bad parameters: Mesa's Reset button builds the model inside its click handler, where an
    exception would replace the whole page by a traceback. So a ``SpheresInputError`` is
    caught here: the model is built from the default controls instead and
    ``input_error`` holds the message, which the status panel shows in red. Outside the
    visual server use :meth:`checked` (or ``ClubModel``), which raise.
    """

    def __init__(
        self,
        *,
        world_name: str = "figure3",
        n: int = 31,
        g_a: float = 0.1,
        g_b: float = 0.1,
        country: str = NO_COUNTRY,
        omega_country: float = 1.0,
        rule_a: str = "equilibrium",
        rule_b: str = "equilibrium",
        rule_countries: str = "coalition",
        rng="0",
    ):
        # explicit keywords (no **kwargs): Mesa passes exactly the controls, and no scenario
        controls = dict(world_name=world_name, n=n, g_a=g_a, g_b=g_b, country=country, omega_country=omega_country,
                        rule_a=rule_a, rule_b=rule_b, rule_countries=rule_countries, rng=rng)
        self.input_error: str | None = None
        try:
            kwargs = self.checked(**controls)
        except SpheresInputError as exc:
            self.input_error = str(exc)
            kwargs = self.checked(**default_params())
        world_name = kwargs.pop("world_name")
        super().__init__(**kwargs)
        self.world_name = world_name
        self.chosen_country = kwargs["country"]

    @staticmethod
    def checked(
        *,
        world_name: str = "figure3",
        n: int = 31,
        g_a: float = 0.1,
        g_b: float = 0.1,
        country: str = NO_COUNTRY,
        omega_country: float = 1.0,
        rule_a: str = "equilibrium",
        rule_b: str = "equilibrium",
        rule_countries: str = "coalition",
        rng=0,
    ) -> dict:
        """The controls as ``ClubModel`` arguments (the world built, the country's index); raises on bad input."""
        params = {"n": int(n), "g_a": float(g_a), "g_b": float(g_b)} if world_name == "section3" else {}
        world = world_by_name(world_name, **params)
        superpower_rule(rule_a), superpower_rule(rule_b), nonsuperpower_rule(rule_countries)
        check_scalar("omega_country", omega_country, low=0.0, low_open=True)
        index = None
        if country not in (None, NO_COUNTRY, ""):
            if str(country) not in world.names:
                raise SpheresInputError(
                    f"country = {country!r} is not a country of the {world_name} world "
                    f"(its countries are {world.names[0]} to {world.names[-1]})"
                )
            index = world.names.index(str(country))
        return {"world": world, "world_name": world_name, "country": index, "omega_country": float(omega_country),
                "rule_a": rule_a, "rule_b": rule_b, "rule_countries": rule_countries, "rng": parse_seed("seed", rng)}


# ------------------------------------------------------------------------------ the controls
model_params = {
    "world_name": {"type": "Select", "value": "figure3", "values": list(WORLDS), "label": "World"},
    "n": {"type": "SliderInt", "value": 31, "min": 2, "max": MAX_COUNTRIES + 1, "step": 1, "label": "n (section3: n - 1 countries)"},
    "g_a": {"type": "SliderFloat", "value": 0.1, "min": 0.0, "max": 1.0, "step": 0.001, "label": "g_a: dependency on a (section3)"},
    "g_b": {"type": "SliderFloat", "value": 0.1, "min": 0.0, "max": 1.0, "step": 0.001, "label": "g_b: dependency on b (section3)"},
    "country": {
        "type": "Select", "value": NO_COUNTRY, "values": [NO_COUNTRY] + [str(i) for i in range(1, MAX_COUNTRIES + 1)],
        "label": "Country whose endowment to set",
    },
    "omega_country": {"type": "SliderFloat", "value": 1.0, "min": 0.1, "max": 10.0, "step": 0.1, "label": "Its endowment omega"},
    "rule_a": {"type": "Select", "value": "equilibrium", "values": list(SUPERPOWER_RULES), "label": "Rule of a (leader)"},
    "rule_b": {"type": "Select", "value": "equilibrium", "values": list(SUPERPOWER_RULES), "label": "Rule of b (challenger)"},
    "rule_countries": {"type": "Select", "value": "coalition", "values": list(NONSUPERPOWER_RULES), "label": "Rule of the non-superpowers"},
    "rng": {"type": "InputText", "value": "0", "label": "Seed (order of proposals)"},
}


def default_params() -> dict:
    """The controls' initial values, as keyword arguments of ``ClubVizModel``."""
    return {k: v["value"] for k, v in model_params.items()}


# ------------------------------------------------------------------------------ the figures
def _positions(model: ClubModel) -> np.ndarray:
    """Each country's coordinate on the line (evenly spread by index for a general metric)."""
    w = model.world
    if w.positions is not None:
        return np.asarray(w.positions, dtype=float)
    return (np.arange(w.n_countries) + 1) / (w.n_countries + 1)


def line_figure(model: ClubModel) -> Figure:
    """The ideological line: countries by club and endowment, homes and club goods marked."""
    w = model.world
    fig = Figure(figsize=(6, 4.2))
    ax = fig.subplots()
    x = _positions(model)
    omega = np.asarray(w.omega, dtype=float)
    sizes = 30 + 220 * omega / omega.max()  # marker area grows with the endowment
    ax.axhline(0.0, color="#404040", lw=1, zorder=1)
    locs = np.asarray(w.locations, dtype=float) if np.issubdtype(np.asarray(w.locations).dtype, np.number) else None
    if locs is not None:
        ax.plot(locs, np.zeros_like(locs), "|", color="#808080", ms=10, zorder=1)
    for club in ("a", "b", None):
        members = [c.index for c in model.countries if c.club == club]
        if members:
            label = "no club" if club is None else f"member of {club}'s club"
            ax.scatter(x[members], np.zeros(len(members)), s=sizes[members], c=CLUB_COLOURS[club],
                       edgecolors="black", linewidths=0.6, zorder=3, label=label, gid=f"countries-{club or 'none'}")
    if w.n_countries <= 12:
        for c in model.countries:
            ax.annotate(c.name, (x[c.index], 0), xytext=(0, -16), textcoords="offset points", ha="center", fontsize=9)
    for role, home, marker in (("a", w.home_a, "s"), ("b", w.home_b, "D")):
        if home is not None:
            ax.scatter([home], [-0.45], marker=marker, s=90, c=CLUB_COLOURS[role], edgecolors="black", zorder=3,
                       label=f"home of {role}", gid=f"home-{role}")
            ax.annotate(f"home of {role}", (home, -0.45), xytext=(0, -14), textcoords="offset points", ha="center",
                        fontsize=8)
        loc = model.superpower(role).location
        if loc is not None and locs is not None:
            ax.plot([locs[loc]] * 2, [0, 0.45], ls="--", color=CLUB_COLOURS[role], lw=1, zorder=2)
            ax.scatter([locs[loc]], [0.45], marker="*", s=320, c=CLUB_COLOURS[role], edgecolors="black", zorder=4,
                       label=f"club good of {role}", gid=f"good-{role}")
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.8, 0.8)
    ax.set_yticks([])
    ax.set_xlabel("ideological position")
    ax.set_title(f"the ideological line after step {model.steps}")
    legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, fontsize=8, frameon=False)
    for handle in legend.legend_handles:  # one size in the legend, whatever the endowments
        if hasattr(handle, "set_sizes"):
            handle.set_sizes([50])
    fig.tight_layout()
    return fig


def graph_layout(model: ClubModel) -> dict:
    """Countries on the line at y = 0, the superpowers above their homes at y = 1."""
    w = model.world
    x = _positions(model)
    pos = {c.name: (float(x[c.index]), 0.0) for c in model.countries}
    pos["a"] = (0.0 if w.home_a is None else float(w.home_a), 1.0)
    pos["b"] = (1.0 if w.home_b is None else float(w.home_b), 1.0)
    return pos


def graph_figure(model: ClubModel) -> Figure:
    """The membership graph: current memberships solid in the club's colour, ended ones dashed grey."""
    g = model.graph
    fig = Figure(figsize=(6, 4))
    ax = fig.subplots()
    pos = graph_layout(model)
    current = [(u, v, k) for u, v, k, d in g.edges(keys=True, data=True) if d["end"] is None]
    ended = [(u, v, k) for u, v, k, d in g.edges(keys=True, data=True) if d["end"] is not None]
    colours = [CLUB_COLOURS[k] for *_, k in current]
    nx.draw_networkx_edges(g, pos, edgelist=[e[:2] for e in ended], ax=ax, style="dashed", edge_color="#999999", width=0.8)
    nx.draw_networkx_edges(g, pos, edgelist=[e[:2] for e in current], ax=ax, edge_color=colours, width=1.6)
    clubs = {c.name: c.club for c in model.countries}
    countries = list(clubs)
    nx.draw_networkx_nodes(g, pos, nodelist=countries, ax=ax, node_size=120,
                           node_color=[CLUB_COLOURS[clubs[c]] for c in countries], edgecolors="black", linewidths=0.5)
    nx.draw_networkx_nodes(g, pos, nodelist=["a", "b"], ax=ax, node_size=500, node_shape="s",
                           node_color=[A_COLOUR, B_COLOUR], edgecolors="black")
    nx.draw_networkx_labels(g, pos, labels={"a": "a", "b": "b"}, ax=ax, font_color="white", font_weight="bold")
    if len(countries) <= 12:
        nx.draw_networkx_labels(g, {k: (x, y - 0.09) for k, (x, y) in pos.items()}, labels={c: c for c in countries},
                                ax=ax, font_size=8)
    ax.set_title(f"memberships: {len(current)} current, {len(ended)} ended")
    ax.legend(handles=[Line2D([], [], color=A_COLOUR, lw=1.6, label="in a's club"),
                       Line2D([], [], color=B_COLOUR, lw=1.6, label="in b's club"),
                       Line2D([], [], color="#999999", ls="--", label="membership ended")],
              loc="upper center", bbox_to_anchor=(0.5, 1.0), fontsize=8, framealpha=0.9, edgecolor="none")
    ax.set_ylim(-0.25, 1.2)
    ax.axis("off")
    fig.tight_layout()
    return fig


# ------------------------------------------------------------------------------ the panels
def club_item(model: ClubModel, role: str) -> str:
    """One line on a club: where its good is, who is in it, its size, endowment and payoff."""
    sp = model.superpower(role)
    members = [c.name for c in model.countries if c.club == role]
    if sp.location is None:
        where = "forms no club" if sp.decided else "no club good yet"
    else:
        where = f"club good at {model.location(role):.4g}"
    shown = ", ".join(members) if len(members) <= 12 else ", ".join(members[:12]) + ", ..."
    text = (f"{esc(where)}; size {value(f'size-{role}', len(members))} "
            f"(members: {value(f'members-{role}', shown or 'none')}); "
            f"endowment {esc(f'{model.club_endowment(role):.4g}')}; payoff of {role} {esc(f'{sp.payoff():.4f}')}")
    return item(f"club-{role}", f"{role}'s club", text)


def status_html(model: ClubModel) -> str:
    """The state after the step just played, and that step's events (the text the tests read)."""
    state = "game over" if model.phase is ClubPhase.DONE else f"now: {model.phase.value}"
    rules = (f"a {model.leader.rule.name}, b {model.challenger.rule.name}, "
             f"countries {', '.join(sorted({c.rule.name for c in model.countries}))}")
    world = getattr(model, "world_name", "custom")
    events = [f"{e['actor']} {e['action']} ({e['why']})" for e in model.events if e["step"] == model.steps]
    if model.steps:
        log_title, empty = f"Events of step {model.steps}", "nobody moves: the stage is over"
    else:
        log_title, empty = "Press Step to play the first stage event.", ""
    return _panels.status_html(
        f"Step {model.steps} ({state})",
        [club_item(model, "a"), club_item(model, "b"),
         item("world", "world", esc(f"{world}, {model.world.n_countries} countries")), item("rules", "rules", esc(rules))],
        log_title, events, empty, error=model.input_error)


def status_panel(model: ClubModel):
    """Text panel: the stage event just played, both clubs, this step's event log."""
    return status_element(status_html(model))


def line_panel(model: ClubModel):
    """The ideological line (see :func:`line_figure`)."""
    return solara.FigureMatplotlib(line_figure(model), format="png", dpi=90)


def graph_panel(model: ClubModel):
    """The membership graph (see :func:`graph_figure`)."""
    return solara.FigureMatplotlib(graph_figure(model), format="png", dpi=90)


def _club_lines(ax, ylabel: str, title: str) -> None:
    """Post-process Mesa's line plot: readable legend, a marker per step, y from 0."""
    lines = ax.get_lines()
    for line in lines:
        line.set_marker("o")
    ax.legend(lines, ["a's club", "b's club"], loc="upper left")
    ax.set_ylim(bottom=0, top=max(1.0, max((float(np.nanmax(ln.get_ydata())) for ln in lines), default=1.0) * 1.15))
    ax.set_xlim(left=-0.2)
    ax.set_ylabel(ylabel)
    ax.set_title(title)


def _sizes_post(ax):
    _club_lines(ax, "members", "club sizes (non-superpowers)")


def _endowments_post(ax):
    _club_lines(ax, "total endowment", "club endowments (superpower included)")


SIZE_PLOT = make_plot_component({"size_a": A_COLOUR, "size_b": B_COLOUR}, post_process=_sizes_post)
ENDOWMENT_PLOT = make_plot_component({"endowment_a": A_COLOUR, "endowment_b": B_COLOUR}, post_process=_endowments_post)

COMPONENTS = [status_panel, line_panel, SIZE_PLOT, ENDOWMENT_PLOT, graph_panel]


@solara.component
def Page():
    """The club game's SolaraViz page; every browser session gets its own model."""
    return VizPage(lambda: ClubVizModel(**default_params()), COMPONENTS, model_params, "Spheres: the club game")
