"""Schemathesis against a running gateway process: nothing a client can send yields a 500, and
every answer matches the committed OpenAPI document. Fixed seed, bounded examples: repeatable.

The gateway runs as a real process on a database of its own, with a real scoring service, and
the admin token in every request (the auth hook) so generated requests reach the handlers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from baseline_devstack.processes import wait_until_ready
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


@pytest.fixture(scope="module")
def gateway_url(pg_server_url: str, scoring_url: str, tmp_path_factory) -> Iterator[str]:
    database_url = fresh_database(pg_server_url, "baseline_contract_test")
    log = tmp_path_factory.mktemp("logs") / "gateway.log"
    with gateway(database_url, scoring_url, log) as (url, process):
        wait_until_ready(f"{url}/readyz", [process], timeout=60)
        yield url


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_gateway_honours_its_contract(case, gateway_url):
    # Random but schema-valid ids name nothing that exists, so 404s and 422s are correct answers
    # to "valid" data here; every other check (no 5xx, documented codes and bodies) applies.
    excluded = [positive_data_acceptance]
    if (case.method, case.path) in ACCEPTS_INVALID_ITEMS:
        excluded.append(negative_data_rejection)
    case.call_and_validate(
        base_url=gateway_url, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, excluded_checks=excluded
    )
