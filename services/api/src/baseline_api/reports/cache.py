"""What is rendered is kept, keyed by a hash of everything it shows, and answered with an ETag.

The key is a SHA-256 of the inputs (``ReportInputs.canonical``), the kind of document, and the
code that renders it (this package's source and templates, and the renderers' versions). So a
key never names two different documents: an entry cannot be stale, and any number of gateway
replicas can share the cache in PostgreSQL. The same hash is the ETag, so a client that has the
document gets 304 before anything is rendered or read from the cache.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from baseline_api.core.db import Connections

from . import repository
from .rendering import Renderer

__all__ = ["cached", "code_version", "etag_of", "fingerprint", "matches", "rendered"]

_LIBRARIES = ("vl-convert-python", "weasyprint", "xlsxwriter", "jinja2")


@cache
def code_version() -> str:
    """A hash of what turns inputs into documents: this package's files and the libraries' versions."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".py", ".j2", ".css"}):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for library in _LIBRARIES:
        digest.update(f"{library}=={version(library)}\0".encode())
    return digest.hexdigest()


def fingerprint(kind: str, canonical: bytes) -> str:
    """The cache key and ETag of document ``kind`` (``report.html``, ``chart.pillars.svg``...)."""
    return hashlib.sha256(f"{code_version()}\0{kind}\0".encode() + canonical).hexdigest()


def etag_of(key: str) -> str:
    return f'"{key[:40]}"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weak comparison, RFC 9110 13.1.2), or is ``*``."""
    if if_none_match is None:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


async def cached(
    connections: Connections,
    key: str,
    media_type: str,
    produce: Callable[[], Awaitable[bytes]],
    *,
    keep: bool = True,
) -> bytes:
    """The document ``key`` from the cache, or ``produce``d and, with ``keep``, stored for every
    replica. Two replicas producing the same key at once store it once (the bodies are equal)."""
    async with connections.use() as connection:
        body = await repository.cached_body(connection, key)
    if body is not None:
        return body
    body = await produce()
    if keep:
        async with connections.use() as connection:
            await repository.store_body(connection, key, media_type, body)
    return body


async def rendered(
    connections: Connections, renderer: Renderer, source: Any, key: str, *, keep: bool = True
) -> bytes:
    """``cached``, rendering ``source`` in a worker thread (never on the event loop) on a miss."""
    return await cached(
        connections, key, renderer.media_type, lambda: asyncio.to_thread(renderer.render, source), keep=keep
    )
