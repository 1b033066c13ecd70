"""``/readyz``: 200 only when the database and the scoring service both answer, and the scoring
service serves every framework version the gateway knows with the same content hash."""

from __future__ import annotations

import logging
from typing import Literal

import httpx
from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from baseline_api.core.scoring_client import ScoringClient, ScoringUnavailable
from baseline_api.frameworks.schemas import FrameworkList
from baseline_api.frameworks.service import framework_mismatches
from baseline_service_kit import Problem, ServiceUnavailable
from framework_model import list_frameworks

router = APIRouter(tags=["health"])
_log = logging.getLogger("baseline.readiness")

CheckState = Literal["ok", "failing"]


class Readiness(BaseModel):
    status: Literal["ready"]
    checks: dict[str, CheckState]


async def _database_answers(engine: AsyncEngine) -> bool:
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:  # any failure means "not ready"; the reason is in the DB log
        return False
    return True


async def _scoring_answers(scoring: ScoringClient) -> bool:
    try:
        await scoring.get_json("/healthz")
    except (ScoringUnavailable, ValueError):
        return False
    return True


async def _frameworks_agree(scoring: ScoringClient) -> bool:
    """A gateway and a scoring service that disagree on a framework's content would store results
    scored against other questions than the ones answered: not ready, whatever else answers."""
    try:
        served = FrameworkList.model_validate(await scoring.get_json("/v1/frameworks"))
    except (ScoringUnavailable, httpx.HTTPError, ValueError):  # ValueError: not a framework list
        return False
    mismatches = framework_mismatches(list_frameworks(), served.items)
    for mismatch in mismatches:
        _log.warning("framework mismatch with the scoring service: %s", mismatch)
    return not mismatches


@router.get(
    "/readyz",
    summary="Readiness: the database and the scoring service answer, and agree on frameworks.",
    responses={
        503: {"model": Problem, "description": "A dependency is not answering, or serves other frameworks."}
    },
)
async def readyz(request: Request) -> Readiness:
    checks: dict[str, CheckState] = {
        "database": "ok" if await _database_answers(request.state.engine) else "failing",
        "scoring": "ok" if await _scoring_answers(request.state.scoring) else "failing",
        "frameworks": "ok" if await _frameworks_agree(request.state.scoring) else "failing",
    }
    failing = sorted(name for name, state in checks.items() if state != "ok")
    if failing:
        raise ServiceUnavailable(f"Not ready: failing checks: {', '.join(failing)}.")
    return Readiness(status="ready", checks=checks)
