"""Housekeeping deletes what has outlived its time, and nothing else."""

from __future__ import annotations

import uuid
from datetime import timedelta

import psycopg
import pytest

from baseline_api.core.settings import libpq_url
from baseline_api.housekeeping import tidy_once

RETENTION = timedelta(days=30)


@pytest.fixture
def db(api, database_url):  # api: the tables are truncated after the test
    with psycopg.connect(libpq_url(database_url), autocommit=True) as connection:
        yield connection


async def _tidy(sessions, batch: int = 1000) -> int:
    async with sessions() as session, session.begin():
        return await tidy_once(session, RETENTION, batch)


def _key(db, name: str, expires: str) -> None:
    db.execute(
        "INSERT INTO idempotency_keys (owner, key, request_sha256, expires_at)"
        f" VALUES ('admin', %s, 'x', now() + interval '{expires}')",
        (name,),
    )


def _event(db, age: str, deliveries: list[str]) -> str:
    event_id = str(uuid.uuid4())
    db.execute(
        "INSERT INTO events (id, type, occurred_at, organisation_id, assessment_id, payload)"
        f" VALUES (%s, 'assessment.scored', now() - interval '{age}', %s, %s, '{{}}')",
        (event_id, uuid.uuid4(), uuid.uuid4()),
    )
    for status in deliveries:
        webhook_id = db.execute(
            "INSERT INTO webhooks (url, events, secret_ciphertext) VALUES"
            " ('https://example.org/hook', '{assessment.scored}', 'not-read-here') RETURNING id"
        ).fetchone()[0]
        delivered = "now()" if status == "delivered" else "NULL"
        due = "now()" if status == "pending" else "NULL"
        db.execute(
            "INSERT INTO webhook_deliveries (webhook_id, event_id, status, next_attempt_at, delivered_at)"
            f" VALUES (%s, %s, %s, {due}, {delivered})",
            (webhook_id, event_id, status),
        )
    return event_id


def _ids(db, sql: str) -> set[str]:
    return {str(row[0]) for row in db.execute(sql).fetchall()}


async def test_expired_idempotency_keys_go_and_live_ones_stay(db, sessions):
    _key(db, "old", "-1 minute")
    _key(db, "live", "1 hour")
    assert await _tidy(sessions) == 1
    assert _ids(db, "SELECT key FROM idempotency_keys") == {"live"}


async def test_settled_events_past_retention_go_with_their_deliveries(db, sessions):
    _event(db, "31 days", ["delivered", "failed", "cancelled"])  # settled: goes
    _event(db, "31 days", [])  # nobody subscribed: goes
    still_pending = _event(db, "31 days", ["delivered", "pending"])
    recent = _event(db, "29 days", ["delivered"])
    assert await _tidy(sessions) == 2
    assert _ids(db, "SELECT id FROM events") == {still_pending, recent}
    assert _ids(db, "SELECT DISTINCT event_id FROM webhook_deliveries") == {still_pending, recent}


async def test_a_batch_at_a_time(db, sessions):
    for name in ("a", "b", "c"):
        _key(db, name, "-1 minute")
    assert await _tidy(sessions, batch=2) == 2
    assert await _tidy(sessions, batch=2) == 1
    assert await _tidy(sessions, batch=2) == 0


async def test_renderings_past_retention_go(db, sessions):
    for key, age in [("old", "8 days"), ("recent", "6 days")]:
        db.execute(
            "INSERT INTO rendered_documents (key, media_type, body, created_at)"
            f" VALUES (%s, 'text/html', 'x', now() - interval '{age}')",
            (key,),
        )
    assert await _tidy(sessions) == 1  # the default retention: 7 days
    assert _ids(db, "SELECT key FROM rendered_documents") == {"recent"}
