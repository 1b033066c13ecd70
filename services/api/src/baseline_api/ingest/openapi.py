"""The ingestion request body in the OpenAPI document.

The route reads its body itself (two media types, and one bad item must not refuse the
rest), so FastAPI cannot describe it: the body is stated here, and the ``IngestItem`` schema is
added to the document's components for it to refer to.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from pydantic import TypeAdapter

from .schemas import ITEM_EXAMPLE, MAX_ITEMS, IngestItem

__all__ = ["REQUEST_BODY", "document_ingest_item"]

_ITEM_REF = {"$ref": "#/components/schemas/IngestItem"}
_SECOND_EXAMPLE = {
    "organisation": {"ods_code": "A81001", "name": "The Densham Surgery", "kind": "gp-practice"},
    "framework_id": "nhs-digital-readiness",
    "responses": [{"question_id": "wow-cul-blameless-review", "value": "defined"}],
}
_EXAMPLES = [ITEM_EXAMPLE, _SECOND_EXAMPLE]

REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "description": f"1 to {MAX_ITEMS:,} items.",
    "content": {
        "application/json": {
            "schema": {"type": "array", "items": _ITEM_REF, "minItems": 1, "maxItems": MAX_ITEMS},
            "example": _EXAMPLES,
        },
        "application/x-ndjson": {
            # OpenAPI 3.1 has no way to say "a sequence of JSON values", so the schema is that of
            # the items as an array; on the wire each is one line.
            "schema": {
                "type": "array",
                "items": _ITEM_REF,
                "minItems": 1,
                "maxItems": MAX_ITEMS,
                "description": "Newline-delimited JSON: the same items, one `IngestItem` object a line.",
            },
            "example": "".join(json.dumps(item) + "\n" for item in _EXAMPLES),
        },
    },
}


def document_ingest_item(app: FastAPI) -> None:
    """Add ``IngestItem`` (and the schemas it uses) to the components ``REQUEST_BODY`` refers to."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schemas = generate().setdefault("components", {}).setdefault("schemas", {})
            item = TypeAdapter(IngestItem).json_schema(ref_template="#/components/schemas/{model}")
            for name, schema in {**item.pop("$defs", {}), "IngestItem": item}.items():
                schemas.setdefault(name, schema)
        return generate()

    setattr(app, "openapi", openapi)  # noqa: B010 - FastAPI's documented way to customise the schema
