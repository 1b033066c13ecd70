"""The gateway's only way to the scoring service: HTTP, one client for the app's life."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
from fastapi import Depends, Request

from .background import backoff_seconds
from .settings import Settings

__all__ = ["ScoringClient", "ScoringClientDep", "ScoringUnavailable", "get_scoring_client"]


class ScoringUnavailable(Exception):
    """The scoring service did not answer usefully: down, slow, or a 5xx."""


class ScoringClient:
    def __init__(self, settings: Settings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._settings = settings
        self._http = httpx.AsyncClient(
            base_url=settings.scoring_url,
            timeout=httpx.Timeout(settings.scoring_timeout_seconds, connect=2.0),
            transport=transport,
        )

    def retry_in(self, attempt: int) -> float:
        """Seconds to wait before scoring again after ``attempt`` failed tries."""
        return backoff_seconds(
            attempt, base=self._settings.retry_base_seconds, cap=self._settings.retry_cap_seconds
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def get_json(self, path: str) -> Any:
        return (await self._request("GET", path)).json()

    async def post_json(self, path: str, body: dict[str, Any]) -> Any:
        return (await self._request("POST", path, json=body)).json()

    async def post_raw(self, path: str, body: bytes) -> bytes:
        """POST a JSON document as it is and return the answer's bytes, parsing neither: the caller
        may store and forward them unchanged."""
        response = await self._request(
            "POST", path, content=body, headers={"Content-Type": "application/json"}
        )
        return response.content

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ScoringUnavailable(f"{method} {path}: {exc.__class__.__name__}") from exc
        if response.status_code >= 500:
            raise ScoringUnavailable(f"{method} {path}: HTTP {response.status_code}")
        response.raise_for_status()
        return response


async def get_scoring_client(request: Request) -> ScoringClient:
    client: ScoringClient = request.state.scoring
    return client


ScoringClientDep = Annotated[ScoringClient, Depends(get_scoring_client)]
