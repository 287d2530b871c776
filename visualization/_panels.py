"""Pieces shared by the two SolaraViz apps: text panels, error display, the page wrapper."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import solara
from mesa.visualization import SolaraViz

from games.validation import SpheresInputError

ERROR_STYLE = "color: #b00020; border: 1px solid #b00020; border-radius: 4px; padding: 6px; margin-bottom: 6px;"
STATUS_STYLE = "font-size: 14px; line-height: 1.45; padding: 4px 8px; overflow: auto; height: 100%;"


def parse_seed(name: str, text) -> int | None:
    """A seed typed in an ``InputText`` control as an int; empty means a fresh random seed."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        return int(text)
    except (TypeError, ValueError):
        raise SpheresInputError(f"{name} = {text!r} must be a whole number (or empty for a random one)") from None


def esc(value) -> str:
    """``value`` as text safe inside HTML."""
    return html.escape(str(value), quote=True)


def item(testid: str, label: str, text: str) -> str:
    """One ``<li>`` with a bold label; ``data-testid`` lets the browser test find it."""
    return f'<li data-testid="{esc(testid)}"><b>{esc(label)}</b>: {text}</li>'


def value(testid: str, text) -> str:
    """A value the browser test reads (``<span data-testid=...>``)."""
    return f'<span data-testid="{esc(testid)}">{esc(text)}</span>'


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
             "<ul>", *items, "</ul>",
             f'<p style="margin: 8px 0 2px 0"><b>{esc(log_title)}</b></p>']
    if log:
        parts += ['<ol data-testid="event-log">', *[f"<li>{esc(line)}</li>" for line in log], "</ol>"]
    elif empty_log:
        parts.append(f'<p data-testid="event-log">{esc(empty_log)}</p>')
    return "\n".join(parts)


def status_element(content: str):
    """The panel element (plain HTML: no Markdown, which would fetch a JavaScript library)."""
    return solara.HTML(tag="div", unsafe_innerHTML=content, style=STATUS_STYLE, attributes={"data-testid": "status"})


@solara.component
def VizPage(make_model: Callable, components: list, model_params: dict, name: str):
    """SolaraViz on a fresh model for this browser session (two tabs never share a model).

    ``make_model`` builds the initial model, once per session; Mesa's Reset builds the
    next ones from the controls.
    """
    model = solara.use_memo(make_model, [])
    return SolaraViz(model, components=components, model_params=model_params, name=name)
