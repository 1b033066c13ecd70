"""A local OpenID Connect issuer for the tests: keys generated here, a discovery document and a
JSON Web Key Set served by a real HTTP server on 127.0.0.1 (uvicorn, in the test's event loop),
and tokens signed with those keys.

The issuer counts the requests it answers, can publish a new key mid-test (rotation) and can
stop answering (an outage), so every behaviour of the gateway's key cache is observable.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
import pytest
from asgi_lifespan import LifespanManager
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from starlette.types import Receive, Scope, Send

from baseline_api.app import create_app
from baseline_api.core.settings import Settings
from tests.serving import served

AUDIENCE = "https://baseline.example.nhs.uk"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    algorithm: str
    private: Any

    @classmethod
    def rsa(cls, kid: str | None = None) -> SigningKey:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return cls(kid or f"rsa-{uuid.uuid4().hex[:8]}", "RS256", private)

    @classmethod
    def ec(cls, kid: str | None = None) -> SigningKey:
        return cls(kid or f"ec-{uuid.uuid4().hex[:8]}", "ES256", ec.generate_private_key(ec.SECP256R1()))

    def jwk(self) -> dict[str, Any]:
        algorithm = jwt.get_algorithm_by_name(self.algorithm)
        public = json.loads(algorithm.to_jwk(self.private.public_key()))
        return {**public, "kid": self.kid, "use": "sig", "alg": self.algorithm}

    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        return jwt.encode(claims, self.private, algorithm=self.algorithm, headers={"kid": self.kid, **header})


@dataclass
class Issuer:
    """The identity provider: ``published`` keys are in its JWKS; ``answering`` false: 503s."""

    url: str = ""
    published: list[SigningKey] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    answering: bool = True

    @property
    def key(self) -> SigningKey:
        return self.published[0]

    def jwks_fetches(self) -> int:
        return self.requests.count("/jwks")

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": AUDIENCE,
            "sub": "910000000001",
            "name": "Dr Jane Smith",
            "iat": now,
            "exp": now + 300,
            "scope": "openid baseline:read baseline:write",
            "ods_codes": ["RX1"],
        }
        claims.update(overrides)
        return {name: value for name, value in claims.items() if value is not None}

    def token(self, key: SigningKey | None = None, **overrides: Any) -> str:
        return (key or self.key).sign(self.claims(**overrides))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "http"
        self.requests.append(scope["path"])
        documents = {
            "/.well-known/openid-configuration": {"issuer": self.url, "jwks_uri": f"{self.url}/jwks"},
            "/jwks": {"keys": [key.jwk() for key in self.published]},
        }
        document = documents.get(scope["path"]) if self.answering else None
        status, body = (200, json.dumps(document).encode()) if document else (503, b"")
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def unsigned(claims: dict[str, Any], kid: str, algorithm: str = "none", secret: bytes = b"") -> str:
    """A token PyJWT would refuse to make: ``alg: none``, or HMAC keyed with ``secret`` (the attack
    that uses an issuer's public key, which anyone can read, as the HMAC secret)."""

    def encode(part: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()

    signing_input = f"{encode({'alg': algorithm, 'typ': 'JWT', 'kid': kid})}.{encode(claims)}"
    signature = (
        b"" if algorithm == "none" else hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    )
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


@pytest.fixture(scope="session")
def rsa_key() -> SigningKey:
    return SigningKey.rsa("rsa-1")


@pytest.fixture(scope="session")
def ec_key() -> SigningKey:
    return SigningKey.ec("ec-1")


@pytest.fixture
async def issuer(rsa_key: SigningKey, ec_key: SigningKey) -> AsyncIterator[Issuer]:
    endpoint = Issuer(published=[rsa_key, ec_key])
    async with served(endpoint, lifespan="off") as url:
        endpoint.url = url
        yield endpoint


@pytest.fixture
def oidc_settings(settings: Settings, issuer: Issuer) -> Settings:
    return settings.model_copy(update={"oidc_issuer": issuer.url, "oidc_audience": AUDIENCE})


GatewayFactory = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def oidc_gateway(oidc_settings: Settings, api: httpx.AsyncClient) -> AsyncIterator[GatewayFactory]:
    """A gateway (its own app and lifespan, on the test database) with OpenID Connect settings
    changed as asked; ``api`` (the plain gateway) is there to create data and to clean up."""
    async with contextlib.AsyncExitStack() as stack:

        async def start(**changes: Any) -> httpx.AsyncClient:
            app = create_app(oidc_settings.model_copy(update=changes))
            manager = await stack.enter_async_context(LifespanManager(app))
            transport = httpx.ASGITransport(app=manager.app)
            return await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url="http://api.test")
            )

        yield start
