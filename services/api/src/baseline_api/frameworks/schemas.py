"""Response bodies of the frameworks domain."""

from __future__ import annotations

from pydantic import BaseModel, Field

from framework_model import Framework, FrameworkSummary

__all__ = ["FrameworkDefinition", "FrameworkList"]


class FrameworkList(BaseModel):
    items: list[FrameworkSummary]


class FrameworkDefinition(Framework):
    """The whole framework definition, with the hash that proves which content it is.

    The scoring service declares the same model: ``framework_model`` knows nothing of HTTP, and
    three lines are cheaper to repeat than a shared HTTP package."""

    content_hash: str = Field(examples=["sha256:4f1c..."])
