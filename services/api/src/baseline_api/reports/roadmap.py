"""The backlog as a roadmap: the steps after the next increment, in phases a team can take on.

A phase holds at most ``increment_size`` steps (the same work-in-progress limit as the next
increment), best ranked first, and a step comes only after every prerequisite that is itself on
the plan: a prerequisite outside the plan (already reached, or not recommended) holds nothing up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Step", "phases"]


@dataclass(frozen=True)
class Step:
    """A recommendation of the result, with what the report adds: its capability's title,
    ``done_when`` (framework 2.0.0 and later) and ``why``, the texts of the questions that
    triggered it."""

    rec: dict[str, Any]
    capability: str = ""
    done_when: str | None = None
    why: list[str] = field(default_factory=list)
    planned: str | None = None  # an open action on it: who, and by when

    @property
    def id(self) -> str:
        return str(self.rec["recommendation_id"])


def phases(backlog: Sequence[Step], done_first: Sequence[Step], size: int) -> list[list[Step]]:
    """``backlog`` (in rank order) in phases of at most ``size``, after ``done_first``."""
    planned = {step.id for step in backlog}
    done = {step.id for step in done_first}
    waiting = list(backlog)
    result: list[list[Step]] = []
    while waiting:
        ready = [s for s in waiting if all(d in done or d not in planned for d in s.rec["depends_on"])]
        phase = (ready or waiting)[: max(size, 1)]  # a cycle (never in a valid framework): rank order
        result.append(phase)
        done |= {step.id for step in phase}
        waiting = [step for step in waiting if step not in phase]
    return result
