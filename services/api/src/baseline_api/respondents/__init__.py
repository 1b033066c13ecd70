"""Respondents: people who answer an assessment independently, and how far they agree."""
