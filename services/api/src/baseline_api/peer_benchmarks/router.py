"""``/v1/benchmarks``: how peers' latest scores spread, with k-anonymity enforced here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from baseline_api.auth import ReadPrincipal
from baseline_api.core.db import SessionDep
from baseline_api.core.responses import problem_responses
from baseline_api.organisations.schemas import Kind
from baseline_api.peer_benchmarks import service
from baseline_api.peer_benchmarks.schemas import Benchmark

__all__ = ["router"]

router = APIRouter(prefix="/v1/benchmarks", tags=["benchmarks"])

FrameworkId = Annotated[
    str, Query(min_length=1, max_length=64, description="The framework.", examples=["nhs-digital-readiness"])
]
FrameworkVersion = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=32,
        description="The framework version; defaults to the latest published one.",
        examples=["1.1.0"],
    ),
]
KindFilter = Annotated[Kind | None, Query(description="Only organisations of this kind.")]
RegionFilter = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        description="Only organisations in this region (exact match).",
        examples=["Midlands"],
    ),
]

DESCRIPTION = f"""\
Quartiles (linear interpolation) and median of the overall score and of each pillar's score,
over the cohort: every organisation (optionally only of one `kind` and `region`) with a scored
assessment of this framework version. Each organisation counts once, with its latest scored
assessment (by `scored_at`). Scores are compared only within one framework version. Figures are
whole numbers.

**k-anonymity.** No figure is computed over fewer than {service.MIN_COHORT} organisations, or
{service.MIN_COHORT_TWO_DIMENSIONS} when the cohort is filtered on both `kind` and `region` (`cohort.min_n`
says which applies). A smaller cohort answers `cohort.suppressed: true`, `overall: null` and
`pillars: []`; a pillar (or the overall score) that fewer organisations have a score for keeps its
`n` but its figures are null and its `suppressed` is true.

**Differencing.** Two overlapping cohorts that differ by one organisation would give that
organisation's score away through their means, so no mean is published (`mean` is always null)
and the quartiles are rounded to whole numbers.

**Reach.** A benchmark is aggregated over *all* organisations, including those a token limited to
some organisations cannot see: that is the point of a peer comparison. It is only ever an
aggregate: no organisation is named, identified or counted individually in the response.
"""


@router.get(
    "",
    summary="Benchmark scores against peer organisations (k-anonymous).",
    description=DESCRIPTION,
    responses=problem_responses(
        {
            403: "The token lacks the `read` scope.",
            422: "`framework_id` is missing or unknown, `framework_version` is unknown, or a filter is invalid; `errors` names the query field.",
        }
    ),
)
async def get_peer_benchmarks(
    _: ReadPrincipal,
    session: SessionDep,
    framework_id: FrameworkId,
    framework_version: FrameworkVersion = None,
    kind: KindFilter = None,
    region: RegionFilter = None,
) -> Benchmark:
    framework = service.benchmarked_framework(framework_id, framework_version)
    return await service.benchmark(session, framework, kind=kind, region=region)
