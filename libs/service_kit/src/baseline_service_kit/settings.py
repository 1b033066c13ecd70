"""What both services read from the environment for their logs and traces: each service's own
settings class extends this one, so the variables mean the same everywhere."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ObservabilitySettings"]


class ObservabilitySettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    # One line per request: `text` for people at a terminal, `json` for a log pipeline.
    log_format: Literal["text", "json"] = "text"
    # Traces are exported (OTLP over HTTP) only when this is set; the SDK reads the other
    # standard OTEL_* variables (headers, sampler, resource attributes) itself.
    otel_exporter_otlp_endpoint: str | None = Field(default=None, min_length=1)
    otel_service_name: str | None = Field(default=None, min_length=1)
