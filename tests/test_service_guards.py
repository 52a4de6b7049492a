"""Every service that changes an authority's data refuses an actor outside that authority.

One case per service: how to build what it acts on (for the "own" authority), how to call it, and
the rows it would change. An official of another authority and a reviewer of the own authority
are refused with the exact message and nothing changes (the audit log included); the own
official and a platform administrator succeed. The view checks come first (``test_permissions``);
these are what remains when a view forgets its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied

from awards.enums import ApplicationStatus, CycleStatus, Role
from awards.models import (
    Application,
    AuditEntry,
    AwardingAuthority,
    AwardProgramme,
    CriteriaFramework,
    Cycle,
    User,
)
from awards.models.cycles import TIMETABLE_FIELDS
from awards.services.cycles import change_cycle_status, undo_cycle_status
from awards.services.frameworks import copy_as_new_version
from awards.services.people import create_staff_account
from awards.services.programmes import create_authority, create_cycle, create_programme
from awards.services.screening import screen_application
from awards.services.security import unlock_person
from scoring.certificates.models import Certificate, CertificateBatch
from scoring.certificates.services.issuing import issue_certificates
from scoring.publication.models import Award, Objection, PublicNotice
from scoring.publication.services.notices import (
    announce_results,
    open_public_notice,
    resolve_objection,
    revoke_award,
)
from scoring.publication.services.period import SHANGHAI, local_today
from scoring.results.models import (
    Committee,
    CommitteeDecision,
    ResultComputation,
    ResultSnapshot,
    ResultsSettings,
)
from scoring.results.services.committee import (
    open_questions,
    proposed_awards,
    record_committee_decision,
    set_committee,
)
from scoring.results.services.computation import approve_snapshot, compute_cycle_results
from scoring.results.services.runs import request_computation
from scoring.results.services.settings import save_results_settings
from scoring.review.models import Panel, ReviewStage
from scoring.review.services.defence import ask_question, send_questions
from scoring.review.services.site_issues import save_site_issues
from scoring.review.services.stage_list import save_stages
from tests import clock
from tests.factories import (
    ApplicationFactory,
    AuthorityFactory,
    CycleFactory,
    OfficialFactory,
    ReviewerFactory,
    UserFactory,
    national_framework,
)
from tests.scoring.committee_helpers import record_unanimous_decision
from tests.scoring.factories import (
    ApprovedSnapshotFactory,
    AssignmentFactory,
    AwardFactory,
    EligibleApplicationFactory,
    ObjectionFactory,
    OpenNoticeFactory,
    ResultEntryFactory,
    ReviewStageFactory,
    submitted_scorecard,
)

REFUSAL = "只有本授奖机关的工作人员可以执行此操作。"


@dataclass(frozen=True)
class Case:
    #: authority → what the service acts on
    arrange: Callable[[AwardingAuthority], Any]
    #: (what it acts on, actor) → the call
    act: Callable[[Any, User], Any]
    #: what it acts on → the rows the call would change
    state: Callable[[Any], Any]


def scored_cycle(authority) -> Cycle:
    """A cycle with one weighted stage and one application scored by one reviewer."""
    cycle = CycleFactory(programme__authority=authority)
    stage = ReviewStageFactory(cycle=cycle, weight="1")
    application = EligibleApplicationFactory(cycle=cycle)
    assignment = AssignmentFactory(panel=Panel.objects.create(stage=stage, application=application))
    submitted_scorecard(assignment, 60)
    return cycle


def computed_snapshot(authority) -> ResultSnapshot:
    cycle = scored_cycle(authority)
    return compute_cycle_results(cycle=cycle, by=OfficialFactory(authority=authority))


def decided_snapshot(authority) -> ResultSnapshot:
    """A computed snapshot with a recorded committee decision, ready for a second official."""
    snapshot = computed_snapshot(authority)
    record_unanimous_decision(snapshot)
    return snapshot


def snapshot_with_committee(authority) -> ResultSnapshot:
    snapshot = computed_snapshot(authority)
    committee_of_one(snapshot.cycle)
    return snapshot


def committee_of_one(cycle: Cycle) -> None:
    expert = ReviewerFactory(authority=cycle.programme.authority, full_name="委员甲")
    set_committee(cycle=cycle, members=[expert], chair=expert, by=None)


def record_meeting(snapshot: ResultSnapshot, by) -> None:
    present = list(snapshot.cycle.committee.members.all())
    record_committee_decision(
        snapshot=snapshot,
        held_on=local_today(),
        present=present,
        votes={
            (entry.application_id, member.pk): "approve"
            for entry in proposed_awards(snapshot)
            for member in present
        },
        rationales={question.key: "审定。" for question in open_questions(snapshot)},
        by=by,
    )


def appoint_committee(cycle: Cycle, by) -> None:
    expert = ReviewerFactory(authority=cycle.programme.authority, full_name="委员乙")
    set_committee(cycle=cycle, members=[expert], chair=expert, by=by)


def proposed_snapshot(authority) -> ResultSnapshot:
    """An approved snapshot of a new cycle with one proposed award."""
    snapshot = ApprovedSnapshotFactory(cycle=CycleFactory(programme__authority=authority))
    ResultEntryFactory(snapshot=snapshot, level="质量奖")
    return snapshot


def after_period(notice: PublicNotice) -> dt.datetime:
    day = notice.ends_on + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=SHANGHAI)


def awarded_cycle(authority) -> Cycle:
    snapshot = ApprovedSnapshotFactory(cycle=CycleFactory(programme__authority=authority))
    AwardFactory(snapshot=snapshot)
    return snapshot.cycle


def timetable_of(cycle: Cycle) -> dict:
    return {field: getattr(cycle, field) for field in TIMETABLE_FIELDS}


def locked_reviewer(authority) -> User:
    reviewer = ReviewerFactory(username="locked-reviewer", authority=authority)
    AccessAttempt.objects.create(
        username=reviewer.username, ip_address="10.0.0.1", failures_since_start=5
    )
    return reviewer


def audit_count() -> int:
    return AuditEntry.objects.count()


def defence_panel(authority) -> Panel:
    from scoring.enums import StageKind

    stage = ReviewStageFactory(
        cycle=CycleFactory(programme__authority=authority), kind=StageKind.DEFENCE, weight="1"
    )
    return AssignmentFactory(
        panel=Panel.objects.create(
            stage=stage, application=EligibleApplicationFactory(cycle=stage.cycle)
        )
    ).panel


def open_round(authority):
    from scoring.review.models import DefenceQuestion, QuestionRound

    panel = defence_panel(authority)
    round = QuestionRound.objects.create(panel=panel, number=1)
    DefenceQuestion.objects.create(
        round=round, author=panel.assignments.get().reviewer, text="问题"
    )
    return round


def document_consensus(authority):
    from scoring.review.models import Consensus

    stage = ReviewStageFactory(cycle=CycleFactory(programme__authority=authority), weight="1")
    panel = Panel.objects.create(
        stage=stage, application=EligibleApplicationFactory(cycle=stage.cycle)
    )
    return Consensus.objects.create(panel=panel)


def _changed_cycle(authority) -> Cycle:
    """A cycle its authority's official has just moved from open to screening."""
    cycle = CycleFactory(programme__authority=authority, status=CycleStatus.OPEN)
    change_cycle_status(
        cycle=cycle, to=CycleStatus.SCREENING, by=OfficialFactory(authority=authority)
    )
    return Cycle.objects.get(pk=cycle.pk)


def default_stages(authority) -> Cycle:
    from scoring.review.services.stages import ensure_default_stages

    cycle = CycleFactory(programme__authority=authority)
    ensure_default_stages(cycle=cycle, by=None)
    return cycle


CASES = {
    "set_committee": Case(
        arrange=scored_cycle,
        act=appoint_committee,
        state=lambda cycle: list(Committee.objects.filter(cycle=cycle).values_list("chair_id")),
    ),
    "record_committee_decision": Case(
        arrange=snapshot_with_committee,
        act=record_meeting,
        state=lambda snapshot: CommitteeDecision.objects.filter(snapshot=snapshot).count(),
    ),
    # The stage list and the defence stage (scoring.review).
    "save_stages": Case(
        arrange=default_stages,
        act=lambda cycle, by: save_stages(
            cycle=cycle,
            changes={cycle.stages.get(kind="document").pk: {"panel_size": 7}},
            by=by,
        ),
        state=lambda cycle: list(
            cycle.stages.order_by("order").values_list("panel_size", flat=True)
        ),
    ),
    "ask_question": Case(
        arrange=defence_panel,
        act=lambda panel, by: ask_question(panel=panel, text="请说明能耗数据来源。", by=by),
        state=lambda panel: list(panel.question_rounds.values_list("questions__text", flat=True)),
    ),
    "send_questions": Case(
        arrange=open_round,
        act=lambda round, by: send_questions(
            round=round, answer_deadline=clock.now() + dt.timedelta(days=7), by=by
        ),
        state=lambda round: type(round).objects.get(pk=round.pk).sent_at,
    ),
    "save_site_issues": Case(
        arrange=document_consensus,
        act=lambda consensus, by: save_site_issues(panel=consensus.panel, text="核实能耗", by=by),
        state=lambda consensus: type(consensus).objects.get(pk=consensus.pk).site_issues,
    ),
    "approve_snapshot": Case(
        arrange=decided_snapshot,
        act=lambda snapshot, by: approve_snapshot(snapshot=snapshot, by=by),
        state=lambda snapshot: (
            ResultSnapshot.objects.filter(pk=snapshot.pk)
            .values_list("approved_at", "approved_by")
            .get()
        ),
    ),
    "open_public_notice": Case(
        arrange=proposed_snapshot,
        act=lambda snapshot, by: open_public_notice(
            snapshot=snapshot, starts_on=local_today(), by=by
        ),
        state=lambda snapshot: PublicNotice.objects.filter(snapshot=snapshot).count(),
    ),
    "resolve_objection": Case(
        arrange=lambda authority: ObjectionFactory(
            notice=OpenNoticeFactory(snapshot=proposed_snapshot(authority))
        ),
        act=lambda objection, by: resolve_objection(
            objection=objection, outcome="rejected", resolution="经核实不成立。", by=by
        ),
        state=lambda objection: (
            Objection.objects.filter(pk=objection.pk)
            .values_list("outcome", "resolution", "resolved_by", "resolved_at")
            .get()
        ),
    ),
    "announce_results": Case(
        arrange=lambda authority: OpenNoticeFactory(snapshot=proposed_snapshot(authority)),
        act=lambda notice, by: announce_results(notice=notice, by=by, now=after_period(notice)),
        state=lambda notice: (
            Award.objects.filter(snapshot_id=notice.snapshot_id).count(),
            PublicNotice.objects.get(pk=notice.pk).announced_at,
        ),
    ),
    "revoke_award": Case(
        arrange=lambda authority: AwardFactory(
            snapshot__cycle=CycleFactory(programme__authority=authority)
        ),
        act=lambda award, by: revoke_award(award=award, reason="获奖后发生重大质量事故。", by=by),
        state=lambda award: (
            Award.objects.filter(pk=award.pk)
            .values_list("revoked_at", "revocation_reason", "revoked_by")
            .get()
        ),
    ),
    "issue_certificates": Case(
        arrange=awarded_cycle,
        act=lambda cycle, by: issue_certificates(cycle=cycle, by=by),
        state=lambda cycle: (Certificate.objects.count(), CertificateBatch.objects.count()),
    ),
    "change_cycle_status": Case(
        arrange=lambda authority: CycleFactory(
            programme__authority=authority, status=CycleStatus.DRAFT
        ),
        act=lambda cycle, by: change_cycle_status(cycle=cycle, to=CycleStatus.OPEN, by=by),
        state=lambda cycle: Cycle.objects.get(pk=cycle.pk).status,
    ),
    "undo_cycle_status": Case(
        arrange=lambda authority: _changed_cycle(authority),
        act=lambda cycle, by: undo_cycle_status(cycle=cycle, by=by),
        state=lambda cycle: Cycle.objects.get(pk=cycle.pk).status,
    ),
    "request_computation": Case(
        arrange=scored_cycle,
        act=lambda cycle, by: request_computation(cycle=cycle, by=by),
        state=lambda cycle: ResultComputation.objects.filter(cycle=cycle).count(),
    ),
    "compute_cycle_results": Case(
        arrange=scored_cycle,
        act=lambda cycle, by: compute_cycle_results(cycle=cycle, by=by),
        state=lambda cycle: ResultSnapshot.objects.filter(cycle=cycle).count(),
    ),
    "save_results_settings": Case(
        arrange=scored_cycle,
        act=lambda cycle, by: save_results_settings(
            cycle=cycle,
            method="median",
            fallback_method="mean",
            mode="weighted",
            tie_break=["total"],
            weights={"document": Decimal("1")},
            by=by,
        ),
        state=lambda cycle: (
            list(ResultsSettings.objects.filter(cycle=cycle).values_list("method", flat=True)),
            list(ReviewStage.objects.filter(cycle=cycle).values_list("weight", flat=True)),
        ),
    ),
    "screen_application": Case(
        arrange=lambda authority: ApplicationFactory(
            cycle=CycleFactory(programme__authority=authority),
            status=ApplicationStatus.SUBMITTED,
        ),
        act=lambda application, by: screen_application(
            application=application, decision="pass", reasons="", by=by
        ),
        state=lambda application: Application.objects.get(pk=application.pk).status,
    ),
    "create_programme": Case(
        arrange=lambda authority: authority,
        act=lambda authority, by: create_programme(
            authority=authority, by=by, name="新设质量奖", slug="new-award"
        ),
        state=lambda authority: AwardProgramme.objects.count(),
    ),
    "create_cycle": Case(
        arrange=lambda authority: CycleFactory(programme__authority=authority),
        act=lambda cycle, by: create_cycle(
            programme=cycle.programme,
            edition=cycle.edition + 1,
            year=cycle.year,
            framework=national_framework(),
            timetable=timetable_of(cycle),
            levels=[("质量奖", 600, 2)],
            by=by,
        ),
        state=lambda cycle: Cycle.objects.count(),
    ),
    "copy_as_new_version": Case(
        arrange=lambda authority: authority,
        act=lambda authority, by: copy_as_new_version(
            framework=national_framework(), version="2012-本地", authority=authority, by=by
        ),
        state=lambda authority: CriteriaFramework.objects.count(),
    ),
    "create_staff_account": Case(
        arrange=lambda authority: authority,
        act=lambda authority, by: create_staff_account(
            role=Role.REVIEWER,
            authority=authority,
            username="new-reviewer",
            full_name="新专家",
            email="new-reviewer@example.com",
            password=None,
            by=by,
        ),
        state=lambda authority: User.objects.count(),
    ),
    "unlock_person": Case(
        arrange=locked_reviewer,
        act=lambda reviewer, by: unlock_person(person=reviewer, by=by),
        state=lambda reviewer: AccessAttempt.objects.filter(username=reviewer.username).count(),
    ),
}


@pytest.fixture
def own(db):
    return AuthorityFactory(name="天门市人民政府", region_code="429006", region_prefix="429006")


def actor(kind: str, own: AwardingAuthority) -> User:
    if kind == "other_official":
        return OfficialFactory(username="other-official", authority=AuthorityFactory())
    if kind == "reviewer":
        return ReviewerFactory(username="own-reviewer", authority=own)
    if kind == "official":
        return OfficialFactory(username="own-official", authority=own)
    return UserFactory(username="platform-admin", is_superuser=True)


@pytest.mark.parametrize("who", ["other_official", "reviewer"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_an_actor_outside_the_authority_is_refused_and_nothing_changes(own, name, who):
    case = CASES[name]
    target = case.arrange(own)
    by = actor(who, own)
    before = (case.state(target), audit_count())
    with pytest.raises(PermissionDenied) as refused:
        case.act(target, by)
    assert str(refused.value) == REFUSAL
    assert (case.state(target), audit_count()) == before


@pytest.mark.parametrize("who", ["official", "superuser"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_authoritys_official_and_a_platform_admin_succeed(own, name, who):
    case = CASES[name]
    target = case.arrange(own)
    by = actor(who, own)
    before = case.state(target)
    case.act(target, by)
    assert case.state(target) != before
    assert AuditEntry.objects.filter(actor=by).exists()


def test_authorities_and_national_frameworks_are_for_platform_admins_only(own):
    official = OfficialFactory(username="own-official", authority=own)
    before = (AwardingAuthority.objects.count(), CriteriaFramework.objects.count(), audit_count())
    with pytest.raises(PermissionDenied) as refused:
        create_authority(
            name="湖北省人民政府",
            office_name="湖北省质量奖办公室",
            region_code="420000",
            region_name="湖北省",
            region_prefix="42",
            by=official,
        )
    assert str(refused.value) == "只有平台管理员可以执行此操作。"
    with pytest.raises(PermissionDenied) as refused:
        copy_as_new_version(framework=national_framework(), version="2026", by=official)
    assert str(refused.value) == "只有平台管理员可以执行此操作。"
    assert (
        AwardingAuthority.objects.count(),
        CriteriaFramework.objects.count(),
        audit_count(),
    ) == before

    admin = UserFactory(username="platform-admin", is_superuser=True)
    authority = create_authority(
        name="湖北省人民政府",
        office_name="湖北省质量奖办公室",
        region_code="420000",
        region_name="湖北省",
        region_prefix="42",
        by=admin,
    )
    copy = copy_as_new_version(framework=national_framework(), version="2026", by=admin)
    assert (authority.name, copy.authority, copy.version) == ("湖北省人民政府", None, "2026")
