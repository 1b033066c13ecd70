"""audit_events: one foreign key, (assessment_id, organisation_id) to the assessment, for two.

Every audit row was checked against organisations and against assessments: two lookups per row,
and the one on organisations took a share lock on a row every concurrent writer of that
organisation also locks, so bulk ingestion (an audit row per answer) paid most of its audit in
those checks. One key to the assessment checks both columns at once, and more than before: the
organisation an audit row names is its assessment's. Nothing cascades differently: an
organisation cannot be deleted while it has assessments, and deleting an assessment deletes its
audit as before. The key needs (id, organisation_id) unique on assessments, which it is, as id is.

Revision ID: d7095c7c1d2d
Revises: e8b3d5f7a9c2
Create Date: 2026-12-02 18:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "d7095c7c1d2d"
down_revision: str | None = "e8b3d5f7a9c2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK_ASSESSMENT = "fk_audit_events_assessment_id_assessments"
FK_ORGANISATION = "fk_audit_events_organisation_id_organisations"
UQ_ASSESSMENT_ORGANISATION = "uq_assessments_id_organisation_id"


def upgrade() -> None:
    op.create_unique_constraint(UQ_ASSESSMENT_ORGANISATION, "assessments", ["id", "organisation_id"])
    op.drop_constraint(FK_ORGANISATION, "audit_events", type_="foreignkey")
    op.drop_constraint(FK_ASSESSMENT, "audit_events", type_="foreignkey")
    op.create_foreign_key(
        FK_ASSESSMENT,
        "audit_events",
        "assessments",
        ["assessment_id", "organisation_id"],
        ["id", "organisation_id"],
        ondelete="CASCADE",
    )


def downgrade() -> None:
    op.drop_constraint(FK_ASSESSMENT, "audit_events", type_="foreignkey")
    op.create_foreign_key(
        FK_ASSESSMENT, "audit_events", "assessments", ["assessment_id"], ["id"], ondelete="CASCADE"
    )
    op.create_foreign_key(
        FK_ORGANISATION, "audit_events", "organisations", ["organisation_id"], ["id"], ondelete="CASCADE"
    )
    op.drop_constraint(UQ_ASSESSMENT_ORGANISATION, "assessments", type_="unique")
