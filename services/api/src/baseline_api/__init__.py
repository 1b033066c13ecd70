"""Baseline's API gateway: organisations, assessments, responses and results over HTTP."""

__version__ = "0.1.0"
