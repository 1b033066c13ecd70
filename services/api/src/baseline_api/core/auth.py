"""Moved to :mod:`baseline_api.auth`; this re-export keeps the webhooks package (being changed
on another branch) importing until it imports from ``baseline_api.auth`` itself. Delete it then:
core must not depend on a package above it."""

from baseline_api.auth import AdminPrincipal, Principal

__all__ = ["AdminPrincipal", "Principal"]
