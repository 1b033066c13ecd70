"""``/readyz``: the scoring service holds no state and calls nothing, so it is ready once its
framework catalogue is loaded (the first call loads and checks every framework file)."""

from __future__ import annotations

from fastapi import APIRouter

from baseline_service_kit import Health
from framework_model import list_frameworks

router = APIRouter(tags=["health"])


@router.get("/readyz", summary="Readiness: the framework catalogue is loaded.")
def readyz() -> Health:
    list_frameworks()
    return Health(status="ok")
