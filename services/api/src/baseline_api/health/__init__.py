"""Readiness: is this replica able to serve?"""
