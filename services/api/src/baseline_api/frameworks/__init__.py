"""Frameworks: the versioned maturity frameworks the gateway serves and scores against."""
