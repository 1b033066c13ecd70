"""Rounding and maturity bands: how a score becomes a reported number and a level."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from framework_model.models import Level

__all__ = ["band_min", "band_name", "capped", "level_for", "round_half_up"]


def round_half_up(value: float, places: int) -> float:
    """Round as a reader checking by hand would (``58.25 -> 58.3``), never banker's rounding.

    The float's shortest repr is rounded, so ``1.45`` reads as 1.5 although its binary value is
    a hair below.
    """
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def level_for(bands: Sequence[Level], score: float) -> int:
    """The highest band whose minimum the (rounded) score reaches; `bands` ascend by level.

    A score below every band sits in the lowest one: levels are ordinal, never missing.
    """
    for band in reversed(bands):
        if band.min_score <= score:
            return band.level
    return bands[0].level


def band_min(bands: Sequence[Level], level: int) -> float:
    """The minimum score of a level's band (a level the framework lacks: the nearest below)."""
    below = [band for band in bands if band.level <= level]
    return (below[-1] if below else bands[0]).min_score


def band_name(bands: Sequence[Level], level: int) -> str:
    """The name of a level, such as ``Established``."""
    return next((band.name for band in bands if band.level == level), f"Level {level}")


def capped(level: int | None, is_capped: bool, cap_level: int) -> int | None:
    """A level held at most at `cap_level` when a critical answer caps it."""
    if level is None or not is_capped:
        return level
    return min(level, cap_level)
