"""Helpers shared by the framework library's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from framework_model import Framework, problems_from_error

Mutation = Callable[[dict[str, Any]], None]


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
