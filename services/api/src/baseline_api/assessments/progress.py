"""Progress over time: an organisation's scored assessments of one framework, baseline vs latest.

Pillars are matched by id (their ids are stable across versions); a capability of an earlier
version counts as the capability of the later one that its questions are carried to by the
crosswalk (its own id, where the later version keeps it). Quick results are indicative: they are
in the series, marked, but never the baseline or the latest.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.core.auth import Principal
from framework_model import NoCrosswalkError, capability_crosswalk, load_framework

from . import repository
from .progress_to_date import progress_to_date
from .schemas import Progress, ProgressPoint
from .service import ensure_organisation, known_framework

__all__ = ["organisation_progress", "score_delta"]

_TENTH = Decimal("0.1")


async def organisation_progress(
    session: AsyncSession, principal: Principal, organisation_id: uuid.UUID, framework_id: str
) -> Progress:
    await ensure_organisation(session, principal, organisation_id)
    known_framework(framework_id, field="query.framework_id")
    rows = await repository.scored_series(session, organisation_id, framework_id)
    series = [_point(row) for row in rows]
    full = [point for point in series if not point.indicative]
    baseline, latest = (full[0], full[-1]) if full else (None, None)
    targets = rows[-1].targets if rows else None
    return Progress(
        organisation_id=organisation_id,
        framework_id=framework_id,
        baseline=baseline,
        latest=latest,
        series=series,
        deltas=_deltas(baseline.pillars, latest.pillars) if baseline and latest else {},
        capability_deltas=_capability_deltas(framework_id, baseline, latest) if baseline and latest else {},
        targets=targets,
        progress_to_date=_to_date(framework_id, baseline, latest, rows[-1]) if baseline and latest else {},
    )


def _to_date(
    framework_id: str, baseline: ProgressPoint, latest: ProgressPoint, last: Row[Any]
) -> dict[str, float | None]:
    """SAMM's progress to date, towards the targets shown (those of the last assessment scored)."""
    levels = load_framework(framework_id, last.framework_version).levels
    band_minimum = {level.level: level.min_score for level in levels}
    return progress_to_date(baseline.pillars, latest.pillars, last.targets, band_minimum)


def _point(row: Row[Any]) -> ProgressPoint:
    pillars: list[dict[str, Any]] = row.pillars or []
    return ProgressPoint(
        assessment_id=row.id,
        framework_version=row.framework_version,
        profile=row.profile,
        indicative=row.profile == "quick",
        scored_at=row.scored_at,
        overall=row.overall,
        pillars={pillar["pillar_id"]: pillar["score"] for pillar in pillars},
        capabilities={c["capability_id"]: c["score"] for pillar in pillars for c in pillar["capabilities"]},
    )


def _capability_deltas(framework_id: str, baseline: ProgressPoint, latest: ProgressPoint) -> dict[str, float]:
    """Capability deltas, the baseline's capabilities named as the latest version's."""
    before = load_framework(framework_id, baseline.framework_version)
    after = load_framework(framework_id, latest.framework_version)
    try:
        heirs = capability_crosswalk(before, after)
    except NoCrosswalkError:  # a later baseline than latest cannot happen; ids are the best guess
        heirs = {capability_id: capability_id for capability_id in baseline.capabilities}
    carried: dict[str, float | None] = {}
    for capability_id, score in baseline.capabilities.items():
        heir = heirs.get(capability_id)
        if heir is not None and heir not in carried:
            carried[heir] = score
    return _deltas(carried, latest.capabilities)


def _deltas(baseline: Mapping[str, float | None], latest: Mapping[str, float | None]) -> dict[str, float]:
    """Differences computed in decimal, so 45.6 - 40.1 is 5.5 and not 5.499999999999993."""
    deltas = {key: score_delta(score, baseline.get(key)) for key, score in latest.items()}
    return {key: delta for key, delta in deltas.items() if delta is not None}


def score_delta(later: float | None, earlier: float | None) -> float | None:
    """``later - earlier`` to one decimal place, computed in decimal; None unless both are scores."""
    if later is None or earlier is None:
        return None
    difference = Decimal(str(later)) - Decimal(str(earlier))
    return float(difference.quantize(_TENTH, rounding=ROUND_HALF_UP))
