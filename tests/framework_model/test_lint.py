"""The content linter: every bar broken on purpose on a small 2.0-style framework, and the
packaged versions held to the bars of their own version."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from framework_model import Framework, default_catalogue
from framework_model.lint import acronyms_in, lint_catalogue, lint_framework

from .support import Mutation, put

LADDER = [
    ("none", "No CSO is named.", 0),
    ("named", "A CSO is named in writing.", 0.25),
    ("trained", "As above, and the CSO has had DCB0129 training.", 0.5),
    ("active", "As above, and the CSO signs every safety case.", 0.75),
    ("leading", "As above, and the CSO reviews the hazard log at every change board.", 1),
]


def _question(question_id: str, *, lead: bool, critical: bool = False) -> dict[str, Any]:
    return {
        "question_id": question_id,
        "text": "Who is the clinical safety officer (CSO)?",
        "lead": lead,
        "critical": critical,
        "minutes": 2,
        "options": [{"option_id": o, "label": label, "score": score} for o, label, score in LADDER],
    }


def _step(from_level: int, impact: int, **extra: Any) -> dict[str, Any]:
    return {
        "recommendation_id": f"safety-{from_level}",
        "capability_id": "safety",
        "title": f"Step {from_level}",
        "action": "Name a CSO for the EPR.",
        "from_level": from_level,
        "to_level": from_level + 1,
        "effort": "S",
        "impact": impact,
        "done_when": "The CSO's name is on the intranet.",
        "duration_days": 30,
        **extra,
    }


def _small_framework() -> dict[str, Any]:
    """One pillar, two capabilities of two questions, a step per level with impact 1-5 spread."""
    impacts = [[1, 2, 3, 4], [5, 1, 2, 3]]
    return {
        "framework_id": "lint-demo",
        "version": "2.0.0",
        "title": "Lint demo",
        "status": "draft",
        "glossary": [
            {"term": "CSO", "expansion": "clinical safety officer"},
            {"term": "DCB0129", "expansion": "the clinical risk management standard for manufacturers"},
            {"term": "EPR", "expansion": "electronic patient record"},
        ],
        "levels": [
            {"level": n, "name": name, "min_score": floor}
            for n, name, floor in [
                (1, "Initial", 0),
                (2, "Emerging", 20),
                (3, "Established", 40),
                (4, "Advanced", 60),
                (5, "Leading", 80),
            ]
        ],
        "default_targets": {"people": 3},
        "pillars": [
            {
                "pillar_id": "people",
                "title": "People",
                "capabilities": [
                    {
                        "capability_id": capability,
                        "title": capability.title(),
                        "questions": [
                            _question(f"{capability}-a", lead=True, critical=capability == "safety"),
                            _question(f"{capability}-b", lead=False),
                        ],
                    }
                    for capability in ["safety", "culture"]
                ],
            }
        ],
        "recommendations": [
            _step(level, impact, recommendation_id=f"{capability}-{level}", capability_id=capability)
            for capability, row in zip(["safety", "culture"], impacts, strict=True)
            for level, impact in zip(range(1, 5), row, strict=True)
        ],
    }


def _lint(mutate: Mutation | None = None) -> list[str]:
    data = _small_framework()
    if mutate is not None:
        mutate(data)
    return [str(problem) for problem in lint_framework(Framework.model_validate(data))]


def test_the_small_framework_meets_every_bar() -> None:
    assert _lint() == []


def _more_questions(data: dict[str, Any]) -> None:
    data["pillars"][0]["capabilities"][0]["questions"].append(_question("safety-c", lead=False))


def _slow(data: dict[str, Any]) -> None:
    for capability in data["pillars"][0]["capabilities"]:
        for question in capability["questions"]:
            question["minutes"] = 12


def _no_leads(data: dict[str, Any]) -> None:
    for capability in data["pillars"][0]["capabilities"]:
        for question in capability["questions"]:
            question["lead"] = question["critical"] = False


def _missing_step(data: dict[str, Any]) -> None:
    data["recommendations"] = [r for r in data["recommendations"] if r["recommendation_id"] != "culture-2"]
    for rec in data["recommendations"]:
        rec["depends_on"] = []


def _same_impact(data: dict[str, Any]) -> None:
    for rec in data["recommendations"]:
        rec["impact"] = 3


def _safety_waits_on_culture(data: dict[str, Any]) -> None:
    data["recommendations"][1]["depends_on"] = ["culture-1"]


Q = "pillars.0.capabilities.0.questions.0"


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(
            _more_questions,
            "pillars[0].capabilities[0].questions: [question-budget] 3 questions; at most 2",
            id="at most two questions a capability",
        ),
        pytest.param(
            _slow, "pillars: [minutes-budget] the questions take 48 minutes; at most 45", id="45 minutes"
        ),
        pytest.param(
            put(f"{Q}.minutes", None),
            "pillars[0].capabilities[0].questions[0].minutes: [minutes-budget] every question says how many team minutes it takes",
            id="minutes on every question",
        ),
        pytest.param(
            _no_leads,
            "pillars: [question-budget] no lead questions: every capability needs one (the quick profile)",
            id="lead questions",
        ),
        pytest.param(
            put(f"{Q}.options.2.score", 0.6),
            "pillars[0].capabilities[0].questions[0].options: [ladder] scores must be exactly 0, 0.25, 0.5, 0.75, 1 in that order",
            id="ladder scores",
        ),
        pytest.param(
            put(f"{Q}.options.3.label", "The CSO signs every safety case."),
            "pillars[0].capabilities[0].questions[0].options[3].label: [ladder] a rung builds on the one below: start with 'As above'",
            id="cumulative rungs",
        ),
        pytest.param(
            put(f"{Q}.options.1.label", "No CSO is named."),
            "pillars[0].capabilities[0].questions[0].options[1].label: [unique-labels] the same label as an option above",
            id="unique labels",
        ),
        pytest.param(
            put(f"{Q}.guidance", "Ask the SIRO."),
            "pillars[0].capabilities[0].questions[0].guidance: [glossary] 'SIRO' is not in the glossary",
            id="glossary covers acronyms",
        ),
        pytest.param(
            put("recommendations.0.action", "The CSO is named."),
            "recommendations[0].action: [steps] starts with 'The': start with an imperative verb (see lint.IMPERATIVE_VERBS)",
            id="actions start with a verb",
        ),
        pytest.param(
            put("recommendations.0.done_when", None),
            "recommendations[0].done_when: [steps] say what evidence shows the step is done",
            id="done_when",
        ),
        pytest.param(
            _missing_step,
            "recommendations: [one-step-per-level] capability 'culture' has no step from level 2",
            id="a step per level",
        ),
        pytest.param(
            _same_impact,
            "recommendations: [impact-spread] impact [1, 2, 4, 5] never used: use the whole 1-5 range",
            id="impact spread",
        ),
        pytest.param(
            _safety_waits_on_culture,
            "recommendations[1].depends_on[0]: [safety-steps-stand-alone] a safety step waits on 'culture-1' of 'culture'",
            id="safety steps stand alone",
        ),
    ],
)
def test_each_bar_is_enforced(mutate: Mutation, expected: str) -> None:
    assert expected in _lint(mutate)


def test_an_impact_on_more_than_half_the_steps_is_reported() -> None:
    def mostly_three(data: dict[str, Any]) -> None:
        for rec in data["recommendations"][:5]:
            rec["impact"] = 3

    assert "recommendations: [impact-spread] impact 3 on 6 of 8 steps: at most half" in _lint(mostly_three)


def test_rules_apply_from_their_version_on() -> None:
    def older(data: dict[str, Any]) -> None:
        data["version"] = "1.9.0"
        put(f"{Q}.options.2.score", 0.6)(data)

    assert _lint(older) == []


def test_acronyms_are_capitals_plurals_and_plus_joined_words() -> None:
    assert acronyms_in("ICBs and the EPR follow DCB0129, not dm+d or Mr Smith.") == {
        "ICB",
        "EPR",
        "DCB0129",
        "dm+d",
    }


def test_the_packaged_versions_meet_the_bars_of_their_version() -> None:
    assert lint_catalogue(default_catalogue()) == []


def test_the_small_framework_is_not_changed_by_linting() -> None:
    data = _small_framework()
    before = copy.deepcopy(data)
    lint_framework(Framework.model_validate(data))
    assert data == before
