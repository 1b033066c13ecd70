"""Index each organisation's latest scored assessment per framework version (peer benchmarks).

Revision ID: 7d2e4f6a8b13
Revises: 5c0b7e1a9d21
Create Date: 2026-11-26 16:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d2e4f6a8b13"
down_revision: str | None = "5c0b7e1a9d21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_assessments_latest_scored",
        "assessments",
        [
            "framework_id",
            "framework_version",
            "organisation_id",
            sa.text("scored_at DESC"),
            sa.text("id DESC"),
        ],
        unique=False,
        postgresql_where=sa.text("status = 'scored'"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_assessments_latest_scored",
        table_name="assessments",
        postgresql_where=sa.text("status = 'scored'"),
    )
