"""The committee (评审委员会), its decision (审定) and the four-eyes rule on approving results."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from awards.models import AuditEntry
from scoring.results.models import CommitteeDecision, CommitteeVote, ResultSnapshot
from scoring.results.services.committee import (
    approval_problems,
    decision_outcome,
    majority_met,
    open_questions,
    proposed_awards,
    quorum_met,
    record_committee_decision,
    set_committee,
)
from scoring.results.services.computation import approve_snapshot, compute_cycle_results
from tests import clock
from tests.factories import ApplicantFactory, OfficialFactory, ReviewerFactory
from tests.scoring.committee_helpers import record_unanimous_decision, second_official
from tests.scoring.results_world import SCORES, add_application, build_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("present", "members", "rule", "met"),
    [
        (6, 9, (2, 3), True),  # 6 × 3 = 18 ≥ 9 × 2 = 18: exactly two thirds
        (5, 9, (2, 3), False),
        (5, 7, (2, 3), True),  # 15 ≥ 14
        (4, 7, (2, 3), False),  # 12 < 14
        (2, 3, (2, 3), True),
        (1, 3, (2, 3), False),
        (3, 3, (1, 1), True),
        (2, 3, (1, 1), False),
        (0, 0, (2, 3), False),  # nobody present is never a quorum
    ],
)
def test_quorum_arithmetic(present, members, rule, met):
    assert (
        quorum_met(present=present, members=members, numerator=rule[0], denominator=rule[1]) == met
    )


@pytest.mark.parametrize(
    ("approvals", "present", "rule", "met"),
    [
        (3, 6, (1, 2), False),  # exactly half is not more than half
        (4, 6, (1, 2), True),
        (4, 7, (1, 2), True),  # 8 > 7
        (3, 7, (1, 2), False),
        (4, 6, (2, 3), False),  # 12 > 12 is false
        (5, 6, (2, 3), True),
        (0, 1, (1, 2), False),
        (1, 1, (1, 2), True),
    ],
)
def test_majority_arithmetic(approvals, present, rule, met):
    assert (
        majority_met(approvals=approvals, present=present, numerator=rule[0], denominator=rule[1])
        == met
    )


@pytest.mark.parametrize(
    ("quorum", "majority", "errors"),
    [
        ((2, 3), (1, 2), {}),
        ((1, 1), (2, 3), {}),
        ((0, 3), (1, 2), {"quorum_numerator": ["法定出席比例须大于 0 且不超过 1（如 2/3）。"]}),
        ((4, 3), (1, 2), {"quorum_numerator": ["法定出席比例须大于 0 且不超过 1（如 2/3）。"]}),
        ((1, 0), (1, 2), {"quorum_numerator": ["法定出席比例须大于 0 且不超过 1（如 2/3）。"]}),
        (
            (2, 3),
            (1, 3),
            {"majority_numerator": ["通过票数比例须不低于 1/2 且小于 1（如 1/2 表示过半数）。"]},
        ),
        (
            (2, 3),
            (2, 2),
            {"majority_numerator": ["通过票数比例须不低于 1/2 且小于 1（如 1/2 表示过半数）。"]},
        ),
        (
            (2, 3),
            (1, 0),
            {"majority_numerator": ["通过票数比例须不低于 1/2 且小于 1（如 1/2 表示过半数）。"]},
        ),
    ],
)
def test_the_programme_validates_its_committee_rules(quorum, majority, errors):
    world = build_world(names=())
    programme = world.cycle.programme
    programme.quorum_numerator, programme.quorum_denominator = quorum
    programme.majority_numerator, programme.majority_denominator = majority
    if not errors:
        programme.full_clean()
        return
    with pytest.raises(ValidationError) as refused:
        programme.full_clean()
    assert refused.value.message_dict == errors


def committee_of(world, size: int):
    """``size`` experts of the world's authority as the committee, the first one chairing."""
    authority = world.cycle.programme.authority
    members = [
        ReviewerFactory(authority=authority, full_name=f"委员{index}") for index in range(size)
    ]
    set_committee(cycle=world.cycle, members=members, chair=members[0], by=world.official)
    return members


def meeting(snapshot, present, *, ballots=None, rationales=None, by, held_on=None):
    """Record a meeting; ``ballots`` maps an organization name to its votes, in the order of
    ``present`` (default: everyone approves everything)."""
    votes = {}
    for entry in proposed_awards(snapshot):
        row = (ballots or {}).get(entry.application.organization.name, ["approve"] * len(present))
        for member, vote in zip(present, row, strict=True):
            votes[(entry.application_id, member.pk)] = vote
    return record_committee_decision(
        snapshot=snapshot,
        held_on=held_on or clock.today(),
        present=present,
        votes=votes,
        rationales=rationales or {},
        minutes="会议纪要。",
        by=by,
    )


def test_the_committee_is_of_the_authoritys_officials_and_experts_and_the_chair_a_member():
    world = build_world(names=())
    own_expert = ReviewerFactory(authority=world.cycle.programme.authority)
    outsider = ReviewerFactory()
    applicant = ApplicantFactory()
    for members, chair, errors in (
        (
            [],
            None,
            {
                "members": ["评审委员会至少需要一名委员。"],
                "chair": ["主任委员须是评审委员会的委员。"],
            },
        ),
        (
            [own_expert, outsider],
            own_expert,
            {"members": ["委员须是本授奖机关在职的工作人员或评审专家。"]},
        ),
        ([applicant], applicant, {"members": ["委员须是本授奖机关在职的工作人员或评审专家。"]}),
        ([own_expert], world.official, {"chair": ["主任委员须是评审委员会的委员。"]}),
    ):
        with pytest.raises(ValidationError) as refused:
            set_committee(cycle=world.cycle, members=members, chair=chair, by=world.official)
        assert refused.value.message_dict == errors
    committee = set_committee(
        cycle=world.cycle,
        members=[own_expert, world.official],
        chair=world.official,
        by=world.official,
    )
    assert set(committee.members.all()) == {own_expert, world.official}
    assert AuditEntry.objects.get(action="set_committee").details == {
        "members": sorted([own_expert.pk, world.official.pk]),
        "chair": world.official.pk,
    }


def test_a_decision_is_recorded_with_votes_tallies_and_the_rules_in_force():
    world = build_world()
    members = committee_of(world, 5)
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    present = members[:4]  # 4 × 3 = 12 ≥ 5 × 2 = 10
    decision = meeting(
        snapshot,
        present,
        ballots={
            "甲公司": ["approve", "approve", "approve", "abstain"],  # 3 × 2 = 6 > 4
            "乙公司": ["approve", "approve", "reject", "abstain"],  # 2 × 2 = 4, not > 4
        },
        by=world.official,
    )
    assert (decision.member_count, decision.chair, decision.recorded_by) == (
        5,
        members[0],
        world.official,
    )
    assert (
        decision.quorum_numerator,
        decision.quorum_denominator,
        decision.majority_numerator,
        decision.majority_denominator,
    ) == (2, 3, 1, 2)
    outcome = decision_outcome(decision)
    assert outcome.quorum_met is True
    assert [
        (
            t.entry.application.organization.name,
            t.entry.level,
            t.approve,
            t.reject,
            t.abstain,
            t.passed,
        )
        for t in outcome.tallies
    ] == [("甲公司", "质量奖", 3, 0, 1, True), ("乙公司", "提名奖", 2, 1, 1, False)]
    assert CommitteeVote.objects.filter(decision=decision).count() == 8
    assert approval_problems(snapshot) == ["乙公司拟授“提名奖”赞成 2 票，未超过出席委员的 1/2。"]
    votes = AuditEntry.objects.filter(action="record_committee_vote").order_by("pk")
    assert [entry.details for entry in votes] == [
        {
            "snapshot": snapshot.pk,
            "level": "质量奖",
            "approve": 3,
            "reject": 0,
            "abstain": 1,
            "passed": True,
        },
        {
            "snapshot": snapshot.pk,
            "level": "提名奖",
            "approve": 2,
            "reject": 1,
            "abstain": 1,
            "passed": False,
        },
    ]
    recorded = AuditEntry.objects.get(action="record_committee_decision")
    assert recorded.details["quorum_met"] is True
    assert recorded.details["present"] == sorted(member.pk for member in present)

    approver = second_official(snapshot)
    with pytest.raises(ValidationError) as refused:
        approve_snapshot(snapshot=snapshot, by=approver)
    assert refused.value.messages == ["乙公司拟授“提名奖”赞成 2 票，未超过出席委员的 1/2。"]

    # The meeting is recorded again, correctly: it replaces the first record.
    again = meeting(snapshot, present, by=world.official)
    assert CommitteeDecision.objects.filter(snapshot=snapshot).get() == again
    assert approval_problems(snapshot) == []
    approved = approve_snapshot(snapshot=snapshot, by=approver)
    assert approved.approved_by == approver
    with pytest.raises(ValidationError) as frozen:
        meeting(snapshot, present, by=world.official)
    assert frozen.value.messages == ["第 1 版评审结果已经批准，不能再修改审定记录。"]


def test_without_quorum_the_snapshot_cannot_be_approved():
    world = build_world()
    members = committee_of(world, 5)
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    meeting(snapshot, members[:3], by=world.official)  # 3 × 3 = 9 < 5 × 2 = 10
    problems = ["出席委员 3 人，未达到法定人数（5 名委员的 2/3）。"]
    assert approval_problems(snapshot) == problems
    with pytest.raises(ValidationError) as refused:
        approve_snapshot(snapshot=snapshot, by=second_official(snapshot))
    assert refused.value.messages == problems
    assert ResultSnapshot.objects.get(pk=snapshot.pk).approved_at is None


def test_the_programmes_rules_decide_a_unanimous_quorum_and_a_two_thirds_majority():
    world = build_world()
    programme = world.cycle.programme
    programme.quorum_numerator, programme.quorum_denominator = 1, 1
    programme.majority_numerator, programme.majority_denominator = 2, 3
    programme.save()
    members = committee_of(world, 3)
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    meeting(
        snapshot,
        members,
        ballots={"乙公司": ["approve", "approve", "abstain"]},  # 2 × 3 = 6, not > 3 × 2
        by=world.official,
    )
    assert approval_problems(snapshot) == ["乙公司拟授“提名奖”赞成 2 票，未超过出席委员的 2/3。"]
    meeting(snapshot, members[:2], by=world.official)
    assert approval_problems(snapshot) == ["出席委员 2 人，未达到法定人数（3 名委员的 1/1）。"]


def test_no_decision_no_approval_and_the_computing_official_cannot_approve_alone():
    world = build_world()
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    approver = second_official(snapshot)
    with pytest.raises(ValidationError) as undecided:
        approve_snapshot(snapshot=snapshot, by=approver)
    assert undecided.value.messages == ["尚未记录评审委员会对本版结果的审定，不能批准。"]
    record_unanimous_decision(snapshot)
    with pytest.raises(ValidationError) as alone:
        approve_snapshot(snapshot=snapshot, by=world.official)
    assert alone.value.messages == [
        "第 1 版评审结果是您计算的。按双人复核规则，须由另一名工作人员批准，计算人不能独自批准。"
    ]
    assert ResultSnapshot.objects.get(pk=snapshot.pk).approved_at is None
    assert not AuditEntry.objects.filter(action="approve_results").exists()


def test_an_authority_without_the_four_eyes_rule_lets_the_computing_official_approve():
    world = build_world()
    authority = world.cycle.programme.authority
    authority.four_eyes = False
    authority.save()
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    record_unanimous_decision(snapshot)
    assert approve_snapshot(snapshot=snapshot, by=world.official).approved_by == world.official


def test_every_tie_and_quota_conflict_needs_a_written_rationale():
    world = build_world()
    add_application(world, "丁公司", SCORES["甲公司"])  # ties 甲公司 at 700.00
    members = committee_of(world, 2)
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    questions = open_questions(snapshot)
    jia, ding = world.app_id("甲公司"), world.app_id("丁公司")
    assert [(q.kind, q.key, q.subject) for q in questions] == [
        ("tie", f"tie:1:{jia},{ding}", "甲公司、丁公司并列第 1 名，并列处理规则无法区分"),
        ("quota", f"quota:质量奖:{jia},{ding}", "甲公司、丁公司并列，超出“质量奖”剩余名额（1 个）"),
    ]
    with pytest.raises(ValidationError) as refused:
        meeting(
            snapshot,
            members,
            rationales={questions[0].key: "经复核，两家并列。", questions[1].key: "   "},
            by=world.official,
        )
    assert refused.value.message_dict == {
        "__all__": ["每一处无法区分的并列或名额冲突都须写明审定理由。"]
    }
    assert not CommitteeDecision.objects.exists()
    decision = meeting(
        snapshot,
        members,
        rationales={questions[0].key: "经复核，两家并列。", questions[1].key: "均授提名奖。"},
        by=world.official,
    )
    assert list(decision.resolutions.values_list("kind", "rationale")) == [
        ("tie", "经复核，两家并列。"),
        ("quota", "均授提名奖。"),
    ]


def test_a_meeting_record_refuses_absent_voters_missing_votes_outsiders_and_future_dates():
    world = build_world()
    members = committee_of(world, 3)
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    outsider = OfficialFactory(authority=world.cycle.programme.authority)
    jia = world.applications["甲公司"].pk
    yi = world.applications["乙公司"].pk
    complete = {(app, member.pk): "approve" for app in (jia, yi) for member in members[:2]}
    votes_message = "每名出席委员须对每个拟授奖项投赞成、反对或弃权票，缺席委员不投票。"
    for kwargs, errors in (
        ({"votes": {**complete, (jia, members[2].pk): "approve"}}, {"__all__": [votes_message]}),
        (
            {"votes": {k: v for k, v in complete.items() if k != (yi, members[1].pk)}},
            {"__all__": [votes_message]},
        ),
        ({"votes": {**complete, (jia, members[0].pk): "maybe"}}, {"__all__": [votes_message]}),
        (
            {"present": [members[0], outsider], "votes": {}},
            {"present": ["出席人员须是本届评审委员会的委员。"], "__all__": [votes_message]},
        ),
        ({"present": []}, {"present": ["请选择出席会议的委员。"], "__all__": [votes_message]}),
        ({"held_on": clock.days_from_today(1)}, {"held_on": ["会议日期不能晚于今天。"]}),
    ):
        arguments = {
            "snapshot": snapshot,
            "held_on": clock.today(),
            "present": members[:2],
            "votes": complete,
            "rationales": {},
            "by": world.official,
            **kwargs,
        }
        with pytest.raises(ValidationError) as refused:
            record_committee_decision(**arguments)
        assert refused.value.message_dict == errors
    assert not CommitteeDecision.objects.exists()
    assert not AuditEntry.objects.filter(action="record_committee_decision").exists()


def test_recording_needs_a_committee():
    world = build_world()
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    with pytest.raises(ValidationError) as refused:
        meeting(snapshot, [], by=world.official)
    assert refused.value.messages == ["请先设置本届评审委员会。"]
