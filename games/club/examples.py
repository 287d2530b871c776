"""Named worlds of the paper (and a random one), shared by scenarios, the CLI and the visual server."""

from __future__ import annotations

import numpy as np

from games.club.core import World
from games.validation import SpheresInputError, check_scalar


def figure3() -> World:
    """Figure 3: non-superpowers at 1/4, 1/2, 3/4; a at 0, b at 1; g = 0.5; all endowments 1."""
    return World.on_line([0.25, 0.5, 0.75], 0.5, 0.5, locations=[0.0, 0.25, 0.5, 0.75, 1.0], names=("1", "2", "3"))


def figure2() -> World:
    """Figure 2 (a's first-mover advantage), with the locations we inferred.

    The paper gives only footnote 16: g_1a = g_2a = g_3b = g_4b = 0.5,
    g_1b = g_2b = g_3a = g_4a = 0.7 and m_i = 1. We searched symmetric placements on
    grids L = {0, 1/m, ..., 1} for one where every sentence of the text holds at a
    mirror-image pair (l_a, l_b) = (x, 1 - x): all four join a in stage one; the
    stage-two core holds both "all in a" and "all in b"; 3 and 4 gain in b only if 1 and
    2 come too; 1 and 2 are better off in a; all four stay with a. The simplest is
    countries 1, 2 at 1/3 and 3, 4 at 2/3 with L = {0, 1/6, ..., 1}, l_a = 1/3,
    l_b = 2/3 -- and there it is also the equilibrium path: a at 1/3 keeps all four and
    b forms no club. (Countries at 1/5, ..., 4/5 with L = {0, 1/5, ..., 1}, the first
    guess, end in a 2-2 split instead.)
    """
    return World.on_line(
        [1 / 3, 1 / 3, 2 / 3, 2 / 3], [0.5, 0.5, 0.7, 0.7], [0.7, 0.7, 0.5, 0.5],
        locations=np.arange(7) / 6, names=("1", "2", "3", "4"),
    )


def section3(n: int = 31, g_a: float = 0.1, g_b: float | None = None) -> World:
    """Section 3's line with n - 1 evenly spaced countries and common dependencies."""
    return World.symmetric(n, g_a, g_b)


def random_world(n_countries: int = 20, n_locations: int = 51, seed: int = 0) -> World:
    """A random world on [0, 1] (positions, g, endowments drawn from ``seed``)."""
    if n_countries < 1:
        raise SpheresInputError(f"n_countries = {n_countries} must be >= 1")
    if n_locations < 1:
        raise SpheresInputError(f"n_locations = {n_locations} must be >= 1")
    rng = np.random.default_rng(seed)
    return World.on_line(
        np.sort(rng.random(n_countries)), rng.uniform(0, 0.4, n_countries), rng.uniform(0, 0.4, n_countries),
        rng.lognormal(0, 1, n_countries), omega_a=float(rng.lognormal(1, 0.5)), omega_b=float(rng.lognormal(1, 0.5)),
        home_a=0.2, home_b=0.8, locations=np.linspace(0, 1, n_locations),
    )


def poles(n: int = 30, g_a: float = 0.2) -> World:
    """Three superpowers on the symmetric circle (games.club.many_poles): n points, every dependency g_a."""
    from games.club.many_poles import symmetric_poles

    return symmetric_poles(n, g_a, 3)


WORLDS = {"figure3": figure3, "figure2": figure2, "section3": section3, "random": random_world, "poles": poles}


def world_by_name(name: str, **params) -> World:
    """A named world; ``params`` go to its builder (e.g. n, g_a, g_b for ``section3``)."""
    if name not in WORLDS:
        raise SpheresInputError(f"world = {name!r} is not one of: {', '.join(WORLDS)}")
    for key in ("g_a", "g_b"):
        if params.get(key) is not None:
            check_scalar(key, params[key], low=0.0, high=1.0)
    return WORLDS[name](**params)
