"""A recommendation's priority: how much doing it next is worth, from the rule and the gap alone."""

from __future__ import annotations

from collections.abc import Mapping

from framework_model.models import Recommendation

from .levels import round_half_up

__all__ = ["EFFORT_COST", "priority"]

EFFORT_COST: Mapping[str, int] = {"S": 1, "M": 2, "L": 3}


def priority(rule: Recommendation, share: float, gap: int) -> float:
    """Gap to the pillar target x impact x the capability's share of the overall score / effort
    cost, to 3 decimal places."""
    return round_half_up(gap * rule.impact * share / EFFORT_COST[rule.effort], 3)
