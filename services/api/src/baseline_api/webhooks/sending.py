"""Sending one delivery: the signed request, and its outcome (a status code, or why there was none).

Every connection goes through :class:`_CheckedBackend`, which resolves the receiver's host,
checks every address (``addresses``) and connects to one of exactly those addresses: what was
checked is what is connected to, so a name that starts resolving elsewhere between a check and
a connection (DNS rebinding) gets nowhere. TLS still verifies the certificate against the name.
Environment proxies are ignored (``trust_env=False``): a proxy would connect on our behalf to
addresses we never checked.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import anyio
import httpcore
import httpx

from baseline_api import __version__
from baseline_api.core.settings import Settings

from .addresses import AddressError, AddressPolicy
from .claiming import Claimed
from .payload import event_body
from .secret_box import InvalidToken, SecretBox
from .signing import SIGNATURE_HEADER, signature_header

__all__ = ["Outcome", "attempt", "webhook_http_client"]

_log = logging.getLogger("baseline.webhooks")
_MAX_ERROR_CHARS = 500
_UNDECRYPTABLE = (
    "not sent: the secret does not decrypt with BASELINE_SECRET_KEY or BASELINE_SECRET_KEY_PREVIOUS"
)


class _Refused(httpcore.ConnectError):
    """No connection was made: the host resolves to an address where webhooks may not go."""


class _CheckedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's own backend, connecting only to addresses the policy allows."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            with anyio.fail_after(timeout):  # the lookup and the connection share the connect timeout
                return await self._connect_to_checked(host, port, local_address, socket_options)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"no connection within {timeout:g} s") from exc
        except AddressError as exc:
            raise _Refused(str(exc)) from exc

    async def _connect_to_checked(
        self,
        host: str,
        port: int,
        local_address: str | None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None,
    ) -> httpcore.AsyncNetworkStream:
        refused: httpcore.ConnectError | None = None
        for address in await self._policy.addresses(host, port):
            try:
                return await self._inner.connect_tcp(str(address), port, None, local_address, socket_options)
            except httpcore.ConnectError as exc:
                refused = exc
        assert refused is not None  # addresses() returns at least one address
        raise refused

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise _Refused("webhooks are sent over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _CheckedTransport(httpx.AsyncHTTPTransport):
    def __init__(self, policy: AddressPolicy) -> None:
        super().__init__(trust_env=False)
        # httpx offers no way to choose the network backend, but its pool is httpcore's public
        # connection pool: build it again with ours. No connection limit: the worker's in-flight
        # limit bounds the connections, and a full pool would make a healthy receiver wait.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=None,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_CheckedBackend(policy),
        )


def webhook_http_client(settings: Settings, policy: AddressPolicy) -> httpx.AsyncClient:
    """The client for every delivery, made and closed by the app's lifespan. Redirects are not
    followed: a receiver answers where it was registered, or the attempt fails."""
    timeout = httpx.Timeout(
        settings.webhook_timeout_seconds, connect=settings.webhook_connect_timeout_seconds
    )
    return httpx.AsyncClient(
        transport=_CheckedTransport(policy),
        timeout=timeout,
        follow_redirects=False,
        headers={"User-Agent": f"Baseline-Webhooks/{__version__}"},
    )


@dataclass(frozen=True)
class Outcome:
    attempted_at: datetime
    duration_ms: int
    status_code: int | None = None
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _request(delivery: Claimed, secret: str) -> tuple[bytes, dict[str, str]]:
    """The body (the same bytes on every retry) and its headers, signed now."""
    body = event_body(delivery.event_id, delivery.event_type, delivery.occurred_at, delivery.payload)
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature_header(secret, body),
        "Baseline-Event-Id": str(delivery.event_id),
        "Baseline-Event-Type": delivery.event_type,
        "Baseline-Delivery-Id": str(delivery.id),
    }
    return body, headers


async def attempt(
    http: httpx.AsyncClient, delivery: Claimed, box: SecretBox, limit_seconds: float
) -> Outcome:
    attempted_at, started = datetime.now(UTC), time.monotonic()
    status_code, error = await _signed_post(http, delivery, box, limit_seconds)
    duration_ms = round((time.monotonic() - started) * 1000)
    return Outcome(attempted_at, duration_ms, status_code, error)


async def _signed_post(
    http: httpx.AsyncClient, delivery: Claimed, box: SecretBox, limit_seconds: float
) -> tuple[int | None, str | None]:
    try:
        secret = box.decrypt(delivery.secret_ciphertext)
    except InvalidToken:  # a key rotated away too soon: nothing can be signed, so nothing is sent
        return None, _UNDECRYPTABLE
    return await _post(http, delivery, secret, limit_seconds)


async def _post(
    http: httpx.AsyncClient, delivery: Claimed, secret: str, limit_seconds: float
) -> tuple[int | None, str | None]:
    """``(status code, None)`` or ``(None, what went wrong)``: every failure is an answer, never an
    exception, so one bad delivery can neither stop the worker nor be retried for ever uncounted.
    Only the status line matters: the body is never read, so a receiver cannot make the worker
    hold a large answer."""
    try:
        body, headers = _request(delivery, secret)
        async with (
            asyncio.timeout(limit_seconds),
            http.stream("POST", delivery.url, content=body, headers=headers) as response,
        ):
            code = response.status_code
    except (TimeoutError, httpx.TimeoutException) as exc:
        return None, _timed_out(exc, limit_seconds)
    except Exception as exc:  # refused connection, bad TLS, or a bug of ours: all count
        return None, _failure(delivery, exc)
    if not 100 <= code <= 599:  # HTTP/1.1 allows any three digits; none of the others mean anything
        return None, f"answered with the undefined status code {code}"
    return code, None


def _timed_out(exc: Exception, limit_seconds: float) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"ConnectTimeout: {exc}"
    return f"timed out after {limit_seconds:g} s"


def _failure(delivery: Claimed, exc: Exception) -> str:
    if isinstance(exc.__cause__, _Refused):
        return f"not sent: {exc.__cause__}"
    if not isinstance(exc, httpx.HTTPError):
        _log.exception("webhook delivery %s: unexpected error", delivery.id)
    return f"{type(exc).__name__}: {exc}".replace("\x00", "")[:_MAX_ERROR_CHARS]
