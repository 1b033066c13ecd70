"""Record who made each write: ``updated_by`` (an actor id) and ``updated_by_name`` everywhere.

``responses.updated_by`` was the API key's UUID, null for the bootstrap admin token; it becomes
``api_key:<uuid>`` (named after the key) or ``admin``. Organisations and assessments recorded no
author before: their existing rows get ``unknown``. Never null from here on.

Revision ID: 1ba7ffd51955
Revises: a1f20c0de2b7
Create Date: 2026-12-02 06:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1ba7ffd51955"
down_revision: str | None = "a1f20c0de2b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR_ID = sa.String(260)
ACTOR_NAME = sa.String(200)
NEWLY_ATTRIBUTED = ("organisations", "assessments")


def upgrade() -> None:
    op.alter_column("responses", "updated_by", new_column_name="updated_by_key")
    op.add_column("responses", sa.Column("updated_by", ACTOR_ID))
    op.add_column("responses", sa.Column("updated_by_name", ACTOR_NAME))
    op.execute(
        """
        UPDATE responses SET
            updated_by = CASE WHEN updated_by_key IS NULL THEN 'admin'
                              ELSE 'api_key:' || updated_by_key::text END,
            updated_by_name = CASE WHEN updated_by_key IS NULL THEN 'admin' ELSE COALESCE(
                (SELECT name FROM api_keys WHERE id = updated_by_key), 'API key ' || updated_by_key::text
            ) END
        """
    )
    op.drop_column("responses", "updated_by_key")
    op.alter_column("responses", "updated_by", nullable=False)
    op.alter_column("responses", "updated_by_name", nullable=False)
    for table in NEWLY_ATTRIBUTED:
        for column, kind in (("updated_by", ACTOR_ID), ("updated_by_name", ACTOR_NAME)):
            op.add_column(table, sa.Column(column, kind, nullable=False, server_default="unknown"))
            op.alter_column(table, column, server_default=None)


def downgrade() -> None:
    for table in NEWLY_ATTRIBUTED:
        op.drop_column(table, "updated_by_name")
        op.drop_column(table, "updated_by")
    op.add_column("responses", sa.Column("updated_by_key", sa.UUID(), nullable=True))
    op.execute(
        "UPDATE responses SET updated_by_key = CAST(substr(updated_by, 9) AS uuid) "
        "WHERE updated_by LIKE 'api_key:%'"
    )
    op.drop_column("responses", "updated_by_name")
    op.drop_column("responses", "updated_by")
    op.alter_column("responses", "updated_by_key", new_column_name="updated_by")
