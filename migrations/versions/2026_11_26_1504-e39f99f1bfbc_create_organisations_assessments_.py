"""Create organisations, assessments, responses and assessment_results, with their constraints.

Revision ID: e39f99f1bfbc
Revises: 38c5456c006f
Create Date: 2026-11-26 15:04:08.905087+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "e39f99f1bfbc"
down_revision: str | None = "38c5456c006f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ods_code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "kind IN ('trust', 'icb', 'gp-practice', 'supplier', 'other')",
            name=op.f("ck_organisations_known_kind"),
        ),
        sa.CheckConstraint("ods_code ~ '^[A-Z0-9]{3,10}$'", name=op.f("ck_organisations_ods_code_format")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("ods_code", name=op.f("uq_organisations_ods_code")),
    )
    op.create_index(op.f("ix_organisations_kind"), "organisations", ["kind"], unique=False)
    op.create_table(
        "assessments",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("organisation_id", sa.UUID(), nullable=False),
        sa.Column("framework_id", sa.String(length=64), nullable=False),
        sa.Column("framework_version", sa.String(length=32), nullable=False),
        sa.Column("content_hash", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("targets", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="draft", nullable=False),
        sa.Column("revision", sa.Integer(), server_default="1", nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(status = 'draft') = (submitted_at IS NULL)",
            name=op.f("ck_assessments_submitted_at_iff_submitted"),
        ),
        sa.CheckConstraint(
            "(status = 'scored') = (scored_at IS NOT NULL)", name=op.f("ck_assessments_scored_at_iff_scored")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'scored')", name=op.f("ck_assessments_known_status")
        ),
        sa.CheckConstraint("revision >= 1", name=op.f("ck_assessments_positive_revision")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_assessments_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    op.create_index(
        "ix_assessments_organisation_id_created_at",
        "assessments",
        ["organisation_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "uq_assessments_organisation_id_external_id",
        "assessments",
        ["organisation_id", "external_id"],
        unique=True,
        postgresql_where=sa.text("external_id IS NOT NULL"),
    )
    op.create_table(
        "assessment_results",
        sa.Column("assessment_id", sa.UUID(), nullable=False),
        sa.Column("framework_id", sa.String(length=64), nullable=False),
        sa.Column("framework_version", sa.String(length=32), nullable=False),
        sa.Column("content_hash", sa.String(length=80), nullable=False),
        sa.Column("engine_version", sa.String(length=32), nullable=False),
        sa.Column("result", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_results_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_assessment_results")),
    )
    op.create_table(
        "responses",
        sa.Column("assessment_id", sa.UUID(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.UUID(), nullable=True),
        sa.CheckConstraint(
            "NOT (not_applicable AND value IS NOT NULL)", name=op.f("ck_responses_value_or_not_applicable")
        ),
        sa.CheckConstraint("not_applicable OR value IS NOT NULL", name=op.f("ck_responses_answered")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_responses_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "question_id", name=op.f("pk_responses")),
    )


def downgrade() -> None:
    op.drop_table("responses")
    op.drop_table("assessment_results")
    op.drop_index(
        "uq_assessments_organisation_id_external_id",
        table_name="assessments",
        postgresql_where=sa.text("external_id IS NOT NULL"),
    )
    op.drop_index("ix_assessments_organisation_id_created_at", table_name="assessments")
    op.drop_table("assessments")
    op.drop_index(op.f("ix_organisations_kind"), table_name="organisations")
    op.drop_table("organisations")
