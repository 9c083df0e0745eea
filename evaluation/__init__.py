"""Evaluation of the project's components on gold data (no Django needed)."""
