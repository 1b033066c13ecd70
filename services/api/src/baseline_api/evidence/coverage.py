"""Evidence coverage: pure functions over an assessment's answers and evidence (collaboration.md).

Among the agreed answers scoring at least ``EVIDENCED_SCORE`` (the option's score in the pinned
framework; not applicable never counts), the share supported by at least one piece of evidence
not expired on the day judged. A piece expires after its ``expires_on``: it still holds that day.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from baseline_api.actions.dates import LONDON, london_today
from framework_model import Framework, framework_index

__all__ = ["EVIDENCED_SCORE", "Coverage", "Piece", "coverage", "expired", "judged_on"]

EVIDENCED_SCORE = 0.5


@dataclass(frozen=True)
class Piece:
    id: uuid.UUID
    question_ids: Sequence[str]
    expires_on: date | None


@dataclass(frozen=True)
class Coverage:
    coverage: float | None
    unevidenced: list[str]
    expired: list[uuid.UUID]
    as_of: date


def judged_on(scored_at: datetime | None) -> date:
    """The day evidence is judged on: the day scored (Europe/London) once scored, else today."""
    return london_today() if scored_at is None else scored_at.astimezone(LONDON).date()


def expired(piece: Piece, day: date) -> bool:
    return piece.expires_on is not None and piece.expires_on < day


def _claimed(framework: Framework, answers: Iterable[tuple[str, str | None]]) -> list[str]:
    """The question ids whose answer scores at least EVIDENCED_SCORE, in framework order."""
    values = dict(answers)
    claimed = []
    for question_id, ref in framework_index(framework).questions.items():
        value = values.get(question_id)
        scores = {option.option_id: option.score for option in ref.question.options}
        if value is not None and scores.get(value, 0.0) >= EVIDENCED_SCORE:
            claimed.append(question_id)
    return claimed


def coverage(
    framework: Framework, answers: Iterable[tuple[str, str | None]], pieces: Sequence[Piece], day: date
) -> Coverage:
    """``answers``: (question id, option id or None when not applicable)."""
    supported = {qid for piece in pieces if not expired(piece, day) for qid in piece.question_ids}
    claimed = _claimed(framework, answers)
    unevidenced = [qid for qid in claimed if qid not in supported]
    share = None if not claimed else round((len(claimed) - len(unevidenced)) / len(claimed), 4)
    return Coverage(share, unevidenced, [piece.id for piece in pieces if expired(piece, day)], day)
