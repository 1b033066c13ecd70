"""Scoring retries: submitted assessments wait here until the scoring service answers.

Revision ID: 5c0b7e1a9d21
Revises: 4ebddf63e5cc
Create Date: 2026-11-26 16:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c0b7e1a9d21"
down_revision: str | None = "4ebddf63e5cc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "assessments", sa.Column("scoring_attempts", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("assessments", sa.Column("next_scoring_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("assessments", sa.Column("last_scoring_error", sa.Text(), nullable=True))
    op.create_check_constraint(
        "due_iff_submitted", "assessments", "(status = 'submitted') = (next_scoring_at IS NOT NULL)"
    )
    op.create_index(
        "ix_assessments_next_scoring_at",
        "assessments",
        ["next_scoring_at"],
        unique=False,
        postgresql_where=sa.text("status = 'submitted'"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_assessments_next_scoring_at",
        table_name="assessments",
        postgresql_where=sa.text("status = 'submitted'"),
    )
    op.drop_constraint("due_iff_submitted", "assessments", type_="check")
    op.drop_column("assessments", "last_scoring_error")
    op.drop_column("assessments", "next_scoring_at")
    op.drop_column("assessments", "scoring_attempts")
