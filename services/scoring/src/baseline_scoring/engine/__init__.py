"""The scoring engine: pure functions from a framework version, answers and targets to a result.

Usage::

    result = score_assessment(framework, answers, content_hash=digest, targets={"ways-of-working": 3})
    result.model_dump_json()  # byte-identical for the same input
"""

from __future__ import annotations

from .agreement import Vote, agreement, votes
from .agreement_result import AgreementResult, PillarAgreement, QuestionAgreement
from .assessment import ENGINE_VERSION, ResultDocument, score_assessment, score_document
from .result import CapabilityResult, OverallResult, PillarResult, RecommendationResult, ScoreResult

__all__ = [
    "ENGINE_VERSION",
    "AgreementResult",
    "CapabilityResult",
    "OverallResult",
    "PillarAgreement",
    "PillarResult",
    "QuestionAgreement",
    "RecommendationResult",
    "ResultDocument",
    "ScoreResult",
    "Vote",
    "agreement",
    "score_assessment",
    "score_document",
    "votes",
]
