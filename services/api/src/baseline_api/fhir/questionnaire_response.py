"""Read a FHIR R4 QuestionnaireResponse into answers to a framework version.

The response names its Questionnaire as ``<QUESTIONNAIRE_BASE>/<framework_id>|<version>``
and its subject by ODS code; its optional ``identifier`` becomes the assessment's external id. Each answered item's ``linkId`` is a question id and its
single ``valueCoding`` an option (or data-absent-reason ``not-applicable``). Answers are
found wherever they sit in the item tree: the groups carry no meaning for scoring, and
simple clients send a flat list. Every problem is reported at once, each as an ``Issue``
whose ``expression`` is the FHIRPath of the offending element and names its ``linkId``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal, NamedTuple, TypeGuard, get_args

from pydantic import BaseModel, ConfigDict, ValidationError

from baseline_api.fhir.canonical import (
    NOT_APPLICABLE_CODE,
    NOT_APPLICABLE_SYSTEM,
    ODS_SYSTEM,
    QUESTIONNAIRE_BASE,
    option_system,
    parse_questionnaire_canonical,
)
from baseline_api.fhir.outcome import Issue, IssueType
from baseline_api.organisations.models import ODS_CODE_PATTERN
from framework_model import (
    Answer,
    AnswerProblem,
    Framework,
    UnknownFrameworkError,
    check_answers,
    framework_index,
    load_framework,
)

__all__ = [
    "MAX_EXTERNAL_ID",
    "ROOT",
    "ParsedResponse",
    "ResponseStatus",
    "fhirpath_string",
    "parse_questionnaire_response",
]

ResponseStatus = Literal["in-progress", "completed", "amended"]
ROOT = "QuestionnaireResponse"
_STATUSES: dict[str, ResponseStatus] = {status: status for status in get_args(ResponseStatus)}
_SUBMITTING = ("completed", "amended")
_ODS_CODE = re.compile(ODS_CODE_PATTERN)
#: The length of ``assessments.external_id``.
MAX_EXTERNAL_ID = 200
MAX_ITEM_DEPTH = 16
_PROBLEM_FIELD = re.compile(r"^responses\[(\d+)\]\.(\w+)$")
_PROBLEM_CODES: dict[str, IssueType] = {
    "question_id": "invalid",  # unknown question, or answered twice
    "value": "code-invalid",  # not an option of the question
    "not_applicable": "business-rule",  # the question does not allow not applicable
}


class ParsedResponse(BaseModel):
    """A well-formed QuestionnaireResponse whose answers fit its framework version."""

    model_config = ConfigDict(frozen=True)

    framework_id: str
    version: str
    ods_code: str
    status: ResponseStatus
    answers: tuple[Answer, ...]
    #: From ``identifier``: names the assessment, so the same response sent again updates it.
    external_id: str | None = None

    @property
    def submit(self) -> bool:
        """A completed (or amended, i.e. completed again) response submits the assessment."""
        return self.status in _SUBMITTING


class _Found(NamedTuple):
    """An answer read from the tree, where it was, and the coding system it was sent with."""

    answer: Answer
    path: str
    system: str | None


def parse_questionnaire_response(body: object) -> ParsedResponse | list[Issue]:
    """The response's framework, subject, status and answers; or every issue that stops it."""
    if not isinstance(body, dict):
        return [Issue("structure", "The body must be a JSON object: a FHIR QuestionnaireResponse.")]
    issues = _resource_type_issues(body)
    status = _status(body, issues)
    framework = _framework(body, issues)
    ods_code = _ods_code(body, issues)
    external_id = _external_id(body, issues)
    found = _walk_items(body.get("item"), ROOT, issues)
    if framework is not None:
        issues.extend(_answer_issues(framework, found))
    if issues or framework is None or status is None or ods_code is None:
        return issues
    answers = tuple(f.answer for f in found)
    return ParsedResponse(
        framework_id=framework.framework_id,
        version=framework.version,
        ods_code=ods_code,
        status=status,
        answers=answers,
        external_id=external_id,
    )


# Each reader below appends what is wrong to ``issues`` and returns the value, or None if unusable.


def _resource_type_issues(body: dict[str, Any]) -> list[Issue]:
    found = body.get("resourceType")
    if found == ROOT:
        return []
    return [Issue("invalid", f"resourceType must be '{ROOT}', not {found!r}.")]


def _status(body: dict[str, Any], issues: list[Issue]) -> ResponseStatus | None:
    status = body.get("status")
    accepted = _STATUSES.get(status) if isinstance(status, str) else None
    if accepted is None:
        code: IssueType = "required" if status is None else "value"
        message = "status is required" if status is None else f"status {status!r} is not accepted"
        issues.append(Issue(code, f"{message}: use one of {', '.join(_STATUSES)}.", (f"{ROOT}.status",)))
    return accepted


def _framework(body: dict[str, Any], issues: list[Issue]) -> Framework | None:
    canonical, where = body.get("questionnaire"), (f"{ROOT}.questionnaire",)
    if not isinstance(canonical, str) or not canonical:
        issues.append(Issue("required", "questionnaire is required: the canonical 'url|version'.", where))
        return None
    parsed = parse_questionnaire_canonical(canonical)
    if parsed is None:
        message = f"questionnaire {canonical!r} must be '{QUESTIONNAIRE_BASE}/<framework_id>|<version>'."
        issues.append(Issue("value", message, where))
        return None
    try:
        return load_framework(*parsed)
    except UnknownFrameworkError as exc:
        issues.append(Issue("not-found", f"questionnaire {canonical!r}: {exc}.", where))
        return None


def _ods_code(body: dict[str, Any], issues: list[Issue]) -> str | None:
    subject = body.get("subject")
    identifier = subject.get("identifier") if isinstance(subject, dict) else None
    if not isinstance(identifier, dict):
        message = f"subject.identifier is required: the organisation's ODS code in system {ODS_SYSTEM}."
        issues.append(Issue("required", message, (f"{ROOT}.subject.identifier",)))
        return None
    system_ok = _check_ods_system(identifier.get("system"), issues)
    code = identifier.get("value")
    if not isinstance(code, str) or not _ODS_CODE.match(code):
        message = f"subject.identifier.value {code!r} is not an ODS code (3-10 upper-case letters or digits)."
        issues.append(Issue("value", message, (f"{ROOT}.subject.identifier.value",)))
        return None
    return code if system_ok else None


def _check_ods_system(system: object, issues: list[Issue]) -> bool:
    if system == ODS_SYSTEM:
        return True
    message = f"subject.identifier.system must be {ODS_SYSTEM}, not {system!r}."
    issues.append(Issue("value", message, (f"{ROOT}.subject.identifier.system",)))
    return False


def _external_id(body: dict[str, Any], issues: list[Issue]) -> str | None:
    """The business identifier in FHIR's token form, ``system|value``, or the bare value when it
    names no system: the same value under two systems names two different things."""
    identifier, where = body.get("identifier"), f"{ROOT}.identifier"
    if identifier is None:
        return None
    if not isinstance(identifier, dict):
        issues.append(Issue("structure", "identifier must be one Identifier (R4 has 0..1).", (where,)))
        return None
    system, value = identifier.get("system"), identifier.get("value")
    if not _identifier_text(value):
        message = "identifier.value is required: printable text without leading or trailing spaces."
        issues.append(Issue("required" if value is None else "value", message, (f"{where}.value",)))
        return None
    if system is not None and not (_identifier_text(system) and " " not in system):
        issues.append(Issue("value", "identifier.system must be a URI.", (f"{where}.system",)))
        return None
    return _bounded_external_id(value if system is None else f"{system}|{value}", issues)


def _identifier_text(text: object) -> TypeGuard[str]:
    """Printable (so no NUL, which PostgreSQL cannot store) and not blank or padded."""
    return isinstance(text, str) and bool(text) and text == text.strip() and text.isprintable()


def _bounded_external_id(external_id: str, issues: list[Issue]) -> str | None:
    if len(external_id) <= MAX_EXTERNAL_ID:
        return external_id
    message = f"identifier is too long: system and value together take at most {MAX_EXTERNAL_ID} characters."
    issues.append(Issue("value", message, (f"{ROOT}.identifier",)))
    return None


def _walk_items(items: object, parent: str, issues: list[Issue], depth: int = 0) -> list[_Found]:
    """Answers in ``items`` and below, in document order (groups nest in ``item``, and FHIR
    puts a question's children under its ``answer``, so both are followed)."""
    if items is None:
        return []
    if not isinstance(items, list):
        issues.append(Issue("structure", "item must be a list.", (f"{parent}.item",)))
        return []
    if depth >= MAX_ITEM_DEPTH:  # a bound on recursion: no Questionnaire of ours nests half as deep
        issues.append(Issue("structure", f"items nest more than {MAX_ITEM_DEPTH} deep.", (f"{parent}.item",)))
        return []
    found: list[_Found] = []
    for index, item in enumerate(items):
        found.extend(_walk_item(item, f"{parent}.item[{index}]", parent, issues, depth))
    return found


def _walk_item(item: object, position: str, parent: str, issues: list[Issue], depth: int) -> list[_Found]:
    link_id = item.get("linkId") if isinstance(item, dict) else None
    if not isinstance(item, dict) or not isinstance(link_id, str) or not link_id:
        issues.append(Issue("required", "every item needs a linkId.", (position,)))
        return []
    path = f"{parent}.item.where(linkId={fhirpath_string(link_id)})"
    answers = item.get("answer")
    found = [] if not answers else _read_answers(link_id, answers, path, issues)
    found.extend(_walk_items(item.get("item"), path, issues, depth + 1))
    for index, answer in enumerate(answers if isinstance(answers, list) else []):
        if isinstance(answer, dict):
            found.extend(_walk_items(answer.get("item"), f"{path}.answer[{index}]", issues, depth + 1))
    return found


def _read_answers(link_id: str, answers: object, path: str, issues: list[Issue]) -> list[_Found]:
    if not isinstance(answers, list):
        issues.append(Issue("structure", f"item {link_id!r}: answer must be a list.", (f"{path}.answer",)))
        return []
    if len(answers) > 1:
        message = f"question {link_id!r} takes one answer, not {len(answers)}."
        issues.append(Issue("value", message, (f"{path}.answer",)))
        return []
    return _read_coding(link_id, answers[0], path, issues)


def _read_coding(link_id: str, answer: object, path: str, issues: list[Issue]) -> list[_Found]:
    where = (f"{path}.answer[0].value",)
    coding = answer.get("valueCoding") if isinstance(answer, dict) else None
    code = coding.get("code") if isinstance(coding, dict) else None
    if not isinstance(coding, dict) or not isinstance(code, str) or not code:
        message = (
            f"question {link_id!r}: the answer must be a valueCoding with a code, one of its answerOptions."
        )
        issues.append(Issue("value", message, where))
        return []
    system = coding.get("system")
    system = system if isinstance(system, str) else None
    return _as_answer(link_id, code, system, path, issues)


def _as_answer(link_id: str, code: str, system: str | None, path: str, issues: list[Issue]) -> list[_Found]:
    # Only HL7's not-applicable code means N/A; a bare "not-applicable" code is taken as an
    # option id, so an option that happened to have that id could never be misread.
    not_applicable = system == NOT_APPLICABLE_SYSTEM and code == NOT_APPLICABLE_CODE
    try:
        answer = Answer(
            question_id=link_id, value=None if not_applicable else code, not_applicable=not_applicable
        )
    except ValidationError:  # an id longer than any framework allows
        issues.append(Issue("invalid", f"item {link_id!r}: linkId or code is too long.", (path,)))
        return []
    return [_Found(answer, path, None if not_applicable else system)]


def _answer_issues(framework: Framework, found: Sequence[_Found]) -> list[Issue]:
    """What ``check_answers`` finds, moved from its ``responses[i]`` fields to FHIRPaths."""
    problems = check_answers(framework, [f.answer for f in found])
    return [_problem_issue(problem, found) for problem in problems] + _system_issues(framework, found)


def _problem_issue(problem: AnswerProblem, found: Sequence[_Found]) -> Issue:
    def path_of(match: re.Match[str]) -> str:
        return found[int(match[1])].path

    message = re.sub(r"responses\[(\d+)\]", path_of, problem.message)
    field = _PROBLEM_FIELD.match(problem.field)
    if field is None:  # every field check_answers reports matches; never drop a problem regardless
        return Issue("invalid", message)
    path, name = found[int(field[1])].path, field[2]
    expression = path if name == "question_id" else f"{path}.answer[0].value"
    return Issue(_PROBLEM_CODES.get(name, "invalid"), message, (expression,))


def _system_issues(framework: Framework, found: Sequence[_Found]) -> list[Issue]:
    """A coding from another code system is another question's option, even if codes match."""
    questions = framework_index(framework).questions
    issues = []
    for answer, path, system in found:
        expected = option_system(framework.framework_id, answer.question_id)
        if system is not None and answer.question_id in questions and system != expected:
            message = f"question {answer.question_id!r}: coding system {system!r} is not {expected!r}."
            issues.append(Issue("code-invalid", message, (f"{path}.answer[0].value",)))
    return issues


def fhirpath_string(text: str) -> str:
    """A FHIRPath string literal: single quotes, with backslash and quote escaped."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
