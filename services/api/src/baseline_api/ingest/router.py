"""``POST /v1/ingest/assessments``: many assessments in one request, a report item for each."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from baseline_api.auth import IngestPrincipal
from baseline_api.core.db import SessionDep
from baseline_api.core.responses import problem_responses

from . import service
from .openapi import REQUEST_BODY
from .parsing import parse_items
from .schemas import MAX_ITEMS, IngestReport

__all__ = ["router"]

router = APIRouter(prefix="/v1/ingest", tags=["ingest"])

DESCRIPTION = f"""\
Creates or updates up to {MAX_ITEMS:,} assessments, each with its organisation and answers, and
answers 200 with one report item per input item, in input order: `created`, `updated` or
`failed`, with the `errors` of a failed item at fields relative to that item
(`responses[2].value`). A failed item changes nothing and never stops the others.

- The body is a JSON array (`application/json`) or NDJSON (`application/x-ndjson`: one item a
  line; `index` is then the line number from 0, and a line that is not JSON fails alone).
- Organisations are matched by ODS code and created when new; a token limited to organisations
  can only ingest into those, and others fail as `404` items.
- `external_id` identifies an assessment within its organisation: sent again, it updates that
  assessment's answers while it is a draft (a `409` item once submitted).
- `submit: true` submits a complete assessment; it is scored in the background.
- Bodies up to 32 MiB (by default) are accepted here; the rest of the API takes 1 MiB.
"""


@router.post(
    "/assessments",
    summary="Ingest many assessments at once: a report item for each.",
    description=DESCRIPTION,
    openapi_extra={"requestBody": REQUEST_BODY},
    response_model_exclude_none=True,
    responses=problem_responses(
        {
            400: "The body is not valid JSON (an NDJSON line that is not is only that item's failure).",
            403: "The token lacks the `ingest` scope.",
            413: "The body is larger than the ingestion limit.",
            415: "The body is neither `application/json` nor `application/x-ndjson`.",
            422: f"The body is not an array, or carries no items or more than {MAX_ITEMS:,}.",
        }
    ),
)
async def ingest_assessments(
    request: Request, principal: IngestPrincipal, session: SessionDep
) -> IngestReport:
    body = await request.body()
    # Parsing a large body is CPU work: off the event loop, so other requests keep being served.
    items = await run_in_threadpool(parse_items, request.headers.get("content-type"), body)
    return await service.ingest(session, principal, items)
