"""The attribution migration converts what responses recorded before: a null (the bootstrap
admin token) becomes ``admin``, a key's UUID becomes ``api_key:<uuid>`` with the key's name; rows
of tables that recorded nothing become ``unknown``. Down again gives the UUIDs back."""

from __future__ import annotations

import psycopg
from alembic import command

from baseline_api.core.settings import libpq_url
from baseline_devstack.migrate import alembic_config
from baseline_devstack.postgres import create_database

BEFORE = "a1f20c0de2b7"  # the revision before attribution
KEY = "6c1f0d3e-2b4a-4f7e-9d8c-1a2b3c4d5e6f"
ROWS = f"""
INSERT INTO api_keys (id, name, prefix, secret_sha256, scopes)
    VALUES ('{KEY}', 'Trust portal', 'abc', repeat('0', 64), ARRAY['write']);
INSERT INTO organisations (id, ods_code, name, kind)
    VALUES ('00000000-0000-0000-0000-000000000001', 'RX1', 'Trust', 'trust');
INSERT INTO assessments (id, organisation_id, framework_id, framework_version, content_hash, targets)
    VALUES ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001',
            'nhs-digital-readiness', '1.0.0', 'sha256:x', '{{}}');
INSERT INTO responses (assessment_id, question_id, value, updated_by) VALUES
    ('00000000-0000-0000-0000-000000000002', 'by-admin', 'a', NULL),
    ('00000000-0000-0000-0000-000000000002', 'by-key', 'b', '{KEY}');
"""


def _query(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(libpq_url(url)) as connection:
        return connection.execute(sql).fetchall()


def test_existing_authors_are_converted_both_ways(pg_server_url):
    url = create_database(pg_server_url, "baseline_attribution_migration_test", drop_first=True)
    config = alembic_config(url)
    command.upgrade(config, BEFORE)
    with psycopg.connect(libpq_url(url)) as connection:
        connection.execute(ROWS)
    command.upgrade(config, "head")
    assert _query(url, "SELECT question_id, updated_by, updated_by_name FROM responses ORDER BY 1") == [
        ("by-admin", "admin", "admin"),
        ("by-key", f"api_key:{KEY}", "Trust portal"),
    ]
    for table in ("organisations", "assessments"):
        assert _query(url, f"SELECT updated_by, updated_by_name FROM {table}") == [("unknown", "unknown")]
    command.downgrade(config, BEFORE)
    rows = _query(url, "SELECT question_id, updated_by::text FROM responses ORDER BY 1")
    assert rows == [("by-admin", None), ("by-key", KEY)]
