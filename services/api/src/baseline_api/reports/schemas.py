"""How the report, chart and export routes are described in OpenAPI: every media type they answer,
so a generated client gets text for HTML and CSV, and bytes for PDF and XLSX."""

from __future__ import annotations

from typing import Any, Literal

from baseline_api.core.responses import problem_responses, problems_of

from .charts import CHARTS, VEGA_LITE_SCHEMA
from .results_export import MEDIA_TYPES
from .service import CSV, HTML, JSON, PDF_TYPE, SVG_TYPE, XLSX

__all__ = [
    "CHART_RESPONSES",
    "EXPORT_RESPONSES",
    "REPORT_RESPONSES",
    "RESULTS_RESPONSES",
    "ChartFormat",
    "ExportFormat",
    "ReportFormat",
]

ReportFormat = Literal["html", "pdf"]
ChartFormat = Literal["json", "svg"]
ExportFormat = Literal["csv", "xlsx"]

Responses = dict[int | str, dict[str, Any]]

_TEXT = {"type": "string"}
_BYTES = {"type": "string", "format": "binary"}
_HEADERS = {
    "ETag": {
        "description": "A hash of everything the document shows; send it back in `If-None-Match`.",
        "schema": _TEXT,
    },
    "Cache-Control": {
        "description": "`private, no-cache`: keep it, but ask again (a 304 is cheap).",
        "schema": _TEXT,
    },
}
_DISPOSITION = {
    "Content-Disposition": {
        "description": "The file name: `<ods>-<yyyy-mm-dd>-baseline.<ext>`, ending in `-draft` for a preview.",
        "schema": _TEXT,
    }
}
_NOT_MODIFIED: Responses = {
    304: {"description": "The copy named in `If-None-Match` is current: no body.", "headers": _HEADERS}
}

_PROBLEMS = {
    404: "No such assessment (or chart), or it is outside the token's reach.",
    406: "`Accept` names none of the media types this route answers.",
    422: "A parameter does not validate; `errors` names it.",
    503: "The scoring service (for a draft's preview) or the PDF engine is unavailable; `detail` says which and what is missing.",
}


def _problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    return problems_of(_PROBLEMS, *codes)


def _ok(
    description: str, content: dict[str, Any], headers: dict[str, Any]
) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": content, "headers": headers}}


REPORT_RESPONSES: Responses = {
    **_ok(
        "The report: HTML by default, PDF (A4, page numbers, the header on every page) when asked for.",
        {HTML.split(";")[0]: {"schema": _TEXT}, PDF_TYPE: {"schema": _BYTES}},
        {**_HEADERS, **_DISPOSITION},
    ),
    **_NOT_MODIFIED,
    **_problems(404, 406, 503),
}

_VEGA_LITE = {
    "type": "object",
    "description": f"A Vega-Lite v5 specification with its data inline (`$schema`: {VEGA_LITE_SCHEMA}).",
    "properties": {"$schema": {"type": "string", "examples": [VEGA_LITE_SCHEMA]}},
    "required": ["$schema"],
    "additionalProperties": True,
}
CHART_RESPONSES: Responses = {
    **_ok(
        f"The chart ({', '.join(CHARTS)}) as a Vega-Lite specification, or rendered to SVG.",
        {JSON: {"schema": _VEGA_LITE}, SVG_TYPE: {"schema": _TEXT}},
        _HEADERS,
    ),
    **_NOT_MODIFIED,
    **_problems(404, 503),
}

EXPORT_RESPONSES: Responses = {
    **_ok(
        "CSV: one row per question (RFC 4180, UTF-8). XLSX: sheets Summary, Pillars, Capabilities, "
        "Answers, Recommendations and Actions (open actions on its steps), with typed cells and frozen header rows.",
        {CSV.split(";")[0]: {"schema": _TEXT}, XLSX: {"schema": _BYTES}},
        {**_HEADERS, **_DISPOSITION},
    ),
    **_NOT_MODIFIED,
    **_problems(404, 503),
}

RESULTS_RESPONSES: Responses = {
    200: {
        "description": "Streamed: one row per organisation and pillar, as CSV (with a header row) or NDJSON.",
        "content": {media.split(";")[0]: {"schema": _TEXT} for media in MEDIA_TYPES.values()},
        "headers": {
            "Content-Disposition": {
                "description": '`attachment; filename="<framework_id>-results.<ext>"`',
                "schema": _TEXT,
            }
        },
    },
    **problem_responses(
        {422: "An unknown framework or version, or a filter that does not validate; `errors` names it."}
    ),
}
