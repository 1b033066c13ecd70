"""The benchmark rules: which framework version, and k-anonymity.

No figure is ever computed over fewer than ``MIN_COHORT`` organisations: a cohort under it gives
its size and nothing else, and so does any single pillar (or the overall score) that fewer than
``MIN_COHORT`` organisations have a score for. Nothing is cached: every call reads the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.organisations.schemas import Kind
from baseline_service_kit import FieldError, Unprocessable
from framework_model import Framework, UnknownFrameworkError, default_catalogue, latest_published

from . import repository
from .schemas import Benchmark, BenchmarkCohort, BenchmarkFilters, PillarDistribution, ScoreDistribution

__all__ = ["MIN_COHORT", "benchmark", "benchmarked_framework"]

MIN_COHORT = 5
_FIGURES = ("p25", "median", "p75", "mean")


def benchmarked_framework(framework_id: str, version: str | None) -> Framework:
    """The version asked for, else the latest published one; a 422 naming the query field if unknown."""
    try:
        versions = default_catalogue().versions(framework_id)
    except UnknownFrameworkError:
        raise _unknown("framework_id", "no such framework") from None
    if version is None:
        try:
            return latest_published(framework_id)
        except UnknownFrameworkError:
            raise _unknown("framework_id", "the framework has no published version") from None
    for framework in versions:
        if framework.version == version:
            return framework
    known = ", ".join(framework.version for framework in versions)
    raise _unknown("framework_version", f"no such version of {framework_id}; known: {known}")


def _unknown(parameter: str, message: str) -> Unprocessable:
    detail = "Unknown framework version." if parameter == "framework_version" else "Unknown framework."
    return Unprocessable(detail, errors=[FieldError(field=f"query.{parameter}", message=message)])


async def benchmark(
    session: AsyncSession, framework: Framework, *, kind: Kind | None, region: str | None
) -> Benchmark:
    rows = await repository.score_summaries(
        session,
        framework_id=framework.framework_id,
        framework_version=framework.version,
        kind=kind,
        region=region,
    )
    overall = next((row for row in rows if row.scope == repository.OVERALL), None)
    cohort_n = 0 if overall is None else int(overall.rows)
    suppressed = cohort_n < MIN_COHORT
    return Benchmark(
        framework_id=framework.framework_id,
        framework_version=framework.version,
        filters=BenchmarkFilters(kind=kind, region=region),
        cohort=BenchmarkCohort(n=cohort_n, suppressed=suppressed, min_n=MIN_COHORT),
        overall=None if suppressed else ScoreDistribution(**_figures(overall)),
        pillars=[] if suppressed else _pillars(framework, rows),
    )


def _pillars(framework: Framework, rows: Sequence[Any]) -> list[PillarDistribution]:
    """Every pillar of the framework in its order, whether or not any result scored it."""
    by_pillar = {row.pillar_id: row for row in rows if row.scope == repository.PILLAR}
    return [
        PillarDistribution(
            pillar_id=pillar.pillar_id, title=pillar.title, **_figures(by_pillar.get(pillar.pillar_id))
        )
        for pillar in framework.pillars
    ]


def _figures(row: Any) -> dict[str, Any]:
    """A group's size and figures; only its size when it is under ``MIN_COHORT``."""
    n = 0 if row is None else int(row.n)
    suppressed = n < MIN_COHORT
    figures = {name: None if suppressed else float(getattr(row, name)) for name in _FIGURES}
    return {"n": n, "suppressed": suppressed, **figures}
