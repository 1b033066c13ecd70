"""Document the ``Idempotency-Key`` header on every POST, since the middleware honours it there."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

__all__ = ["document_idempotency_key"]

PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Makes a POST safe to retry: the first answer is kept for 24 hours and replayed for the same "
        "key and body (with `Idempotent-Replayed: true`); the same key with another body is a 422."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "example": "5f0c2a7e-1d2b-4c55-9a8e-3f1b2c4d5e6f",
}


def document_idempotency_key(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            for path_item in document.get("paths", {}).values():
                if "post" in path_item:
                    path_item["post"].setdefault("parameters", []).append(PARAMETER)
        return generate()

    setattr(app, "openapi", openapi)  # noqa: B010 - FastAPI's documented way to customise the schema
