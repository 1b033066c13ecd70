"""Rounding and maturity bands: how a score becomes a reported number and a level."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from math import copysign, floor

from framework_model.models import Level

__all__ = ["band_min", "band_name", "capped", "decimal_round_half_up", "level_for", "round_half_up"]


def round_half_up(value: float, places: int) -> float:
    """Round as a reader checking by hand would (``58.25 -> 58.3``), never banker's rounding.

    The float's shortest repr is rounded, so ``1.45`` reads as 1.5 although its binary value is
    a hair below.

    Decimal arithmetic costs microseconds and the engine rounds some forty times per assessment,
    so only a value that lies (nearly) halfway between two roundings goes through it. Any other
    is rounded in binary to the same result: a scaled value under ``_FAST_LIMIT`` is off by less
    than 1e-7 from its shortest repr's, far inside ``_HALF_WIDTH``, so both round the same way.
    """
    # Module constants and math's functions are read as plain names: this runs ~40 times per
    # assessment, so each global or attribute lookup it saves counts.
    scale = _SCALES.get(places)
    if scale is not None:
        scaled = value * scale
        if -1e9 < scaled < 1e9:  # _FAST_LIMIT
            whole = floor(scaled)
            fraction = scaled - whole
            if not -1e-6 <= fraction - 0.5 <= 1e-6:  # |fraction - 0.5| > _HALF_WIDTH
                # An integer over a power of ten, divided once: the float nearest the decimal,
                # as ``float(Decimal(...))`` gives; copysign keeps the sign of a rounded-off zero.
                return copysign((whole + (fraction > 0.5)) / scale, value)
    return decimal_round_half_up(value, places)


_SCALES = {places: 10.0**places for places in range(10)}
_FAST_LIMIT = 1e9
_HALF_WIDTH = 1e-6


def decimal_round_half_up(value: float, places: int) -> float:
    """``round_half_up`` by decimal arithmetic alone: its definition, kept for the halfway cases."""
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
