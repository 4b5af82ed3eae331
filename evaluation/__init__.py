"""Scoring of a system's output against the gold corpus (``billfacts.evaluation``)."""
