"""The gateway's configuration: environment variables only, one class."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

from baseline_service_kit import ObservabilitySettings

__all__ = ["CLAIM_PATH_PATTERN", "Settings", "libpq_url", "sqlalchemy_url"]

# A dotted claim path, `[*]` after a list (see baseline_api.auth.claims).
CLAIM_PATH_PATTERN = r"^[A-Za-z0-9_:/-]+(?:\[\*\])?(?:\.[A-Za-z0-9_:/-]+(?:\[\*\])?)*$"


class Settings(ObservabilitySettings):
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
    # Webhook deliveries: a whole request (name lookup, connect, response headers) must finish
    # within the timeout, and connecting within the (shorter) connect timeout, so that a receiver
    # that does not even accept connections is given up on quickly; after the last attempt, failed.
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_connect_timeout_seconds: float = Field(default=3.0, gt=0)
    webhook_max_attempts: int = Field(default=12, ge=1, le=1000)
    # Attempts one gateway process has in flight at once, and one receiver across all processes.
    webhook_max_in_flight: int = Field(default=100, ge=1, le=10_000)
    webhook_receiver_in_flight: int = Field(default=2, ge=1, le=100)
    # After this many failures in a row a receiver's circuit opens: one probe at a time, with backoff.
    webhook_circuit_failures: int = Field(default=5, ge=1, le=1000)
    # A receiver failing for this long is disabled (re-enabled with PATCH /v1/webhooks/{id}).
    webhook_disable_after_hours: float = Field(default=72.0, gt=0)
    # Loopback and private addresses as receivers: for receivers on internal networks, by choice.
    webhook_allow_private_networks: bool = False
    # Fernet keys (url-safe base64 of 32 bytes) that encrypt webhook secrets at rest; the previous
    # ones (comma-separated) still decrypt while secrets are re-encrypted after a rotation.
    baseline_secret_key: SecretStr | None = None
    baseline_secret_key_previous: SecretStr | None = None
    # OpenID Connect: tokens from one issuer, for one audience; both unset: off.
    oidc_issuer: str | None = Field(default=None, min_length=1)
    oidc_audience: str | None = Field(default=None, min_length=1)
    oidc_jwks_url: str | None = Field(default=None, min_length=1)  # else from the discovery document
    oidc_leeway_seconds: int = Field(default=30, ge=0, le=300)
    oidc_scopes_claim: str = Field(default="scope", pattern=CLAIM_PATH_PATTERN)
    oidc_scope_prefix: str = "baseline:"
    oidc_ods_claim: str = Field(default="ods_codes", pattern=CLAIM_PATH_PATTERN)
    # A token naming a key the cache lacks fetches the keys again, at most this often.
    oidc_jwks_min_refresh_seconds: float = Field(default=10.0, ge=0)
    # Cached keys are fetched again on next use after this long, so withdrawn keys stop working.
    oidc_jwks_max_age_seconds: float = Field(default=300.0, gt=0)
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

    @field_validator("baseline_secret_key", "baseline_secret_key_previous", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value  # as `${BASELINE_SECRET_KEY:-}` passes an unset key

    @model_validator(mode="after")
    def _require_secret_key_in_production(self) -> Settings:
        if self.baseline_env == "production" and self.baseline_secret_key is None:
            raise ValueError("BASELINE_SECRET_KEY is required in production (webhook secrets are encrypted)")
        return self

    @model_validator(mode="after")
    def _oidc_all_or_nothing(self) -> Settings:
        if (self.oidc_issuer is None) != (self.oidc_audience is None):
            raise ValueError("OIDC_ISSUER and OIDC_AUDIENCE are set together, or neither is")
        if self.oidc_jwks_url is not None and self.oidc_issuer is None:
            raise ValueError("OIDC_JWKS_URL needs OIDC_ISSUER and OIDC_AUDIENCE")
        urls = (self.oidc_issuer, self.oidc_jwks_url)
        if self.baseline_env == "production" and any(u and not u.startswith("https://") for u in urls):
            raise ValueError("OIDC_ISSUER and OIDC_JWKS_URL must be https:// URLs in production")
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
