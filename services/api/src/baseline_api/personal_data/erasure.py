"""Erasing a person (UK GDPR): their name, email and identity replaced by a pseudonym everywhere in
one organisation, in one transaction; no score, answer or result changes.

A person is matched by their sign-in ``subject`` (actor id ``user:<subject>``), their ``name``
(case-insensitive, exact) and their ``email``. An actor pair is replaced when its id is theirs, or
when its name is theirs and its id is a person's (``user:...``): API keys and the admin token are
systems, not people, and keep their names. Every replacement uses one fresh pseudonym, so the
history still shows that the same (now unnamed) person did those things.

The approval documents that named the person as approver are deleted (their SHA-256 stays on the
assessment and in the audit; the report is rendered afresh, with the pseudonym), and so is the
render cache, which may hold reports naming them. Idempotency records (a replayed response, kept
24 hours at most) are left to expire.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from .tables import TABLES, PersonalColumns

__all__ = ["Person", "Pseudonym", "erase"]


@dataclass(frozen=True)
class Person:
    name: str | None
    email: str | None
    subject: str | None


@dataclass(frozen=True)
class Pseudonym:
    token: str

    @classmethod
    def fresh(cls) -> Pseudonym:
        return cls(secrets.token_hex(6))

    def parameters(self) -> dict[str, str]:
        return {
            "pseudonym_id": f"erased:{self.token}",
            "pseudonym_name": f"Erased person {self.token}",
            "pseudonym_email": f"{self.token}@erased.invalid",
            "pseudonym_subject": f"erased-{self.token}",
        }


_IS_NAME = "lower({column}) IN (lower(CAST(:name AS text)), lower(CAST(:email AS text)))"
_IS_EMAIL = "lower({column}) = lower(CAST(:email AS text))"
_IS_SUBJECT = "{column} = CAST(:subject AS text)"
_IS_ACTOR = (
    "({column} = 'user:' || CAST(:subject AS text)"
    " OR ({column} LIKE 'user:%' AND lower({column}_name) = lower(CAST(:name AS text))))"
)


def _replacements(table: PersonalColumns) -> list[tuple[str, str, str]]:
    """(column, condition, pseudonym parameter) for every column of ``table`` that names people."""
    found = []
    for column in table.actors:
        matched = _IS_ACTOR.format(column=column)
        found += [(column, matched, "pseudonym_id"), (f"{column}_name", matched, "pseudonym_name")]
    found += [(column, _IS_NAME.format(column=column), "pseudonym_name") for column in table.names]
    found += [(column, _IS_EMAIL.format(column=column), "pseudonym_email") for column in table.emails]
    found += [(column, _IS_SUBJECT.format(column=column), "pseudonym_subject") for column in table.subjects]
    return found


def erase_statement(table: PersonalColumns) -> str:
    """One UPDATE replacing, in the organisation's rows of ``table``, what names the person."""
    replacements = _replacements(table)
    assignments = ", ".join(
        f"{column} = CASE WHEN {condition} THEN :{value} ELSE {column} END"
        for column, condition, value in replacements
    )
    anywhere = " OR ".join(condition for _, condition, _ in replacements)
    return f"UPDATE {table.table} SET {assignments} WHERE ({table.scope}) AND ({anywhere})"  # noqa: S608 - constants


_STATEMENTS = {table.table: text(erase_statement(table)) for table in TABLES}
_SIGNED_NAMING = text("""
DELETE FROM approval_documents d USING assessments a
WHERE a.id = d.assessment_id AND a.organisation_id = :organisation_id
  AND (a.approved_by = :pseudonym_id OR a.approver_name = :pseudonym_name)
""")
_RENDER_CACHE = text("DELETE FROM rendered_documents")


async def erase(
    session: AsyncSession, organisation_id: uuid.UUID, person: Person, pseudonym: Pseudonym
) -> dict[str, int]:
    """Replace ``person`` by ``pseudonym`` in the organisation; rows changed per table."""
    parameters: dict[str, Any] = {
        "organisation_id": organisation_id,
        "name": person.name,
        "email": person.email,
        "subject": person.subject,
        **pseudonym.parameters(),
    }
    changed = {}
    for table, statement in _STATEMENTS.items():
        changed[table] = (await session.execute(statement, parameters)).rowcount  # type: ignore[attr-defined]
    changed["approval_documents"] = (await session.execute(_SIGNED_NAMING, parameters)).rowcount  # type: ignore[attr-defined]
    await session.execute(_RENDER_CACHE)
    return changed
