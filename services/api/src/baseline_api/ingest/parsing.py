"""Read an ingestion body into items, each either valid or the problem that stops it.

What is wrong with the request as a whole (media type, not JSON, not an array, too many items)
is raised as a problem; what is wrong with one item is kept as that item's problem, so the
other items still go ahead. In NDJSON each line is parsed on its own, so one bad line stops
only itself. Parsing and schema checks run in pydantic-core (Rust): a JSON array in one pass
when every item is valid (the usual case), and item by item only when one is not.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import from_json

from baseline_service_kit import (
    BadRequest,
    FieldError,
    ProblemError,
    Unprocessable,
    UnsupportedMediaType,
    field_path,
)

from .schemas import MAX_ITEMS, IngestItem

__all__ = ["JSON", "NDJSON", "Parsed", "parse_items"]

JSON = "application/json"
NDJSON = "application/x-ndjson"
WHOLE_ITEM = "item"

Parsed = IngestItem | ProblemError
_ITEM = TypeAdapter(IngestItem)
_ITEMS = TypeAdapter(list[IngestItem])


def parse_items(content_type: str | None, body: bytes) -> list[Parsed]:
    """The items of ``body`` in order; a ``ProblemError`` in place of each item that is invalid."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type == JSON:
        return _json_items(body)
    if media_type == NDJSON:
        return [_item_from_line(line) for line in _ndjson_lines(body)]
    raise UnsupportedMediaType(
        f"Send the items as {JSON} (an array) or {NDJSON} (one item a line).",
        errors=[FieldError(field="header.content-type", message=f"expected {JSON} or {NDJSON}")],
    )


def _json_items(body: bytes) -> list[Parsed]:
    try:
        items: list[Parsed] = list(_ITEMS.validate_json(body))
    except ValidationError:  # not an array, or some item is invalid: item by item
        return [_item_from_python(raw) for raw in _json_array(body)]
    _check_count(len(items))
    return items


def _json_array(body: bytes) -> list[Any]:
    try:
        document = from_json(body)
    except ValueError as error:
        raise BadRequest(
            "The body is not valid JSON.", errors=[FieldError(field="body", message=str(error))]
        ) from None
    if not isinstance(document, list):
        raise Unprocessable(
            "The body must be a JSON array of items.",
            errors=[FieldError(field="body", message="expected an array")],
        )
    _check_count(len(document))
    return document


def _ndjson_lines(body: bytes) -> list[bytes]:
    lines = body.split(b"\n")
    if lines[-1] == b"":  # the newline that ends the last line
        lines.pop()
    _check_count(len(lines))
    return lines


def _check_count(count: int) -> None:
    if not 1 <= count <= MAX_ITEMS:
        message = f"from 1 to {MAX_ITEMS} items, got {count}"
        raise Unprocessable(
            f"A request carries {message}.", errors=[FieldError(field="body", message=message)]
        )


def _item_from_python(raw: Any) -> Parsed:
    try:
        return _ITEM.validate_python(raw)
    except ValidationError as error:
        return _invalid(error)


def _item_from_line(line: bytes) -> Parsed:
    if not line.strip():
        return Unprocessable(
            "A blank line is not an item.", errors=[FieldError(field=WHOLE_ITEM, message="blank line")]
        )
    try:
        return _ITEM.validate_json(line)
    except ValidationError as error:
        return _invalid(error)


def _invalid(error: ValidationError) -> ProblemError:
    found = error.errors(include_url=False, include_input=False)
    if found and found[0]["type"] == "json_invalid":
        return BadRequest("The line is not valid JSON.", errors=[_field_error(found[0])])
    noun = "field is" if len(found) == 1 else "fields are"
    return Unprocessable(f"{len(found)} {noun} invalid.", errors=[_field_error(e) for e in found])


def _field_error(error: Any) -> FieldError:
    return FieldError(field=field_path(error["loc"]) or WHOLE_ITEM, message=error["msg"])
