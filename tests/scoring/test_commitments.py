"""The reviewer's commitment, declared ties and recusal (services)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards.models import AuditEntry
from scoring.enums import AssignmentStatus, ConflictRelation, ScorecardStatus
from scoring.review.models import ConflictDeclaration, ReviewerCommitment, Scorecard
from scoring.review.services.commitments import (
    accept_commitment,
    declare_conflict,
    finish_declarations,
)
from scoring.review.services.conflicts import is_conflicted
from scoring.review.services.recusal import recuse
from tests.factories import AuthorityFactory, CycleFactory, OrganizationFactory, ReviewerFactory
from tests.scoring.factories import (
    EligibleApplicationFactory,
    OpenReviewStageFactory,
    ReviewStageFactory,
    review_panel,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    return CycleFactory(programme__authority=AuthorityFactory(region_code="429006"))


@pytest.fixture
def reviewer(cycle):
    return ReviewerFactory(authority=cycle.programme.authority)


def actions() -> list[tuple[str, str]]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", "target_type"))


def test_accepting_the_commitment_records_it_once(cycle, reviewer):
    commitment = accept_commitment(reviewer=reviewer, cycle=cycle)
    again = accept_commitment(reviewer=reviewer, cycle=cycle)
    assert again.pk == commitment.pk
    assert again.confidentiality_accepted_at == commitment.confidentiality_accepted_at
    assert commitment.conflicts_declared_at is None
    assert actions() == [("accept_commitment", "scoring.reviewercommitment")]


def test_a_reviewer_of_another_authority_cannot_sign_for_the_cycle(cycle):
    stranger = ReviewerFactory(authority=AuthorityFactory())
    with pytest.raises(PermissionDenied) as caught:
        accept_commitment(reviewer=stranger, cycle=cycle)
    assert str(caught.value) == "只有本授奖机关专家库中的评审专家可以执行此操作。"
    assert ReviewerCommitment.objects.count() == 0


def test_ties_are_declared_only_after_the_commitment(cycle, reviewer):
    organization = OrganizationFactory(region_code="429006")
    with pytest.raises(ValidationError) as caught:
        declare_conflict(
            reviewer=reviewer,
            cycle=cycle,
            organization=organization,
            relation=ConflictRelation.CUSTOMER,
        )
    assert caught.value.messages == ["请先签署本届评审的保密承诺。"]


def test_declaring_a_tie_hides_the_organizations_application(cycle, reviewer):
    application = EligibleApplicationFactory(cycle=cycle)
    stage = ReviewStageFactory(cycle=cycle)
    accept_commitment(reviewer=reviewer, cycle=cycle)
    assert is_conflicted(reviewer=reviewer, application=application, stage=stage) is False
    declaration = declare_conflict(
        reviewer=reviewer,
        cycle=cycle,
        organization=application.organization,
        relation=ConflictRelation.FORMER_EMPLOYER,
        note=" 2019—2022 年在该单位任职 ",
    )
    same = declare_conflict(
        reviewer=reviewer,
        cycle=cycle,
        organization=application.organization,
        relation=ConflictRelation.FORMER_EMPLOYER,
    )
    assert same.pk == declaration.pk
    assert declaration.note == "2019—2022 年在该单位任职"
    assert is_conflicted(reviewer=reviewer, application=application, stage=stage) is True
    entry = AuditEntry.objects.get(action="declare_conflict")
    assert entry.details == {
        "cycle": cycle.pk,
        "organization": application.organization.credit_code,
        "relation": "former_employer",
        "note": "2019—2022 年在该单位任职",
    }


@pytest.mark.parametrize(
    ("relation", "region", "message"),
    [
        ("uncle", "429006", {"relation": ["请选择与该单位的关系。"]}),
        ("customer", "360100", {"organization": ["只能申报本授奖机关辖区内的单位。"]}),
    ],
)
def test_bad_declarations_are_refused(cycle, reviewer, relation, region, message):
    accept_commitment(reviewer=reviewer, cycle=cycle)
    with pytest.raises(ValidationError) as caught:
        declare_conflict(
            reviewer=reviewer,
            cycle=cycle,
            organization=OrganizationFactory(region_code=region),
            relation=relation,
        )
    assert caught.value.message_dict == message
    assert ConflictDeclaration.objects.count() == 0


def test_finishing_the_declarations_is_recorded_once(cycle, reviewer):
    accept_commitment(reviewer=reviewer, cycle=cycle)
    declare_conflict(
        reviewer=reviewer,
        cycle=cycle,
        organization=OrganizationFactory(region_code="429006"),
        relation=ConflictRelation.RELATIVE,
    )
    first = finish_declarations(reviewer=reviewer, cycle=cycle)
    second = finish_declarations(reviewer=reviewer, cycle=cycle)
    assert first.conflicts_declared_at is not None
    assert second.conflicts_declared_at == first.conflicts_declared_at
    finished = AuditEntry.objects.get(action="finish_declarations")
    assert finished.details == {"declarations": 1}
    assert actions() == [
        ("accept_commitment", "scoring.reviewercommitment"),
        ("declare_conflict", "scoring.conflictdeclaration"),
        ("finish_declarations", "scoring.reviewercommitment"),
    ]


def test_finishing_without_a_commitment_is_refused(cycle, reviewer):
    with pytest.raises(ValidationError) as caught:
        finish_declarations(reviewer=reviewer, cycle=cycle)
    assert caught.value.messages == ["请先签署本届评审的保密承诺。"]


# Recusal ---------------------------------------------------------------------------------


@pytest.fixture
def assignment():
    return review_panel(stage=OpenReviewStageFactory(), members=2)[1]


def test_a_reviewer_recuses_with_a_reason(assignment):
    recused = recuse(assignment=assignment, reason=" 曾为该单位提供培训 ", by=assignment.reviewer)
    assignment.refresh_from_db()
    assert (assignment.status, assignment.recusal_reason) == (
        AssignmentStatus.RECUSED,
        "曾为该单位提供培训",
    )
    assert recused.status == AssignmentStatus.RECUSED
    entry = AuditEntry.objects.get(action="recuse")
    assert (entry.actor, entry.target_id, entry.details) == (
        assignment.reviewer,
        str(assignment.pk),
        {"reason": "曾为该单位提供培训"},
    )


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", {"reason": ["请填写回避理由。"]}),
        ("x" * 1001, {"reason": ["回避理由不能超过 1000 个字符。"]}),
    ],
)
def test_recusal_needs_a_reason(assignment, reason, message):
    with pytest.raises(ValidationError) as caught:
        recuse(assignment=assignment, reason=reason, by=assignment.reviewer)
    assert caught.value.message_dict == message
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE


def test_only_the_assigned_reviewer_recuses(assignment):
    other = assignment.panel.assignments.exclude(pk=assignment.pk).get().reviewer
    with pytest.raises(PermissionDenied) as caught:
        recuse(assignment=assignment, reason="理由", by=other)
    assert str(caught.value) == "只有被分配的评审专家本人可以申请回避。"


def test_recusing_twice_or_after_submission_is_refused(assignment):
    recuse(assignment=assignment, reason="理由", by=assignment.reviewer)
    with pytest.raises(ValidationError) as caught:
        recuse(assignment=assignment, reason="理由", by=assignment.reviewer)
    assert caught.value.messages == ["您已回避此项评审。"]

    other = assignment.panel.assignments.exclude(pk=assignment.pk).get()
    Scorecard.objects.create(assignment=other, status=ScorecardStatus.SUBMITTED)
    with pytest.raises(ValidationError) as caught:
        recuse(assignment=other, reason="理由", by=other.reviewer)
    assert caught.value.messages == ["评分表已提交，不能再申请回避；如有需要请联系质量奖办公室。"]
    assert AuditEntry.objects.filter(action="recuse").count() == 1
