"""The benchmark query: each organisation's latest scored result, spread per pillar, in one statement.

``latest`` keeps one assessment per organisation (``DISTINCT ON``: the newest ``scored_at``, then
the highest id) and reads its result. The overall score and every pillar score
(``jsonb_array_elements`` over ``result -> 'pillars'``) are then grouped and summarised with
``percentile_cont`` (linear interpolation), rounded to whole numbers in ``numeric`` so halves
round away from zero. No mean is computed at all, and no organisation column leaves the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    CTE,
    Float,
    Numeric,
    Row,
    String,
    Subquery,
    cast,
    column,
    func,
    literal,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import JSONB, distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from baseline_api.assessments.models import Assessment, AssessmentResult, is_scored
from baseline_api.organisations.models import Organisation

__all__ = ["OVERALL", "PILLAR", "score_summaries"]

OVERALL, PILLAR = "overall", "pillar"


def _latest_results(framework_id: str, framework_version: str, kind: str | None, region: str | None) -> CTE:
    """The parts of each cohort organisation's latest result the figures need: ``overall``, ``pillars``."""
    latest = (
        select(Assessment.id)
        .join(Organisation, Organisation.id == Assessment.organisation_id)
        .where(
            is_scored(),  # as the latest-scored index's predicate
            Assessment.profile == "full",  # quick results are indicative: never in a benchmark
            Assessment.framework_id == framework_id,
            Assessment.framework_version == framework_version,
        )
        .ext(distinct_on(Assessment.organisation_id))
        .order_by(Assessment.organisation_id, Assessment.scored_at.desc(), Assessment.id.desc())
    )
    if kind is not None:
        latest = latest.where(Organisation.kind == kind)
    if region is not None:
        latest = latest.where(Organisation.region == region)
    # Only the winners' results are read, and only the parts needed (recommendations can be large).
    winners = latest.subquery("latest_assessments")
    return (
        select(
            AssessmentResult.result["overall"]["score"].astext.label("overall"),
            AssessmentResult.result["pillars"].label("pillars"),
        )
        .join(winners, winners.c.id == AssessmentResult.assessment_id)
        .cte("latest")
    )


def _scores(latest: CTE) -> Subquery:
    """One row per (organisation, overall or pillar): ``scope``, ``pillar_id``, ``score`` (may be null)."""
    elements = func.jsonb_array_elements(latest.c.pillars).table_valued(column("value", JSONB))
    pillar = elements.render_derived().lateral("pillar")
    overall = select(
        literal(OVERALL).label("scope"),
        cast(null(), String).label("pillar_id"),
        cast(latest.c.overall, Numeric).label("score"),
    )
    pillars = select(
        literal(PILLAR),
        pillar.c.value["pillar_id"].astext,
        cast(pillar.c.value["score"].astext, Numeric),
    ).select_from(latest.join(pillar, true()))
    return union_all(overall, pillars).subquery("scores")


def _rounded(figure: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.round(cast(figure, Numeric), 0)


async def score_summaries(
    session: AsyncSession,
    *,
    framework_id: str,
    framework_version: str,
    kind: str | None,
    region: str | None,
) -> Sequence[Row[Any]]:
    """Rows of ``scope`` (``overall`` or ``pillar``), ``pillar_id``, ``rows`` (organisations in the
    group; for ``overall``, the cohort size), ``n`` (non-null scores), ``p25``, ``median``, ``p75``
    (whole ``Decimal``s, or None). No rows at all means an empty cohort."""
    scores = _scores(_latest_results(framework_id, framework_version, kind, region))
    score = scores.c.score

    def quantile(fraction: float) -> ColumnElement[Any]:
        return _rounded(func.percentile_cont(fraction).within_group(cast(score, Float)))

    query = select(
        scores.c.scope,
        scores.c.pillar_id,
        func.count().label("rows"),
        func.count(score).label("n"),
        quantile(0.25).label("p25"),
        quantile(0.5).label("median"),
        quantile(0.75).label("p75"),
    ).group_by(scores.c.scope, scores.c.pillar_id)
    return (await session.execute(query)).all()
