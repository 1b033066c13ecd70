"""The gateway's configuration: environment variables only, one class."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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

    @model_validator(mode="after")
    def _refuse_weak_admin_token_in_production(self) -> Settings:
        token = self.baseline_admin_token
        if self.baseline_env == "production" and (token is None or len(token.get_secret_value()) < 32):
            raise ValueError("BASELINE_ADMIN_TOKEN of at least 32 characters is required in production")
        return self


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
