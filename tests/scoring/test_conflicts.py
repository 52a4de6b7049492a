"""Conflicts of interest: detection by credit code and declarations, and audited overrides."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.models import AuditEntry
from scoring.enums import ConflictRelation, StageKind
from scoring.review.models import ConflictDeclaration, ConflictOverride
from scoring.review.services.conflicts import (
    conflicted_application_ids,
    conflicted_stage_pairs,
    detected_conflicts,
    is_conflicted,
    override_conflict,
)
from tests.factories import CycleFactory, OfficialFactory, make_credit_code
from tests.scoring.factories import (
    EligibleApplicationFactory,
    ReviewerProfileFactory,
    ReviewStageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    cycle = CycleFactory()
    authority = cycle.programme.authority
    employer_app = EligibleApplicationFactory(cycle=cycle)
    former_app = EligibleApplicationFactory(cycle=cycle)
    declared_app = EligibleApplicationFactory(cycle=cycle)
    free_app = EligibleApplicationFactory(cycle=cycle)
    reviewer = ReviewerProfileFactory(
        user__authority=authority,
        employer_credit_code=employer_app.organization.credit_code,
        former_employer_credit_codes=[former_app.organization.credit_code.lower()],
    ).user
    ConflictDeclaration.objects.create(
        cycle=cycle,
        reviewer=reviewer,
        organization=declared_app.organization,
        relation=ConflictRelation.CONSULTANCY,
        note="2024 年提供咨询",
    )
    clean = ReviewerProfileFactory(
        user__authority=authority, employer_credit_code=make_credit_code(99_001)
    ).user
    return {
        "cycle": cycle,
        "employer": employer_app,
        "former": former_app,
        "declared": declared_app,
        "free": free_app,
        "reviewer": reviewer,
        "clean": clean,
        "official": OfficialFactory(authority=authority),
        "document": ReviewStageFactory(cycle=cycle, kind=StageKind.DOCUMENT, order=1),
        "onsite": ReviewStageFactory(cycle=cycle, kind=StageKind.ONSITE, order=2),
    }


def test_detected_conflicts_lists_each_pair_with_reasons(setting):
    reviewer_id = setting["reviewer"].pk
    assert detected_conflicts(cycle=setting["cycle"]) == {
        (setting["employer"].pk, reviewer_id): ["申报单位是该专家的现任职单位"],
        (setting["former"].pk, reviewer_id): ["申报单位是该专家的曾任职单位"],
        (setting["declared"].pk, reviewer_id): [
            "专家申报的利益关系：提供过咨询服务（2024 年提供咨询）"
        ],
    }


def test_declaration_in_another_cycle_does_not_count(setting):
    other_cycle = CycleFactory(programme=setting["cycle"].programme)
    ConflictDeclaration.objects.create(
        cycle=other_cycle,
        reviewer=setting["clean"],
        organization=setting["free"].organization,
        relation=ConflictRelation.CUSTOMER,
    )
    document = setting["document"]
    assert (
        is_conflicted(reviewer=setting["clean"], application=setting["free"], stage=document)
        is False
    )
    assert (setting["free"].pk, setting["clean"].pk) not in detected_conflicts(
        cycle=setting["cycle"]
    )


def test_is_conflicted_per_pair(setting):
    document = setting["document"]
    reviewer = setting["reviewer"]
    assert is_conflicted(reviewer=reviewer, application=setting["employer"], stage=document) is True
    assert is_conflicted(reviewer=reviewer, application=setting["former"], stage=document) is True
    assert is_conflicted(reviewer=reviewer, application=setting["declared"], stage=document) is True
    assert is_conflicted(reviewer=reviewer, application=setting["free"], stage=document) is False
    assert (
        is_conflicted(reviewer=setting["clean"], application=setting["employer"], stage=document)
        is False
    )


def test_conflicted_application_ids_and_override(setting):
    reviewer = setting["reviewer"]
    assert conflicted_application_ids(reviewer=reviewer, stage=setting["document"]) == {
        setting["employer"].pk,
        setting["former"].pk,
        setting["declared"].pk,
    }
    override = override_conflict(
        application=setting["former"],
        reviewer=reviewer,
        stage=setting["document"],
        reason="离职已满八年，经办公室研究同意。",
        by=setting["official"],
    )
    assert conflicted_application_ids(reviewer=reviewer, stage=setting["document"]) == {
        setting["employer"].pk,
        setting["declared"].pk,
    }
    stage = setting["document"]
    assert is_conflicted(reviewer=reviewer, application=setting["former"], stage=stage) is False
    # Detection still reports it: the override is a decision, not a correction.
    assert (setting["former"].pk, reviewer.pk) in detected_conflicts(cycle=setting["cycle"])
    assert (override.reason, override.decided_by) == (
        "离职已满八年，经办公室研究同意。",
        setting["official"],
    )
    entry = AuditEntry.objects.get(action="override_conflict")
    assert (entry.actor, entry.target_id, entry.details) == (
        setting["official"],
        str(setting["former"].pk),
        {
            "reviewer": reviewer.username,
            "stage": "document",
            "reason": "离职已满八年，经办公室研究同意。",
            "conflicts": ["申报单位是该专家的曾任职单位"],
            "replaced": False,
        },
    )


def test_override_requires_a_reason(setting):
    with pytest.raises(ValidationError) as error:
        override_conflict(
            application=setting["employer"],
            reviewer=setting["reviewer"],
            stage=setting["document"],
            reason="   ",
            by=setting["official"],
        )
    assert error.value.message_dict == {"reason": ["豁免利益冲突必须填写书面理由。"]}
    assert ConflictOverride.objects.count() == 0
    assert AuditEntry.objects.filter(action="override_conflict").count() == 0


def test_override_refused_without_a_detected_conflict(setting):
    with pytest.raises(ValidationError) as error:
        override_conflict(
            application=setting["free"],
            reviewer=setting["reviewer"],
            stage=setting["document"],
            reason="x",
            by=setting["official"],
        )
    assert error.value.messages == ["未检测到该专家与该申报存在利益冲突，无需豁免。"]


def test_override_only_by_an_official_of_the_authority(setting):
    with pytest.raises(PermissionDenied):
        override_conflict(
            application=setting["employer"],
            reviewer=setting["reviewer"],
            stage=setting["document"],
            reason="理由",
            by=OfficialFactory(),
        )
    with pytest.raises(PermissionDenied):
        override_conflict(
            application=setting["employer"],
            reviewer=setting["reviewer"],
            stage=setting["document"],
            reason="理由",
            by=setting["clean"],
        )
    assert ConflictOverride.objects.count() == 0


@pytest.mark.parametrize("size", [1, 5])
def test_detection_query_counts_do_not_grow(size):
    cycle = CycleFactory()
    stage = ReviewStageFactory(cycle=cycle)
    for _ in range(size):
        app = EligibleApplicationFactory(cycle=cycle)
        profile = ReviewerProfileFactory(
            user__authority=cycle.programme.authority,
            employer_credit_code=app.organization.credit_code,
        )
        ConflictDeclaration.objects.create(
            cycle=cycle,
            reviewer=profile.user,
            organization=app.organization,
            relation=ConflictRelation.SUPPLIER,
        )
    with CaptureQueriesContext(connection) as detect:
        found = detected_conflicts(cycle=cycle)
    with CaptureQueriesContext(connection) as per_reviewer:
        conflicted_application_ids(reviewer=profile.user, stage=stage)
    assert len(found) == size
    assert (len(detect), len(per_reviewer)) == (3, 4)


def test_a_waiver_covers_its_stage_only_and_the_site_visit_asks_again(setting):
    reviewer, former = setting["reviewer"], setting["former"]
    document, onsite = setting["document"], setting["onsite"]
    override_conflict(
        application=former,
        reviewer=reviewer,
        stage=document,
        reason="离职已满八年，经办公室研究同意。",
        by=setting["official"],
    )
    assert is_conflicted(reviewer=reviewer, application=former, stage=document) is False
    assert is_conflicted(reviewer=reviewer, application=former, stage=onsite) is True
    assert former.pk not in conflicted_application_ids(reviewer=reviewer, stage=document)
    assert former.pk in conflicted_application_ids(reviewer=reviewer, stage=onsite)
    conflicted = {setting["employer"].pk, former.pk, setting["declared"].pk}
    assert conflicted_stage_pairs(reviewer=reviewer, cycle=setting["cycle"]) == {
        (app_id, stage.pk) for app_id in conflicted for stage in (document, onsite)
    } - {(former.pk, document.pk)}

    # The site visit needs its own written decision; both stand side by side.
    override_conflict(
        application=former,
        reviewer=reviewer,
        stage=onsite,
        reason="现场评审由其带队，另一名专家复核。",
        by=setting["official"],
    )
    assert is_conflicted(reviewer=reviewer, application=former, stage=onsite) is False
    assert sorted(
        ConflictOverride.objects.values_list("stage__kind", "reason").order_by("stage__order")
    ) == [
        ("document", "离职已满八年，经办公室研究同意。"),
        ("onsite", "现场评审由其带队，另一名专家复核。"),
    ]


def test_a_waiver_for_a_stage_of_another_cycle_is_refused(setting):
    other_stage = ReviewStageFactory()
    with pytest.raises(ValidationError) as error:
        override_conflict(
            application=setting["former"],
            reviewer=setting["reviewer"],
            stage=other_stage,
            reason="理由",
            by=setting["official"],
        )
    assert error.value.messages == ["评审阶段不属于该申报的届次。"]
    assert ConflictOverride.objects.count() == 0
