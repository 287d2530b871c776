"""Alliance rules written as a user would, through the public interface only (shared by the alliance tests)."""

from __future__ import annotations

from fractions import Fraction

from games.alliance import EQUILIBRIUM, PatronRule, ProtegeRule


class FightsBelowHalf(ProtegeRule):
    """Fights every offer of C below 1/2."""

    name = "test-fights-below-half"

    def respond_offer(self, game, committed, history, offer):
        return False if offer < Fraction(1, 2) else EQUILIBRIUM


class FairWeather(PatronRule):
    """Never intervenes once it has left the alliance."""

    name = "test-fair-weather"

    def intervene(self, game, committed, history, offer):
        return EQUILIBRIUM if history.intact else False
