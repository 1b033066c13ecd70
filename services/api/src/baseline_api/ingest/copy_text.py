"""Rows in PostgreSQL's ``COPY ... FROM STDIN`` text format, formatted in Python in one pass.

psycopg's ``write_row`` pays an awaited call and a dumper per value; at tens of thousands of
answers a request that was a third of ingestion's time. Here a batch is plain string work and
goes to the server in one ``write``. The format (PostgreSQL docs, "COPY", "Text Format"): one
line a row, columns separated by a tab, ``\\N`` for NULL, and in a value a backslash, tab,
newline or carriage return written as ``\\\\``, ``\\t``, ``\\n``, ``\\r``; nothing else needs
escaping (a lone ``\\.`` cannot occur, as every backslash is doubled).
"""

from __future__ import annotations

__all__ = ["NULL", "boolean", "text"]

NULL = "\\N"
_ESCAPED = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def text(value: str | None) -> str:
    """``value`` as one column of a row: escaped, or ``\\N`` for None."""
    if value is None:
        return NULL
    # Most values hold none of the four characters: checking is several times cheaper than
    # translating, which walks the string in Python's slow path for a mapping to many characters.
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPED)
    return value


def boolean(value: bool) -> str:
    return "t" if value else "f"
