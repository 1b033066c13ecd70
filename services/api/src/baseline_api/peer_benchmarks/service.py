"""The benchmark rules: which framework version, k-anonymity, and no figure that differencing
can turn back into one organisation's score.

No figure is ever computed over fewer than ``min_cohort`` organisations: 5 for a cohort filtered
on at most one dimension, 10 for one filtered on both kind and region (the narrower the filters,
the likelier two overlapping cohorts differ by one organisation). A cohort under it gives its
size and nothing else, and so does any single pillar (or the overall score) that fewer
organisations have a score for. No mean is ever published: two cohorts' means and sizes give
away the one organisation between them exactly. The quartiles are whole numbers, so a small
shift between overlapping cohorts hides in the rounding. Nothing is cached.
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

__all__ = ["MIN_COHORT", "MIN_COHORT_TWO_DIMENSIONS", "benchmark", "benchmarked_framework", "min_cohort"]

MIN_COHORT = 5
MIN_COHORT_TWO_DIMENSIONS = 10
_FIGURES = ("p25", "median", "p75")


def min_cohort(kind: Kind | None, region: str | None) -> int:
    """The smallest group any figure may be computed over, for these filters."""
    return MIN_COHORT_TWO_DIMENSIONS if kind is not None and region is not None else MIN_COHORT


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
    min_n = min_cohort(kind, region)
    suppressed = cohort_n < min_n
    return Benchmark(
        framework_id=framework.framework_id,
        framework_version=framework.version,
        filters=BenchmarkFilters(kind=kind, region=region),
        cohort=BenchmarkCohort(n=cohort_n, suppressed=suppressed, min_n=min_n),
        overall=None if suppressed else ScoreDistribution(**_figures(overall, min_n)),
        pillars=[] if suppressed else _pillars(framework, rows, min_n),
    )


def _pillars(framework: Framework, rows: Sequence[Any], min_n: int) -> list[PillarDistribution]:
    """Every pillar of the framework in its order, whether or not any result scored it."""
    by_pillar = {row.pillar_id: row for row in rows if row.scope == repository.PILLAR}
    return [
        PillarDistribution(
            pillar_id=pillar.pillar_id, title=pillar.title, **_figures(by_pillar.get(pillar.pillar_id), min_n)
        )
        for pillar in framework.pillars
    ]


def _figures(row: Any, min_n: int) -> dict[str, Any]:
    """A group's size and whole-number quartiles; only its size when it is under ``min_n``."""
    n = 0 if row is None else int(row.n)
    suppressed = n < min_n
    figures = {name: None if suppressed else int(getattr(row, name)) for name in _FIGURES}
    return {"n": n, "suppressed": suppressed, **figures, "mean": None}
