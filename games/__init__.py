"""The pure game theory of Spheres: payoffs, coalition processes and equilibrium search.

Plain functions over numpy arrays. Nothing in this package imports Mesa: the agents in
``agents/`` and the models in ``model.py`` enact what is defined here, and the solvers
here anticipate it, so each rule of each game lives in exactly one place.
"""
