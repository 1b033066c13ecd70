"""Issue 3, engine: median time to score a complete 1.0.0 assessment in-process."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from baseline_scoring.engine import score_assessment
from baseline_scoring.http.schemas import ScoreRequest
from benchmarks.fixtures import complete_answers, framework, score_body
from benchmarks.table import Row
from framework_model import content_hash

__all__ = ["engine_rows"]


def _median_ms(work: Callable[[], object], repeats: int = 2000) -> float:
    for _ in range(100):
        work()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def engine_rows() -> list[Row]:
    fw = framework()
    answers, digest, body = complete_answers(fw), content_hash(fw), score_body(fw)
    scoring = _median_ms(lambda: score_assessment(fw, answers, content_hash=digest))
    parsing = _median_ms(lambda: ScoreRequest.model_validate(body))
    return [
        Row(
            figure=f"engine: score {len(answers)} answers (median)",
            value=scoring,
            unit="ms",
            baseline_name="parse the same request",
            baseline=parsing,
            goal="< 1 ms",
            met=scoring < 1.0,
        )
    ]
