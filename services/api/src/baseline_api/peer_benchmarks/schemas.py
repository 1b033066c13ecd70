"""Response body of the peer benchmarks domain: aggregates only, no organisation in sight."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from baseline_api.organisations.schemas import Kind

__all__ = ["Benchmark", "BenchmarkCohort", "BenchmarkFilters", "PillarDistribution", "ScoreDistribution"]

_FIGURE = "Rounded to a whole number (halves away from zero); null when suppressed."

_EXAMPLE: JsonDict = {
    "framework_id": "nhs-digital-readiness",
    "framework_version": "1.1.0",
    "filters": {"kind": "trust", "region": None},
    "cohort": {"n": 6, "suppressed": False, "min_n": 5},
    "overall": {"n": 6, "suppressed": False, "p25": 41, "median": 52, "p75": 61, "mean": None},
    "pillars": [
        {
            "pillar_id": "ways-of-working",
            "title": "Ways of working",
            "n": 6,
            "suppressed": False,
            "p25": 23,
            "median": 35,
            "p75": 48,
            "mean": None,
        },
        {
            "pillar_id": "operating-model",
            "title": "Operating model",
            "n": 4,
            "suppressed": True,
            "p25": None,
            "median": None,
            "p75": None,
            "mean": None,
        },
        {
            "pillar_id": "supplier-ecosystem",
            "title": "Supplier ecosystem",
            "n": 6,
            "suppressed": False,
            "p25": 36,
            "median": 56,
            "p75": 76,
            "mean": None,
        },
    ],
}


class BenchmarkFilters(BaseModel):
    """The cohort filters applied, echoed back."""

    kind: Kind | None = Field(description="Only organisations of this kind; null: every kind.")
    region: str | None = Field(description="Only organisations in this region; null: every region.")


class BenchmarkCohort(BaseModel):
    n: int = Field(ge=0, description="Organisations with a scored assessment of this framework version.")
    suppressed: bool = Field(description="True when `n` is under `min_n`: then no figure is given at all.")
    min_n: int = Field(
        description="The smallest group any figure is computed over (k-anonymity): 5, or 10 when the "
        "cohort is filtered on both `kind` and `region`."
    )


class ScoreDistribution(BaseModel):
    """Quartiles (linear interpolation) of one score over the cohort's organisations; no mean."""

    n: int = Field(ge=0, description="Organisations with a score here (a null score is not counted).")
    suppressed: bool = Field(description="True when `n` is under the cohort's `min_n`; the figures are null.")
    p25: int | None = Field(description=f"First quartile. {_FIGURE}")
    median: int | None = Field(description=f"Median. {_FIGURE}")
    p75: int | None = Field(description=f"Third quartile. {_FIGURE}")
    mean: None = Field(
        default=None,
        description="Always null: a mean lets two overlapping cohorts give away the organisation between "
        "them. Kept for clients written against earlier versions.",
    )


class PillarDistribution(ScoreDistribution):
    pillar_id: str = Field(examples=["ways-of-working"])
    title: str = Field(description="The pillar's title in this framework version.")


class Benchmark(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    framework_id: str = Field(examples=["nhs-digital-readiness"])
    framework_version: str = Field(examples=["1.1.0"])
    filters: BenchmarkFilters
    cohort: BenchmarkCohort
    overall: ScoreDistribution | None = Field(
        description="The overall score; null when the cohort is suppressed."
    )
    pillars: list[PillarDistribution] = Field(
        description="One entry per pillar, in the framework's order; empty when the cohort is suppressed."
    )
