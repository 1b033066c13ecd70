"""Semantic version strings, ordered as numbers (``1.10.0`` comes after ``1.9.0``)."""

from __future__ import annotations

import re

__all__ = ["is_version", "version_key"]

_VERSION = re.compile(r"([0-9]+)\.([0-9]+)\.([0-9]+)")


def is_version(text: str) -> bool:
    """Whether ``text`` is a plain ``MAJOR.MINOR.PATCH`` version."""
    return _VERSION.fullmatch(text) is not None


def version_key(version: str) -> tuple[int, int, int]:
    """Sort key of a ``MAJOR.MINOR.PATCH`` version; raises ``ValueError`` on anything else."""
    match = _VERSION.fullmatch(version)
    if match is None:
        raise ValueError(f"not a MAJOR.MINOR.PATCH version: {version!r}")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch
