"""Baseline's stateless scoring service: framework rules in, scores and next steps out."""

__version__ = "0.1.0"
