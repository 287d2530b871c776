"""Mesa's own ``batch_run`` over ``ClubModel``, for users who want it.

``python examples/experiments/mesa_batch_run.py`` prints one row per game.

Two things to know about ``mesa.batch_run``:

- With ``number_processes`` other than 1 it starts worker processes. Where they are
  *spawned* (macOS, Windows, and Linux from Python 3.14 on), each worker imports this file
  again; without the ``if __name__ == "__main__":`` guard below, every worker would start a
  batch run of its own, and the run hangs or fails. Keep the call under the guard.
- It returns one row per agent and per collected step (the agents' reporters are collected
  too). ``data_collection_period=-1`` collects only the last step; one row per game is then
  one row per ``RunId``.

``run.py experiment`` runs the same sweep through the solver instead of stepping Mesa models
(``examples/experiments/club_batch.toml``), batched, resumable and on a cluster if wanted.
"""

from __future__ import annotations

import pandas as pd
from mesa import batch_run

from model import ClubModel

COLUMNS = ["RunId", "g_a", "rule_a", "location_a", "location_b", "size_a", "size_b", "payoff_a", "payoff_b"]


def club_batch(processes: int = 2) -> pd.DataFrame:
    """Section 3 (n = 11) at three values of g for two rules of a: one row per game."""
    rows = batch_run(
        ClubModel,
        parameters={"world_name": "section3", "n": 11, "g_a": [0.1, 0.2, 0.3], "rule_a": ["equilibrium", "myopic"]},
        number_processes=processes, max_steps=1000, data_collection_period=-1, display_progress=False, rng=[0],
    )
    return pd.DataFrame(rows).drop_duplicates("RunId")[COLUMNS].sort_values("RunId").reset_index(drop=True)


if __name__ == "__main__":
    print(club_batch().to_string(index=False))
