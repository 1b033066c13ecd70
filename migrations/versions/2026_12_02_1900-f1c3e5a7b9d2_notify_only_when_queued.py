"""Wake the delivery workers only when a statement queues deliveries, not for every event.

A statement-level trigger fires for every INSERT, even one of no rows, and every submit inserts
the deliveries of its events (none when no webhook hears of them). So each submit sent
``NOTIFY webhook_deliveries``, and every gateway replica's delivery worker ran a claim that found
nothing, on the same event loop and database as the requests being served; and each NOTIFY
serialises its transaction's commit on the notification queue. The trigger now reads the rows
the statement inserted (a transition table) and notifies only when there are some.

Revision ID: f1c3e5a7b9d2
Revises: d7095c7c1d2d
Create Date: 2026-12-02 19:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "f1c3e5a7b9d2"
down_revision: str | None = "d7095c7c1d2d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NOTIFY_WHEN_QUEUED = """
CREATE OR REPLACE FUNCTION notify_webhook_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT FROM queued) THEN
        PERFORM pg_notify('webhook_deliveries', '');
    END IF;
    RETURN NULL;
END $$
"""
_TRIGGER_WITH_ROWS = """
CREATE TRIGGER webhook_deliveries_queued AFTER INSERT ON webhook_deliveries
REFERENCING NEW TABLE AS queued
FOR EACH STATEMENT EXECUTE FUNCTION notify_webhook_deliveries()
"""
_NOTIFY_ALWAYS = """
CREATE OR REPLACE FUNCTION notify_webhook_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('webhook_deliveries', '');
    RETURN NULL;
END $$
"""
_TRIGGER_ALWAYS = """
CREATE TRIGGER webhook_deliveries_queued AFTER INSERT ON webhook_deliveries
FOR EACH STATEMENT EXECUTE FUNCTION notify_webhook_deliveries()
"""


def upgrade() -> None:
    op.execute("DROP TRIGGER webhook_deliveries_queued ON webhook_deliveries")
    op.execute(_NOTIFY_WHEN_QUEUED)
    op.execute(_TRIGGER_WITH_ROWS)


def downgrade() -> None:
    op.execute("DROP TRIGGER webhook_deliveries_queued ON webhook_deliveries")
    op.execute(_NOTIFY_ALWAYS)
    op.execute(_TRIGGER_ALWAYS)
