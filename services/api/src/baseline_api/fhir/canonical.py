"""The URIs Baseline's FHIR resources name, in one place so emitter and parser cannot drift.

A framework version is the Questionnaire ``<QUESTIONNAIRE_BASE>/<framework_id>`` at business
``version`` = the framework version, so a QuestionnaireResponse names it ``url|version``.
"""

from __future__ import annotations

__all__ = [
    "CANONICAL_BASE",
    "CONTENT_HASH_SYSTEM",
    "CRITICAL_QUESTION_URL",
    "ITEM_CONTROL_SYSTEM",
    "ITEM_CONTROL_URL",
    "ITEM_WEIGHT_URL",
    "NOT_APPLICABLE_CODE",
    "NOT_APPLICABLE_SYSTEM",
    "ODS_SYSTEM",
    "QUESTIONNAIRE_BASE",
    "option_system",
    "parse_questionnaire_canonical",
    "questionnaire_url",
]

#: Root of every canonical URL Baseline mints (Questionnaires, code systems, extensions).
CANONICAL_BASE = "https://baseline.nhs.example/fhir"
QUESTIONNAIRE_BASE = f"{CANONICAL_BASE}/Questionnaire"
#: Our extension on a question item: ``valueBoolean`` true when a low answer caps the pillar.
CRITICAL_QUESTION_URL = f"{CANONICAL_BASE}/StructureDefinition/critical-question"
#: Identifier system whose value is the framework's content hash (``sha256:...``).
CONTENT_HASH_SYSTEM = f"{CANONICAL_BASE}/NamingSystem/framework-content-hash"

#: HL7's score-of-a-coding extension (formerly ``ordinalValue``); ``valueDecimal`` in [0, 1].
ITEM_WEIGHT_URL = "http://hl7.org/fhir/StructureDefinition/itemWeight"
ITEM_CONTROL_URL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
#: "Not applicable" is HL7's data-absent-reason code rather than a code of our own: any FHIR
#: client already knows what it means, and it can never clash with an option id.
NOT_APPLICABLE_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
NOT_APPLICABLE_CODE = "not-applicable"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"


def questionnaire_url(framework_id: str) -> str:
    return f"{QUESTIONNAIRE_BASE}/{framework_id}"


def option_system(framework_id: str, question_id: str) -> str:
    """One code system per question: option ids such as ``none`` recur across questions with
    other labels and scores, so a framework-wide system would give one code many meanings."""
    return f"{CANONICAL_BASE}/CodeSystem/{framework_id}/{question_id}"


def parse_questionnaire_canonical(canonical: str) -> tuple[str, str] | None:
    """``<QUESTIONNAIRE_BASE>/<framework_id>|<version>`` -> ``(framework_id, version)``; None if
    the canonical is not one of ours or names no version (answers are pinned to a version)."""
    url, bar, version = canonical.partition("|")
    prefix = f"{QUESTIONNAIRE_BASE}/"
    framework_id = url.removeprefix(prefix)
    if not bar or not version or not url.startswith(prefix) or not framework_id or "/" in framework_id:
        return None
    return framework_id, version
