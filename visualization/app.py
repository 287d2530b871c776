"""The Spheres visual server: ``solara run visualization/app.py`` (or ``python run.py serve``).

Which game is shown is read from the environment variable ``SPHERES_GAME`` (``club``, the
default, or ``alliance``); ``run.py serve --game ...`` sets it, and passes its ``--rules-module``
files in ``SPHERES_RULES_MODULES``, which are imported here before the pages list the rules. ``Page`` is the Solara
component that ``solara run`` serves; every browser session gets its own model.
"""

from __future__ import annotations

import os

from games.validation import SpheresInputError
from scenarios.serve import GAMES, load_rules_modules


def game_page(game: str):
    """The SolaraViz page component of ``game`` (``club`` or ``alliance``)."""
    if game == "club":
        from visualization.club_app import Page as page_component
    elif game == "alliance":
        from visualization.alliance_app import Page as page_component
    else:
        raise SpheresInputError(f"game = {game!r} is not one of: {', '.join(GAMES)} (set SPHERES_GAME)")
    return page_component


GAME = os.environ.get("SPHERES_GAME", "club").strip() or "club"
load_rules_modules()  # the user's --rules-module files, before the pages list the rules
Page = game_page(GAME)
page = Page  # the name Mesa's examples use; solara looks for Page first
