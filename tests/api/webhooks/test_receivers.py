"""Where webhooks may go: https only (http in development), never to link-local, unspecified,
multicast or reserved addresses, to loopback and private ones only when the operator allows it;
checked at registration and again at every connection, which goes to the address checked. Names
resolve through the test's own resolver: nothing here asks the real DNS."""

from __future__ import annotations

import ipaddress
import json
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from cryptography.fernet import Fernet
from pydantic import SecretStr

from baseline_api.app import create_app
from baseline_api.webhooks.addresses import refusal
from tests.api.webhooks.conftest import SECRET, rows

BOTH = ["assessment.submitted", "assessment.scored"]


def _body(url: str) -> dict:
    return {"url": url, "events": BOTH, "secret": SECRET}


@pytest.fixture
async def strict_api(settings, resolver) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway as an operator runs it by default: private networks not allowed."""
    app = create_app(settings.model_copy(update={"webhook_allow_private_networks": False}), resolver=resolver)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            yield client


def _refused_naming_url(response: httpx.Response, says: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "url"
    assert says in error["message"]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://[fe80::1]/hook", "link-local"),
        ("https://[::ffff:169.254.169.254]/hook", "link-local"),
        ("https://0.0.0.0/hook", "unspecified"),
        ("https://[::]/hook", "unspecified"),
        ("https://224.0.0.1/hook", "multicast"),
        ("https://255.255.255.255/hook", "reserved"),
        ("https://metadata.example/hook", "link-local"),  # a name, resolving to the metadata address
        ("https://nowhere.example/hook", "does not resolve"),
    ],
)
async def test_refused_addresses_are_422_even_with_private_networks_allowed(
    api, admin_headers, resolver, url, says
):
    resolver.names["metadata.example"] = ["198.51.100.7", "169.254.169.254"]  # one bad one is enough
    _refused_naming_url(await api.post("/v1/webhooks", json=_body(url), headers=admin_headers), says)
    assert (await api.get("/v1/webhooks", headers=admin_headers)).json()["items"] == []


@pytest.mark.parametrize(
    "url",
    [
        "https://localhost/",
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.9/",
    ],
)
async def test_loopback_and_private_receivers_need_the_operators_leave(api, strict_api, admin_headers, url):
    _refused_naming_url(
        await strict_api.post("/v1/webhooks", json=_body(url), headers=admin_headers), "private"
    )
    assert (await api.post("/v1/webhooks", json=_body(url), headers=admin_headers)).status_code == 201


async def test_public_receivers_are_accepted_and_looked_up_once(strict_api, admin_headers, resolver):
    resolver.names["hooks.portal.example"] = ["8.8.4.4"]  # stored only: no worker runs here
    response = await strict_api.post(
        "/v1/webhooks", json=_body("https://hooks.portal.example/in"), headers=admin_headers
    )
    assert response.status_code == 201, response.text
    assert resolver.asked == ["hooks.portal.example"]


async def test_http_is_refused_outside_development(settings, resolver, admin_headers):
    production = settings.model_copy(
        update={"baseline_env": "production", "baseline_secret_key": SecretStr("not-a-fernet-key")}
    )
    with pytest.raises(ValueError, match="Fernet"):
        create_app(production, resolver=resolver)  # a key of the wrong form refuses to start
    production = production.model_copy(
        update={"baseline_secret_key": SecretStr(Fernet.generate_key().decode())}
    )
    async with LifespanManager(create_app(production, resolver=resolver)) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            refused = await client.post(
                "/v1/webhooks", json=_body("http://127.0.0.1:9/hook"), headers=admin_headers
            )
            _refused_naming_url(refused, "https")
            accepted = await client.post(
                "/v1/webhooks", json=_body("https://127.0.0.1:9/hook"), headers=admin_headers
            )
            assert accepted.status_code == 201, accepted.text


async def test_a_name_that_starts_resolving_to_a_refused_address_gets_no_delivery(
    api, admin_headers, receiver, resolver, create_webhook, submitted_event, step, sessions
):
    port = receiver.url.split(":")[2].split("/")[0]
    resolver.names["hooks.example"] = ["127.0.0.1"]
    webhook = await create_webhook(f"http://hooks.example:{port}/hooks/baseline")
    await submitted_event()
    assert await step() is True
    [delivered] = receiver.received  # the connection went to the address the name resolved to
    assert delivered.headers["host"] == f"hooks.example:{port}"

    resolver.names["hooks.example"] = ["169.254.169.254"]  # the DNS changes after registration
    await submitted_event()
    assert await step() is True
    assert len(receiver.received) == 1  # no request was sent
    deliveries = (await api.get(f"/v1/webhooks/{webhook['id']}/deliveries", headers=admin_headers)).json()[
        "items"
    ]
    [attempt] = deliveries[0]["attempts_detail"]
    assert attempt["status_code"] is None
    assert attempt["error"].startswith("not sent: hooks.example is a link-local address (169.254.169.254)")
    assert deliveries[0]["status"] == "pending"


@pytest.mark.parametrize(
    ("address", "private_allowed", "refused"),
    [
        ("169.254.169.254", True, "a link-local address"),
        ("fe80::1", True, "a link-local address"),
        ("64:ff9b::a9fe:a9fe", True, "a link-local address"),  # NAT64 of the metadata address
        ("2002:a9fe:a9fe::1", True, "a link-local address"),  # 6to4 of it
        ("0.1.2.3", True, "an unspecified address"),
        ("ff02::1", True, "a multicast address"),
        ("240.0.0.1", True, "a reserved address"),
        ("127.0.0.1", False, "a loopback or private address"),
        ("::ffff:127.0.0.1", False, "a loopback or private address"),
        ("172.16.5.4", False, "a loopback or private address"),
        ("fc00::7", False, "a loopback or private address"),
        ("100.64.0.1", False, "a loopback or private address"),  # carrier-grade NAT: not public
        ("127.0.0.1", True, None),
        ("fd12::1", True, None),
        ("8.8.8.8", False, None),
        ("2606:4700::1111", False, None),
    ],
)
def test_which_addresses_are_refused(address, private_allowed, refused):
    assert refusal(ipaddress.ip_address(address), allow_private=private_allowed) == refused


async def test_every_event_carries_its_organisation_and_nothing_personal(
    api, admin_headers, receiver, create_webhook, submitted_event, step, sessions
):
    await create_webhook(receiver.url)
    assessment_id = await submitted_event()
    assert await step() is True
    data = json.loads(receiver.received[0].body)["data"]
    assessment = (await api.get(f"/v1/assessments/{assessment_id}", headers=admin_headers)).json()
    assert data["organisation_id"] == assessment["organisation_id"]
    assert set(data) == {
        "assessment_id",
        "organisation_id",
        "framework_id",
        "framework_version",
        "status",
        "submitted_at",
        "scored_at",
    }
    [stored] = await rows(sessions, "SELECT organisation_id FROM events")
    assert stored["organisation_id"] == uuid.UUID(assessment["organisation_id"])
