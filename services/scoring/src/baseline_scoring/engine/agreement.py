"""Agreement between respondents who answered the same assessment independently.

Pure, like the rest of the engine. The figures depend only on the set of answers to each
question, never on the order of the respondents or of their answers:

- **spread** of a question: the highest minus the lowest option score among the answers; a split
  between not applicable and an option counts 1; answers that are all not applicable, 0; null
  with fewer than two answers. **Agreed** when the spread is at most 0.25.
- **suggested** answer: the lower median of the answers ranked by option score (ties by the
  options' framework order), not applicable ranking above every option. Saying a question does
  not apply takes it out of the score, the claim that needs most agreement: it is suggested only
  when more than half the answers make it.
- **lowest** answer: the lowest-scoring option chosen; not applicable only when every answer is.
- **confidence** of a pillar (and overall): 1 - the mean spread over its questions that at least
  two respondents answered; null when none was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from framework_model.answers import Answer
from framework_model.index import framework_index
from framework_model.models import Framework, Question
from framework_model.profiles import Profile, asks

from .agreement_result import AgreementResult, PillarAgreement, QuestionAgreement
from .levels import round_half_up

__all__ = ["AGREED_SPREAD", "agreement", "question_agreement"]

#: A question is agreed when its spread is at most this: one step of a five-option scale.
AGREED_SPREAD = 0.25
#: Places figures are reported to (as completeness).
PLACES = 4
#: How not applicable ranks among a question's options (see the module's docstring).
_NOT_APPLICABLE_RANK = (2.0, 0)


def agreement(
    framework: Framework, respondents: Sequence[Sequence[Answer]], profile: Profile = "full"
) -> AgreementResult:
    """The agreement of ``respondents`` (each a list of checked answers to ``framework``)."""
    by_question: dict[str, list[Answer]] = defaultdict(list)
    for answers in respondents:
        for answer in answers:
            by_question[answer.question_id].append(answer)
    index = framework_index(framework)
    questions = [
        question_agreement(ref.question, ref.pillar_id, by_question[question_id])
        for question_id, ref in index.questions.items()
        if question_id in by_question and asks(ref.question, profile)
    ]
    spreads = [(q.pillar_id, q.spread) for q in questions if q.spread is not None]
    return AgreementResult(
        respondents=len(respondents),
        confidence=_confidence(spread for _, spread in spreads),
        questions_compared=len(spreads),
        pillars=tuple(_pillar(pillar_id, spreads) for pillar_id in index.pillars),
        questions=tuple(questions),
    )


def question_agreement(question: Question, pillar_id: str, answers: Sequence[Answer]) -> QuestionAgreement:
    """The figures of one question from the (one or more) answers respondents gave it."""
    rank = {option.option_id: (option.score, i) for i, option in enumerate(question.options)}
    ranked = sorted(answers, key=lambda a: _NOT_APPLICABLE_RANK if a.not_applicable else rank[a.value or ""])
    median = ranked[(len(ranked) - 1) // 2]
    lowest = ranked[0]
    spread = _spread(ranked, rank)
    if spread is not None:
        spread = round_half_up(spread, PLACES)
    return QuestionAgreement(
        question_id=question.question_id,
        pillar_id=pillar_id,
        answered=len(ranked),
        spread=spread,
        agreed=None if spread is None else spread <= AGREED_SPREAD,
        suggested_value=median.value,
        suggested_not_applicable=median.not_applicable,
        lowest_value=lowest.value,
        lowest_not_applicable=lowest.not_applicable,
    )


def _spread(ranked: Sequence[Answer], rank: dict[str, tuple[float, int]]) -> float | None:
    """``ranked`` ascend with not applicable last, so the ends give the spread."""
    if len(ranked) < 2:
        return None
    low, high = ranked[0], ranked[-1]
    if low.not_applicable:  # all not applicable
        return 0.0
    if high.not_applicable:  # a split between not applicable and an option
        return 1.0
    return rank[high.value or ""][0] - rank[low.value or ""][0]


def _pillar(pillar_id: str, spreads: Sequence[tuple[str, float]]) -> PillarAgreement:
    mine = [spread for owner, spread in spreads if owner == pillar_id]
    return PillarAgreement(pillar_id=pillar_id, confidence=_confidence(mine), questions_compared=len(mine))


def _confidence(spreads: Iterable[float]) -> float | None:
    found = list(spreads)
    if not found:
        return None
    return round_half_up(1 - sum(found) / len(found), PLACES)
