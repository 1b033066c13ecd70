"""``/readyz``: 200 only when the database and the scoring service both answer."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from baseline_api.core.scoring_client import ScoringClient, ScoringUnavailable
from baseline_service_kit import Problem, ServiceUnavailable

router = APIRouter(tags=["health"])

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


@router.get(
    "/readyz",
    summary="Readiness: the database and the scoring service answer.",
    responses={503: {"model": Problem, "description": "A dependency is not answering."}},
)
async def readyz(request: Request) -> Readiness:
    checks: dict[str, CheckState] = {
        "database": "ok" if await _database_answers(request.state.engine) else "failing",
        "scoring": "ok" if await _scoring_answers(request.state.scoring) else "failing",
    }
    failing = sorted(name for name, state in checks.items() if state != "ok")
    if failing:
        raise ServiceUnavailable(f"Not ready: {', '.join(failing)} not answering.")
    return Readiness(status="ready", checks=checks)
