"""SolaraViz app of the club game (*The Power of Non-Superpowers*), built on ``model.ClubModel``.

Panels (each a plain function of the model, redrawn after every step):

- :func:`status_panel`: the stage event just played, every club (location, members, size,
  endowment, payoff), every parameter of the run and the events of the step, as text;
- :func:`line_panel`: the ideological line: every country a marker coloured by its club,
  sized by its endowment (countries at one position stacked); homes and club goods marked;
- :func:`history_panel`: club sizes and club endowments after every step (the DataCollector);
- :func:`graph_panel`: the membership graph (networkx), current memberships solid, ended
  ones dashed.

Every club's colour is ``club_colour(k)`` of its superpower's place in the move order, so
the panels show any number of superpowers. Controls: the world (``figure3``, ``figure2``,
``section3``, ``random``, and ``poles``: three superpowers on the symmetric circle), n, g_a,
g_b (for the worlds that take them), the endowment of one chosen country, each role's rule
by name (every name in ``games.registry``; c's rule for the three-superpower world), and the
seed. ``Reset`` builds a new model from them; ``Step`` plays one stage event.

The figure functions (``line_figure``, ``history_figure``, ``graph_figure``) return
matplotlib figures so the tests can inspect what is drawn.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import solara  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from games import registry  # noqa: E402
from games.club.examples import WORLDS  # noqa: E402
from games.validation import SpheresInputError  # noqa: E402
from model import ClubModel, ClubPhase  # noqa: E402
from visualization import _panels  # noqa: E402
from visualization._panels import (  # noqa: E402
    VizPage, esc, figure_element, item, parameters_item, parse_seed, status_element, value,
)
from visualization.club_figures import NO_CLUB_COLOUR, club_colour, draw_line, stack_levels  # noqa: E402

NO_COUNTRY = "none"
MAX_COUNTRIES = 60  # the largest world the controls offer (section3 with n = 61)
TAKES = {"section3": ("n", "g_a", "g_b"), "random": ("n",), "poles": ("n", "g_a")}
"""The controls each named world takes (the others are not passed: ClubModel refuses them)."""
THREE_SUPERPOWERS = ("poles",)
"""The named worlds with a third superpower, c (its rule is a control of its own)."""
LAYOUT = [(2, 3), (1, 1)]
"""Rows of panels and their shares of the width: status | line, then history | graph."""


class ClubVizModel(ClubModel):
    """``ClubModel`` with the visual server's controls as keyword arguments.

    Differences from ``ClubModel`` (the move order and the agents are the same): ``n``,
    ``g_a``, ``g_b`` are always given (the sliders) and are passed on only to the worlds
    that take them; ``country`` is a country's number as text (``"none"``: no change of
    endowment); ``rng`` may be the seed as text, as Mesa's ``InputText`` control gives it.

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
        rule_c: str = "equilibrium",
        rule_countries: str = "coalition",
        rng="0",
    ):
        # explicit keywords (no **kwargs): Mesa passes exactly the controls, and no scenario
        controls = dict(world_name=world_name, n=n, g_a=g_a, g_b=g_b, country=country, omega_country=omega_country,
                        rule_a=rule_a, rule_b=rule_b, rule_c=rule_c, rule_countries=rule_countries, rng=rng)
        self.input_error: str | None = None
        try:
            kwargs = self.checked(**controls)
            super().__init__(**kwargs)
        except SpheresInputError as exc:  # ClubModel checks everything before mesa.Model.__init__
            self.input_error = str(exc)
            kwargs = self.checked(**default_params())
            super().__init__(**kwargs)
        self.world_name = kwargs["world_name"]
        self.controls = {k: kwargs.get(k) for k in ("n", "g_a", "g_b")}
        self.seed = kwargs["rng"]

    @staticmethod
    def checked(*, world_name="figure3", n=31, g_a=0.1, g_b=0.1, country=NO_COUNTRY, omega_country=1.0,
                rule_a="equilibrium", rule_b="equilibrium", rule_c="equilibrium", rule_countries="coalition",
                rng=0) -> dict:
        """The controls as ``ClubModel`` keyword arguments (checked there); raises on bad input."""
        if world_name not in WORLDS:
            raise SpheresInputError(f"world = {world_name!r} is not one of: {', '.join(WORLDS)}")
        given = {"n": n, "g_a": g_a, "g_b": g_b}
        kwargs = {k: given[k] for k in TAKES.get(world_name, ())}
        if country not in (None, NO_COUNTRY, ""):
            try:
                kwargs["country"] = int(country)
            except (TypeError, ValueError):
                raise SpheresInputError(f"country = {country!r} must be a country's number (from 1)") from None
            kwargs["omega_country"] = omega_country
        if world_name in THREE_SUPERPOWERS:
            kwargs["superpower_rules"] = [rule_a, rule_b, rule_c]
        elif rule_c != "equilibrium":
            raise SpheresInputError(f"the rule of c applies only to a world with three superpowers ({', '.join(THREE_SUPERPOWERS)})")
        else:
            kwargs.update(rule_a=rule_a, rule_b=rule_b)
        return dict(world_name=world_name, rule_countries=rule_countries, rng=parse_seed("seed", rng), **kwargs)


# ------------------------------------------------------------------------------ the controls
def controls() -> dict:
    """SolaraViz's model_params: the controls, with every rule registered now in the rule dropdowns."""
    return {
        "world_name": {"type": "Select", "value": "figure3", "values": list(WORLDS), "label": "World"},
        "n": {"type": "SliderInt", "value": 31, "min": 3, "max": MAX_COUNTRIES + 1, "step": 1,
              "label": "n (section3, random, poles)"},
        "g_a": {"type": "SliderFloat", "value": 0.1, "min": 0.0, "max": 1.0, "step": 0.001, "label": "g_a (section3; every g in poles)"},
        "g_b": {"type": "SliderFloat", "value": 0.1, "min": 0.0, "max": 1.0, "step": 0.001, "label": "g_b (section3)"},
        "country": {"type": "Select", "value": NO_COUNTRY, "values": [NO_COUNTRY] + [str(i) for i in range(1, MAX_COUNTRIES + 1)],
                    "label": "Country whose endowment to set"},
        "omega_country": {"type": "SliderFloat", "value": 1.0, "min": 0.1, "max": 10.0, "step": 0.1, "label": "Its endowment ω"},
        "rule_a": {"type": "Select", "value": "equilibrium", "values": registry.names("superpower"), "label": "Rule of a (leader)"},
        "rule_b": {"type": "Select", "value": "equilibrium", "values": registry.names("superpower"),
                   "label": "Rule of b (challenger)"},
        "rule_c": {"type": "Select", "value": "equilibrium", "values": registry.names("superpower"),
                   "label": "Rule of c (poles)"},
        "rule_countries": {"type": "Select", "value": "coalition", "values": registry.names("non-superpower"),
                           "label": "Rule of the non-superpowers"},
        "rng": {"type": "InputText", "value": "0", "label": "Seed (order of proposals)"},
    }


def default_params() -> dict:
    """The controls' initial values, as keyword arguments of ``ClubVizModel``."""
    return {k: v["value"] for k, v in controls().items()}


# ------------------------------------------------------------------------------ the figures
def positions(model: ClubModel) -> np.ndarray:
    """Each country's coordinate on the line (evenly spread by index for a general metric)."""
    w = model.world
    if w.positions is not None:
        return np.asarray(w.positions, dtype=float)
    return (np.arange(w.n_countries) + 1) / (w.n_countries + 1)


def line_figure(model: ClubModel) -> Figure:
    """The ideological line: countries by club and endowment, homes and club goods marked."""
    w = model.world
    fig = Figure(figsize=(6.4, 4.4))
    ax = fig.add_axes((0.03, 0.3, 0.94, 0.62))  # fixed margins: stacked countries are sized in points
    numeric = np.issubdtype(np.asarray(w.locations).dtype, np.number)
    homes = w.homes if w.homes is not None else (None,) * w.n_superpowers
    goods = [None if s.location is None or not numeric else float(w.locations[s.location]) for s in model.superpowers]
    draw_line(ax, positions(model), [c.club for c in model.countries], np.asarray(w.omega, dtype=float), w.names,
              superpowers=w.superpowers, homes=homes, goods=goods,
              locations=np.asarray(w.locations, dtype=float) if numeric else None)
    ax.set_xlabel("ideological position")
    ax.set_ylabel("countries")
    ax.set_title(f"the ideological line after step {model.steps}")
    return fig


def history_figure(model: ClubModel) -> Figure:
    """Club sizes (non-superpowers) and club endowments (superpower included) after every step."""
    df = model.datacollector.get_model_vars_dataframe()
    fig = Figure(figsize=(6.4, 4.0))
    axes = fig.subplots(1, 2)
    steps = np.arange(len(df))
    for ax, column, ylabel, title in ((axes[0], "size", "members", "club sizes"),
                                      (axes[1], "endowment", "total endowment", "club endowments")):
        top = 1.0
        for k, name in enumerate(model.world.superpowers):
            values = df[f"{column}_{name}"].to_numpy(dtype=float)
            ax.plot(steps, values, "o-", ms=3, color=club_colour(k), label=f"{name}'s club", gid=f"{column}-{name}")
            top = max(top, float(np.nanmax(values)))
        ax.set_ylim(0, top * 1.35)
        ax.set_xlim(-0.3, max(1, len(df) - 1) + 0.3)
        ax.xaxis.get_major_locator().set_params(integer=True)
        if column == "size":
            ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel("step")
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=7, loc="upper left", ncol=2, frameon=False)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.13, top=0.9, wspace=0.35)
    return fig


def graph_layout(model: ClubModel) -> dict:
    """Countries on the line at y = 0, each superpower above its home at y = 1."""
    w = model.world
    x = positions(model)
    below = -0.16 * stack_levels(x)  # countries at one position one below the other
    pos = {c.name: (float(x[c.index]), float(below[c.index])) for c in model.countries}
    k = w.n_superpowers
    for i, name in enumerate(w.superpowers):
        home = None if w.homes is None else w.homes[i]
        pos[name] = (float(home) if isinstance(home, (int, float, np.number)) else i / max(1, k - 1), 1.0)
    return pos


def graph_figure(model: ClubModel) -> Figure:
    """The membership graph: current memberships solid in the club's colour, ended ones dashed grey."""
    g = model.graph
    w = model.world
    fig = Figure(figsize=(6.4, 4.0))
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.84))
    pos = graph_layout(model)
    current = [(u, v, key) for u, v, key, d in g.edges(keys=True, data=True) if d["end"] is None]
    ended = [(u, v, key) for u, v, key, d in g.edges(keys=True, data=True) if d["end"] is not None]
    nx.draw_networkx_edges(g, pos, edgelist=[e[:2] for e in ended], ax=ax, style="dashed", edge_color="#999999", width=0.8,
                           arrows=False)
    nx.draw_networkx_edges(g, pos, edgelist=[e[:2] for e in current], ax=ax, width=1.6, arrows=False,
                           edge_color=[club_colour(w.index_of(key)) for *_, key in current])
    countries = [c.name for c in model.countries]
    nx.draw_networkx_nodes(g, pos, nodelist=countries, ax=ax, node_size=120, edgecolors="black", linewidths=0.5,
                           node_color=[club_colour(c.club) for c in model.countries])
    for k, name in enumerate(w.superpowers):  # a square that covers the ends of its club's edges
        ax.text(*pos[name], name, ha="center", va="center", color="white", fontweight="bold", zorder=5,
                bbox=dict(boxstyle="square,pad=0.45", fc=club_colour(k), ec="black"))
    if len(countries) <= 12:  # names to the right of the nodes
        nx.draw_networkx_labels(g, {c: (x + 0.025, y) for c, (x, y) in pos.items()}, labels={c: c for c in countries},
                                ax=ax, font_size=8, horizontalalignment="left")
    ax.set_title(f"memberships: {len(current)} current, {len(ended)} ended", fontsize=10)
    ax.legend(handles=[*(Line2D([], [], color=club_colour(k), lw=1.6, label=f"in {s}'s club")
                         for k, s in enumerate(w.superpowers)),
                       Line2D([], [], color="#999999", ls="--", label="membership ended"),
                       Line2D([], [], marker="o", ls="", color=NO_CLUB_COLOUR, label="in no club")],
              loc="upper center", ncol=3, fontsize=7, frameon=False)  # above the superpowers: no edge there
    ax.set_xlim(-0.08, 1.08)
    ax.set_ylim(min(-0.25, min(y for _, y in pos.values()) - 0.12), 1.5)
    ax.axis("off")
    return fig


# ------------------------------------------------------------------------------ the panels
def club_item(model: ClubModel, k: int) -> str:
    """One line on superpower k's club: where its good is, who is in it, its size, endowment and payoff."""
    sp = model.superpowers[k]
    name = sp.name
    members = [c.name for c in model.countries if c.club == k]
    if sp.location is None:
        where = "forms no club" if sp.decided else "no club good yet"
    else:
        where = f"club good at {model.location(k):.4g}"
    shown = ", ".join(members) if len(members) <= 12 else ", ".join(members[:12]) + ", ..."
    text = (f"{esc(where)}; size {value(f'size-{name}', len(members))} "
            f"(members: {value(f'members-{name}', shown or 'none')}); "
            f"endowment {esc(f'{model.club_endowment(k):.4g}')}; payoff of {esc(name)} {esc(f'{sp.payoff():.4f}')}")
    return item(f"club-{name}", f"{name}'s club", text)


def parameters(model: ClubModel) -> dict:
    """Every parameter of the run in play, as the status panel lists it."""
    w = model.world
    values = {"world": getattr(model, "world_name", "custom"), "countries": w.n_countries}
    values.update({k: v for k, v in getattr(model, "controls", {}).items() if v is not None})
    changed = [f"{c.name}: {w.omega[c.index]:g}" for c in model.countries if w.omega[c.index] != 1.0]
    values["endowments ≠ 1"] = "; ".join(changed) if 0 < len(changed) <= 6 else ("none" if not changed else "several")
    for sp in model.superpowers:
        values[f"rule of {sp.name}"] = sp.rule.name
    values["rule of the countries"] = ", ".join(sorted({c.rule.name for c in model.countries}))
    values["seed"] = getattr(model, "seed", None)
    return values


def status_html(model: ClubModel) -> str:
    """The state after the step just played, every parameter, and that step's events (the text the tests read)."""
    name = model.superpowers[model.mover].name
    state = ("game over" if model.phase is ClubPhase.DONE else f"next: {name} places its club good"
             if model.phase is ClubPhase.PLACE else f"next: countries may move to {name}'s club")
    events = [f"{e['actor']} {e['action']} ({e['why']})" for e in model.events if e["step"] == model.steps]
    if model.steps:
        log_title, empty = f"Events of step {model.steps}", "nobody moves"
    else:
        log_title, empty = "Press Step to play the first stage event.", ""
    items = [club_item(model, k) for k in range(model.world.n_superpowers)]
    items.append(parameters_item(parameters(model)))
    return _panels.status_html(f"Step {model.steps} ({state})", items, log_title, events, empty, error=model.input_error)


def status_panel(model: ClubModel):
    """Text panel: the stage event just played, every club, every parameter, this step's event log."""
    return status_element(status_html(model))


def line_panel(model: ClubModel):
    """The ideological line (see :func:`line_figure`)."""
    return figure_element(line_figure(model))


def history_panel(model: ClubModel):
    """Club sizes and endowments over the steps (see :func:`history_figure`)."""
    return figure_element(history_figure(model))


def graph_panel(model: ClubModel):
    """The membership graph (see :func:`graph_figure`)."""
    return figure_element(graph_figure(model))


COMPONENTS = [status_panel, line_panel, history_panel, graph_panel]


@solara.component
def Page():
    """The club game's SolaraViz page; every browser session gets its own model."""
    return VizPage(lambda: ClubVizModel(**default_params()), COMPONENTS, controls(), "Spheres: the club game", LAYOUT)
