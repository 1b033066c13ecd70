"""Progress over time: an organisation's scored assessments of one framework, baseline vs latest.

Pillars and capabilities are matched by id, so a trend survives a new framework version that
keeps them (the frameworks' crosswalks map questions, and ids of pillars are stable).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.auth import Principal

from . import repository
from .schemas import Progress, ProgressPoint
from .service import ensure_organisation, known_framework

__all__ = ["organisation_progress"]

_TENTH = Decimal("0.1")


async def organisation_progress(
    session: AsyncSession, principal: Principal, organisation_id: uuid.UUID, framework_id: str
) -> Progress:
    await ensure_organisation(session, principal, organisation_id)
    known_framework(framework_id, field="query.framework_id")
    rows = await repository.scored_series(session, organisation_id, framework_id)
    series = [_point(row) for row in rows]
    baseline, latest = (series[0], series[-1]) if series else (None, None)
    return Progress(
        organisation_id=organisation_id,
        framework_id=framework_id,
        baseline=baseline,
        latest=latest,
        series=series,
        deltas=_deltas(baseline.pillars, latest.pillars) if baseline and latest else {},
        capability_deltas=_deltas(baseline.capabilities, latest.capabilities) if baseline and latest else {},
        targets=rows[-1].targets if rows else None,
    )


def _point(row: Row[Any]) -> ProgressPoint:
    pillars: list[dict[str, Any]] = row.pillars or []
    return ProgressPoint(
        assessment_id=row.id,
        framework_version=row.framework_version,
        scored_at=row.scored_at,
        overall=row.overall,
        pillars={pillar["pillar_id"]: pillar["score"] for pillar in pillars},
        capabilities={c["capability_id"]: c["score"] for pillar in pillars for c in pillar["capabilities"]},
    )


def _deltas(baseline: Mapping[str, float | None], latest: Mapping[str, float | None]) -> dict[str, float]:
    """Differences computed in decimal, so 45.6 - 40.1 is 5.5 and not 5.499999999999993."""
    both = [key for key, score in latest.items() if score is not None and baseline.get(key) is not None]
    return {key: _minus(latest[key], baseline[key]) for key in both}


def _minus(later: float | None, earlier: float | None) -> float:
    difference = Decimal(str(later)) - Decimal(str(earlier))
    return float(difference.quantize(_TENTH, rounding=ROUND_HALF_UP))
