"""Create respondents and respondent_responses: people who answer an assessment independently.

Revision ID: f3b8d1a5c7e9
Revises: d7a2c4e6f8b1
Create Date: 2026-12-02 17:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f3b8d1a5c7e9"
down_revision: str | None = "d7a2c4e6f8b1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = "role IN ('clinical', 'digital', 'operational', 'commercial', 'finance', 'executive', 'other')"


def upgrade() -> None:
    op.create_table(
        "respondents",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("assessment_id", sa.UUID(), nullable=False),
        sa.Column("organisation_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("subject", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.String(length=260), nullable=False),
        sa.Column("created_by_name", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.String(length=260), nullable=False),
        sa.Column("updated_by_name", sa.String(length=200), nullable=False),
        sa.CheckConstraint(ROLES, name=op.f("ck_respondents_known_role")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_respondents_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_respondents_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_respondents")),
    )
    op.create_index(
        "ix_respondents_assessment_id_created_at", "respondents", ["assessment_id", "created_at", "id"]
    )
    op.create_index("ix_respondents_organisation_id_subject", "respondents", ["organisation_id", "subject"])
    op.create_table(
        "respondent_responses",
        sa.Column("respondent_id", sa.UUID(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.String(length=260), nullable=False),
        sa.Column("updated_by_name", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "NOT (not_applicable AND value IS NOT NULL)",
            name=op.f("ck_respondent_responses_value_or_not_applicable"),
        ),
        sa.CheckConstraint(
            "not_applicable OR value IS NOT NULL", name=op.f("ck_respondent_responses_answered")
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondents.id"],
            name=op.f("fk_respondent_responses_respondent_id_respondents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("respondent_id", "question_id", name=op.f("pk_respondent_responses")),
    )


def downgrade() -> None:
    op.drop_table("respondent_responses")
    op.drop_index("ix_respondents_organisation_id_subject", table_name="respondents")
    op.drop_index("ix_respondents_assessment_id_created_at", table_name="respondents")
    op.drop_table("respondents")
