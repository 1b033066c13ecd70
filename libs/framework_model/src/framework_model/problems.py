"""Problems found in a framework's content, each named by its path in the document.

A path reads like the YAML it points into: ``pillars[1].capabilities[0].questions[2].question_id``;
mapping keys are quoted: ``default_targets['ways-of-working']``.

``Framework``'s validator raises ``FrameworkProblems`` (a ``ValueError``), which pydantic
wraps in a ``ValidationError``; ``problems_from_error`` turns any such error, including
pydantic's own field errors, back into a flat list of ``FrameworkProblem``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from pydantic import ValidationError

__all__ = ["FrameworkProblem", "FrameworkProblems", "format_loc", "problems_from_error"]


class FrameworkProblem(NamedTuple):
    """One thing wrong with a framework: where (``path``) and what (``message``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class FrameworkProblems(ValueError):
    """Every problem the framework validator found, not just the first."""

    def __init__(self, problems: Iterable[FrameworkProblem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in framework:\n{lines}")


def format_loc(loc: Sequence[int | str]) -> str:
    """Write a pydantic ``loc`` tuple as a path: ``("pillars", 1, "weight")`` -> ``pillars[1].weight``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else part
    return path


def problems_from_error(error: ValidationError) -> list[FrameworkProblem]:
    """Flatten a ``ValidationError`` raised while building a ``Framework`` into problems."""
    problems: list[FrameworkProblem] = []
    for detail in error.errors():
        cause = detail.get("ctx", {}).get("error")
        if isinstance(cause, FrameworkProblems):
            problems.extend(cause.problems)
        else:
            problems.append(FrameworkProblem(format_loc(detail["loc"]), detail["msg"]))
    return problems
