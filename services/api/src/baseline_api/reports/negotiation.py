"""Content negotiation on ``Accept`` (RFC 9110 12.5.1): which of the media types a route offers the
client prefers, or none."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["preferred"]


def _ranges(accept: str) -> list[tuple[str, float]]:
    """``(media range, q)`` for each range of the header; a malformed ``q`` counts as 0."""
    ranges = []
    for part in accept.split(","):
        media, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality))
    return ranges


def _quality(offer: str, ranges: list[tuple[str, float]]) -> float:
    """The q of the most specific range matching ``offer``: ``type/sub`` over ``type/*`` over ``*/*``."""
    kind = offer.split("/")[0]
    for candidate in (offer, f"{kind}/*", "*/*"):
        found = [quality for media, quality in ranges if media == candidate]
        if found:
            return max(found)
    return 0.0


def preferred(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer ``accept`` prefers; the first offer on a tie or without a header; None when it
    accepts none of them (a 406)."""
    if accept is None or not accept.strip():
        return offers[0]
    ranges = _ranges(accept)
    best, best_quality = None, 0.0
    for offer in offers:
        quality = _quality(offer, ranges)
        if quality > best_quality:
            best, best_quality = offer, quality
    return best
