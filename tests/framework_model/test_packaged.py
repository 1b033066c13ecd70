"""The frameworks shipped in the package: present, valid and as the HTTP contract describes."""

from __future__ import annotations

from framework_model import crosswalk_question_ids, latest_published, list_frameworks, load_framework

FRAMEWORK_ID = "nhs-digital-readiness"
PILLARS = ["ways-of-working", "operating-model", "supplier-ecosystem"]


def test_nhs_digital_readiness_ships_three_published_versions() -> None:
    listed = {(s.framework_id, s.version): s.status for s in list_frameworks()}
    assert listed[(FRAMEWORK_ID, "1.0.0")] == "published"
    assert listed[(FRAMEWORK_ID, "1.1.0")] == "published"
    assert listed[(FRAMEWORK_ID, "2.0.0")] == "published"
    assert latest_published(FRAMEWORK_ID).version == "2.0.0"


def test_every_version_has_the_three_pillars_and_five_levels() -> None:
    for version in ["1.0.0", "1.1.0", "2.0.0"]:
        framework = load_framework(FRAMEWORK_ID, version)
        assert [pillar.pillar_id for pillar in framework.pillars] == PILLARS
        assert [level.level for level in framework.levels] == [1, 2, 3, 4, 5]
        assert set(framework.default_targets) == set(PILLARS)


def test_1_1_0_changes_content_and_crosswalks_from_1_0_0() -> None:
    old, new = load_framework(FRAMEWORK_ID, "1.0.0"), load_framework(FRAMEWORK_ID, "1.1.0")
    assert "1.0.0" in new.crosswalk
    assert old.model_dump(exclude={"version", "crosswalk"}) != new.model_dump(
        exclude={"version", "crosswalk"}
    )
    mapping = crosswalk_question_ids(new, "1.0.0", from_framework=old)
    assert set(mapping.values()) <= {
        q for p in new.pillars for c in p.capabilities for q in [x.question_id for x in c.questions]
    }
