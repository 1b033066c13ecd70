"""What a report shows, in the order it shows it, built from its inputs by pure functions.

The result is plain data for the template: sentences already written, tables already laid out.
Fields of framework 2.0.0 (``done_when``, a result's ``profile`` and ``indicative``) are read
when present, so reports of 1.x results work as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from framework_model import Framework, Profile, framework_index, profile_questions

from .charts import previous_point, trend_label
from .inputs import Answer, OpenAction, ReportInputs
from .roadmap import Step, phases

__all__ = ["DRAFT_MARK", "INDICATIVE_MARK", "NOT_ANSWERED", "Report", "build_report", "percent"]

DRAFT_MARK = "Draft, not submitted"
SUBMITTED_MARK = "Submitted, not yet scored"
INDICATIVE_MARK = "Indicative"
NOT_ANSWERED = "not yet answered"
NOT_ENOUGH_PEERS = "Not enough organisations to compare (fewer than 5)"

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Report:
    header: dict[str, Any]
    summary: dict[str, Any]
    pillars: Rows
    capabilities: Rows
    next_increment: list[Step]
    roadmap: list[list[Step]]
    trend: dict[str, Any]
    peers: dict[str, Any]
    appendix: Rows
    alt: dict[str, str]
    increment_size: int
    actions: list[OpenAction]


def percent(fraction: float | None) -> str:
    return "n/a" if fraction is None else f"{fraction * 100:.0f}%"


def _level_name(framework: Framework, level: int | None) -> str:
    if level is None:
        return "no level"
    return next(f"level {level} ({band.name})" for band in framework.levels if band.level == level)


def _header(inputs: ReportInputs) -> dict[str, Any]:
    a, result = inputs.assessment, inputs.result
    mark = None
    if inputs.preview:
        mark = DRAFT_MARK if a.status == "draft" else SUBMITTED_MARK
    return {
        "organisation": inputs.organisation.name,
        "ods_code": inputs.organisation.ods_code,
        "title": a.title,
        "framework": inputs.framework.title,
        "framework_version": a.framework_version,
        "content_hash": a.content_hash,
        "status": a.status,
        "mark": mark,
        "completeness": percent(result.get("completeness")),
        "profile": a.profile,
        "indicative": bool(result.get("indicative")),
        "date": a.scored_at if not inputs.preview else a.updated_at,
        "date_label": "Scored" if not inputs.preview else "Answers as of",
        "respondents": inputs.respondents,
        "approval": inputs.approval,
        "evidence": _evidence_line(inputs.evidence),
    }


def _evidence_line(evidence: dict[str, Any] | None) -> str | None:
    """Evidence coverage in a sentence, or None when the report was not given it."""
    if evidence is None:
        return None
    as_of = f"{evidence['as_of']:%-d %B %Y}"
    if evidence["coverage"] is None:
        return f"No answer scoring 0.5 or more to evidence ({evidence['pieces']} pieces of evidence)."
    missing = len(evidence["unevidenced"])
    line = f"{percent(evidence['coverage'])} of answers scoring 0.5 or more have evidence valid on {as_of}"
    line += f"; {missing} without" if missing else ""
    return line + (f"; {evidence['expired']} pieces expired." if evidence["expired"] else ".")


def _question_text(framework: Framework, question_id: str) -> str:
    ref = framework_index(framework).questions.get(question_id)
    return question_id if ref is None else ref.question.text


def _answer_label(framework: Framework, answer: Answer | None) -> str:
    if answer is None:
        return NOT_ANSWERED
    if answer.not_applicable:
        return "Not applicable"
    ref = framework_index(framework).questions.get(answer.question_id)
    options = {} if ref is None else {o.option_id: o.label for o in ref.question.options}
    return options.get(answer.value or "", answer.value or "")


def _cap_sentence(inputs: ReportInputs, pillar: dict[str, Any], question_id: str) -> str:
    framework, cap = inputs.framework, inputs.framework.critical_rule.cap_level
    answer = {a.question_id: a for a in inputs.answers}.get(question_id)
    question = _question_text(framework, question_id)
    if answer is None:
        return f"{pillar['title']}: the critical question “{question}” is {NOT_ANSWERED} ({question_id})."
    label = _answer_label(framework, answer)
    return (
        f"{pillar['title']} is held at level {cap} because the answer to “{question}” is "
        f"“{label}” ({question_id})."
    )


def _pillar_sentence(framework: Framework, pillar: dict[str, Any]) -> str:
    level, target = pillar["level"], pillar["target_level"]
    standing = f"{pillar['title']} is at {_level_name(framework, level)}, scoring {_number(pillar['score'])}"
    if level is None or pillar["gap"] == 0:
        return f"{standing}, and meets its target of level {target}."
    gap = pillar["gap"]
    return f"{standing}, {gap} level{'s' if gap > 1 else ''} short of its target of level {target}."


def _summary(inputs: ReportInputs) -> dict[str, Any]:
    framework, overall = inputs.framework, inputs.result["overall"]
    pillars = inputs.result["pillars"]
    progress = overall.get("percent_to_target")
    opening = f"Overall, the organisation is at {_level_name(framework, overall['level'])}"
    opening += f" with a score of {_number(overall['score'])} out of 100"
    opening += "." if progress is None else f", {progress:g}% of the way to its targets."
    return {
        "overall": opening,
        "pillars": [_pillar_sentence(framework, pillar) for pillar in pillars],
        "caps": [_cap_sentence(inputs, pillar, qid) for pillar in pillars for qid in pillar["capped_by"]],
        "confidence": _confidence(inputs),
    }


def _confidence(inputs: ReportInputs) -> list[str]:
    """How far respondents agreed (``agreement`` in results scored with two or more respondents)."""
    agreement = inputs.result.get("agreement")
    if not agreement or agreement.get("confidence") is None:
        return []
    titles = {p["pillar_id"]: p["title"] for p in inputs.result["pillars"]}
    lines = [f"Overall confidence (agreement among respondents): {percent(agreement['confidence'])}."]
    for pillar in agreement.get("pillars", []):
        title = titles.get(pillar["pillar_id"], pillar["pillar_id"])
        lines.append(f"{title}: {percent(pillar.get('confidence'))}.")
    return lines


def _pillar_rows(inputs: ReportInputs) -> Rows:
    previous = previous_point(inputs)
    return [
        {
            "title": p["title"],
            "score": p["score"],
            "level": p["level"],
            "target_level": p["target_level"],
            "gap": p["gap"],
            "percent_to_target": p["percent_to_target"],
            "previous": None if previous is None else previous.pillars.get(p["pillar_id"]),
            "capped": bool(p["capped_by"]),
        }
        for p in inputs.result["pillars"]
    ]


def _capability_rows(inputs: ReportInputs) -> Rows:
    rows = []
    for pillar in inputs.result["pillars"]:
        for c in pillar["capabilities"]:
            if c["level"] is None:
                status = "Not applicable"
            elif c["level"] >= c["target_level"]:
                status = "At or above target"
            else:
                status = "Held by a critical answer" if c.get("critical_capped") else "Below target"
            row = {"pillar": pillar["title"], "title": c["title"], "score": c["score"], "level": c["level"]}
            rows.append({**row, "target_level": c["target_level"], "status": status})
    return rows


def _steps(inputs: ReportInputs) -> list[Step]:
    framework = inputs.framework
    defined = framework_index(framework).recommendations
    titles = {c["capability_id"]: c["title"] for p in inputs.result["pillars"] for c in p["capabilities"]}
    planned = {a.recommendation_id: f"{a.owner}, due {a.due_on:%-d %B %Y}" for a in reversed(inputs.actions)}
    steps = []
    for rec in inputs.result["recommendations"]:
        rule = defined.get(rec["recommendation_id"])
        steps.append(
            Step(
                rec=rec,
                capability=titles.get(rec["capability_id"], rec["capability_id"]),
                done_when=rec.get("done_when") or getattr(rule, "done_when", None),
                why=[_question_text(framework, qid) for qid in rec["triggered_by"]],
                planned=planned.get(rec["recommendation_id"]),
            )
        )
    return steps


def _trend(inputs: ReportInputs) -> dict[str, Any]:
    pillars = [(p["pillar_id"], p["title"]) for p in inputs.result["pillars"]]
    rows = [
        {
            "label": trend_label(point),
            "scores": [point.pillars.get(pillar_id) for pillar_id, _ in pillars],
            "overall": point.overall,
            "indicative": point.indicative,
        }
        for point in inputs.trend
    ]
    return {"pillars": [title for _, title in pillars], "rows": rows}


def _position(score: float | None, figures: dict[str, Any]) -> str:
    if score is None or figures["suppressed"]:
        return "n/a"
    if score < figures["p25"]:
        return "Lowest quarter"
    if score < figures["median"]:
        return "Below the median"
    return "Above the median" if score < figures["p75"] else "Highest quarter"


def _peers(inputs: ReportInputs) -> dict[str, Any]:
    peers, kind = inputs.peers, inputs.organisation.kind
    if peers is None or peers["cohort"]["suppressed"]:
        n = 0 if peers is None else peers["cohort"]["n"]
        return {"kind": kind, "n": n, "message": NOT_ENOUGH_PEERS, "rows": []}
    scores = {p["pillar_id"]: p["score"] for p in inputs.result["pillars"]}
    rows = [
        {
            **figures,
            "score": scores.get(figures["pillar_id"]),
            "position": _position(scores.get(figures["pillar_id"]), figures),
        }
        for figures in peers["pillars"]
    ]
    return {"kind": kind, "n": peers["cohort"]["n"], "message": None, "rows": rows}


def _appendix(inputs: ReportInputs) -> Rows:
    """Every question the assessment's profile asks (a quick one: the lead questions), answered or not."""
    answers = {a.question_id: a for a in inputs.answers}
    profile = cast(Profile, inputs.assessment.profile)
    return [
        {
            "title": pillar.title,
            "capabilities": [
                {
                    "title": capability.title,
                    "questions": [
                        _question_row(inputs.framework, q, answers.get(q.question_id))
                        for q in profile_questions(capability, profile)
                    ],
                }
                for capability in pillar.capabilities
            ],
        }
        for pillar in inputs.framework.pillars
    ]


def _question_row(framework: Framework, question: Any, answer: Answer | None) -> dict[str, Any]:
    return {
        "question_id": question.question_id,
        "text": question.text,
        "critical": question.critical,
        "answer": _answer_label(framework, answer),
        "answered": answer is not None,
        "reason": None if answer is None else answer.reason,
        "comment": None if answer is None else answer.comment,
    }


def build_report(inputs: ReportInputs) -> Report:
    steps = _steps(inputs)
    next_increment = [step for step in steps if step.rec["in_next_increment"]]
    size = int(inputs.result.get("increment_size") or max(len(next_increment), 3))
    return Report(
        header=_header(inputs),
        summary=_summary(inputs),
        pillars=_pillar_rows(inputs),
        capabilities=_capability_rows(inputs),
        next_increment=next_increment,
        roadmap=phases([s for s in steps if not s.rec["in_next_increment"]], next_increment, size),
        trend=_trend(inputs),
        peers=_peers(inputs),
        appendix=_appendix(inputs),
        alt=_alt_texts(inputs),
        increment_size=size,
        actions=inputs.actions,
    )


def _alt_texts(inputs: ReportInputs) -> dict[str, str]:
    """Each chart's alt text: what it shows in a sentence or two (its table has every figure)."""
    pillars = "; ".join(
        f"{p['title']} {_number(p['score'])} (level {p['level']}, target level {p['target_level']})"
        for p in inputs.result["pillars"]
    )
    statuses = [row["status"] for row in _capability_rows(inputs)]
    counts = ", ".join(f"{statuses.count(s)} {s.lower()}" for s in dict.fromkeys(statuses))
    trend = inputs.trend
    span = f" from {trend[0].scored_at:%B %Y} to {trend[-1].scored_at:%B %Y}" if trend else ""
    return {
        "pillars": f"Bar chart of pillar scores out of 100: {pillars}. The table below gives every figure.",
        "capabilities": f"Dot plot of {len(statuses)} capabilities' levels against their pillar's target: {counts}.",
        "trend": f"Line chart of pillar scores across {len(trend)} scored assessments{span}.",
    }


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"
