"""The gateway's configuration: environment variables only, one class."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["Settings", "libpq_url", "sqlalchemy_url"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/baseline"
    scoring_url: str = "http://127.0.0.1:8001"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    baseline_admin_token: SecretStr | None = None
    baseline_env: Literal["development", "production"] = "development"
    scoring_timeout_seconds: float = Field(default=10.0, gt=0)
    db_pool_size: int = Field(default=10, ge=1)
    # How long a request waits for a connection (all in use, or the database not answering)
    # before it is answered 503.
    db_pool_timeout_seconds: float = Field(default=10.0, gt=0)
    # The body limit of POST /v1/ingest/assessments; every other route keeps the kit's 1 MiB.
    ingest_max_body_bytes: int = Field(default=32 * 1024 * 1024, ge=1024 * 1024)
    # Background workers (scoring retries, webhook deliveries); off only in tests that need a
    # submitted assessment to stay as it is.
    background_workers: bool = True
    worker_idle_seconds: float = Field(default=1.0, gt=0)
    retry_base_seconds: float = Field(default=1.0, gt=0)
    retry_cap_seconds: float = Field(default=300.0, gt=0)
    shutdown_grace_seconds: int = Field(default=30, ge=1)
    # Housekeeping: settled webhook events (and their deliveries) are kept this long.
    event_retention_days: int = Field(default=30, ge=1)
    housekeeping_idle_seconds: float = Field(default=600.0, gt=0)
    # Rendered reports, charts and PDFs are kept this long (keyed by their inputs, never stale).
    render_cache_retention_days: int = Field(default=7, ge=1)
    # Webhook deliveries: a whole request (connect to response headers) must finish within the
    # timeout, since the delivery's row lock is held meanwhile; after the last attempt, failed.
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_max_attempts: int = Field(default=12, ge=1, le=1000)
    webhook_batch_size: int = Field(default=20, ge=1, le=1000)
    # Browsers on these origins may call the API (CORS); empty: no CORS headers at all.
    cors_allowed_origins: Annotated[tuple[str, ...], NoDecode] = ()

    @field_validator("cors_allowed_origins", mode="before")
    @classmethod
    def _exact_origins(cls, value: object) -> object:
        """``CORS_ALLOWED_ORIGINS`` is comma-separated: ``https://a.example,https://b.example``."""
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, list | tuple):
            return tuple(_exact_origin(str(part).strip()) for part in value if str(part).strip())
        return value

    @model_validator(mode="after")
    def _refuse_weak_admin_token_in_production(self) -> Settings:
        token = self.baseline_admin_token
        if self.baseline_env == "production" and (token is None or len(token.get_secret_value()) < 32):
            raise ValueError("BASELINE_ADMIN_TOKEN of at least 32 characters is required in production")
        return self


def _exact_origin(origin: str) -> str:
    """An origin exactly as a browser writes it in ``Origin``, or a clear refusal: the match is exact,
    so a path, a trailing slash, capitals or a default port would silently never match."""
    as_browsers_send_it = _as_browsers_send_it(origin)
    if as_browsers_send_it is None:
        raise ValueError(
            f"CORS_ALLOWED_ORIGINS: {origin!r} is not an origin: write scheme://host[:port] with no "
            "path, e.g. https://portal.example.nhs.uk (a wildcard is never allowed)"
        )
    if origin != as_browsers_send_it:
        raise ValueError(
            f"CORS_ALLOWED_ORIGINS: browsers send {origin!r} as {as_browsers_send_it!r}; write that"
        )
    return origin


def _as_browsers_send_it(origin: str) -> str | None:
    """``scheme://host[:port]`` in lower case without the scheme's default port; None if no origin."""
    parts = urlsplit(origin)
    try:
        port = parts.port
    except ValueError:  # out of range, or not a number
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username is not None:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default_port = 443 if parts.scheme == "https" else 80
    return f"{parts.scheme}://{host}" + ("" if port in (None, default_port) else f":{port}")


def libpq_url(database_url: str) -> str:
    """``database_url`` as libpq takes it (psycopg's own pool): without SQLAlchemy's driver name."""
    return sqlalchemy_url(database_url).replace("postgresql+psycopg://", "postgresql://", 1)


def sqlalchemy_url(database_url: str) -> str:
    """Accept plain ``postgresql://`` URLs (as libpq tools and most hosts print them) and pin the
    psycopg 3 driver, which serves both the async app and Alembic's sync migrations."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url.removeprefix(prefix)
    return database_url
