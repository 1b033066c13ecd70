"""Where an organisation's records name people: one line per table.

A table names people through actor column pairs (``updated_by`` + ``updated_by_name``: an actor
id and a display name, see ``auth/actor.py``), free-text name columns, email columns and sign-in
subject columns. Adding a table that names people is adding a line to ``TABLES``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TABLES", "PersonalColumns"]

# The table's rows that belong to the organisation ``:organisation_id``.
OWN = "organisation_id = :organisation_id"
OF_ITS_ASSESSMENTS = "assessment_id IN (SELECT id FROM assessments WHERE organisation_id = :organisation_id)"


@dataclass(frozen=True)
class PersonalColumns:
    """``actors``: the id column of each actor pair (its name column is ``<id>_name``); ``names``:
    free text naming a person (an action's owner may be a name or an email: both match);
    ``emails``; ``subjects``: a sign-in identity (a token's ``sub``) as it is."""

    table: str
    scope: str
    actors: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()


TABLES = (
    PersonalColumns("organisations", "id = :organisation_id", actors=("updated_by",)),
    PersonalColumns("assessments", OWN, actors=("updated_by", "approved_by"), names=("approver_name",)),
    PersonalColumns("responses", OF_ITS_ASSESSMENTS, actors=("updated_by",)),
    PersonalColumns("actions", OWN, actors=("created_by", "updated_by"), names=("owner",)),
    PersonalColumns("evidence", OWN, actors=("created_by", "updated_by")),
    PersonalColumns(
        "respondents",
        OWN,
        actors=("created_by", "updated_by"),
        names=("name",),
        emails=("email",),
        subjects=("subject",),
    ),
    PersonalColumns(
        "respondent_responses",
        "respondent_id IN (SELECT id FROM respondents WHERE organisation_id = :organisation_id)",
        actors=("updated_by",),
    ),
    PersonalColumns("audit_events", OWN, actors=("by",)),
)
