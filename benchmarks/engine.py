"""Issues 3 and 15, engine: median time to score a complete assessment of the latest version
(2.0.0) in process, as the scoring service does for each request: the result as a document,
ready to serialise (``score_document``). Beside it, for context: the same result built and
validated as pydantic models (``score_assessment``, for callers in Python), and parsing the
request."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from baseline_scoring.engine import score_assessment, score_document
from baseline_scoring.http.schemas import ScoreRequest
from benchmarks.fixtures import LATEST, complete_answers, framework, score_body
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
    fw = framework(LATEST)
    answers, digest, body = complete_answers(fw), content_hash(fw), score_body(fw)
    scoring = _median_ms(lambda: score_document(fw, answers, content_hash=digest))
    modelled = _median_ms(lambda: score_assessment(fw, answers, content_hash=digest))
    parsing = _median_ms(lambda: ScoreRequest.model_validate(body))
    figure = f"engine: score {fw.version}, {len(answers)} answers (median)"
    return [
        Row(figure, scoring, "ms", "parse the same request", parsing, "<= 0.1 ms", scoring <= 0.1),
        Row(f"{figure}, as pydantic models", modelled, "ms", "the engine's document", scoring),
    ]
