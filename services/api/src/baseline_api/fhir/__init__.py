"""FHIR R4 views of Baseline: frameworks as Questionnaires, answers as QuestionnaireResponses.

Everything here emits and reads plain JSON dicts; no FHIR library is needed at run time
(the tests check our output and input against ``fhir.resources``).
"""
