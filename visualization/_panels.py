"""Pieces shared by the two SolaraViz apps: the page, its panel layout, text panels, errors.

The page is Mesa's ``SolaraViz`` (the sidebar: Reset, play, Step, the model's controls);
the panels below it are laid out here, in rows of a CSS grid whose columns take fixed
shares of the width, so that no panel ever covers another whatever the window size (Mesa's
own draggable grid gives every panel one fixed height, and a taller figure spills over
the panel below). Every figure is scaled to the width of its panel. The sliders show
their values at all times, so that a screenshot records the parameters of the run.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from games.validation import SpheresInputError, check_seed

ERROR_STYLE = "color: #b00020; border: 1px solid #b00020; border-radius: 4px; padding: 6px; margin-bottom: 6px;"
STATUS_STYLE = "font-size: 14px; line-height: 1.45; padding: 4px 8px;"
NARROW = 1100
"""Below this page width (pixels) the panels stack in one column."""

CSS = f"""
.spheres-panels {{ display: flex; flex-direction: column; gap: 12px; padding: 12px; }}
.spheres-row {{ display: grid; gap: 12px; align-items: start; }}
.spheres-panel {{ min-width: 0; overflow: hidden; background: white; border: 1px solid #dcdcdc; border-radius: 4px;
                  padding: 6px; }}
.spheres-panel img {{ display: block; max-width: 100%; height: auto; margin: 0 auto; }}
@media (max-width: {NARROW}px) {{ .spheres-row {{ grid-template-columns: minmax(0, 1fr) !important; }} }}
.v-slider__thumb-label-container {{ display: block !important; }}
.v-input__slider {{ margin-top: 22px; }}
"""
"""The panel grid, and the sliders' value labels shown at all times (Vuetify shows them only while dragging)."""


def parse_seed(name: str, text) -> int | None:
    """A seed typed in an ``InputText`` control: a whole number in [0, 2**63 - 1]; empty means a
    fresh random seed. Anything else raises ``SpheresInputError`` naming ``name``."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = int(str(text).strip())
    except ValueError:
        raise SpheresInputError(f"{name} = {text!r} must be a whole number in [0, {2**63 - 1}] "
                                "(or empty for a random one)") from None
    return check_seed(name, value)


def esc(value) -> str:
    """``value`` as text safe inside HTML."""
    return html.escape(str(value), quote=True)


def item(testid: str, label: str, text: str) -> str:
    """One ``<li>`` with a bold label; ``data-testid`` lets the browser test find it."""
    return f'<li data-testid="{esc(testid)}"><b>{esc(label)}</b>: {text}</li>'


def value(testid: str, text) -> str:
    """A value the browser test reads (``<span data-testid=...>``)."""
    return f'<span data-testid="{esc(testid)}">{esc(text)}</span>'


def parameters_item(values: dict) -> str:
    """Every parameter of the model in play, ``name value`` (the ``params`` item of a status panel)."""
    return item("params", "parameters", value("params-value", ", ".join(f"{k} {v}" for k, v in values.items())))


def status_html(title: str, items: Sequence[str], log_title: str, log: Sequence[str], empty_log: str = "",
                error: str | None = None) -> str:
    """A status panel: a heading, a list of items, and a numbered event log.

    ``error`` (why the last Reset could not use the parameters) comes first, in red.
    """
    parts = []
    if error:
        parts.append(f'<div data-testid="input-error" style="{ERROR_STYLE}"><b>Bad parameters</b>: {esc(error)}. '
                     "Showing the default model instead; change the parameters and press Reset.</div>")
    parts += [f'<h3 data-testid="status-title" style="margin: 4px 0 8px 0">{esc(title)}</h3>',
              "<ul>", *items, "</ul>"]
    if log_title:
        parts.append(f'<p style="margin: 8px 0 2px 0"><b>{esc(log_title)}</b></p>')
    if log:
        parts += ['<ol data-testid="event-log">', *[f"<li>{esc(line)}</li>" for line in log], "</ol>"]
    elif empty_log:
        parts.append(f'<p data-testid="event-log">{esc(empty_log)}</p>')
    return "\n".join(parts)


def status_element(content: str):
    """The panel element (plain HTML: no Markdown, which would fetch a JavaScript library)."""
    return solara.HTML(tag="div", unsafe_innerHTML=content, style=STATUS_STYLE, attributes={"data-testid": "status"})


def figure_element(fig, dpi: int = 90):
    """A matplotlib figure as a PNG image (scaled to its panel's width by :data:`CSS`)."""
    return solara.FigureMatplotlib(fig, format="png", dpi=dpi)


@solara.component
def Panels(model, components: Sequence[Callable], layout: Sequence[Sequence[float]]):
    """The panels, redrawn after every step: row by row, each row's columns taking the shares
    given in ``layout`` (e.g. ``[(2, 3), (1, 1)]``: two rows of two panels)."""
    update_counter.get()  # Mesa bumps it after every step: redraw
    panels = iter(components)
    with solara.v.Html(tag="div", class_="spheres-panels", attributes={"data-testid": "panels"}):
        for shares in layout:
            columns = " ".join(f"minmax(0, {share}fr)" for share in shares)
            with solara.v.Html(tag="div", class_="spheres-row", style_=f"grid-template-columns: {columns}"):
                for _ in shares:
                    panel = next(panels)
                    with solara.v.Html(tag="div", class_="spheres-panel",
                                       attributes={"data-testid": f"panel-{panel.__name__.removesuffix('_panel')}"}):
                        panel(model)


@solara.component
def VizPage(make_model: Callable, components: Sequence[Callable], model_params: dict, name: str,
            layout: Sequence[Sequence[float]] | None = None):
    """SolaraViz (sidebar and controls) on a model of this browser session, and its panels.

    ``make_model`` builds the session's first model (two tabs never share one); Mesa's Reset
    replaces it from the controls. ``layout`` gives the rows of panels (default: two per row).
    """
    model = solara.use_reactive(solara.use_memo(make_model, []))
    layout = layout or [(1, 1)] * (len(components) // 2) + [(1,)] * (len(components) % 2)
    if sum(len(row) for row in layout) != len(components):
        raise ValueError(f"layout {layout} does not hold the {len(components)} panels")
    solara.Style(CSS)
    SolaraViz(model, components=[], model_params=model_params, name=name)
    Panels(model.value, components, layout)
