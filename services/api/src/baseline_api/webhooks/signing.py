"""Signing webhook requests, and checking a signature (for receivers, and our own tests).

Every delivery carries ``Baseline-Signature: t=<unix seconds>,v1=<hex>``, where ``<hex>`` is
HMAC-SHA256, keyed with the webhook's secret (UTF-8), of ``f"{t}."`` followed by the raw request
body. The timestamp is part of what is signed, so a receiver that refuses old timestamps also
refuses a captured request replayed later; each attempt is signed afresh. A receiver must compute
the HMAC over the bytes it received, before parsing the JSON, and compare in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import time

__all__ = [
    "DEFAULT_TOLERANCE_SECONDS",
    "SIGNATURE_HEADER",
    "signature_header",
    "verify_signature",
]

SIGNATURE_HEADER = "Baseline-Signature"
DEFAULT_TOLERANCE_SECONDS = 300
_SCHEME = "v1"


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The ``Baseline-Signature`` value for ``body`` sent at ``timestamp`` (default: now)."""
    t = int(time.time()) if timestamp is None else timestamp
    return f"t={t},{_SCHEME}={_digest(secret, t, body)}"


def _parse(header: str) -> tuple[int, list[str]] | None:
    """``(t, [v1 signatures])``, or None if the header is not of our form."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isascii() and value.isdigit():
            timestamp = int(value)
        elif key == _SCHEME and value:
            signatures.append(value)
    return None if timestamp is None or not signatures else (timestamp, signatures)


def verify_signature(
    secret: str,
    body: bytes,
    header: str,
    *,
    tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """True when ``header`` signs exactly ``body`` with ``secret`` and its timestamp is within
    ``tolerance_seconds`` of ``now`` (default: this machine's clock). Any ``v1`` entry may match,
    so a sender can sign with an old and a new secret while a secret is being rotated."""
    parsed = _parse(header)
    if parsed is None:
        return False
    timestamp, signatures = parsed
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        return False
    expected = _digest(secret, timestamp, body).encode()
    # Bytes, not str: compare_digest refuses non-ASCII text, and a header can hold anything.
    return any(hmac.compare_digest(expected, candidate.encode()) for candidate in signatures)
