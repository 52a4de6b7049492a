"""Automatic and manual assignment through the database: exact panels on a small case, the
hard constraints on a larger one, conflicts, loads across stages, shortfalls and audit."""

import random

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.enums import ApplicationStatus, Industry
from awards.models import AuditEntry
from scoring.assignment import Shortfall, ShortfallReason, describe_shortfall
from scoring.enums import AssignmentStatus, ConflictRelation, StageKind
from scoring.review.models import Assignment, ConflictDeclaration, ConflictOverride, Panel
from scoring.review.services.assignment import (
    assign_manually,
    auto_assign,
    remove_assignment,
    set_leader,
)
from scoring.review.services.conflicts import detected_conflicts
from tests.factories import ApplicantFactory, CycleFactory, OfficialFactory
from tests.scoring.factories import (
    EligibleApplicationFactory,
    ReviewerProfileFactory,
    ReviewStageFactory,
    submitted_scorecard,
)

pytestmark = pytest.mark.django_db


def members(stage) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for app_id, username in (
        Assignment.objects.filter(panel__stage=stage, status=AssignmentStatus.ACTIVE)
        .order_by("panel__application_id", "reviewer__username")
        .values_list("panel__application_id", "reviewer__username")
    ):
        found.setdefault(app_id, []).append(username)
    return found


def leaders(stage) -> dict[int, str]:
    return dict(Panel.objects.filter(stage=stage).values_list("application_id", "leader__username"))


def app(cycle, industry=Industry.MANUFACTURING, **kwargs):
    return EligibleApplicationFactory(
        cycle=cycle,
        organization=ApplicantFactory(
            organization__industry=industry,
            organization__region_code=cycle.programme.authority.region_code,
        ).organization,
        **kwargs,
    )


def reviewer(cycle, username, industries=("C",), **kwargs):
    return ReviewerProfileFactory(
        user__username=username,
        user__authority=cycle.programme.authority,
        industries=list(industries),
        **kwargs,
    ).user


@pytest.fixture
def small():
    cycle = CycleFactory()
    stage = ReviewStageFactory(cycle=cycle, panel_size=2)
    a1 = app(cycle, Industry.MANUFACTURING)
    a2 = app(cycle, Industry.CONSTRUCTION)
    for name, industries in (("r1", "C"), ("r2", "C"), ("r3", "E"), ("r4", "E")):
        reviewer(cycle, name, industries, max_load_per_cycle=1)
    # r0 would be the first choice for a1 (matching, smallest id) but works there.
    r0 = reviewer(cycle, "r0", "C", employer_credit_code=a1.organization.credit_code)
    # Not eligible: a draft application and another authority's reviewer.
    EligibleApplicationFactory(cycle=cycle, status=ApplicationStatus.SUBMITTED)
    ReviewerProfileFactory(user__username="stranger", industries=["C", "E"])
    official = OfficialFactory(authority=cycle.programme.authority)
    return {"cycle": cycle, "stage": stage, "a1": a1, "a2": a2, "r0": r0, "official": official}


def test_auto_assign_exact_panels_on_a_small_case(small):
    stage = small["stage"]
    plan = auto_assign(stage=stage, by=small["official"])

    a1, a2 = small["a1"].pk, small["a2"].pk
    assert members(stage) == {a1: ["r1", "r2"], a2: ["r3", "r4"]}
    assert leaders(stage) == {a1: "r1", a2: "r3"}
    assert plan.is_complete is True
    assert Assignment.objects.filter(assigned_by=small["official"]).count() == 4
    entry = AuditEntry.objects.get(action="auto_assign")
    assert (entry.actor, entry.target_id, entry.details) == (
        small["official"],
        str(stage.pk),
        {
            "added": 4,
            "applications": 2,
            "reviewers": 5,
            "shortfalls": [],
            "kept_conflicts": [],
            "reactivated": [],
        },
    )


def test_auto_assign_again_keeps_members_and_adds_nothing(small):
    stage = small["stage"]
    auto_assign(stage=stage, by=small["official"])
    before = members(stage)
    plan = auto_assign(stage=stage, by=small["official"])
    assert plan.added == {small["a1"].pk: (), small["a2"].pk: ()}
    assert members(stage) == before


def test_auto_assign_reports_shortfalls_with_reasons(small):
    stage = small["stage"]
    stage.panel_size = 4
    stage.save()
    plan = auto_assign(stage=stage, by=small["official"])
    a1, a2 = small["a1"].pk, small["a2"].pk
    # r1..r4 take one application each, matching first (r1, r2 on a1; r3, r4 on a2); r0 (no
    # tight limit) works for a1's organization, so only a2 gets them as a fifth seat-filler.
    assert plan.shortfalls == (
        Shortfall(a1, 2, ShortfallReason.ELIGIBLE_AT_CAPACITY, 4, 4),
        Shortfall(a2, 1, ShortfallReason.ELIGIBLE_AT_CAPACITY, 5, 4),
    )
    assert members(stage) == {a1: ["r1", "r2"], a2: ["r0", "r3", "r4"]}
    assert describe_shortfall(plan.shortfalls[0]) == (
        "缺 2 名专家：4 名无利益冲突的专家中，未入组的均已达到最大评审量。"
        "请提高评审量上限或增加专家。"
    )
    assert AuditEntry.objects.get(action="auto_assign").details["shortfalls"] == [
        {
            "application": s.application_id,
            "missing": s.missing,
            "reason": "eligible_at_capacity",
            "eligible": s.eligible_reviewers,
            "panel_size": 4,
        }
        for s in plan.shortfalls
    ]


def test_too_few_reviewers_without_conflict_is_explained(small):
    stage = small["stage"]
    stage.panel_size = 6
    stage.save()
    plan = auto_assign(stage=stage, by=small["official"])
    first = plan.shortfalls[0]
    assert (first.application_id, first.reason, first.eligible_reviewers) == (
        small["a1"].pk,
        ShortfallReason.TOO_FEW_ELIGIBLE,
        4,
    )
    assert describe_shortfall(first) == (
        "评审组需要 6 名专家，但只有 4 名专家与该申报无利益冲突，缺 4 名。请扩充专家库。"
    )


def test_conflicted_reviewer_is_never_auto_assigned_but_an_override_lets_them(small):
    stage = small["stage"]
    stage.panel_size = 5
    stage.save()
    auto_assign(stage=stage, by=small["official"])
    assert "r0" not in members(stage)[small["a1"].pk]
    assert "r0" in members(stage)[small["a2"].pk]
    ConflictOverride.objects.create(
        stage=stage,
        application=small["a1"],
        reviewer=small["r0"],
        reason="已离职",
        decided_by=small["official"],
    )
    auto_assign(stage=stage, by=small["official"])
    assert "r0" in members(stage)[small["a1"].pk]


def test_a_waiver_of_another_stage_does_not_let_auto_assignment_through(small):
    stage = small["stage"]
    stage.panel_size = 5
    stage.save()
    later = ReviewStageFactory(cycle=small["cycle"], kind=StageKind.ONSITE, order=stage.order + 1)
    ConflictOverride.objects.create(
        stage=later,
        application=small["a1"],
        reviewer=small["r0"],
        reason="现场评审另行决定",
        decided_by=small["official"],
    )
    auto_assign(stage=stage, by=small["official"])
    assert "r0" not in members(stage)[small["a1"].pk]


def test_recused_reviewer_is_not_assigned_again(small):
    stage = small["stage"]
    auto_assign(stage=stage, by=small["official"])
    Assignment.objects.filter(panel__application=small["a1"], reviewer__username="r1").update(
        status=AssignmentStatus.RECUSED, recusal_reason="近亲属在该单位任职"
    )
    reviewer(small["cycle"], "r5", "C")
    auto_assign(stage=stage, by=small["official"])
    assert members(stage)[small["a1"].pk] == ["r2", "r5"]


def test_a_member_found_conflicted_later_is_kept_and_reported(small):
    stage, a2 = small["stage"], small["a2"]
    auto_assign(stage=stage, by=small["official"])
    r3 = Assignment.objects.get(panel__application=a2, reviewer__username="r3").reviewer
    ConflictDeclaration.objects.create(
        cycle=small["cycle"],
        reviewer=r3,
        organization=a2.organization,
        relation=ConflictRelation.SUPPLIER,
    )
    plan = auto_assign(stage=stage, by=small["official"])
    assert plan.kept_conflicts == ((a2.pk, r3.pk),)
    assert AuditEntry.objects.filter(action="auto_assign").first().details["kept_conflicts"] == [
        [a2.pk, r3.pk]
    ]


def test_load_is_counted_across_the_stages_of_the_cycle():
    cycle = CycleFactory()
    official = OfficialFactory(authority=cycle.programme.authority)
    document = ReviewStageFactory(cycle=cycle, panel_size=2)
    onsite = ReviewStageFactory(cycle=cycle, kind=StageKind.ONSITE, order=2, panel_size=2)
    apps = [app(cycle) for _ in range(2)]
    reviewer(cycle, "busy", max_load_per_cycle=1)
    reviewer(cycle, "free1", max_load_per_cycle=5)
    reviewer(cycle, "free2", max_load_per_cycle=5)
    reviewer(cycle, "free3", max_load_per_cycle=5)
    auto_assign(stage=document, by=official)
    assert sum(names.count("busy") for names in members(document).values()) == 1
    Panel.objects.bulk_create([Panel(stage=onsite, application=a) for a in apps])
    auto_assign(stage=onsite, by=official)
    assert all("busy" not in names for names in members(onsite).values())
    assert {len(names) for names in members(onsite).values()} == {2}


def test_later_stage_serves_only_advanced_applications():
    cycle = CycleFactory()
    official = OfficialFactory(authority=cycle.programme.authority)
    ReviewStageFactory(cycle=cycle)
    onsite = ReviewStageFactory(cycle=cycle, kind=StageKind.ONSITE, order=2, panel_size=1)
    advanced, _left_behind = app(cycle), app(cycle)
    Panel.objects.create(stage=onsite, application=advanced)
    reviewer(cycle, "only")
    auto_assign(stage=onsite, by=official)
    assert members(onsite) == {advanced.pk: ["only"]}


def test_constraints_hold_on_a_larger_case_and_the_plan_is_deterministic():
    rng = random.Random(20261121)
    cycle = CycleFactory()
    official = OfficialFactory(authority=cycle.programme.authority)
    stage = ReviewStageFactory(cycle=cycle, panel_size=5)
    industries = ["C", "E", "I", "F"]
    apps = [app(cycle, rng.choice(industries)) for _ in range(30)]
    profiles = []
    for index in range(22):
        employer = rng.choice(apps).organization.credit_code if index % 4 == 0 else ""
        profiles.append(
            ReviewerProfileFactory(
                user__username=f"rev{index:02d}",
                user__authority=cycle.programme.authority,
                industries=rng.sample(industries, 2),
                max_load_per_cycle=rng.choice([7, 8, 9]),
                can_lead=index % 3 != 0,
                employer_credit_code=employer,
            )
        )
    for profile in profiles[1::5]:
        ConflictDeclaration.objects.create(
            cycle=cycle,
            reviewer=profile.user,
            organization=rng.choice(apps).organization,
            relation=ConflictRelation.CUSTOMER,
        )
    conflicts = set(detected_conflicts(cycle=cycle))
    assert len(conflicts) >= 8

    plan = auto_assign(stage=stage, by=official)

    assert plan.is_complete is True
    rows = list(
        Assignment.objects.filter(panel__stage=stage).values_list(
            "panel__application_id", "reviewer_id", "panel__leader_id"
        )
    )
    by_app: dict[int, set[int]] = {}
    for app_id, reviewer_id, _leader in rows:
        by_app.setdefault(app_id, set()).add(reviewer_id)
    assert {len(v) for v in by_app.values()} == {5} and len(by_app) == 30
    assert not {(a, r) for a, r, _leader in rows} & conflicts
    limits = {p.user_id: p.max_load_per_cycle for p in profiles}
    loads: dict[int, int] = {}
    for _app, reviewer_id, _leader in rows:
        loads[reviewer_id] = loads.get(reviewer_id, 0) + 1
    assert all(loads[r] <= limits[r] for r in loads)
    can_lead = {p.user_id for p in profiles if p.can_lead}
    panel_leaders = dict(
        Panel.objects.filter(stage=stage).values_list("application_id", "leader_id")
    )
    assert all(panel_leaders[a] in by_app[a] and panel_leaders[a] in can_lead for a in by_app)

    first = {a: sorted(r) for a, r in by_app.items()}
    Panel.objects.filter(stage=stage).delete()
    AuditEntry._base_manager.all().delete()  # test reset, bypassing the read-only manager
    again = auto_assign(stage=stage, by=official)
    assert again.panels == plan.panels and again.leaders == plan.leaders
    assert {a: sorted(r) for a, r in again.panels.items()} == first


@pytest.mark.parametrize("size", [1, 5])
def test_auto_assign_query_count_does_not_grow(size):
    cycle = CycleFactory()
    official = OfficialFactory(authority=cycle.programme.authority)
    stage = ReviewStageFactory(cycle=cycle, panel_size=2)
    for index in range(size):
        app(cycle)
        reviewer(cycle, f"q{index}a")
        reviewer(cycle, f"q{index}b")
    with CaptureQueriesContext(connection) as queries:
        auto_assign(stage=stage, by=official)
    assert Assignment.objects.filter(panel__stage=stage).count() == 2 * size
    # 6 of them come from the audit entry's hash chain: finding the authority, creating the
    # chain's head (its first entry), locking and moving it; 6 queue the reviewers' messages
    # (reviewers, applications, the authority's template, known keys, the insert, queued ids).
    assert len(queries) == 29


# --- manual changes -------------------------------------------------------------------------


def test_manual_assignment_of_a_conflicted_reviewer_needs_a_reason(small):
    stage, a1, r0 = small["stage"], small["a1"], small["r0"]
    with pytest.raises(ValidationError) as error:
        assign_manually(stage=stage, application=a1, reviewer=r0, by=small["official"])
    assert error.value.messages == [
        f"{r0}与该申报存在利益冲突（申报单位是该专家的现任职单位），不能分配。"
        "如确需分配，请填写豁免理由。"
    ]
    assert Assignment.objects.count() == 0
    assert ConflictOverride.objects.count() == 0

    assignment = assign_manually(
        stage=stage,
        application=a1,
        reviewer=r0,
        by=small["official"],
        override_reason="该专家 2019 年已离职，办公室会议同意。",
    )
    assert (assignment.panel.application, assignment.reviewer, assignment.assigned_by) == (
        a1,
        r0,
        small["official"],
    )
    override = ConflictOverride.objects.get()
    assert (override.application, override.reviewer, override.reason, override.decided_by) == (
        a1,
        r0,
        "该专家 2019 年已离职，办公室会议同意。",
        small["official"],
    )
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "details")) == [
        (
            "override_conflict",
            {
                "reviewer": "r0",
                "stage": stage.kind,
                "reason": "该专家 2019 年已离职，办公室会议同意。",
                "conflicts": ["申报单位是该专家的现任职单位"],
                "replaced": False,
            },
        ),
        ("assign_reviewer", {"reviewer": "r0", "conflict_overridden": True}),
    ]


def test_manual_assignment_refusals(small):
    stage, a1, official = small["stage"], small["a1"], small["official"]

    def refused(**kwargs):
        with pytest.raises(ValidationError) as error:
            assign_manually(stage=stage, by=official, **{"application": a1, **kwargs})
        return error.value.messages

    cycle = small["cycle"]
    from awards.models import User
    from scoring.review.models import ReviewerProfile

    stranger = User.objects.get(username="stranger")
    assert refused(reviewer=stranger) == ["该专家不在本授奖机关的专家库中，或已停用。"]
    r1 = User.objects.get(username="r1")
    assign_manually(stage=stage, application=a1, reviewer=r1, by=official)
    assert refused(reviewer=r1) == ["该专家已在该评审组中。"]
    assert refused(reviewer=r1, application=small["a2"]) == ["该专家本届评审量已达上限（1 件）。"]
    assign_manually(
        stage=stage, application=a1, reviewer=User.objects.get(username="r2"), by=official
    )
    assert refused(reviewer=User.objects.get(username="r3")) == [
        "评审组已满（2 人），请先移除一名专家。"
    ]
    # Every problem at once, the conflict included.
    assert refused(reviewer=small["r0"]) == [
        "评审组已满（2 人），请先移除一名专家。",
        f"{small['r0']}与该申报存在利益冲突（申报单位是该专家的现任职单位），不能分配。"
        "如确需分配，请填写豁免理由。",
    ]
    draft = EligibleApplicationFactory(cycle=cycle, status=ApplicationStatus.SUBMITTED)
    assert refused(reviewer=r1, application=draft) == ["该申报未进入本评审阶段，不能分配专家。"]
    ReviewerProfile.objects.filter(user__username="r4").update(is_active=False)
    assert refused(reviewer=User.objects.get(username="r4"), application=small["a2"]) == [
        "该专家不在本授奖机关的专家库中，或已停用。"
    ]


def test_remove_assignment_and_leader_changes(small):
    stage, official = small["stage"], small["official"]
    auto_assign(stage=stage, by=official)
    panel = Panel.objects.get(stage=stage, application=small["a1"])
    r1 = panel.assignments.get(reviewer__username="r1")
    r2 = panel.assignments.get(reviewer__username="r2")
    assert panel.leader == r1.reviewer

    set_leader(panel=panel, reviewer=r2.reviewer, by=official)
    panel.refresh_from_db()
    assert panel.leader == r2.reviewer
    with pytest.raises(ValidationError) as error:
        set_leader(panel=panel, reviewer=small["r0"], by=official)
    assert error.value.messages == ["组长必须是该评审组的成员。"]

    remove_assignment(assignment=r2, by=official)
    panel.refresh_from_db()
    assert (panel.leader, members(stage)[small["a1"].pk]) == (None, ["r1"])

    submitted_scorecard(r1, 60)
    with pytest.raises(ValidationError) as error:
        remove_assignment(assignment=r1, by=official)
    assert error.value.messages == ["该专家已提交评分表，不能移除。"]
    assert list(
        AuditEntry.objects.filter(action__in=["set_panel_leader", "remove_assignment"])
        .order_by("pk")
        .values_list("action", "details")
    ) == [
        ("set_panel_leader", {"leader": "r2", "previous": "r1"}),
        ("remove_assignment", {"reviewer": "r2", "draft_kept": False, "draft_items_scored": 0}),
    ]


def test_set_leader_requires_a_reviewer_who_may_lead(small):
    stage, official = small["stage"], small["official"]
    auto_assign(stage=stage, by=official)
    panel = Panel.objects.get(stage=stage, application=small["a2"])
    r4 = panel.assignments.get(reviewer__username="r4").reviewer
    r4.reviewer_profile.can_lead = False
    r4.reviewer_profile.save()
    with pytest.raises(ValidationError) as error:
        set_leader(panel=panel, reviewer=r4, by=official)
    assert error.value.messages == ["该专家在专家库中未设为可任组长。"]
