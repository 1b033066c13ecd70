"""Distance to an organisation's own target: gaps in levels, percent-to-target in score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from framework_model.models import Framework

from .levels import round_half_up

__all__ = ["gap", "percent_reached", "percent_to_target", "shortfall", "target_level"]


def target_level(framework: Framework, targets: Mapping[str, int] | None, pillar_id: str) -> int:
    """The organisation's target for a pillar, else the framework's default."""
    if targets is not None and pillar_id in targets:
        return targets[pillar_id]
    return framework.default_targets[pillar_id]


def gap(target: int, level: int | None) -> int:
    """Levels still to climb; a pillar without a level (all not applicable) has none."""
    return 0 if level is None else max(0, target - level)


def percent_to_target(scores: Sequence[tuple[float, float]]) -> float | None:
    """SAMM's ``100 x (1 - sum(shortfall) / sum(target_score))`` over (score, target score) pairs.

    Scores are unrounded; no pairs (nothing scored) gives ``None``, no target score gives 100.
    """
    if not scores:
        return None
    total = sum(target for _, target in scores)
    return percent_reached(sum(shortfall(score, target) for score, target in scores), total)


def percent_reached(missing: float, total: float) -> float:
    """``100 x (1 - missing / total)`` to one decimal place: 100 when there is no target score."""
    if total == 0:
        return 100.0
    return round_half_up(100.0 * (1.0 - missing / total), 1)


def shortfall(score: float, target: float) -> float:
    """How far an unrounded score falls short of a target score."""
    # A score whose reported (rounded) value reaches the target meets it, exactly as its level
    # does, so a met target reads 100 rather than 99.9.
    if round_half_up(score, 1) >= target:
        return 0.0
    return target - score
