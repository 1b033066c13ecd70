"""Inputs shared by the benchmarks: a complete, varied assessment of a real framework version."""

from __future__ import annotations

from typing import Any

from framework_model import Answer, Framework, load_framework

FRAMEWORK_ID = "nhs-digital-readiness"
VERSION = "1.0.0"  # 54 questions: the body of the issues' figures
LATEST = "2.0.0"


def framework(version: str = VERSION) -> Framework:
    return load_framework(FRAMEWORK_ID, version)


def complete_answers(fw: Framework) -> list[Answer]:
    """Every question answered, options spread across levels so caps and recommendations occur."""
    questions = [q for p in fw.pillars for c in p.capabilities for q in c.questions]
    return [
        Answer(question_id=q.question_id, value=q.options[i % len(q.options)].option_id)
        for i, q in enumerate(questions)
    ]


def score_body(fw: Framework) -> dict[str, Any]:
    return {
        "framework_id": fw.framework_id,
        "framework_version": fw.version,
        "responses": [a.model_dump(mode="json") for a in complete_answers(fw)],
        "targets": {p.pillar_id: 4 for p in fw.pillars},
    }
