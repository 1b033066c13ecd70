"""Assessments ask every question (full) or the lead questions alone (quick, framework 2.0.0 on).

Revision ID: a1f20c0de2b7
Revises: 7d2e4f6a8b13
Create Date: 2026-12-02 06:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1f20c0de2b7"
down_revision: str | None = "7d2e4f6a8b13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "assessments", sa.Column("profile", sa.String(length=8), server_default="full", nullable=False)
    )
    op.create_check_constraint(
        op.f("ck_assessments_known_profile"), "assessments", "profile IN ('full', 'quick')"
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_assessments_known_profile"), "assessments", type_="check")
    op.drop_column("assessments", "profile")
