"""ETags of assessments: the revision number, quoted, compared strongly (RFC 9110 13.1.1)."""

from __future__ import annotations

__all__ = ["etag", "expected_revisions"]

_MAX_REVISION = 2**31 - 1  # the column is a PostgreSQL integer


def etag(revision: int) -> str:
    return f'"{revision}"'


def expected_revisions(if_match: str | None) -> frozenset[int] | None:
    """The revisions an ``If-Match`` header accepts; None when it sets no condition (absent or ``*``).

    Weak tags (``W/"3"``) and tags we never issue parse to nothing, so they match no revision:
    RFC 9110 asks for strong comparison on ``If-Match``.
    """
    if if_match is None or if_match.strip() == "*":
        return None
    revisions = set()
    for tag in (part.strip() for part in if_match.split(",")):
        number = tag[1:-1] if len(tag) > 2 and tag[0] == tag[-1] == '"' else ""
        if number.isascii() and number.isdigit() and int(number) <= _MAX_REVISION:
            revisions.add(int(number))
    return frozenset(revisions)
