"""OpenID Connect bearer tokens against a real local issuer: what is accepted, what is refused
(401 ``invalid_token``, 403, 404) and what the gateway makes of the claims."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest

from baseline_api.auth import SCOPES
from baseline_devstack.processes import free_port
from tests.api.auth.conftest import Issuer, SigningKey, bearer, unsigned

PROBLEM_JSON = "application/problem+json"


def assert_invalid_token(response: Any) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


@pytest.fixture
async def organisations(make_organisation) -> dict[str, dict]:
    return {code: await make_organisation(code) for code in ("RX1", "RX2", "RX3")}


async def test_an_rs256_token_sees_only_the_organisations_its_ods_codes_name(
    issuer, oidc_gateway, organisations
):
    gateway = await oidc_gateway()
    response = await gateway.get("/v1/organisations", headers=bearer(issuer.token(ods_codes=["RX1", "RX3"])))
    assert response.status_code == 200, response.text
    assert [item["ods_code"] for item in response.json()["items"]] == ["RX1", "RX3"]


async def test_an_es256_token_is_accepted(issuer, oidc_gateway, organisations, ec_key):
    gateway = await oidc_gateway()
    response = await gateway.get(
        f"/v1/organisations/{organisations['RX1']['id']}", headers=bearer(issuer.token(ec_key))
    )
    assert response.status_code == 200, response.text


async def test_an_organisation_not_in_the_claim_is_missing(issuer, oidc_gateway, organisations):
    gateway = await oidc_gateway()
    response = await gateway.get(
        f"/v1/organisations/{organisations['RX2']['id']}", headers=bearer(issuer.token())
    )
    assert response.status_code == 404


async def test_without_the_claim_a_token_sees_no_organisation(issuer, oidc_gateway, organisations):
    gateway = await oidc_gateway()
    headers = bearer(issuer.token(ods_codes=None))
    assert (await gateway.get("/v1/organisations", headers=headers)).json()["items"] == []
    url = f"/v1/organisations/{organisations['RX1']['id']}/assessments"
    response = await gateway.post(url, json={"framework_id": "nhs-digital-readiness"}, headers=headers)
    assert response.status_code == 404


async def test_cis2_role_claims_name_the_organisations(issuer, oidc_gateway, organisations):
    gateway = await oidc_gateway(oidc_ods_claim="nhsid_nrbac_roles[*].org_code")
    roles = [{"person_roleid": "1", "org_code": "RX2"}, {"person_roleid": "2", "org_code": "rx3"}]
    token = issuer.token(ods_codes=["RX1"], nhsid_nrbac_roles=roles)
    response = await gateway.get("/v1/organisations", headers=bearer(token))
    assert [item["ods_code"] for item in response.json()["items"]] == ["RX2", "RX3"]


async def test_scopes_come_from_a_list_claim_with_the_prefix(issuer, oidc_gateway, organisations):
    gateway = await oidc_gateway(oidc_scopes_claim="roles", oidc_scope_prefix="urn:baseline:")
    url = f"/v1/organisations/{organisations['RX1']['id']}/assessments"
    reader = issuer.token(scope="baseline:write", roles=["urn:baseline:read", "other"])
    assert (await gateway.get(url, headers=bearer(reader))).status_code == 200
    body = {"framework_id": "nhs-digital-readiness"}
    assert (await gateway.post(url, json=body, headers=bearer(reader))).status_code == 403
    writer = issuer.token(roles=["urn:baseline:write"])
    assert (await gateway.post(url, json=body, headers=bearer(writer))).status_code == 201


async def test_a_missing_scope_is_403(issuer, oidc_gateway, organisations):
    gateway = await oidc_gateway()
    url = f"/v1/organisations/{organisations['RX1']['id']}/assessments"
    response = await gateway.post(
        url,
        json={"framework_id": "nhs-digital-readiness"},
        headers=bearer(issuer.token(scope="baseline:read")),
    )
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
    unprefixed = issuer.token(scope="read write")
    assert (await gateway.get(url, headers=bearer(unprefixed))).status_code == 403


async def test_a_token_never_grants_admin(issuer, oidc_gateway, organisations):
    gateway = await oidc_gateway()
    every_scope = " ".join(f"baseline:{scope}" for scope in SCOPES)
    token = issuer.token(scope=every_scope, ods_codes=["RX1", "RX2", "RX3"])
    assert (await gateway.get("/v1/api-keys", headers=bearer(token))).status_code == 403
    body = {"name": "escalated", "scopes": ["admin"]}
    assert (await gateway.post("/v1/api-keys", json=body, headers=bearer(token))).status_code == 403


def _now() -> int:
    return int(time.time())


# Each refusal: a token made from the issuer (and its keys), and what makes it unacceptable.
REFUSALS: dict[str, Callable[[Issuer], str]] = {
    "expired": lambda issuer: issuer.token(iat=_now() - 400, exp=_now() - 60),
    "not yet valid": lambda issuer: issuer.token(nbf=_now() + 120),
    "wrong audience": lambda issuer: issuer.token(aud="https://another-service.example"),
    "wrong issuer": lambda issuer: issuer.token(iss="https://another-issuer.example"),
    "no exp": lambda issuer: issuer.token(exp=None),
    "no sub": lambda issuer: issuer.token(sub=None),
    "empty sub": lambda issuer: issuer.token(sub=""),
    "alg none": lambda issuer: unsigned(issuer.claims(), kid=issuer.key.kid),
    "HMAC keyed with the public key": lambda issuer: unsigned(
        issuer.claims(), kid=issuer.key.kid, algorithm="HS256", secret=issuer.key.public_pem()
    ),
    "unknown kid": lambda issuer: issuer.token(SigningKey.ec("never-published")),
    "a known kid, another key": lambda issuer: issuer.token(SigningKey.ec(issuer.published[1].kid)),
    "RS256 header on an EC key": lambda issuer: _with_header(issuer, alg="RS256"),
    "tampered claims": lambda issuer: _tampered(issuer.token()),
    "not a JWT": lambda issuer: "not.a.jwt",
    "no kid": lambda issuer: _with_header(issuer, kid=None),
}


def _with_header(issuer: Issuer, **header: Any) -> str:
    """An ES256 token of the issuer's, its header changed after signing."""
    token = issuer.token(issuer.published[1])
    _, payload, signature = token.split(".")
    fields = {**jwt.get_unverified_header(token), **header}
    encoded = base64.urlsafe_b64encode(
        json.dumps({k: v for k, v in fields.items() if v is not None}).encode()
    )
    return f"{encoded.rstrip(b'=').decode()}.{payload}.{signature}"


def _tampered(token: str) -> str:
    head, payload, signature = token.split(".")
    return f"{head}.{payload[:-4]}AAAA.{signature}"


async def test_every_bad_token_is_401_invalid_token(issuer, oidc_gateway, organisations):
    gateway = await oidc_gateway()  # one gateway for all: each case is refused on its own merits
    for case, make in REFUSALS.items():
        response = await gateway.get("/v1/organisations", headers=bearer(make(issuer)))
        assert response.status_code == 401, case
        assert_invalid_token(response)
    assert (await gateway.get("/v1/organisations", headers=bearer(issuer.token()))).status_code == 200


@pytest.mark.parametrize(
    "claims", [{"exp": -10}, {"nbf": 10}], ids=["expired within the leeway", "not before, within the leeway"]
)
async def test_the_leeway_absorbs_clock_skew(issuer, oidc_gateway, organisations, claims):
    gateway = await oidc_gateway()
    token = issuer.token(**{name: _now() + offset for name, offset in claims.items()})
    assert (await gateway.get("/v1/organisations", headers=bearer(token))).status_code == 200
    strict = await oidc_gateway(oidc_leeway_seconds=0)
    assert_invalid_token(await strict.get("/v1/organisations", headers=bearer(token)))


async def test_a_new_key_is_picked_up_without_a_restart(issuer, oidc_gateway, organisations):
    gateway = await oidc_gateway(oidc_jwks_min_refresh_seconds=0)
    assert (await gateway.get("/v1/organisations", headers=bearer(issuer.token()))).status_code == 200
    rotated = SigningKey.ec("rotated-in")
    issuer.published.append(rotated)
    response = await gateway.get("/v1/organisations", headers=bearer(issuer.token(rotated)))
    assert response.status_code == 200, response.text
    assert issuer.jwks_fetches() == 2


async def test_a_withdrawn_key_stops_working_once_the_cache_is_old(issuer, oidc_gateway, organisations):
    gateway = await oidc_gateway(oidc_jwks_min_refresh_seconds=0, oidc_jwks_max_age_seconds=0.01)
    token = issuer.token()
    assert (await gateway.get("/v1/organisations", headers=bearer(token))).status_code == 200
    issuer.published.remove(issuer.key)
    await asyncio.sleep(0.02)
    assert_invalid_token(await gateway.get("/v1/organisations", headers=bearer(token)))


async def test_unknown_kids_cannot_hammer_the_issuer(issuer, oidc_gateway, organisations):
    gateway = await oidc_gateway(oidc_jwks_min_refresh_seconds=60)
    assert (await gateway.get("/v1/organisations", headers=bearer(issuer.token()))).status_code == 200
    for number in range(20):
        stranger = issuer.token(SigningKey(f"made-up-{number}", "RS256", issuer.key.private))
        assert_invalid_token(await gateway.get("/v1/organisations", headers=bearer(stranger)))
    assert issuer.jwks_fetches() == 1
    assert issuer.requests.count("/.well-known/openid-configuration") == 1


async def test_an_unreachable_issuer_is_503_never_an_open_door(issuer, oidc_gateway, organisations):
    issuer.answering = False
    gateway = await oidc_gateway()
    response = await gateway.get("/v1/organisations", headers=bearer(issuer.token()))
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert int(response.headers["retry-after"]) > 0
    issuer.answering = True
    # After the refresh interval the keys are fetched again and the same token works.
    recovered = await oidc_gateway(oidc_jwks_min_refresh_seconds=0)
    assert (await recovered.get("/v1/organisations", headers=bearer(issuer.token()))).status_code == 200


async def test_a_closed_port_is_503_too(oidc_gateway, issuer, organisations):
    nowhere = f"http://127.0.0.1:{free_port()}"
    gateway = await oidc_gateway(oidc_issuer=nowhere)
    response = await gateway.get("/v1/organisations", headers=bearer(issuer.token(iss=nowhere)))
    assert response.status_code == 503


async def test_while_the_issuer_is_down_known_keys_still_verify(issuer, oidc_gateway, organisations):
    gateway = await oidc_gateway(oidc_jwks_min_refresh_seconds=0, oidc_jwks_max_age_seconds=0.01)
    assert (await gateway.get("/v1/organisations", headers=bearer(issuer.token()))).status_code == 200
    issuer.answering = False
    await asyncio.sleep(0.02)
    assert (await gateway.get("/v1/organisations", headers=bearer(issuer.token()))).status_code == 200
    unknown = issuer.token(SigningKey("not-cached", "RS256", issuer.key.private))
    assert (await gateway.get("/v1/organisations", headers=bearer(unknown))).status_code == 503
    forged = unsigned(issuer.claims(), kid=issuer.key.kid)
    assert_invalid_token(await gateway.get("/v1/organisations", headers=bearer(forged)))


async def test_a_configured_jwks_url_skips_discovery(issuer, oidc_gateway, organisations):
    gateway = await oidc_gateway(oidc_jwks_url=f"{issuer.url}/jwks")
    assert (await gateway.get("/v1/organisations", headers=bearer(issuer.token()))).status_code == 200
    assert issuer.requests == ["/jwks"]


async def test_with_oidc_off_a_jwt_is_an_invalid_token(api, issuer, organisations):
    assert_invalid_token(await api.get("/v1/organisations", headers=bearer(issuer.token())))


async def test_api_keys_and_the_admin_token_still_work_beside_oidc(
    issuer, oidc_gateway, organisations, admin_headers
):
    gateway = await oidc_gateway()
    assert (await gateway.get("/v1/api-keys", headers=admin_headers)).status_code == 200
    created = await gateway.post(
        "/v1/api-keys", json={"name": "machine", "scopes": ["read"]}, headers=admin_headers
    )
    key = bearer(created.json()["token"])
    assert (await gateway.get("/v1/organisations", headers=key)).status_code == 200
    assert issuer.requests == []  # neither needed the identity provider


async def test_no_log_record_carries_a_token(issuer, oidc_gateway, organisations, caplog):
    caplog.set_level(logging.DEBUG)
    gateway = await oidc_gateway(oidc_jwks_min_refresh_seconds=0)
    tokens = [issuer.token(), REFUSALS["expired"](issuer), REFUSALS["unknown kid"](issuer)]
    for token in tokens:
        await gateway.get("/v1/organisations", headers=bearer(token))
    issuer.answering = False
    await gateway.get("/v1/organisations", headers=bearer(REFUSALS["unknown kid"](issuer)))
    assert caplog.records, "nothing was logged: the test would prove nothing"
    logged = "\n".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    for token in tokens:
        for part in token.split("."):  # not the token, nor its header, claims or signature alone
            assert part not in logged
