"""Report test helpers: organisations with scored assessments made through the API itself."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
import pytest

from framework_model import Question
from tests.api.test_assessments_support import (
    answer,
    answers,
    create_assessment,
    highest,
    lowest,
    middle,
    scored_assessment,
    submit,
)

LATEST = "2.0.0"
HOSTILE_NAME = '<script>alert("name")</script> & Sons'
HOSTILE_COMMENT = '<img src=x onerror=alert(1)> says "hi", then\nleaves'
FORMULA_COMMENT = '=HYPERLINK("https://evil.example","click")'


def capped_middle(question: Question) -> str:
    """Middle answers, but the lowest to critical questions: every pillar they sit in is capped."""
    return lowest(question) if question.critical else middle(question)


@dataclass(frozen=True)
class History:
    """An organisation with two scored assessments (1.1.0, then 2.0.0): ``latest`` is the 2.0.0
    one, its result ``result``."""

    organisation: dict
    earlier: dict
    latest: dict
    result: dict


async def scored_with_comments(api: httpx.AsyncClient, headers: dict, organisation_id: str) -> dict:
    """A 2.0.0 assessment answered in the middle (critical questions lowest), two answers with
    hostile comments, scored."""
    assessment = await create_assessment(api, headers, organisation_id, framework_version=LATEST)
    items = answers(LATEST, capped_middle)
    items[0] = {**items[0], "comment": HOSTILE_COMMENT}
    items[1] = {**items[1], "comment": FORMULA_COMMENT}
    await answer(api, headers, assessment["id"], items)
    response = await submit(api, headers, assessment["id"])
    assert response.status_code == 200, response.text
    return response.json()["result"] | {"assessment_id": assessment["id"]}


@pytest.fixture
def make_history(
    api: httpx.AsyncClient, admin_headers: dict, make_organisation: Callable[..., Awaitable[dict]]
) -> Callable[..., Awaitable[History]]:
    async def make(ods_code: str = "RX1", name: str = HOSTILE_NAME) -> History:
        organisation = await make_organisation(ods_code, name=name)
        earlier = await scored_assessment(
            api, admin_headers, organisation["id"], version="1.1.0", pick=lowest
        )
        latest = await scored_with_comments(api, admin_headers, organisation["id"])
        return History(organisation, earlier, latest, latest)

    return make


async def scored_peers(
    api: httpx.AsyncClient, headers: dict, make_organisation: Callable[..., Awaitable[dict]], count: int
) -> list[str]:
    """``count`` more trusts with a scored 2.0.0 assessment (all top answers); their ids."""
    ids = []
    for i in range(count):
        organisation = await make_organisation(f"PEER{i}")
        await scored_assessment(api, headers, organisation["id"], version=LATEST, pick=highest)
        ids.append(organisation["id"])
    return ids


def report_url(assessment_id: str, what: str = "report") -> str:
    return f"/v1/assessments/{assessment_id}/{what}"
