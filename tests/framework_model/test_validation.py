"""Every framework rule, each broken on purpose, with the path of the bad item in the message."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from framework_model import Framework, FrameworkProblems
from framework_model.validation import find_cycles, framework_problems

from .support import Mutation, dig, problems, put

Q0 = "pillars.0.capabilities.0.questions.0"


def test_the_demo_framework_is_valid(demo: Framework) -> None:
    assert framework_problems(demo) == []


def _retarget(data: dict[str, Any]) -> None:
    data["default_targets"] = {"people": 3, "finance": 2}


def _recommendation() -> dict[str, Any]:
    return {
        "recommendation_id": "culture-lead",
        "capability_id": "culture",
        "title": "Lead",
        "action": "Lead.",
        "effort": "S",
        "impact": 1,
    }


def _three_levels(data: dict[str, Any]) -> None:
    del data["levels"][3:]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(
            put("pillars.1.capabilities.0.questions.0.question_id", "culture-blameless"),
            "pillars[1].capabilities[0].questions[0].question_id: duplicate id 'culture-blameless'"
            " (first at pillars[0].capabilities[0].questions[0].question_id)",
            id="question ids unique across the framework",
        ),
        pytest.param(
            put(f"{Q0}.options.2.option_id", "never"),
            "pillars[0].capabilities[0].questions[0].options[2].option_id: duplicate id 'never'",
            id="option ids unique within a question",
        ),
        pytest.param(
            put("pillars.1.capabilities.0.capability_id", "culture"),
            "pillars[1].capabilities[0].capability_id: duplicate id 'culture'",
            id="capability ids unique",
        ),
        pytest.param(
            put("pillars.1.pillar_id", "people"),
            "pillars[1].pillar_id: duplicate id 'people'",
            id="pillar ids unique",
        ),
        pytest.param(
            put("recommendations.3.recommendation_id", "culture-retros"),
            "recommendations[3].recommendation_id: duplicate id 'culture-retros'",
            id="recommendation ids unique",
        ),
        pytest.param(
            put(f"{Q0}.question_id", "Culture_Blameless"),
            "pillars[0].capabilities[0].questions[0].question_id: String should match pattern",
            id="ids are kebab-case",
        ),
        pytest.param(
            put("recommendations.3.capability_id", "exits"),
            "recommendations[3].capability_id: unknown capability 'exits'",
            id="recommendation capability exists",
        ),
        pytest.param(
            put("recommendations.1.depends_on", ["culture-blameless-reviews", "nope"]),
            "recommendations[1].depends_on[1]: unknown recommendation 'nope'",
            id="depends_on names a recommendation",
        ),
        pytest.param(
            put("recommendations.0.triggers", ["safety-officer"]),
            "recommendations[0].triggers[0]: question 'safety-officer' belongs to capability 'safety',"
            " not 'culture'",
            id="triggers are questions of the same capability",
        ),
        pytest.param(
            put("recommendations.0.triggers", ["culture-blameless", "ghost"]),
            "recommendations[0].triggers[1]: unknown question 'ghost'",
            id="triggers are known questions",
        ),
        pytest.param(
            put("default_targets", {"people": 3}),
            "default_targets: no target for pillar 'suppliers'",
            id="every pillar has a default target",
        ),
        pytest.param(
            _retarget,
            "default_targets['finance']: unknown pillar 'finance'",
            id="default targets only for pillars",
        ),
        pytest.param(
            put("pillars.1.weight", 0),
            "pillars[1].weight: Input should be greater than 0",
            id="pillar weight above 0",
        ),
        pytest.param(
            put(f"{Q0}.weight", -1),
            "pillars[0].capabilities[0].questions[0].weight: Input should be greater than 0",
            id="question weight above 0",
        ),
        pytest.param(
            put(f"{Q0}.options.2.score", 1.5),
            "pillars[0].capabilities[0].questions[0].options[2].score:"
            " Input should be less than or equal to 1",
            id="option score at most 1",
        ),
        pytest.param(
            put(f"{Q0}.options.0.score", -0.1),
            "pillars[0].capabilities[0].questions[0].options[0].score:"
            " Input should be greater than or equal to 0",
            id="option score at least 0",
        ),
        pytest.param(
            put("levels.1.level", 3),
            "levels[1].level: expected level 2, got 3",
            id="levels numbered in order",
        ),
        pytest.param(
            put("levels.0.min_score", 10),
            "levels[0].min_score: the first level must start at 0, got 10.0",
            id="first level starts at 0",
        ),
        pytest.param(
            put("levels.2.min_score", 20),
            "levels[2].min_score: 20.0 must be above the previous level's min_score 20.0",
            id="min scores strictly ascending",
        ),
        pytest.param(
            put("recommendations.0.to_level", 3),
            "recommendations[0].to_level: expected 2 (from_level + 1):"
            " a recommendation lifts one level, got 3",
            id="a recommendation lifts one level",
        ),
        pytest.param(
            put("recommendations.1.from_level", 1),
            "recommendations[1].from_level: capability 'culture' already has a recommendation from level 1"
            " (at recommendations[0].from_level)",
            id="one recommendation per capability and level",
        ),
        pytest.param(
            put("recommendations.0.depends_on", ["culture-retros"]),
            "recommendations[0].depends_on: dependency cycle"
            " culture-blameless-reviews -> culture-retros -> culture-blameless-reviews",
            id="dependencies are acyclic",
        ),
        pytest.param(
            put("recommendations.3.depends_on", ["exit-plans"]),
            "recommendations[3].depends_on: dependency cycle exit-plans -> exit-plans",
            id="no recommendation depends on itself",
        ),
        pytest.param(
            put("crosswalk", {"0.9.0": {"old-question": "ghost"}}),
            "crosswalk['0.9.0']['old-question']: 'ghost' is not a question of this version",
            id="crosswalk targets are questions of this version",
        ),
        pytest.param(
            put("crosswalk", {"latest": {}}),
            "crosswalk['latest']: 'latest' is not a MAJOR.MINOR.PATCH version",
            id="crosswalk keys are versions",
        ),
        pytest.param(
            put("crosswalk", {"1.0.0": {}}),
            "crosswalk['1.0.0']: a crosswalk maps from an earlier version than 1.0.0",
            id="crosswalk keys are earlier versions",
        ),
        pytest.param(
            put("pillars.0.capabilities.0.titel", "typo"),
            "pillars[0].capabilities[0].titel: Extra inputs are not permitted",
            id="unknown keys refused",
        ),
    ],
)
def test_a_broken_rule_is_reported_at_its_path(
    demo_data: dict[str, Any], mutate: Mutation, expected: str
) -> None:
    mutate(demo_data)
    assert any(problem.startswith(expected) for problem in problems(demo_data)), problems(demo_data)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(
            put("critical_rule", {"min_score": 0.5, "cap_level": 4}),
            "critical_rule.cap_level: level 4 is above the highest level, 3",
            id="critical cap within levels",
        ),
        pytest.param(
            put("default_targets.people", 5),
            "default_targets['people']: level 5 is above the highest level, 3",
            id="default target within levels",
        ),
        pytest.param(
            put("recommendations.1", {**_recommendation(), "from_level": 3, "to_level": 4}),
            "recommendations[1].to_level: level 4 is above the highest level, 3",
            id="recommendation within levels",
        ),
    ],
)
def test_levels_beyond_the_last_band_are_reported(
    demo_data: dict[str, Any], mutate: Mutation, expected: str
) -> None:
    _three_levels(demo_data)
    mutate(demo_data)
    assert expected in problems(demo_data)


def test_every_problem_is_reported_not_just_the_first(demo_data: dict[str, Any]) -> None:
    put("pillars.1.pillar_id", "people")(demo_data)
    put("levels.0.min_score", 5)(demo_data)
    put("recommendations.3.capability_id", "exits")(demo_data)
    assert problems(demo_data) == [
        "pillars[1].pillar_id: duplicate id 'people' (first at pillars[0].pillar_id)",
        "levels[0].min_score: the first level must start at 0, got 5.0",
        "default_targets['suppliers']: unknown pillar 'suppliers'",
        "recommendations[3].capability_id: unknown capability 'exits'",
    ]


def test_the_validation_error_carries_structured_problems(demo_data: dict[str, Any]) -> None:
    put("recommendations.3.capability_id", "exits")(demo_data)
    with pytest.raises(ValidationError) as caught:
        Framework.model_validate(demo_data)
    [detail] = caught.value.errors()
    cause = detail["ctx"]["error"]
    assert isinstance(cause, FrameworkProblems)
    assert [(p.path, p.message) for p in cause.problems] == [
        ("recommendations[3].capability_id", "unknown capability 'exits'")
    ]
    assert "recommendations[3].capability_id: unknown capability 'exits'" in str(caught.value)


def test_cycles_are_named_from_their_first_node_in_document_order() -> None:
    graph = {"a": ["b"], "b": ["c"], "c": ["b"], "d": ["e", "missing"], "e": ["d"], "f": []}
    assert find_cycles(graph) == [("b", "c"), ("d", "e")]


def test_a_longer_cycle_is_named_in_full(demo_data: dict[str, Any]) -> None:
    # exit-plans -> culture-retros -> safety-officer-named -> exit-plans
    put("recommendations.3.depends_on", ["culture-retros"])(demo_data)
    put("recommendations.2.depends_on", ["exit-plans"])(demo_data)
    expected = (
        "recommendations[1].depends_on: dependency cycle"
        " culture-retros -> safety-officer-named -> exit-plans -> culture-retros"
    )
    assert expected in problems(demo_data)


def test_dig_reads_what_put_wrote(demo_data: dict[str, Any]) -> None:
    put(f"{Q0}.text", "changed")(demo_data)
    assert dig(demo_data, f"{Q0}.text") == "changed"
