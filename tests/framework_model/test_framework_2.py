"""The packaged nhs-digital-readiness 2.0.0 holds the bars of ``shared/design/framework-2.md``.

The content linter checks most bars on every version; these tests pin them on the shipped 2.0.0
itself, with the numbers a trust reads in the changelog, so a later edit that breaks one fails
here by name. They also pin what 2.0.0 keeps from 1.1.0 (trends by capability depend on it) and
that its crosswalks carry older answers conservatively.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from framework_model import Framework, Question, framework_index, latest_published, load_framework
from framework_model.lint import IMPERATIVE_VERBS, lint_framework
from framework_model.models import OptionCrosswalk

FRAMEWORK_ID = "nhs-digital-readiness"
OLDER = ["1.0.0", "1.1.0"]
LADDER = [0.0, 0.25, 0.5, 0.75, 1.0]
EFFORT_DAYS = {"S": range(1, 31), "M": range(31, 61), "L": range(61, 91)}
CRITICAL = {
    "wow-cs-clinical-risk-management": "clinical-safety",
    "opm-gf-dspt-caf": "governance-and-funding",
    "opm-sp-cyber-recovery": "service-portfolio",
    "sup-ex-exit-plan": "exit-and-lock-in",
}

Answers = Mapping[str, str]


@pytest.fixture(scope="module")
def new() -> Framework:
    return load_framework(FRAMEWORK_ID, "2.0.0")


def _questions(framework: Framework) -> list[Question]:
    return [ref.question for ref in framework_index(framework).questions.values()]


def _placed(framework: Framework) -> list[tuple[str, Question]]:
    """Every question with the id of its capability."""
    return [(ref.capability_id, ref.question) for ref in framework_index(framework).questions.values()]


def test_2_0_0_is_the_latest_published_version(new: Framework) -> None:
    assert new.status == "published"
    assert latest_published(FRAMEWORK_ID).version == "2.0.0"


def test_it_keeps_the_levels_pillars_and_capabilities_of_1_1_0(new: Framework) -> None:
    old = load_framework(FRAMEWORK_ID, "1.1.0")
    assert new.levels == old.levels
    assert new.critical_rule == old.critical_rule
    assert new.default_targets == old.default_targets == {pillar.pillar_id: 3 for pillar in old.pillars}
    assert [p.pillar_id for p in new.pillars] == [p.pillar_id for p in old.pillars]
    assert list(framework_index(new).capabilities) == list(framework_index(old).capabilities)
    assert len(framework_index(new).capabilities) == 16


def test_question_budget(new: Framework) -> None:
    questions = _questions(new)
    per_capability = Counter(capability_id for capability_id, _ in _placed(new))
    assert len(questions) == 31 <= 32
    assert max(per_capability.values()) <= 2


def test_minutes_budget_full_and_quick(new: Framework) -> None:
    minutes = [(question.minutes, question.lead) for question in _questions(new)]
    assert all(value is not None for value, _ in minutes)
    full = sum(value or 0 for value, _ in minutes)
    quick = sum(value or 0 for value, lead in minutes if lead)
    assert full == 44.5 <= 45
    assert quick == 16


def test_one_lead_per_capability_and_every_critical_question_leads(new: Framework) -> None:
    leads = Counter(capability_id for capability_id, question in _placed(new) if question.lead)
    assert set(leads) == set(framework_index(new).capabilities)
    assert set(leads.values()) == {1}
    for question in _questions(new):
        assert question.lead or not question.critical


def test_four_critical_items_each_leading_a_different_capability(new: Framework) -> None:
    critical = {
        question.question_id: capability_id for capability_id, question in _placed(new) if question.critical
    }
    assert critical == CRITICAL
    assert len(critical) <= 5


def test_every_question_is_a_five_rung_cumulative_ladder(new: Framework) -> None:
    for question in _questions(new):
        assert [option.score for option in question.options] == LADDER, question.question_id
        assert all(option.label.startswith("As above") for option in question.options[2:])
        assert not any(option.label.startswith("As above") for option in question.options[:2])
        assert len({option.label for option in question.options}) == 5


def test_steps_are_ninety_day_work_with_a_verb_and_evidence_of_done(new: Framework) -> None:
    steps = Counter((rec.capability_id, rec.from_level) for rec in new.recommendations)
    assert steps == {(cap, level): 1 for cap in framework_index(new).capabilities for level in range(1, 5)}
    for rec in new.recommendations:
        assert rec.action.split()[0] in IMPERATIVE_VERBS
        assert rec.done_when
        assert rec.duration_days is not None
        assert rec.duration_days in EFFORT_DAYS[rec.effort], rec.recommendation_id
        assert rec.triggers, rec.recommendation_id


def test_impact_uses_the_whole_range_and_no_value_on_half_the_steps(new: Framework) -> None:
    impacts = Counter(rec.impact for rec in new.recommendations)
    assert set(impacts) == {1, 2, 3, 4, 5}
    assert max(impacts.values()) <= len(new.recommendations) / 2


def test_safety_steps_wait_on_nothing_outside_their_capability(new: Framework) -> None:
    recommendations = framework_index(new).recommendations
    for rec in new.recommendations:
        if rec.capability_id in CRITICAL.values():
            assert {recommendations[dep].capability_id for dep in rec.depends_on} <= {rec.capability_id}


def test_the_content_linter_finds_nothing(new: Framework) -> None:
    assert lint_framework(new) == []


@pytest.mark.parametrize("version", OLDER)
def test_the_crosswalk_accounts_for_every_older_question_and_option(new: Framework, version: str) -> None:
    older = load_framework(FRAMEWORK_ID, version)
    entry = new.crosswalk[version]
    assert isinstance(entry, OptionCrosswalk)
    mapped = {m.from_question for m in entry.map}
    dropped = {d.question_id for d in entry.dropped}
    assert mapped | dropped == set(framework_index(older).questions)
    assert not mapped & dropped
    for mapping in entry.map:
        assert set(mapping.options) == set(framework_index(older).option_ids(mapping.from_question))
        assert set(mapping.options.values()) - {None} <= set(
            framework_index(new).option_ids(mapping.to_question)
        )


def _carry(new: Framework, version: str, answers: Answers) -> dict[str, float]:
    """The score of each question of ``new`` that older ``answers`` carry to: the lowest mapped."""
    entry = new.crosswalk[version]
    assert isinstance(entry, OptionCrosswalk)
    carried: dict[str, float] = {}
    for mapping in entry.map:
        option = mapping.options[answers[mapping.from_question]]
        if option is not None:
            score = _score(new, mapping.to_question, option)
            carried[mapping.to_question] = min(score, carried.get(mapping.to_question, score))
    return carried


def _score(framework: Framework, question_id: str, option_id: str) -> float:
    options = framework_index(framework).questions[question_id].question.options
    return next(option.score for option in options if option.option_id == option_id)


def _uniform(version: str, rung: int) -> dict[str, str]:
    """Every question of ``version`` answered at the same rung (four-rung questions scaled)."""
    answers = {}
    for qid, ref in framework_index(load_framework(FRAMEWORK_ID, version)).questions.items():
        options = ref.question.options
        answers[qid] = options[round(rung * (len(options) - 1) / 4)].option_id
    return answers


@pytest.mark.parametrize("version", OLDER)
@pytest.mark.parametrize("rung", range(5))
def test_a_uniform_older_profile_never_carries_above_its_rung(
    new: Framework, version: str, rung: int
) -> None:
    carried = _carry(new, version, _uniform(version, rung))
    assert max(carried.values()) <= LADDER[rung]


@pytest.mark.parametrize("version", OLDER)
def test_meeting_the_older_critical_bar_carries_no_new_cap(new: Framework, version: str) -> None:
    carried = _carry(new, version, _uniform(version, 2))
    assert {qid: carried[qid] for qid in CRITICAL if qid in carried} == dict.fromkeys(
        ["wow-cs-clinical-risk-management", "opm-gf-dspt-caf", "sup-ex-exit-plan"], 0.5
    )
    assert "opm-sp-cyber-recovery" not in carried  # new, so asked again


def _older_answers(version: str) -> st.SearchStrategy[dict[str, str]]:
    index = framework_index(load_framework(FRAMEWORK_ID, version))
    return st.fixed_dictionaries({qid: st.sampled_from(index.option_ids(qid)) for qid in index.questions})


@pytest.mark.parametrize("version", OLDER)
def test_a_carried_score_never_beats_every_older_answer_behind_it(new: Framework, version: str) -> None:
    older = load_framework(FRAMEWORK_ID, version)
    entry = new.crosswalk[version]
    assert isinstance(entry, OptionCrosswalk)

    @given(_older_answers(version))
    def check(answers: dict[str, str]) -> None:
        for question_id, score in _carry(new, version, answers).items():
            sources = [m.from_question for m in entry.map if m.to_question == question_id]
            assert score <= max(_score(older, source, answers[source]) for source in sources)

    check()
