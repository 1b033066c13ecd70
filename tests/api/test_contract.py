"""Schemathesis against a running gateway process: nothing a client can send yields a 500, and
every answer matches the committed OpenAPI document. Fixed seed, bounded examples: repeatable.

The gateway runs as a real process on a database of its own, with a real scoring service, and
the admin token in every request (the auth hook) so generated requests reach the handlers.

Nothing generated may make the gateway send anything beyond this machine: every webhook URL is
rewritten to a closed loopback port before it is sent (an IP address, so nothing is looked up in
the DNS either), and at the end every webhook the gateway stored is checked to point there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from baseline_api.core.settings import libpq_url
from baseline_devstack.processes import free_port, wait_until_ready
from tests.conftest import ADMIN_TOKEN, REPO_ROOT
from tests.processes import fresh_database, gateway

schema = schemathesis.openapi.from_path(REPO_ROOT / "openapi" / "api.json")
# Every request carries the admin token (below), so schemathesis must not generate Authorization
# itself: a negative case that drops it would reach the server with the token put back, be
# answered 200, and be reported as "invalid data accepted" when nothing invalid was sent.
schema.config.generation.update(with_security_parameters=False)

# Bulk ingestion answers 200 to a well-formed batch even when items in it are invalid: each such
# item fails alone in the report (tests/api/test_ingest.py checks how), so a schema-invalid item
# is accepted by design, and only there.
ACCEPTS_INVALID_ITEMS = {("POST", "/v1/ingest/assessments")}


@schemathesis.serializer("application/x-ndjson")
def _ndjson(_: Any, value: Any) -> bytes:
    """Bulk ingestion's NDJSON: its schema is an array of items; on the wire, one a line."""
    items = value if isinstance(value, list) else [value]
    return b"".join(json.dumps(item).encode() + b"\n" for item in items)


# Where every webhook generated here points: this machine, a port nobody listens on.
RECEIVER = f"127.0.0.1:{free_port()}"


def _keep_on_this_machine(case: Any) -> None:
    """Point a webhook being registered at RECEIVER, keeping the rest of its URL as generated."""
    body = case.body
    if (case.method, case.path) != ("POST", "/v1/webhooks") or not isinstance(body, dict):
        return
    url = body.get("url")
    if isinstance(url, str) and "://" in url:
        scheme, _, rest = url.partition("://")
        _, slash, path = rest.partition("/")
        case.body = {**body, "url": f"{scheme}://{RECEIVER}{slash}{path}"}


def _stored_receivers(database_url: str) -> set[str]:
    with psycopg.connect(libpq_url(database_url)) as connection:
        return {str(urlsplit(url).netloc) for (url,) in connection.execute("SELECT url FROM webhooks")}


@pytest.fixture(scope="module")
def gateway_url(pg_server_url: str, scoring_url: str, tmp_path_factory) -> Iterator[str]:
    database_url = fresh_database(pg_server_url, "baseline_contract_test")
    log = tmp_path_factory.mktemp("logs") / "gateway.log"
    with gateway(database_url, scoring_url, log) as (url, process):
        wait_until_ready(f"{url}/readyz", [process], timeout=60)
        yield url
    assert _stored_receivers(database_url) <= {RECEIVER}


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_gateway_honours_its_contract(case, gateway_url):
    # Random but schema-valid ids name nothing that exists, so 404s and 422s are correct answers
    # to "valid" data here; every other check (no 5xx, documented codes and bodies) applies.
    _keep_on_this_machine(case)
    excluded = [positive_data_acceptance]
    if (case.method, case.path) in ACCEPTS_INVALID_ITEMS:
        excluded.append(negative_data_rejection)
    case.call_and_validate(
        base_url=gateway_url, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, excluded_checks=excluded
    )
