"""Taking a reviewer off a panel keeps the assignment (``REMOVED``) and its draft scorecard:
hidden from the reviewer, counted nowhere, and found again when the reviewer is put back."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from awards.models import AuditEntry, User
from scoring.enums import AssignmentStatus, ScorecardStatus
from scoring.results.services.computation import missing_scorecards
from scoring.review.models import Assignment, ItemScore, Panel, Scorecard
from scoring.review.queries.officials import panel_rows
from scoring.review.services.assignment import (
    assign_manually,
    auto_assign,
    pool_for_stage,
    remove_assignment,
    set_leader,
)
from scoring.review.services.consensus import consensus_table
from scoring.review.services.progress import send_reminders, stage_progress
from scoring.review.services.recusal import next_leader, recuse
from scoring.review.services.scorecards import ItemEntry, save_scores
from tests.factories import ApplicantFactory, CycleFactory, OfficialFactory
from tests.outbox import delivered
from tests.scoring.factories import (
    EligibleApplicationFactory,
    ReviewerProfileFactory,
    ReviewStageFactory,
    submitted_scorecard,
)
from tests.scoring.reviewer_pages import review_world  # noqa: F401

pytestmark = pytest.mark.django_db

#: What the member typed before being taken off: two items scored, one with text only.
TYPED = {
    "4.1.1": ItemEntry(60, "高层领导每季度开展战略回顾", "战略指标未分解到班组"),
    "4.1.2": ItemEntry(45, "", "质量文化培训覆盖面不足"),
    "4.7.1": ItemEntry(None, "利润率连续三年高于行业均值", ""),
}
KEPT = [
    ("4.1.1", 60, "高层领导每季度开展战略回顾", "战略指标未分解到班组"),
    ("4.1.2", 45, "", "质量文化培训覆盖面不足"),
    ("4.7.1", None, "利润率连续三年高于行业均值", ""),
]


def kept_scores(scorecard_pk: int) -> list[tuple]:
    return list(
        ItemScore.objects.filter(scorecard_id=scorecard_pk)
        .order_by("item__code")
        .values_list("item__code", "percent", "strengths", "improvements")
    )


def audit(action: str) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(action=action)
        .order_by("pk")
        .values_list("actor__username", "target_type", "target_id", "details")
    )


def reviewer_urls(assignment, attachment) -> dict[str, str]:
    base = f"/review/assignments/{assignment.pk}"
    return {
        "item": f"{base}/",
        "item_411": f"{base}/items/4.1.1/",
        "sheet": f"{base}/sheet/",
        "submit": f"{base}/submit/",
        "recuse": f"{base}/recuse/",
        "attachment": f"{base}/attachments/{attachment.pk}/",
        "consensus": f"/review/panels/{assignment.panel_id}/consensus/",
    }


@pytest.fixture
def team(world):
    """The reviewer-page world (leader, member, third on one panel of an open stage) with pool
    profiles for the three, a panel size of 3, an official, and the member's typed draft."""
    stage = world["stage"]
    stage.panel_size = 3
    stage.save(update_fields=["panel_size"])
    for key in ("leader", "member", "third"):
        ReviewerProfileFactory(user=world[key].reviewer, max_load_per_cycle=1)
    member = world["member"]
    draft = save_scores(assignment=member, expected_version=0, entries=TYPED, by=member.reviewer)
    official = OfficialFactory(authority=world["cycle"].programme.authority, username="office")
    return {**world, "official": official, "draft": draft}


# Removal keeps the work ------------------------------------------------------------------


def test_removal_keeps_the_row_and_the_draft_with_its_exact_scores_and_texts(team):
    member, draft = team["member"], team["draft"]
    assert (draft.version, kept_scores(draft.pk)) == (1, KEPT)

    removed = remove_assignment(assignment=member, by=team["official"])

    row = Assignment.objects.get(pk=member.pk)
    card = Scorecard.objects.get(assignment=row)
    assert (removed.status, row.status, row.reviewer, row.panel_id) == (
        AssignmentStatus.REMOVED,
        AssignmentStatus.REMOVED,
        member.reviewer,
        team["panel"].pk,
    )
    # Same card, same content; the version moves on so that a save already under way misses.
    assert (card.pk, card.status, card.version, kept_scores(card.pk)) == (
        draft.pk,
        ScorecardStatus.DRAFT,
        2,
        KEPT,
    )
    assert audit("remove_assignment") == [
        (
            "office",
            "scoring.panel",
            str(team["panel"].pk),
            {"reviewer": member.reviewer.username, "draft_kept": True, "draft_items_scored": 2},
        )
    ]


def test_removing_the_leader_leaves_the_panel_without_one(team):
    leader = team["leader"]
    remove_assignment(assignment=leader, by=team["official"])
    assert Panel.objects.get(pk=team["panel"].pk).leader is None
    assert audit("remove_assignment")[0][3] == {
        "reviewer": leader.reviewer.username,
        "draft_kept": False,
        "draft_items_scored": 0,
    }


def test_a_submitted_scorecard_blocks_removal(team):
    third = team["third"]
    submitted_scorecard(third, 50)
    with pytest.raises(ValidationError) as error:
        remove_assignment(assignment=third, by=team["official"])
    assert error.value.messages == ["该专家已提交评分表，不能移除。"]
    assert Assignment.objects.get(pk=third.pk).status == AssignmentStatus.ACTIVE
    assert audit("remove_assignment") == []


def test_a_removed_or_recused_assignment_cannot_be_removed_again(team):
    member, third = team["member"], team["third"]
    remove_assignment(assignment=member, by=team["official"])
    recuse(assignment=third, reason="曾任该单位顾问", by=third.reviewer)
    for assignment in (member, third):
        with pytest.raises(ValidationError) as error:
            remove_assignment(
                assignment=Assignment.objects.get(pk=assignment.pk), by=team["official"]
            )
        assert error.value.messages == ["该专家已不在该评审组中。"]
    assert list(
        Assignment.objects.filter(panel=team["panel"])
        .order_by("pk")
        .values_list("status", "recusal_reason")
    ) == [("active", ""), ("removed", ""), ("recused", "曾任该单位顾问")]
    assert len(audit("remove_assignment")) == 1
    with pytest.raises(ValidationError) as error:
        assign_manually(panel=team["panel"], reviewer=third.reviewer, by=team["official"])
    assert error.value.messages == ["该专家已对该申报申请回避，不能再分配。"]


# The reviewer no longer sees it ----------------------------------------------------------


def test_the_removed_reviewer_gets_404_and_the_workspace_no_longer_lists_it(client, team):
    member = team["member"]
    urls = reviewer_urls(member, team["attachment"])
    client.force_login(member.reviewer)
    assert client.get(urls["item_411"]).status_code == 200
    assert "天门纺织机械股份有限公司" in client.get("/review/").content.decode()

    remove_assignment(assignment=member, by=team["official"])

    assert {name: client.get(path).status_code for name, path in urls.items()} == dict.fromkeys(
        urls, 404
    )
    post = {
        "version": "2",
        "4.1.1-percent": "90",
        "4.1.1-strengths": "改",
        "4.1.1-improvements": "",
    }
    assert client.post(urls["item_411"], post).status_code == 404
    assert client.post(urls["submit"], {"version": "2"}).status_code == 404
    workspace = client.get("/review/")
    assert workspace.status_code == 200
    assert "天门纺织机械股份有限公司" not in workspace.content.decode()
    assert kept_scores(team["draft"].pk) == KEPT
    # The others on the panel keep their pages.
    client.force_login(team["third"].reviewer)
    assert client.get(reviewer_urls(team["third"], team["attachment"])["item"]).status_code == 200


# Counted nowhere -------------------------------------------------------------------------


def test_progress_reminders_and_results_count_the_removed_member_as_absent(team):
    stage, member = team["stage"], team["member"]
    # (assigned, not started, started, submitted, overdue)
    assert stage_progress(stage=stage).totals.as_tuple() == (3, 2, 1, 0, 0)
    remove_assignment(assignment=member, by=team["official"])

    progress = stage_progress(stage=stage)
    assert progress.totals.as_tuple() == (2, 2, 0, 0, 0)
    assert [(row.key, row.counts.as_tuple()) for row in progress.applications] == [
        (team["application"].pk, (2, 2, 0, 0, 0))
    ]
    assert sorted(row.key for row in progress.reviewers) == sorted(
        [team["leader"].reviewer_id, team["third"].reviewer_id]
    )
    with delivered():
        report = send_reminders(stage=stage, by=team["official"])
    assert sorted(report.sent) == sorted(
        [team["leader"].reviewer.username, team["third"].reviewer.username]
    )
    assert len(mail.outbox) == 2
    assert member.reviewer.email not in [address for m in mail.outbox for address in m.to]
    assert sorted(m.reviewer_id for m in missing_scorecards(cycle=team["cycle"])) == sorted(
        [team["leader"].reviewer_id, team["third"].reviewer_id]
    )


def test_the_panel_and_the_pool_count_the_removed_member_as_absent(team):
    stage, member, official = team["stage"], team["member"], team["official"]
    remove_assignment(assignment=member, by=official)

    (row,) = panel_rows(stage)
    assert (
        [a.reviewer_id for a in row.members],
        [(a.reviewer_id, a.draft_items) for a in row.removed],
        row.recused,
        row.missing,
    ) == (
        sorted([team["leader"].reviewer_id, team["third"].reviewer_id]),
        [(member.reviewer_id, 2)],
        [],
        1,
    )
    loads = {profile.user_id: profile.cycle_load for profile in pool_for_stage(stage)}
    assert loads == {
        team["leader"].reviewer_id: 1,
        member.reviewer_id: 0,
        team["third"].reviewer_id: 1,
    }
    # The freed seat and the freed load (maximum 1 a cycle) can be used at once.
    newcomer = ReviewerProfileFactory(user__authority=stage.cycle.programme.authority).user
    assign_manually(panel=team["panel"], reviewer=newcomer, by=official)
    other = EligibleApplicationFactory(cycle=team["cycle"])
    moved = assign_manually(stage=stage, application=other, reviewer=member.reviewer, by=official)
    assert moved.status == AssignmentStatus.ACTIVE
    # With the seat taken again, putting the removed member back finds the panel full.
    with pytest.raises(ValidationError) as error:
        assign_manually(panel=team["panel"], reviewer=member.reviewer, by=official)
    assert error.value.messages == [
        "评审组已满（3 人），请先移除一名专家。",
        "该专家本届评审量已达上限（1 件）。",
    ]


def test_consensus_and_leadership_ignore_the_removed_member(team):
    leader, member, third = team["leader"], team["member"], team["third"]
    remove_assignment(assignment=member, by=team["official"])
    submitted_scorecard(leader, 50)
    submitted_scorecard(third, 60)
    panel = Panel.objects.select_related("stage", "application__cycle", "leader").get(
        pk=team["panel"].pk
    )
    table = consensus_table(panel=panel)
    assert (table.members, table.submitted_count, table.ready, len(table.rows)) == (
        (leader.reviewer, third.reviewer),
        2,
        True,
        23,
    )
    with pytest.raises(ValidationError) as error:
        set_leader(panel=panel, reviewer=member.reviewer, by=team["official"])
    assert error.value.messages == ["组长必须是该评审组的成员。"]
    # Only the active third member may take over from the leader.
    assert next_leader(panel=panel, leaving=leader.reviewer) == third.reviewer


# Putting the reviewer back ---------------------------------------------------------------


def test_adding_the_reviewer_again_restores_the_same_draft(client, team):
    member, draft, official = team["member"], team["draft"], team["official"]
    remove_assignment(assignment=member, by=official)

    again = assign_manually(panel=team["panel"], reviewer=member.reviewer, by=official)

    card = Scorecard.objects.get(assignment=again)
    assert (again.pk, again.status, again.assigned_by) == (
        member.pk,
        AssignmentStatus.ACTIVE,
        official,
    )
    assert Assignment.objects.filter(panel=team["panel"]).count() == 3
    assert (card.pk, card.status, card.version, kept_scores(card.pk)) == (
        draft.pk,
        ScorecardStatus.DRAFT,
        2,
        KEPT,
    )
    assert audit("assign_reviewer") == [
        (
            "office",
            "scoring.panel",
            str(team["panel"].pk),
            {
                "reviewer": member.reviewer.username,
                "conflict_overridden": False,
                "reactivated": True,
                "draft_restored": True,
                "draft_items_scored": 2,
            },
        )
    ]
    client.force_login(member.reviewer)
    page = client.get(f"/review/assignments/{member.pk}/items/4.1.1/").content.decode()
    assert "战略指标未分解到班组" in page
    # The reviewer carries on from the version the draft now has.
    save_scores(
        assignment=Assignment.objects.get(pk=member.pk),
        expected_version=2,
        entries={"4.7.1": ItemEntry(70, "利润率连续三年高于行业均值", "")},
        by=member.reviewer,
    )
    assert kept_scores(card.pk)[2] == ("4.7.1", 70, "利润率连续三年高于行业均值", "")


def test_adding_back_a_reviewer_removed_before_scoring_says_no_draft(team):
    leader = team["leader"]
    remove_assignment(assignment=leader, by=team["official"])
    assign_manually(panel=team["panel"], reviewer=leader.reviewer, by=team["official"])
    assert audit("assign_reviewer")[0][3] == {
        "reviewer": leader.reviewer.username,
        "conflict_overridden": False,
        "reactivated": True,
        "draft_restored": False,
        "draft_items_scored": 0,
    }
    assert Assignment.objects.get(pk=leader.pk).status == AssignmentStatus.ACTIVE


def test_the_panels_page_shows_removed_members_and_puts_them_back(client, team):
    member, stage = team["member"], team["stage"]
    client.force_login(team["official"])
    response = client.post(f"/admin/review/assignments/{member.pk}/remove/", follow=True)
    name = str(member.reviewer)
    app_id = team["application"].pk
    assert [str(m) for m in response.context["messages"]] == [
        f"已将{name}移出申报 {app_id} 的评审组。"
    ]
    html = response.content.decode()
    removed = re.search(rf'<li data-removed="{member.reviewer.username}">.*?</li>', html, re.S)[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", removed).split())
    assert text == f"{name} 已移除 评分草稿已保留（已评 2 项） 重新分配"
    assert f'data-member="{member.reviewer.username}"' not in html
    assert "缺 1 人" in html

    response = client.post(
        f"/admin/review/stages/{stage.pk}/assign/",
        {"application": app_id, "reviewer": member.reviewer_id},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"已将{name}分配到申报 {app_id}。",
        "该专家此前保留的评分草稿已恢复（已评 2 项）。",
    ]
    html = response.content.decode()
    assert f'data-member="{member.reviewer.username}"' in html
    assert "data-removed=" not in html
    assert Scorecard.objects.get(assignment_id=member.pk).pk == team["draft"].pk


# Automatic assignment --------------------------------------------------------------------


@pytest.fixture
def small():
    """Two applications, panels of 2, four reviewers who each take one application."""
    cycle = CycleFactory()
    stage = ReviewStageFactory(cycle=cycle, panel_size=2)
    apps = [
        EligibleApplicationFactory(
            cycle=cycle,
            organization=ApplicantFactory(
                organization__industry="C",
                organization__region_code=cycle.programme.authority.region_code,
            ).organization,
        )
        for _ in range(2)
    ]
    for name in ("r1", "r2", "r3", "r4"):
        ReviewerProfileFactory(
            user__username=name,
            user__authority=cycle.programme.authority,
            industries=["C"],
            max_load_per_cycle=1,
        )
    official = OfficialFactory(authority=cycle.programme.authority, username="office")
    auto_assign(stage=stage, by=official)
    return {"stage": stage, "apps": apps, "official": official}


def active_members(stage) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for app_id, username in (
        Assignment.objects.filter(panel__stage=stage, status=AssignmentStatus.ACTIVE)
        .order_by("panel__application_id", "reviewer__username")
        .values_list("panel__application_id", "reviewer__username")
    ):
        found.setdefault(app_id, []).append(username)
    return found


def test_automatic_assignment_fills_the_seat_and_reactivates_the_removed_row(small):
    stage, (a1, a2), official = small["stage"], small["apps"], small["official"]
    assert active_members(stage) == {a1.pk: ["r1", "r3"], a2.pk: ["r2", "r4"]}
    r3 = Assignment.objects.get(panel__application=a1, reviewer__username="r3")
    draft = submitted_scorecard(r3, 55, submit=False)
    remove_assignment(assignment=r3, by=official)
    assert active_members(stage) == {a1.pk: ["r1"], a2.pk: ["r2", "r4"]}

    # r3 is the only reviewer with room left (everyone takes one application a cycle).
    plan = auto_assign(stage=stage, by=official)

    assert plan.added == {a1.pk: (r3.reviewer_id,), a2.pk: ()}
    assert active_members(stage) == {a1.pk: ["r1", "r3"], a2.pk: ["r2", "r4"]}
    assert Assignment.objects.filter(panel__stage=stage).count() == 4
    row = Assignment.objects.get(pk=r3.pk)
    card = Scorecard.objects.get(assignment=row)
    assert (row.status, card.pk, card.status) == (
        AssignmentStatus.ACTIVE,
        draft.pk,
        ScorecardStatus.DRAFT,
    )
    assert (
        list(ItemScore.objects.filter(scorecard=card).values_list("percent", flat=True))
        == [55] * 23
    )
    details = audit("auto_assign")[-1][3]
    assert (details["added"], details["reactivated"]) == (
        1,
        [
            {
                "application": a1.pk,
                "reviewer": r3.reviewer_id,
                "draft_restored": True,
                "draft_items_scored": 23,
            }
        ],
    )


def test_automatic_assignment_leaves_the_seat_empty_when_the_removed_one_left_the_pool(small):
    stage, (a1, a2), official = small["stage"], small["apps"], small["official"]
    r3 = Assignment.objects.get(panel__application=a1, reviewer__username="r3")
    remove_assignment(assignment=r3, by=official)
    User.objects.filter(pk=r3.reviewer_id).update(is_active=False)

    plan = auto_assign(stage=stage, by=official)

    assert plan.added == {a1.pk: (), a2.pk: ()}
    assert [(s.application_id, s.missing) for s in plan.shortfalls] == [(a1.pk, 1)]
    assert Assignment.objects.get(pk=r3.pk).status == AssignmentStatus.REMOVED
    assert audit("auto_assign")[-1][3]["reactivated"] == []
