"""Assessments, their responses and their stored results."""
