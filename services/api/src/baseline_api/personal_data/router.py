"""``POST /v1/organisations/{id}/personal-data/erase`` (admin)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from baseline_api.assessments.service import ensure_organisation
from baseline_api.auth import AdminPrincipal
from baseline_api.core.db import SessionDep
from baseline_api.core.responses import problem_responses

from .erasure import Person, Pseudonym, erase
from .schemas import ErasureIn, ErasureOut

__all__ = ["router"]

router = APIRouter(prefix="/v1/organisations/{organisation_id}", tags=["personal-data"])


@router.post(
    "/personal-data/erase",
    summary="Erase a person (UK GDPR): their name, email and identity become a pseudonym everywhere in "
    "the organisation; no score changes.",
    description="Replaces the person in the organisation's assessments (authors and approvals), answers, "
    "actions (authors and owners), evidence, respondents and audit, in one transaction, with one fresh "
    "pseudonym, and reports how many records changed per table. Scores, answers and results are untouched. "
    "A person is matched by `subject` (their sign-in identity), `name` (exact, ignoring case) or `email`; "
    "API keys and the admin token are systems and keep their names.",
    responses=problem_responses(
        {
            404: "No such organisation.",
            422: "None of name, email and subject given, or one does not validate; `errors` names it.",
        }
    ),
)
async def erase_personal_data(
    organisation_id: uuid.UUID, body: ErasureIn, principal: AdminPrincipal, session: SessionDep
) -> ErasureOut:
    await ensure_organisation(session, principal, organisation_id, lock=True)
    pseudonym = Pseudonym.fresh()
    changed = await erase(session, organisation_id, Person(body.name, body.email, body.subject), pseudonym)
    return ErasureOut(
        pseudonym=pseudonym.parameters()["pseudonym_name"], changed=changed, total=sum(changed.values())
    )
