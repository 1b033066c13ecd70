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

Answers come in as :data:`Vote` tuples rather than ``Answer`` models: a request with 50
respondents holds thousands, and the figures need nothing more.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from framework_model.answers import Answer, AnswerParts
from framework_model.models import Framework
from framework_model.profiles import Profile, asks

from .agreement_result import AgreementResult, PillarAgreement, QuestionAgreement
from .levels import round_half_up

__all__ = ["AGREED_SPREAD", "Vote", "agreement", "votes"]

#: A question is agreed when its spread is at most this: one step of a five-option scale.
AGREED_SPREAD = 0.25
#: Places figures are reported to (as completeness).
PLACES = 4

#: One answer: (question id, option id or None, not applicable).
Vote = AnswerParts
#: How an answer ranks among a question's answers: (option score, option position); not applicable
#: ranks above every option (see the module's docstring).
Rank = tuple[float, int]
_NOT_APPLICABLE: Rank = (2.0, 0)


@dataclass(frozen=True, slots=True)
class _Question:
    question_id: str
    pillar_id: str
    ranks: Mapping[str, Rank]


_tables: dict[tuple[str, str, str], tuple[Framework, dict[str, _Question]]] = {}
_tables_lock = threading.Lock()


def votes(answers: Iterable[Answer]) -> list[Vote]:
    return [(a.question_id, a.value, a.not_applicable) for a in answers]


def agreement(
    framework: Framework,
    respondents: Sequence[Sequence[Vote]],
    profile: Profile = "full",
    *,
    per_question: bool = True,
) -> AgreementResult:
    """The agreement of ``respondents``, each a list of checked answers to ``framework``; without
    ``per_question``, only the confidences (what a score result keeps), at a fraction of the cost."""
    asked = _asked(framework, profile)
    by_question = _ranked_by_question(asked, respondents)
    ranked = [(asked[qid], sorted(by_question[qid])) for qid in asked if qid in by_question]
    spreads = [(question.pillar_id, _spread(answers)) for question, answers in ranked]
    compared = [(pillar_id, spread) for pillar_id, spread in spreads if spread is not None]
    return AgreementResult.model_construct(
        respondents=len(respondents),
        confidence=_confidence(spread for _, spread in compared),
        questions_compared=len(compared),
        pillars=tuple(_pillar(pillar.pillar_id, compared) for pillar in framework.pillars),
        questions=tuple(
            _question(question, answers, spread)
            for (question, answers), (_, spread) in zip(ranked, spreads, strict=True)
        )
        if per_question
        else (),
    )


def _asked(framework: Framework, profile: Profile) -> dict[str, _Question]:
    """The questions ``profile`` asks, in framework order, with their answers' ranks; built once
    per framework version (it is immutable) and profile."""
    key = (framework.framework_id, framework.version, profile)
    cached = _tables.get(key)
    if cached is not None and cached[0] is framework:
        return cached[1]
    table = {
        question.question_id: _Question(
            question.question_id,
            pillar.pillar_id,
            {option.option_id: (option.score, i) for i, option in enumerate(question.options)},
        )
        for pillar in framework.pillars
        for capability in pillar.capabilities
        for question in capability.questions
        if asks(question, profile)
    }
    with _tables_lock:
        _tables[key] = (framework, table)
    return table


Ranked = list[tuple[Rank, str | None, bool]]


def _ranked_by_question(
    asked: Mapping[str, _Question], respondents: Sequence[Sequence[Vote]]
) -> dict[str, Ranked]:
    """Each question's answers with their ranks (unsorted): the one pass over every answer."""
    by_question: dict[str, Ranked] = defaultdict(list)
    for answers in respondents:
        for question_id, value, not_applicable in answers:
            rank = _NOT_APPLICABLE if not_applicable else asked[question_id].ranks[value or ""]
            by_question[question_id].append((rank, value, not_applicable))
    return by_question


def _question(question: _Question, ranked: Ranked, spread: float | None) -> QuestionAgreement:
    """The figures of one question from its (one or more) ranked answers. Built without
    validation: every value is computed here, within its field's bounds."""
    _, median_value, median_na = ranked[(len(ranked) - 1) // 2]
    _, lowest_value, lowest_na = ranked[0]
    return QuestionAgreement.model_construct(
        question_id=question.question_id,
        pillar_id=question.pillar_id,
        answered=len(ranked),
        spread=spread,
        agreed=None if spread is None else spread <= AGREED_SPREAD,
        suggested_value=median_value,
        suggested_not_applicable=median_na,
        lowest_value=lowest_value,
        lowest_not_applicable=lowest_na,
    )


def _spread(ranked: Ranked) -> float | None:
    """``ranked`` ascend with not applicable last, so the ends give the spread."""
    if len(ranked) < 2:
        return None
    (low, _, low_na), (high, _, high_na) = ranked[0], ranked[-1]
    if low_na:  # all not applicable
        return 0.0
    if high_na:  # a split between not applicable and an option
        return 1.0
    # round(), not round_half_up(): a difference of two option scores never ends in a 5 at the
    # fifth place, and this runs for every question of every request.
    return round(high[0] - low[0], PLACES)


def _pillar(pillar_id: str, spreads: Sequence[tuple[str, float]]) -> PillarAgreement:
    mine = [spread for owner, spread in spreads if owner == pillar_id]
    return PillarAgreement.model_construct(
        pillar_id=pillar_id, confidence=_confidence(mine), questions_compared=len(mine)
    )


def _confidence(spreads: Iterable[float]) -> float | None:
    found = list(spreads)
    if not found:
        return None
    return round_half_up(1 - sum(found) / len(found), PLACES)
