"""Figures (matplotlib) and the Mesa visual server (SolaraViz)."""
