"""Experiments over the club and alliance games: declare once (TOML or Python), run anywhere, analyse.

::

    from experiments import ClubGame, Design, Experiment, Factor, evaluate, load, run_experiment

    exp = Experiment(ClubGame("section3", params={"n": 31}),
                     factors=(Factor("g_a", range=(0, 1), points=101), Factor("g_b", range=(0, 1), points=101)),
                     outputs=("size_a", "size_b", "regime"), name="figure5")
    table = evaluate(exp)                              # in memory, in this process
    run_experiment(exp, "out/experiments/figure5")     # streamed to Parquet, every core, resumable

Modules: :mod:`~experiments.spec` (the declaration, TOML), :mod:`~experiments.designs`,
:mod:`~experiments.games` (what each game's runs set and record), :mod:`~experiments.runner`
(local processes or Dask), :mod:`~experiments.results` (the results folder),
:mod:`~experiments.analysis` (Sobol, Morris, PRIM, plots), :mod:`~experiments.paper` (the
paper's sweep figures as experiments). See ``docs/experiments.md``.
"""

from experiments.designs import DESIGNS, Design, Factor
from experiments.games import AllianceGame, ClubGame, UsChinaGame
from experiments.results import read_manifest, read_results
from experiments.runner import evaluate, run_experiment
from experiments.spec import Experiment, load, loads

__all__ = [
    "DESIGNS", "Design", "Factor", "AllianceGame", "ClubGame", "UsChinaGame", "Experiment", "load", "loads",
    "evaluate", "run_experiment", "read_results", "read_manifest",
]
