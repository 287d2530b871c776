"""Data pipelines (pandas) that turn public raw files into inputs of the games in ``games/``."""
