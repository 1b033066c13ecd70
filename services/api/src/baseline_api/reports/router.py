"""HTTP routes of reports, charts and exports: parse, authorise, negotiate, return."""

from __future__ import annotations

import base64
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from baseline_api.auth import ReadPrincipal
from baseline_api.core.db import AutocommitDep
from baseline_api.core.scoring_client import ScoringClientDep
from baseline_api.organisations.schemas import Kind
from baseline_service_kit import NotAcceptable, NotFound

from . import service
from .charts import CHARTS
from .negotiation import preferred
from .results_export import MEDIA_TYPES, ResultsFormat, check_framework, stream_results
from .schemas import (
    CHART_RESPONSES,
    EXPORT_RESPONSES,
    REPORT_RESPONSES,
    RESULTS_RESPONSES,
    ChartFormat,
    ExportFormat,
    ReportFormat,
)

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["reports"])


async def _readers(
    request: Request, principal: ReadPrincipal, connections: AutocommitDep, scoring: ScoringClientDep
) -> service.Readers:
    return service.Readers(connections, request.state.sessions, scoring, principal)


Readers = Annotated[service.Readers, Depends(_readers)]
IfNoneMatch = Annotated[
    str | None,
    Header(description="An ETag this route gave before: 304, no body, while the document is unchanged."),
]
_REPORT_TYPES = {"html": service.HTML, "pdf": service.PDF_TYPE}


def _send(document: service.Document) -> Response:
    headers = {"ETag": document.etag, "Cache-Control": "private, no-cache"}
    if document.filename is not None:
        headers["Content-Disposition"] = f'{document.disposition}; filename="{document.filename}"'
    if document.sha256 is not None:  # RFC 9530: the signed document's digest, checkable by anyone
        headers["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(document.sha256)).decode()}:"
    if document.body is None:
        return Response(status_code=304, headers=headers)
    return Response(document.body, media_type=document.media_type, headers=headers)


def _report_type(chosen: ReportFormat | None, accept: str | None) -> str:
    if chosen is not None:
        return _REPORT_TYPES[chosen]
    media_type = preferred(accept, ["text/html", "application/pdf"])
    if media_type is None:
        raise NotAcceptable("This report is text/html or application/pdf; `Accept` allows neither.")
    return service.HTML if media_type == "text/html" else service.PDF_TYPE


@router.get(
    "/assessments/{assessment_id}/report",
    summary="The assessment's report for a board: HTML, or PDF.",
    description=(
        "HTML by default; PDF when `Accept` prefers `application/pdf` or with `?format=pdf`; "
        "`?format=html` forces HTML. A draft's report is a preview marked “Draft, not submitted” on "
        "every page, its file name ending in `-draft`. A quick (indicative) result is marked "
        "“Indicative”. An approved assessment's report in the type it was signed in (PDF; HTML when the "
        "server could not render PDF at approval) is the document stored at approval, byte for byte, with "
        "its SHA-256 in `Repr-Digest` and in the assessment's `approval_sha256`."
    ),
    response_class=Response,
    responses=REPORT_RESPONSES,
)
async def get_assessment_report(
    assessment_id: uuid.UUID,
    readers: Readers,
    request: Request,
    if_none_match: IfNoneMatch = None,
    format: Annotated[ReportFormat | None, Query(description="Overrides `Accept`: `html` or `pdf`.")] = None,
) -> Response:
    media_type = _report_type(format, request.headers.get("accept"))
    document = await service.report(readers, assessment_id, media_type, if_none_match)
    response = _send(document)
    response.headers["Vary"] = "Accept"
    return response


@router.get(
    "/assessments/{assessment_id}/charts/{chart}",
    summary="One chart of the report, as a Vega-Lite specification or SVG.",
    response_class=Response,
    responses=CHART_RESPONSES,
)
async def get_assessment_chart(
    assessment_id: uuid.UUID,
    chart: Annotated[
        str,
        Path(description=f"One of: {', '.join(CHARTS)}.", json_schema_extra={"enum": list(CHARTS)}),
    ],
    readers: Readers,
    if_none_match: IfNoneMatch = None,
    format: Annotated[
        ChartFormat, Query(description="`json`: the Vega-Lite specification; `svg`: rendered on the server.")
    ] = "json",
) -> Response:
    if chart not in CHARTS:
        raise NotFound(f"No chart {chart!r}; the charts are {', '.join(CHARTS)}.")
    document = await service.chart(readers, assessment_id, chart, format == "svg", if_none_match)
    return _send(document)


@router.get(
    "/assessments/{assessment_id}/export",
    summary="The assessment as a spreadsheet: CSV of its answers, or XLSX of its result and answers.",
    response_class=Response,
    responses=EXPORT_RESPONSES,
)
async def export_assessment(
    assessment_id: uuid.UUID,
    readers: Readers,
    if_none_match: IfNoneMatch = None,
    format: Annotated[ExportFormat, Query(description="`csv` (default) or `xlsx`.")] = "csv",
) -> Response:
    media_type = service.CSV if format == "csv" else service.XLSX
    return _send(await service.export(readers, assessment_id, media_type, if_none_match))


@router.get(
    "/exports/results",
    summary="Every visible organisation's latest full scored result, one row per pillar, streamed.",
    description=(
        "For commissioners and analytics: the latest scored result (full profile) of each "
        "organisation the token may see, one row per organisation and pillar, ordered by ODS code. "
        "Text cells that could run as a spreadsheet formula start with an apostrophe (CSV)."
    ),
    response_class=StreamingResponse,
    responses=RESULTS_RESPONSES,
)
async def export_results(
    principal: ReadPrincipal,
    connections: AutocommitDep,
    framework_id: Annotated[str, Query(min_length=1, max_length=64, examples=["nhs-digital-readiness"])],
    framework_version: Annotated[
        str | None, Query(min_length=1, max_length=32, description="Only results of this version.")
    ] = None,
    kind: Annotated[Kind | None, Query(description="Only organisations of this kind.")] = None,
    region: Annotated[
        str | None, Query(min_length=1, max_length=100, description="Only this region.")
    ] = None,
    format: Annotated[ResultsFormat, Query(description="`csv` (default) or `ndjson`.")] = "csv",
) -> StreamingResponse:
    check_framework(framework_id, framework_version)
    filters = {
        "framework_id": framework_id,
        "framework_version": framework_version,
        "kind": kind,
        "region": region,
    }
    disposition = f'attachment; filename="{framework_id}-results.{format}"'
    return StreamingResponse(
        stream_results(connections, principal, filters, format),
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": disposition},
    )
