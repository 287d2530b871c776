"""Scenario modules: one per run.py command."""
