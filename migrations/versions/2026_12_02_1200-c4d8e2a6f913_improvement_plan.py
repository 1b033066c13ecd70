"""The improvement plan: actions, answers carried forward, and the action webhook events.

Revision ID: c4d8e2a6f913
Revises: a1f20c0de2b7
Create Date: 2026-12-02 12:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4d8e2a6f913"
down_revision: str | None = "a1f20c0de2b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN = "status IN ('planned', 'in_progress')"
_ASSESSMENT_EVENTS = "'assessment.scored', 'assessment.submitted'"
_ALL_EVENTS = f"{_ASSESSMENT_EVENTS}, 'action.completed', 'action.overdue'"


def upgrade() -> None:
    op.add_column("assessments", sa.Column("carried_forward_from", sa.UUID(), nullable=True))
    op.create_foreign_key(
        op.f("fk_assessments_carried_forward_from_assessments"),
        "assessments",
        "assessments",
        ["carried_forward_from"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.add_column("responses", sa.Column("carried", sa.Boolean(), server_default="false", nullable=False))
    _create_actions()
    _known_events(_ALL_EVENTS)


def _create_actions() -> None:
    op.create_table(
        "actions",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("organisation_id", sa.UUID(), nullable=False),
        sa.Column("assessment_id", sa.UUID(), nullable=False),
        sa.Column("recommendation_id", sa.String(length=64), nullable=False),
        sa.Column("capability_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("done_when", sa.Text(), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="planned", nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("updated_by", sa.UUID(), nullable=True),
        sa.Column("overdue_reported_for", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "status IN ('planned', 'in_progress', 'done', 'dropped')", name=op.f("ck_actions_known_status")
        ),
        sa.CheckConstraint(
            "(status = 'done') = (completed_at IS NOT NULL)", name=op.f("ck_actions_completed_at_iff_done")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_actions_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_actions_assessment_id_assessments"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
    )
    op.create_index(
        "uq_actions_open_recommendation",
        "actions",
        ["organisation_id", "recommendation_id"],
        unique=True,
        postgresql_where=sa.text(_OPEN),
    )
    op.create_index(
        "ix_actions_organisation_id_created_at",
        "actions",
        ["organisation_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_actions_overdue_unreported",
        "actions",
        ["due_on"],
        unique=False,
        postgresql_where=sa.text(f"{_OPEN} AND overdue_reported_for IS DISTINCT FROM due_on"),
    )


def _known_events(events: str) -> None:
    op.drop_constraint(op.f("ck_events_known_type"), "events", type_="check")
    op.create_check_constraint(op.f("ck_events_known_type"), "events", f"type IN ({events})")
    op.drop_constraint(op.f("ck_webhooks_known_events"), "webhooks", type_="check")
    op.create_check_constraint(
        op.f("ck_webhooks_known_events"),
        "webhooks",
        f"events <@ ARRAY[{events}]::varchar[] AND cardinality(events) > 0",
    )


def downgrade() -> None:
    # Action events cannot outlive the types that allow them; nor subscriptions to nothing else.
    op.execute("DELETE FROM events WHERE type LIKE 'action.%'")
    op.execute(
        "UPDATE webhooks SET events = array_remove(array_remove(events, 'action.completed'), 'action.overdue')"
    )
    op.execute("DELETE FROM webhooks WHERE cardinality(events) = 0")
    _known_events(_ASSESSMENT_EVENTS)
    op.drop_index(
        "ix_actions_overdue_unreported",
        table_name="actions",
        postgresql_where=sa.text(f"{_OPEN} AND overdue_reported_for IS DISTINCT FROM due_on"),
    )
    op.drop_index("ix_actions_organisation_id_created_at", table_name="actions")
    op.drop_index("uq_actions_open_recommendation", table_name="actions", postgresql_where=sa.text(_OPEN))
    op.drop_table("actions")
    op.drop_column("responses", "carried")
    op.drop_constraint(
        op.f("fk_assessments_carried_forward_from_assessments"), "assessments", type_="foreignkey"
    )
    op.drop_column("assessments", "carried_forward_from")
