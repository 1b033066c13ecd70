"""One assessment as a spreadsheet: CSV (its answers) and XLSX (its result and answers).

Spreadsheet safety: a text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return, which some programs strip first) is written with a leading apostrophe, so no
export ever runs as a formula. Numbers stay numbers and dates stay dates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any, cast

import xlsxwriter

from framework_model import Profile, asks, framework_index

from .inputs import ReportInputs

__all__ = ["ANSWER_COLUMNS", "SHEETS", "answer_rows", "csv_document", "safe_text", "xlsx_document"]

ANSWER_COLUMNS = (
    "pillar_id",
    "capability_id",
    "question_id",
    "question",
    "value",
    "option_label",
    "option_score",
    "not_applicable",
    "reason",
    "comment",
    "updated_at",
    "updated_by",
)
SHEETS = ("Summary", "Pillars", "Capabilities", "Answers", "Recommendations", "Actions")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def answer_rows(inputs: ReportInputs) -> Iterator[list[Any]]:
    """One row per question the assessment's profile asks, in framework order, answered or not
    (``ANSWER_COLUMNS``)."""
    answers = {answer.question_id: answer for answer in inputs.answers}
    profile = cast(Profile, inputs.assessment.profile)
    for question_id, ref in framework_index(inputs.framework).questions.items():
        if not asks(ref.question, profile):
            continue
        answer = answers.get(question_id)
        option = None
        if answer is not None and answer.value is not None:
            option = next((o for o in ref.question.options if o.option_id == answer.value), None)
        yield [
            ref.pillar_id,
            ref.capability_id,
            question_id,
            ref.question.text,
            None if answer is None else answer.value,
            None if option is None else option.label,
            None if option is None else option.score,
            None if answer is None else answer.not_applicable,
            None if answer is None else answer.reason,
            None if answer is None else answer.comment,
            None if answer is None else answer.updated_at,
            None if answer is None else answer.updated_by,
        ]


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value


def csv_document(inputs: ReportInputs) -> bytes:
    """UTF-8, RFC 4180 (CRLF line ends; a field with a comma, quote or line break is quoted)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ANSWER_COLUMNS)
    writer.writerows([_csv_cell(cell) for cell in row] for row in answer_rows(inputs))
    return out.getvalue().encode()


class _Sheet:
    """A worksheet written row by row with typed cells and a frozen header row."""

    def __init__(self, book: Any, name: str, header: list[str], formats: dict[str, Any]) -> None:
        self.sheet = book.add_worksheet(name)
        self.formats = formats
        self.row = 0
        self.write(header, bold=True)
        self.sheet.freeze_panes(1, 0)

    def write(self, values: list[Any], *, bold: bool = False) -> None:
        for column, value in enumerate(values):
            self._cell(column, value, self.formats["bold"] if bold else None)
        self.row += 1

    def _cell(self, column: int, value: Any, style: Any) -> None:
        if value is None:
            self.sheet.write_blank(self.row, column, None, style)
        elif isinstance(value, bool):
            self.sheet.write_boolean(self.row, column, value, style)
        elif isinstance(value, int | float):
            self.sheet.write_number(self.row, column, value, style)
        elif isinstance(value, datetime):
            naive_utc = value.astimezone(UTC).replace(tzinfo=None)
            self.sheet.write_datetime(self.row, column, naive_utc, self.formats["datetime"])
        elif isinstance(value, date):
            self.sheet.write_datetime(self.row, column, value, self.formats["date"])
        elif isinstance(value, list):
            self.sheet.write_string(self.row, column, safe_text(", ".join(map(str, value))), style)
        else:
            self.sheet.write_string(self.row, column, safe_text(str(value)), style)


def _summary(inputs: ReportInputs) -> list[list[Any]]:
    a, result, overall = inputs.assessment, inputs.result, inputs.result["overall"]
    return [
        ["Organisation", inputs.organisation.name],
        ["ODS code", inputs.organisation.ods_code],
        ["Assessment", str(a.id)],
        ["Title", a.title],
        ["Framework", a.framework_id],
        ["Framework version", a.framework_version],
        ["Content hash", a.content_hash],
        ["Status", a.status],
        ["Preview (not a stored result)", inputs.preview],
        ["Profile", a.profile],
        ["Indicative", bool(result.get("indicative"))],
        ["Scored at", a.scored_at],
        ["Engine version", result["engine_version"]],
        ["Completeness", result["completeness"]],
        ["Overall score", overall["score"]],
        ["Overall level", overall["level"]],
        ["Overall percent to target", overall["percent_to_target"]],
    ]


PILLAR_COLUMNS = [
    "pillar_id",
    "title",
    "score",
    "level",
    "target_level",
    "gap",
    "percent_to_target",
    "completeness",
    "capped_by",
]
CAPABILITY_COLUMNS = [
    "capability_id",
    "title",
    "score",
    "level",
    "answered",
    "applicable",
    "target_level",
    "critical_capped",
]
RECOMMENDATION_COLUMNS = [
    "rank", "recommendation_id", "pillar_id", "capability_id", "title", "action", "done_when", "rationale",
    "from_level", "to_level", "effort", "impact", "priority", "in_next_increment", "depends_on", "blocked_by",
    "triggered_by",
]  # fmt: skip


def _pillar_rows(inputs: ReportInputs) -> Iterator[list[Any]]:
    for pillar in inputs.result["pillars"]:
        yield [pillar.get(column) for column in PILLAR_COLUMNS]


def _capability_rows(inputs: ReportInputs) -> Iterator[list[Any]]:
    for pillar in inputs.result["pillars"]:
        for capability in pillar["capabilities"]:
            yield [pillar["pillar_id"], *(capability.get(column) for column in CAPABILITY_COLUMNS)]


def _recommendation_rows(inputs: ReportInputs) -> Iterator[list[Any]]:
    rules = framework_index(inputs.framework).recommendations
    for rec in inputs.result["recommendations"]:
        # done_when is the framework's (2.0.0 and later), unless the result carries it.
        done_when = rec.get("done_when") or getattr(rules.get(rec["recommendation_id"]), "done_when", None)
        yield [{**rec, "done_when": done_when}.get(column) for column in RECOMMENDATION_COLUMNS]


ACTION_COLUMNS = [
    "action_id", "recommendation_id", "capability_id", "title", "done_when", "owner", "due_on", "status",
    "overdue", "notes",
]  # fmt: skip


def _action_rows(inputs: ReportInputs) -> Iterator[list[Any]]:
    for action in inputs.actions:
        yield [{**asdict(action), "action_id": str(action.id)}.get(column) for column in ACTION_COLUMNS]


# Each sheet: its header row and its rows, in the order of SHEETS.
_SHEETS: dict[str, tuple[list[str], Callable[[ReportInputs], Iterable[list[Any]]]]] = {
    "Summary": (["field", "value"], _summary),
    "Pillars": (PILLAR_COLUMNS, _pillar_rows),
    "Capabilities": (["pillar_id", *CAPABILITY_COLUMNS], _capability_rows),
    "Answers": (list(ANSWER_COLUMNS), answer_rows),
    "Recommendations": (RECOMMENDATION_COLUMNS, _recommendation_rows),
    "Actions": (ACTION_COLUMNS, _action_rows),
}


def xlsx_document(inputs: ReportInputs) -> bytes:
    out = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(out, options)
    # A fixed creation date keeps the bytes of the same inputs the same.
    book.set_properties(
        {"title": "Baseline export", "created": inputs.assessment.created_at.replace(tzinfo=None)}
    )
    formats = {
        "bold": book.add_format({"bold": True}),
        "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
    }
    for name in SHEETS:
        header, rows = _SHEETS[name]
        sheet = _Sheet(book, name, header, formats)
        for row in rows(inputs):
            sheet.write(row)
    book.close()
    return out.getvalue()
