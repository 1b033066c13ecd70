"""framework_model: Baseline's maturity frameworks as typed, validated, versioned data.

A framework version (``framework_id`` + semantic ``version``) is a YAML file shipped in this
package. Loading one validates it whole; a published version is immutable, as its content
hash and the committed lock prove. Both services use this library: the scoring service to
score, the gateway to check answers before it stores them.

```python
from framework_model import check_answers, latest_published, Answer

framework = latest_published("nhs-digital-readiness")
problems = check_answers(framework, [Answer(question_id="wow-cs-safety-officer", value="none")])
```

The library reads only its own package files. Every error it raises on purpose is a
``FrameworkError``; invalid framework content surfaces as pydantic's ``ValidationError``.
"""

from framework_model.answers import (
    Answer,
    AnswerParts,
    AnswerProblem,
    answers_fit,
    check_answer,
    check_answers,
)
from framework_model.crosswalk import (
    CarriedAnswers,
    NotCarried,
    NotCarriedCode,
    capability_crosswalk,
    carry_answers,
    crosswalk_question_ids,
)
from framework_model.exceptions import (
    CatalogueError,
    FrameworkError,
    FrameworkFileError,
    LockError,
    NoCrosswalkError,
    UnknownFrameworkError,
)
from framework_model.hashing import canonical_json, content_hash, definition_document
from framework_model.index import CapabilityRef, FrameworkIndex, QuestionRef, framework_index
from framework_model.loading import packaged_frameworks, parse_framework
from framework_model.models import (
    Capability,
    CriticalRule,
    DroppedQuestion,
    Effort,
    Framework,
    FrameworkStatus,
    GlossaryEntry,
    Identifier,
    Level,
    Option,
    OptionCrosswalk,
    OptionMapping,
    Pillar,
    Question,
    Recommendation,
)
from framework_model.problems import FrameworkProblem, FrameworkProblems, problems_from_error
from framework_model.profiles import PROFILES, Profile, asks, has_profile, profile_questions
from framework_model.registry import (
    Catalogue,
    FrameworkSummary,
    default_catalogue,
    latest_published,
    list_frameworks,
    load_framework,
)
from framework_model.schema import framework_json_schema
from framework_model.versions import version_key

__all__ = [
    "PROFILES",
    "Answer",
    "AnswerParts",
    "AnswerProblem",
    "Capability",
    "CapabilityRef",
    "CarriedAnswers",
    "Catalogue",
    "CatalogueError",
    "CriticalRule",
    "DroppedQuestion",
    "Effort",
    "Framework",
    "FrameworkError",
    "FrameworkFileError",
    "FrameworkIndex",
    "FrameworkProblem",
    "FrameworkProblems",
    "FrameworkStatus",
    "FrameworkSummary",
    "GlossaryEntry",
    "Identifier",
    "Level",
    "LockError",
    "NoCrosswalkError",
    "NotCarried",
    "NotCarriedCode",
    "Option",
    "OptionCrosswalk",
    "OptionMapping",
    "Pillar",
    "Profile",
    "Question",
    "QuestionRef",
    "Recommendation",
    "UnknownFrameworkError",
    "answers_fit",
    "asks",
    "canonical_json",
    "capability_crosswalk",
    "carry_answers",
    "check_answer",
    "check_answers",
    "content_hash",
    "crosswalk_question_ids",
    "default_catalogue",
    "definition_document",
    "framework_index",
    "framework_json_schema",
    "has_profile",
    "latest_published",
    "list_frameworks",
    "load_framework",
    "packaged_frameworks",
    "parse_framework",
    "problems_from_error",
    "profile_questions",
    "version_key",
]
