"""The content hash that proves a published framework version never changed.

The hash covers the validated model, not the file: key order, comments, quoting and
defaults spelt out or left implicit in the YAML do not change it; any changed value does.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from framework_model.models import Framework

__all__ = ["canonical_json", "compute_content_hash", "content_hash", "definition_document"]


def canonical_json(framework: Framework) -> bytes:
    """The framework as canonical JSON: sorted keys, no spaces, UTF-8, no ASCII escapes.

    Fields added after a version was published are left out while they hold their default, so
    adding a field to the model never changes a published version's hash.
    """
    exclude = _later_defaults(framework)
    document = framework.model_dump(mode="json", by_alias=True, exclude=exclude)
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def compute_content_hash(framework: Framework) -> str:
    """``sha256:<hex>`` of the canonical JSON, computed afresh (prefer ``content_hash``)."""
    return "sha256:" + hashlib.sha256(canonical_json(framework)).hexdigest()


def content_hash(framework: Framework) -> str:
    """``sha256:<hex>`` of the framework's canonical JSON, cached on the instance."""
    return framework._content_hash


def definition_document(framework: Framework) -> dict[str, Any]:
    """The definition served over HTTP: the framework as JSON plus its ``content_hash``."""
    document = framework.model_dump(mode="json", by_alias=True)
    document["content_hash"] = content_hash(framework)
    return document


def _later_defaults(model: BaseModel) -> dict[Any, Any]:
    """Pydantic's ``exclude`` spec for every field of ``model`` and its items that was added later
    (a model's ``added_later``) and still holds the default it was added with."""
    spec: dict[Any, Any] = {}
    added_later: dict[str, Any] = getattr(model, "added_later", {})
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name in added_later and value == added_later[name]:
            spec[name] = True
        elif isinstance(value, list):
            items = {i: _later_defaults(item) for i, item in enumerate(value) if isinstance(item, BaseModel)}
            spec[name] = {i: item for i, item in items.items() if item} or None
        elif isinstance(value, BaseModel):
            spec[name] = _later_defaults(value) or None
    return {name: item for name, item in spec.items() if item}
