"""Approval, evidence and erasure: the ``approve`` scope, the ``approved`` status and its sign-off
columns, the signed report (``approval_documents``), ``evidence``, and ``assessment.approved``.

Revision ID: d7a2c4e6f8b1
Revises: b5e1d7c3a9f0
Create Date: 2026-12-02 16:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d7a2c4e6f8b1"
down_revision: str | None = "b5e1d7c3a9f0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_SCOPES = "'read', 'write', 'ingest', 'webhooks', 'admin'"
_NEW_SCOPES = "'read', 'write', 'ingest', 'webhooks', 'approve', 'admin'"
_OLD_EVENTS = (
    "'assessment.scored', 'assessment.submitted', 'action.completed', 'action.overdue', 'webhook.disabled'"
)
_NEW_EVENTS = f"{_OLD_EVENTS}, 'assessment.approved'"
_SCORED = "status IN ('scored', 'approved')"
_APPROVAL_IFF_APPROVED = (
    "(status = 'approved') = (approved_at IS NOT NULL AND approved_by IS NOT NULL "
    "AND approved_by_name IS NOT NULL AND approver_name IS NOT NULL AND approver_role IS NOT NULL "
    "AND approval_sha256 IS NOT NULL)"
)
_APPROVAL_COLUMNS = (
    ("approved_at", sa.DateTime(timezone=True)),
    ("approved_by", sa.String(260)),
    ("approved_by_name", sa.String(200)),
    ("approver_name", sa.String(200)),
    ("approver_role", sa.String(200)),
    ("approval_note", sa.Text()),
    ("approval_sha256", sa.String(64)),
)


def _check(table: str, name: str, condition: str) -> None:
    op.drop_constraint(op.f(f"ck_{table}_{name}"), table, type_="check")
    op.create_check_constraint(op.f(f"ck_{table}_{name}"), table, condition)


def _known(scopes: str, events: str) -> None:
    _check("api_keys", "known_scopes", f"scopes <@ ARRAY[{scopes}]::varchar[] AND cardinality(scopes) > 0")
    _check("events", "known_type", f"type IN ({events})")
    _check("webhooks", "known_events", f"events <@ ARRAY[{events}]::varchar[] AND cardinality(events) > 0")


def _statuses(statuses: str, scored: str) -> None:
    _check("assessments", "known_status", f"status IN ({statuses})")
    _check("assessments", "scored_at_iff_scored", f"({scored}) = (scored_at IS NOT NULL)")
    op.drop_index("ix_assessments_latest_scored", table_name="assessments")
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
        postgresql_where=sa.text(scored),
    )


def upgrade() -> None:
    _known(_NEW_SCOPES, _NEW_EVENTS)
    for name, kind in _APPROVAL_COLUMNS:
        op.add_column("assessments", sa.Column(name, kind, nullable=True))
    _statuses("'draft', 'submitted', 'scored', 'approved'", _SCORED)
    op.create_check_constraint(
        op.f("ck_assessments_approval_iff_approved"), "assessments", _APPROVAL_IFF_APPROVED
    )
    op.create_table(
        "approval_documents",
        sa.Column("assessment_id", sa.UUID(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_approval_documents_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_approval_documents")),
    )
    _create_evidence()


def _create_evidence() -> None:
    op.create_table(
        "evidence",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("assessment_id", sa.UUID(), nullable=False),
        sa.Column("organisation_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("evidence_date", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("question_ids", sa.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.String(length=260), nullable=False),
        sa.Column("created_by_name", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.String(length=260), nullable=False),
        sa.Column("updated_by_name", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "url IS NOT NULL OR reference IS NOT NULL", name=op.f("ck_evidence_url_or_reference")
        ),
        sa.CheckConstraint("url ~ '^https://'", name=op.f("ck_evidence_https_url")),
        sa.CheckConstraint(
            "expires_on >= evidence_date", name=op.f("ck_evidence_expires_after_evidence_date")
        ),
        sa.CheckConstraint("cardinality(question_ids) > 0", name=op.f("ck_evidence_supports_a_question")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_evidence_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_evidence_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    op.create_index("ix_evidence_assessment_id_created_at", "evidence", ["assessment_id", "created_at", "id"])
    op.create_index("ix_evidence_organisation_id", "evidence", ["organisation_id"])


def downgrade() -> None:
    op.drop_index("ix_evidence_organisation_id", table_name="evidence")
    op.drop_index("ix_evidence_assessment_id_created_at", table_name="evidence")
    op.drop_table("evidence")
    op.drop_table("approval_documents")
    # An approval cannot be expressed before this revision: approved assessments are scored again.
    op.execute("UPDATE assessments SET status = 'scored' WHERE status = 'approved'")
    op.drop_constraint(op.f("ck_assessments_approval_iff_approved"), "assessments", type_="check")
    _statuses("'draft', 'submitted', 'scored'", "status = 'scored'")
    for name, _ in reversed(_APPROVAL_COLUMNS):
        op.drop_column("assessments", name)
    op.execute("DELETE FROM events WHERE type = 'assessment.approved'")
    op.execute("UPDATE webhooks SET events = array_remove(events, 'assessment.approved')")
    op.execute("UPDATE webhooks SET deleted_at = now() WHERE cardinality(events) = 0 AND deleted_at IS NULL")
    op.execute("UPDATE webhooks SET events = ARRAY['assessment.scored'] WHERE cardinality(events) = 0")
    op.execute("UPDATE api_keys SET scopes = array_remove(scopes, 'approve')")
    op.execute("UPDATE api_keys SET revoked_at = now() WHERE cardinality(scopes) = 0 AND revoked_at IS NULL")
    op.execute("UPDATE api_keys SET scopes = ARRAY['read'] WHERE cardinality(scopes) = 0")
    _known(_OLD_SCOPES, _OLD_EVENTS)
