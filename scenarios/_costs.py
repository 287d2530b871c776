"""What each size option costs, estimated before anything is allocated: the basis of the limits.

Every size a command takes (``--n``, ``--points``, ``--episodes``, ...) is checked with
``games.validation.check_size`` against these estimates, so the allowed range is derived
from this machine's memory (half of it) and a time limit (one day), and an impossible run
stops at once with one line instead of dying on an allocation hours later.

The constants were measured on the reference machine (2 shared cores, Python 3.12, numpy
2.5) with ``tracemalloc`` and ``time.perf_counter``. Memory is estimated generously (more
than measured), time optimistically (about half of what was measured), so that a run
which is refused could not have finished, and no run that fits is refused.
"""

from __future__ import annotations

FLOAT = 8

# --------------------------------------------------------------------------- the club game
CLUB_ARRAYS = 16
"""float64 arrays of n_countries x n_locations alive at once when solving (12 measured:
the world's distances and benefits, the batched processes' temporaries)."""
CLUB_AGENT_BYTES = 4096
"""One Mesa agent with its DataCollector rows and membership-graph node (ClubModel)."""


def club_bytes(n_countries: int, n_locations: int) -> float:
    """Memory to solve one club game (the world included)."""
    return CLUB_ARRAYS * FLOAT * n_countries * n_locations


def club_solve_seconds(n_countries: int, n_locations: int) -> float:
    """Time of ``games.club.solve`` on one world (16 ms at n = 31, 1.2 s at n = 2001 measured)."""
    return 2e-3 + 1.5e-7 * n_countries * n_locations


def club_model_seconds(n_countries: int, n_locations: int) -> float:
    """Time to play one ``ClubModel`` to the end (1.5 s at n = 1001, 5.7 s at n = 2001 measured)."""
    return 5e-3 + 7e-7 * n_countries * n_locations


def section3_size(n: int) -> tuple[int, int]:
    """(countries, locations) of Section 3's world: n - 1 countries, the grid {0, 1/n, ..., 1}."""
    return n - 1, n + 1


def section3_bytes(n: int) -> float:
    return club_bytes(*section3_size(n))


def section3_solve_seconds(n: int) -> float:
    return club_solve_seconds(*section3_size(n))


def section3_model_bytes(n: int) -> float:
    countries, _ = section3_size(n)
    return section3_bytes(n) + CLUB_AGENT_BYTES * countries


def section3_model_seconds(n: int) -> float:
    return club_model_seconds(*section3_size(n))


PROPOSITION_SOLVES = 650
"""Solves behind one n of Propositions 1-2: 9 thresholds, ~34 bisection steps, up to 2 solves each."""
CELL_BYTES = 100
"""One cell of a sweep's output (numpy arrays, then a row of a pandas table and its CSV)."""
BATCH_ROW_BYTES = 2000
"""One row of ``mesa.batch_run``'s output (one per agent and game: a dict of ~20 fields)."""


# --------------------------------------------------------------------------- the alliance game
EPISODE_BYTES = 7300
"""One episode of ``AllianceModel``: its ~5.6 steps' DataCollector rows and path (7.1 KB measured)."""
EPISODE_SECONDS = 5e-5
"""One episode (0.1 ms measured)."""
STEP_BYTES = 1300
STEP_PRINT_SECONDS = 1e-4
"""One traced (printed) stage event."""


def alliance_solve_seconds(n_demands: int, n_offers: int = 100) -> float:
    """The exact PBE search (1 s at 100 demands x 100 offers, 7 s at 150 x 100 measured)."""
    return 1e-3 + 1e-6 * n_demands**3 * n_offers / 100


EFG_NODE_BYTES = 300
"""One node of a Gambit .efg file while it is written (90 bytes of text on disk)."""
EFG_NODE_SECONDS = 5e-6
"""One node written (9 us measured)."""


def efg_nodes(n_demands: int, n_offers: int) -> int:
    """Nodes of the .efg tree (the named demands and offers added to the grids: at most 3 each)."""
    from games.alliance.efg import expected_counts

    return sum(expected_counts(n_demands + 3, n_offers + 3).values())


# --------------------------------------------------------------------------- the US-China game
US_CHINA_COUNTRIES, US_CHINA_LOCATIONS = 170, 501
"""An upper bound on the countries of one year's game, and the grid {x/500}."""


def us_china_solve_seconds() -> float:
    return club_solve_seconds(US_CHINA_COUNTRIES, US_CHINA_LOCATIONS)
