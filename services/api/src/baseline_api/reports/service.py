"""The rules of reports, charts and exports: which inputs, which representation, and when a
client already has it (304).

Each document's ETag is the hash of everything it shows (``cache.fingerprint``), so it is known
before anything is rendered. A scored assessment's report is rendered once and kept; a preview's
(a draft changes with every answer) is rendered on each request, its charts kept.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from baseline_api.auth import Principal
from baseline_api.core.db import Connections
from baseline_api.core.scoring_client import ScoringClient
from baseline_service_kit import NotFound

from . import cache, repository
from .charts import CHARTS, chart_spec
from .content import build_report
from .inputs import ReportInputs, gather
from .rendering import PDF, SVG, PdfEngineUnavailable, render_html, svg_image
from .spreadsheets import csv_document, xlsx_document

__all__ = [
    "CSV",
    "HTML",
    "JSON",
    "PDF_TYPE",
    "SVG_TYPE",
    "XLSX",
    "Document",
    "Readers",
    "chart",
    "export",
    "report",
    "signed_report",
]

HTML, PDF_TYPE = "text/html; charset=utf-8", "application/pdf"
JSON, SVG_TYPE = "application/json", "image/svg+xml"
CSV, XLSX = "text/csv; charset=utf-8", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_EXTENSIONS = {HTML: "html", PDF_TYPE: "pdf", CSV: "csv", XLSX: "xlsx"}


@dataclass(frozen=True)
class Readers:
    """Where a document's inputs come from, and who asks."""

    connections: Connections
    sessions: async_sessionmaker[AsyncSession]
    scoring: ScoringClient
    principal: Principal


@dataclass(frozen=True)
class Document:
    """``body`` is None when the client already has this version (``If-None-Match``): a 304."""

    body: bytes | None
    media_type: str
    etag: str
    filename: str | None = None
    disposition: Literal["inline", "attachment"] = "inline"
    # The SHA-256 (hex) of a signed document, sent as ``Repr-Digest`` so a client can check it.
    sha256: str | None = None


def _filename(inputs: ReportInputs, media_type: str) -> str:
    """``<ods>-<yyyy-mm-dd>-baseline.<ext>``; a preview's name ends in ``-draft``."""
    a = inputs.assessment
    day = (a.scored_at if a.scored_at is not None and not inputs.preview else a.updated_at).date()
    draft = "-draft" if inputs.preview else ""
    return f"{inputs.organisation.ods_code}-{day.isoformat()}-baseline{draft}.{_EXTENSIONS[media_type]}"


async def _inputs(readers: Readers, assessment_id: uuid.UUID, **options: bool) -> ReportInputs:
    r = readers
    return await gather(r.connections, r.sessions, r.scoring, r.principal, assessment_id, **options)


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


async def _chart_svg(connections: Connections, spec: dict[str, Any]) -> bytes:
    """Charts are keyed by their specification alone: reports that show the same chart share it."""
    return await cache.rendered(connections, SVG, spec, cache.fingerprint("chart.svg", _canonical(spec)))


async def _render_html(connections: Connections, inputs: ReportInputs) -> bytes:
    shown = CHARTS if inputs.trend else tuple(name for name in CHARTS if name != "trend")
    charts = {name: svg_image(await _chart_svg(connections, chart_spec(name, inputs))) for name in shown}
    return await asyncio.to_thread(lambda: render_html(build_report(inputs), charts).encode())


async def _html(connections: Connections, inputs: ReportInputs) -> bytes:
    key = cache.fingerprint("report.html", inputs.canonical)
    produce = lambda: _render_html(connections, inputs)  # noqa: E731
    return await cache.cached(connections, key, HTML, produce, keep=not inputs.preview)


async def _pdf(connections: Connections, inputs: ReportInputs) -> bytes:
    key = cache.fingerprint("report.pdf", inputs.canonical)

    async def produce() -> bytes:
        PDF.engine()  # a 503 naming what is missing, before any work
        html = (await _html(connections, inputs)).decode()
        return await asyncio.to_thread(PDF.render, html)

    return await cache.cached(connections, key, PDF_TYPE, produce, keep=not inputs.preview)


async def report(
    readers: Readers, assessment_id: uuid.UUID, media_type: str, if_none_match: str | None
) -> Document:
    """The report as ``media_type`` (``HTML`` or ``PDF_TYPE``). An approved assessment's report in
    the type it was signed in is the one stored at approval, byte for byte (``_signed``); in the
    other type it is rendered as for any scored assessment, showing the approval and the signed
    document's SHA-256."""
    signed = await _signed(readers, assessment_id, media_type)
    if signed is not None:
        return replace(signed, body=None) if cache.matches(if_none_match, signed.etag) else signed
    inputs = await _inputs(readers, assessment_id)
    etag = cache.etag_of(cache.fingerprint(f"report.{_EXTENSIONS[media_type]}", inputs.canonical))
    name = _filename(inputs, media_type)
    if cache.matches(if_none_match, etag):
        return Document(None, media_type, etag, name)
    render = _pdf if media_type == PDF_TYPE else _html
    return Document(await render(readers.connections, inputs), media_type, etag, name)


async def _signed(readers: Readers, assessment_id: uuid.UUID, media_type: str) -> Document | None:
    async with readers.connections.use() as connection:
        stored = await repository.approval_document(connection, assessment_id)
    if stored is None or stored["media_type"] != media_type:
        return None
    if not readers.principal.can_see(stored["organisation_id"]):
        raise NotFound("No such assessment.")
    name = f"{assessment_id}-approved.{_EXTENSIONS[media_type]}"
    sha256 = stored["sha256"]
    return Document(bytes(stored["body"]), media_type, cache.etag_of(sha256), name, sha256=sha256)


async def signed_report(
    readers: Readers, assessment_id: uuid.UUID, approval: dict[str, Any]
) -> tuple[bytes, str]:
    """The report as it stands, approved by ``approval`` (approver_name, approver_role,
    approved_at): what approving stores, and its media type. PDF; HTML when the PDF engine cannot
    load here, so that a missing system library never blocks a sign-off."""
    inputs = await _inputs(readers, assessment_id)
    signing = replace(
        inputs,
        assessment=replace(inputs.assessment, status="approved"),
        approval={**approval, "sha256": None},
    )
    try:
        return await _pdf(readers.connections, signing), PDF_TYPE
    except PdfEngineUnavailable:
        return await _html(readers.connections, signing), HTML


async def chart(
    readers: Readers, assessment_id: uuid.UUID, name: str, svg: bool, if_none_match: str | None
) -> Document:
    """Chart ``name`` as its Vega-Lite specification (JSON), or rendered to SVG."""
    spec = chart_spec(name, await _inputs(readers, assessment_id))
    canonical = _canonical(spec)
    media_type = SVG_TYPE if svg else JSON
    etag = cache.etag_of(cache.fingerprint(f"chart.{'svg' if svg else 'json'}", canonical))
    if cache.matches(if_none_match, etag):
        return Document(None, media_type, etag)
    return Document(await _chart_svg(readers.connections, spec) if svg else canonical, media_type, etag)


async def export(
    readers: Readers, assessment_id: uuid.UUID, media_type: str, if_none_match: str | None
) -> Document:
    """The assessment as ``CSV`` (its answers) or ``XLSX`` (its result and answers)."""
    inputs = await _inputs(readers, assessment_id, history=False, scored=media_type == XLSX)
    etag = cache.etag_of(cache.fingerprint(f"export.{_EXTENSIONS[media_type]}", inputs.canonical))
    name = _filename(inputs, media_type)
    if cache.matches(if_none_match, etag):
        return Document(None, media_type, etag, name, "attachment")
    body = csv_document(inputs) if media_type == CSV else await asyncio.to_thread(xlsx_document, inputs)
    return Document(body, media_type, etag, name, "attachment")
