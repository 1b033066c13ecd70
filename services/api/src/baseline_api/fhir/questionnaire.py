"""A framework version as a FHIR R4 Questionnaire.

Pillars and capabilities become groups, questions become ``choice`` items whose
``linkId`` is the question id and whose answer options are codings scored with HL7's
``itemWeight`` extension. R4 has no ``coding`` item type (that is R5): ``choice`` is R4's
item whose answers are codings. Every question is ``required`` because submitting an
assessment needs every question answered; a question that allows "not applicable" offers
it as an extra option (data-absent-reason ``not-applicable``, no weight: it is not scored).

The output is a pure function of the framework, with no ``date``, so it can be cached and
compared byte for byte.
"""

from __future__ import annotations

from typing import Any

from baseline_api.fhir.canonical import (
    CONTENT_HASH_SYSTEM,
    CRITICAL_QUESTION_URL,
    ITEM_CONTROL_SYSTEM,
    ITEM_CONTROL_URL,
    ITEM_WEIGHT_URL,
    NOT_APPLICABLE_CODE,
    NOT_APPLICABLE_SYSTEM,
    option_system,
    questionnaire_url,
)
from framework_model import (
    Capability,
    Framework,
    Option,
    Pillar,
    Profile,
    Question,
    content_hash,
    profile_questions,
)

__all__ = ["questionnaire_for", "questionnaire_id", "questionnaire_name"]

Json = dict[str, Any]

_STATUS = {"published": "active", "draft": "draft", "retired": "retired"}


def questionnaire_for(framework: Framework, profile: Profile = "full") -> Json:
    """The Questionnaire for one framework version (a fresh dict: callers may change it).

    The quick profile is a Questionnaire of its own (its canonical URL ends ``/quick``) that asks
    only the lead questions; QuestionnaireResponses are ingested against the full one.
    """
    quick = profile == "quick"
    document: Json = {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(framework) + ("-quick" if quick else ""),
        "url": questionnaire_url(framework.framework_id) + ("/quick" if quick else ""),
        "identifier": [{"system": CONTENT_HASH_SYSTEM, "value": content_hash(framework)}],
        "version": framework.version,
        "name": questionnaire_name(framework.framework_id) + ("Quick" if quick else ""),
        "title": framework.title + (" (quick profile)" if quick else ""),
        "status": _STATUS[framework.status],
        "subjectType": ["Organization"],
        "description": framework.description,
        "item": [_pillar_item(framework, pillar, profile) for pillar in framework.pillars],
    }
    if not framework.description:  # FHIR forbids empty strings
        del document["description"]
    return document


def questionnaire_id(framework: Framework) -> str:
    """``nhs-digital-readiness-1-1-0``: FHIR ids allow dots, but dashes read as one token."""
    return f"{framework.framework_id}-{framework.version.replace('.', '-')}"


def questionnaire_name(framework_id: str) -> str:
    """A computable name (``[A-Z][A-Za-z0-9_]*``, FHIR's que-0): ``NhsDigitalReadiness``."""
    name = "".join(part.capitalize() for part in framework_id.split("-"))
    return name if name[:1].isalpha() else f"Framework{name}"


def _pillar_item(framework: Framework, pillar: Pillar, profile: Profile) -> Json:
    capabilities = [_capability_item(framework, capability, profile) for capability in pillar.capabilities]
    return {"linkId": pillar.pillar_id, "text": pillar.title, "type": "group", "item": capabilities}


def _capability_item(framework: Framework, capability: Capability, profile: Profile) -> Json:
    questions = [_question_item(framework, question) for question in profile_questions(capability, profile)]
    return {"linkId": capability.capability_id, "text": capability.title, "type": "group", "item": questions}


def _question_item(framework: Framework, question: Question) -> Json:
    system = option_system(framework.framework_id, question.question_id)
    options = [_answer_option(system, framework.version, option) for option in question.options]
    item: Json = {"linkId": question.question_id, "text": question.text, "type": "choice", "required": True}
    if question.critical:
        item["extension"] = [{"url": CRITICAL_QUESTION_URL, "valueBoolean": True}]
    item["answerOption"] = [*options, _not_applicable_option()] if question.allow_na else options
    if question.guidance:
        item["item"] = [_guidance_item(question)]
    return item


def _answer_option(system: str, version: str, option: Option) -> Json:
    weight = {"url": ITEM_WEIGHT_URL, "valueDecimal": option.score}
    coding = {"system": system, "version": version, "code": option.option_id, "display": option.label}
    return {"valueCoding": {"extension": [weight], **coding}}


def _not_applicable_option() -> Json:
    """No ``itemWeight``: a not-applicable answer is left out of the score, not scored zero."""
    coding = {"system": NOT_APPLICABLE_SYSTEM, "code": NOT_APPLICABLE_CODE, "display": "Not Applicable"}
    return {"valueCoding": coding}


def _guidance_item(question: Question) -> Json:
    """Guidance as SDC's "help" display item, which form renderers show as a help bubble."""
    control = {"coding": [{"system": ITEM_CONTROL_SYSTEM, "code": "help", "display": "Help-Button"}]}
    return {
        "linkId": f"{question.question_id}-guidance",
        "text": question.guidance,
        "type": "display",
        "extension": [{"url": ITEM_CONTROL_URL, "valueCodeableConcept": control}],
    }
