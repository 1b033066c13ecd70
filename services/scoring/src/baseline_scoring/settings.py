"""The scoring service's configuration: environment variables only."""

from __future__ import annotations

from pydantic import Field

from baseline_service_kit import ObservabilitySettings

__all__ = ["Settings"]


class Settings(ObservabilitySettings):
    host: str = "127.0.0.1"
    port: int = Field(default=8001, ge=1, le=65535)
