"""What a report shows, built from inputs by pure functions: fields of framework 2.0.0 and of
collaboration (``done_when``, ``indicative``, agreement, respondents, approval) when present."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from baseline_api.reports.charts import CHARTS, chart_spec
from baseline_api.reports.content import build_report
from baseline_api.reports.inputs import AssessmentFacts, OrganisationFacts, ReportInputs
from baseline_api.reports.rendering import render_html
from baseline_scoring.engine.assessment import score_assessment
from framework_model import Answer, content_hash, framework_index, load_framework

NOW = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def inputs() -> ReportInputs:
    framework = load_framework("nhs-digital-readiness", "2.0.0")
    answers = [
        Answer(question_id=qid, value=ref.question.options[1].option_id)
        for qid, ref in framework_index(framework).questions.items()
    ]
    scored = score_assessment(framework, answers, content_hash=content_hash(framework))
    assessment_id = uuid.uuid4()
    return ReportInputs(
        organisation=OrganisationFacts(uuid.uuid4(), "RX1", "Northshire Trust", "trust", None),
        assessment=AssessmentFacts(
            assessment_id,
            None,
            "scored",
            framework.framework_id,
            framework.version,
            content_hash(framework),
            "full",
            dict(framework.default_targets),
            3,
            NOW,
            NOW,
            NOW,
            NOW,
        ),
        result=scored.model_dump(mode="json"),
        preview=False,
        answers=[],
    )


def _html(inputs: ReportInputs) -> str:
    return render_html(build_report(inputs), dict.fromkeys(CHARTS, "data:image/svg+xml;base64,"))


def test_a_quick_result_is_marked_indicative(inputs):
    quick = replace(
        inputs,
        assessment=replace(inputs.assessment, profile="quick"),
        result={**inputs.result, "profile": "quick", "indicative": True},
    )
    html = _html(quick)
    assert '<strong class="mark">Indicative</strong>' in html
    assert "Quick (Indicative)" in html
    assert "Indicative" not in _html(inputs).split("<main>")[0]


def test_done_when_is_the_frameworks_or_the_results(inputs):
    rules = framework_index(load_framework("nhs-digital-readiness", "2.0.0")).recommendations
    first = inputs.result["recommendations"][0]
    assert f"<dt>Done when</dt><dd>{rules[first['recommendation_id']].done_when}</dd>" in _html(inputs)
    recommendations = [
        {**first, "done_when": "A hazard log is signed."},
        *inputs.result["recommendations"][1:],
    ]
    html = _html(replace(inputs, result={**inputs.result, "recommendations": recommendations}))
    assert "<dt>Done when</dt><dd>A hazard log is signed.</dd>" in html


def test_a_quick_assessments_appendix_lists_its_lead_questions(inputs):
    quick = replace(inputs, assessment=replace(inputs.assessment, profile="quick"))
    questions = framework_index(load_framework("nhs-digital-readiness", "2.0.0")).questions.values()
    leads = [ref.question.question_id for ref in questions if ref.question.lead]
    appendix = _html(quick).split('id="appendix"')[1]
    assert appendix.count('<p class="question">') == len(leads) < len(questions)


def test_respondents_agreement_and_approval_are_shown_as_text(inputs):
    agreement = {
        "confidence": 0.82,
        "questions_compared": 30,
        "pillars": [
            {"pillar_id": "ways-of-working", "confidence": 0.5, "questions_compared": 1},
            {"pillar_id": "operating-model", "confidence": None, "questions_compared": 0},
        ],
    }
    shown = replace(
        inputs,
        result={**inputs.result, "agreement": agreement},
        respondents=[{"role": "clinical", "count": 2}, {"role": "digital", "count": 1}],
        approval={"approver_name": "<b>Dr Lee</b>", "approver_role": "CCIO", "approved_at": NOW},
    )
    html = _html(shown)
    assert "<dd>3: 2 clinical, 1 digital</dd>" in html
    assert "Overall confidence (agreement among respondents): 82%, over 30 questions compared." in html
    assert "Ways of working: 50%, over 1 question compared." in html
    assert "not compared (fewer than two respondents answered any question)" in html
    assert "&lt;b&gt;Dr Lee&lt;/b&gt; (CCIO), 2 December 2026" in html


def test_without_a_trend_the_chart_has_no_data_and_the_report_says_so(inputs):
    assert chart_spec("trend", inputs)["data"]["values"] == []
    assert "the trend starts with the first" in _html(inputs)
