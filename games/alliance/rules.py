"""The rules of the alliance game's players: one interface per role (patron, protégé, challenger).

Interim: the base classes only; the built-in rules still live in ``agents.alliance``.
"""

from __future__ import annotations

from games import registry


class PatronRule:
    """How the patron A demands, withdraws and intervenes."""

    name = ""
    description = ""


class ProtegeRule:
    """How the protégé T answers a demand and the challenger's offer."""

    name = ""
    description = ""


class ChallengerRule:
    """How the challenger C forms its belief and makes its offer."""

    name = ""
    description = ""


registry.define_role("patron", PatronRule)
registry.define_role("protege", ProtegeRule)
registry.define_role("challenger", ChallengerRule)
