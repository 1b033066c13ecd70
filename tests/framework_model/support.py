"""Helpers shared by the framework library's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from framework_model import (
    Framework,
    OptionCrosswalk,
    crosswalk_question_ids,
    framework_index,
    problems_from_error,
)

Mutation = Callable[[dict[str, Any]], None]
Route = tuple[str, str, dict[str, Any]]


def crosswalk_routes(source: Framework, target: Framework) -> list[Route]:
    """(from question, to question, option map), read straight from ``target``'s crosswalk from
    ``source``: in the first form, an option carries where its id exists in the later question."""
    entry = target.crosswalk[source.version]
    if isinstance(entry, OptionCrosswalk):
        return [(m.from_question, m.to_question, dict(m.options)) for m in entry.map]
    later = framework_index(target).questions
    routes = []
    for old_id, new_id in crosswalk_question_ids(target, source.version, from_framework=source).items():
        if new_id in later:
            kept = set(framework_index(target).option_ids(new_id))
            old_options = framework_index(source).option_ids(old_id)
            routes.append((old_id, new_id, {o: o if o in kept else None for o in old_options}))
    return routes


def problems(data: dict[str, Any]) -> list[str]:
    """Validate ``data`` expecting failure; every problem as ``path: message``."""
    with pytest.raises(ValidationError) as caught:
        Framework.model_validate(data)
    return [str(problem) for problem in problems_from_error(caught.value)]


def dig(data: Any, path: str) -> Any:
    """The item at a dotted path such as ``pillars.0.capabilities``."""
    for part in path.split("."):
        data = data[int(part)] if part.isdigit() else data[part]
    return data


def put(path: str, value: Any) -> Mutation:
    """A mutation that sets the item at a dotted path."""
    parent, _, last = path.rpartition(".")

    def mutate(data: dict[str, Any]) -> None:
        target: Any = dig(data, parent) if parent else data
        target[int(last) if last.isdigit() else last] = value

    return mutate
