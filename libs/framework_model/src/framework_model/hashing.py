"""The content hash that proves a published framework version never changed.

The hash covers the validated model, not the file: key order, comments, quoting and
defaults spelt out or left implicit in the YAML do not change it; any changed value does.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from framework_model.models import Framework

__all__ = ["canonical_json", "compute_content_hash", "content_hash", "definition_document"]


def canonical_json(framework: Framework) -> bytes:
    """The framework as canonical JSON: sorted keys, no spaces, UTF-8, no ASCII escapes."""
    document = framework.model_dump(mode="json")
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
    document = framework.model_dump(mode="json")
    document["content_hash"] = content_hash(framework)
    return document
