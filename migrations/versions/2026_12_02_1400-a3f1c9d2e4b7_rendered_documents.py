"""Create rendered_documents: reports, charts and PDFs as rendered, keyed by a hash of their inputs.

Revision ID: a3f1c9d2e4b7
Revises: a3c9e5f1b7d2
Create Date: 2026-12-02 13:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a3f1c9d2e4b7"
down_revision: str | None = "a3c9e5f1b7d2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rendered_documents",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rendered_documents")),
    )
    op.create_index("ix_rendered_documents_created_at", "rendered_documents", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_rendered_documents_created_at", table_name="rendered_documents")
    op.drop_table("rendered_documents")
