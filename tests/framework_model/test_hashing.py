"""The content hash: canonical, stable under formatting, sensitive to content."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import yaml

from framework_model import Framework, canonical_json, content_hash, definition_document, parse_framework

from .conftest import DEMO_1_0
from .support import put


def _reversed_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _reversed_keys(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [_reversed_keys(item) for item in value]
    return value


def _without_later_fields(document: dict[str, Any]) -> dict[str, Any]:
    """The dump as it was before 2.0.0's fields existed (none of them is set in the demo)."""
    assert document.pop("glossary") == []
    for pillar in document["pillars"]:
        for capability in pillar["capabilities"]:
            for question in capability["questions"]:
                assert (question.pop("lead"), question.pop("minutes")) == (False, None)
    for recommendation in document["recommendations"]:
        assert (recommendation.pop("done_when"), recommendation.pop("duration_days")) == (None, None)
    return document


def test_the_hash_is_sha256_of_canonical_json(demo: Framework) -> None:
    document = _without_later_fields(demo.model_dump(mode="json"))
    expected_json = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = "sha256:" + hashlib.sha256(expected_json.encode("utf-8")).hexdigest()
    assert canonical_json(demo) == expected_json.encode("utf-8")
    assert content_hash(demo) == expected
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", content_hash(demo))


def test_key_order_and_formatting_do_not_change_the_hash(demo: Framework) -> None:
    text = DEMO_1_0.read_text(encoding="utf-8")
    reordered = yaml.safe_dump(
        _reversed_keys(yaml.safe_load(text)), sort_keys=False, default_flow_style=False
    )
    assert reordered.index("framework_id") > reordered.index("pillars")  # the order really changed
    assert content_hash(parse_framework(reordered)) == content_hash(demo)


def test_defaults_spelt_out_do_not_change_the_hash(demo: Framework, demo_data: dict[str, Any]) -> None:
    put("pillars.0.capabilities.0.questions.0.guidance", "")(demo_data)
    put("pillars.1.weight", 1)(demo_data)  # an int where a float is meant
    assert content_hash(Framework.model_validate(demo_data)) == content_hash(demo)


def test_fields_added_later_change_the_hash_only_when_set(demo: Framework, demo_data: dict[str, Any]) -> None:
    put("pillars.0.capabilities.0.questions.0.lead", False)(demo_data)
    put("recommendations.0.done_when", None)(demo_data)
    assert content_hash(Framework.model_validate(demo_data)) == content_hash(demo)
    put("pillars.0.capabilities.0.questions.0.minutes", 2)(demo_data)
    assert content_hash(Framework.model_validate(demo_data)) != content_hash(demo)


def test_changing_a_label_changes_the_hash(demo: Framework, demo_data: dict[str, Any]) -> None:
    put("pillars.0.capabilities.0.questions.0.options.0.label", "Never, not once")(demo_data)
    assert content_hash(Framework.model_validate(demo_data)) != content_hash(demo)


def test_changing_a_score_changes_the_hash(demo: Framework, demo_data: dict[str, Any]) -> None:
    put("pillars.0.capabilities.0.questions.0.options.1.score", 0.6)(demo_data)
    assert content_hash(Framework.model_validate(demo_data)) != content_hash(demo)


def test_non_ascii_text_is_hashed_as_utf8(demo_data: dict[str, Any]) -> None:
    put("title", "Préparation — démo")(demo_data)
    framework = Framework.model_validate(demo_data)
    assert "Préparation — démo".encode() in canonical_json(framework)


def test_the_cached_hash_is_not_part_of_the_model(demo: Framework) -> None:
    content_hash(demo)  # fills the cache on the instance
    assert "content_hash" not in demo.model_dump()
    assert "_content_hash" not in demo.model_dump()
    assert demo == Framework.model_validate(demo.model_dump())


def test_the_definition_document_is_the_framework_plus_its_hash(demo: Framework) -> None:
    document = definition_document(demo)
    assert document.pop("content_hash") == content_hash(demo)
    assert document == demo.model_dump(mode="json")
    assert json.loads(json.dumps(document)) == document
