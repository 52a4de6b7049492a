"""The officials' committee pages: appointing the committee, recording the meeting with its
votes, the minutes PDF, and the approval page refusing the computing official."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import AuditEntry
from awards.pdf.inspect import pdf_fonts, pdf_text
from scoring.results.models import Committee, CommitteeDecision, ResultSnapshot
from scoring.results.services.committee import set_committee
from scoring.results.services.computation import compute_cycle_results
from tests import clock
from tests.factories import ReviewerFactory
from tests.scoring.committee_helpers import record_unanimous_decision, second_official
from tests.scoring.results_world import add_application, build_world
from tests.scoring.test_results_admin import messages_of, table

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_the_official_appoints_the_committee_and_bad_input_changes_nothing(client, world):
    expert = world.reviewers[0]
    url = reverse("cycle_results:committee", args=[world.cycle.pk])
    client.force_login(world.official)
    page = client.get(url)
    text = page.content.decode()
    assert "出席委员不少于委员总数的 2/3；拟授奖项须获出席委员 1/2 以上赞成。" in text
    assert f"{expert}（评审专家）" in text

    refused = client.post(url, {"members": [expert.pk], "chair": world.official.pk})
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"chair": ["主任委员须是评审委员会的委员。"]}
    assert not Committee.objects.exists()

    done = client.post(url, {"members": [expert.pk, world.official.pk], "chair": expert.pk})
    assert done["Location"] == reverse("cycle_results:cycle", args=[world.cycle.pk])
    committee = Committee.objects.get(cycle=world.cycle)
    assert (set(committee.members.all()), committee.chair) == ({expert, world.official}, expert)


def decision_post(world, members, snapshot, votes, **extra):
    data = {"held_on": clock.today().isoformat(), "present": [m.pk for m in members], **extra}
    for name, row in votes.items():
        application = world.applications[name]
        for member, vote in zip(members, row, strict=True):
            data[f"vote_{application.pk}_{member.pk}"] = vote
    return data


def test_the_secretary_records_the_meeting_and_downloads_the_minutes(client, world):
    members = world.reviewers
    set_committee(cycle=world.cycle, members=members, chair=members[0], by=world.official)
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    url = reverse("cycle_results:decision", args=[snapshot.pk])
    client.force_login(world.official)
    assert client.get(reverse("cycle_results:minutes", args=[snapshot.pk])).status_code == 404

    missing = client.post(
        url,
        decision_post(
            world,
            members,
            snapshot,
            {"甲公司": ["approve", "approve", ""], "乙公司": ["approve"] * 3},
        ),
    )
    assert missing.context["form"].non_field_errors() == [
        "每名出席委员须对每个拟授奖项投赞成、反对或弃权票，缺席委员不投票。"
    ]
    assert not CommitteeDecision.objects.exists()

    done = client.post(
        url,
        decision_post(
            world,
            members,
            snapshot,
            {
                "甲公司": ["approve", "approve", "abstain"],
                "乙公司": ["approve", "reject", "abstain"],
            },
            minutes="会议审议了拟表彰名单。\n<b>委员</b>一致同意甲公司。",
        ),
        follow=True,
    )
    assert messages_of(done) == ["评审委员会审定已记录。"]
    assert table(done, "data-tallies") == [
        ["名次", "申报单位", "拟授等级", "赞成", "反对", "弃权", "结果"],
        ["1", "甲公司", "质量奖", "2", "0", "1", "通过"],
        ["2", "乙公司", "提名奖", "1", "1", "1", "未通过"],
    ]
    assert "乙公司拟授“提名奖”赞成 1 票，未超过出席委员的 1/2。" in done.content.decode()

    pdf = client.get(reverse("cycle_results:minutes", args=[snapshot.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["X-Content-Type-Options"] == "nosniff"
    text = pdf_text(pdf.content)
    for expected in (
        "评审委员会会议纪要",
        "审定事项：第 1 版评审结果",
        "委员 3 人，出席 3 人",
        "达到法定人数。",
        "<b>委员</b>一致同意甲公司。",
        "未通过",
    ):
        assert expected in text
    assert any("CJK" in font for font in pdf_fonts(pdf.content))

    approve = client.post(reverse("cycle_results:approve", args=[snapshot.pk]), follow=True)
    assert messages_of(approve) == [
        "第 1 版评审结果是您计算的。按双人复核规则，须由另一名工作人员批准，计算人不能独自批准。"
    ]
    client.force_login(second_official(snapshot))
    refused = client.post(reverse("cycle_results:approve", args=[snapshot.pk]), follow=True)
    assert messages_of(refused) == ["乙公司拟授“提名奖”赞成 1 票，未超过出席委员的 1/2。"]
    assert ResultSnapshot.objects.get(pk=snapshot.pk).approved_at is None


def test_without_a_committee_the_page_says_so_and_after_approval_the_record_is_closed(
    client, world
):
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    client.force_login(world.official)
    url = reverse("cycle_results:decision", args=[snapshot.pk])
    page = client.get(url)
    assert page.context["form"] is None
    assert "请先设置本届评审委员会。" in page.content.decode()
    assert client.post(url, {}).status_code == 404

    record_unanimous_decision(snapshot)
    approver = second_official(snapshot)
    client.force_login(approver)
    approve_page = client.get(reverse("cycle_results:approve", args=[snapshot.pk]))
    assert approve_page.context["committee_problems"] == []
    client.post(reverse("cycle_results:approve", args=[snapshot.pk]))
    assert ResultSnapshot.objects.get(pk=snapshot.pk).approved_by == approver
    closed = client.get(url)
    assert closed.context["form"] is None
    assert client.post(url, {}).status_code == 404
    assert AuditEntry.objects.filter(action="approve_results", actor=approver).count() == 1


def test_the_approval_page_lists_what_the_committee_still_lacks(client, world):
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    ReviewerFactory(authority=world.cycle.programme.authority)
    client.force_login(second_official(snapshot))
    page = client.get(reverse("cycle_results:approve", args=[snapshot.pk]))
    assert page.context["committee_problems"] == ["尚未记录评审委员会对本版结果的审定，不能批准。"]


@pytest.mark.parametrize("extra", [0, 4])
def test_the_decision_page_costs_the_same_for_one_and_five_proposed_awards(
    client, django_assert_num_queries, extra
):
    """1 and 5 proposed awards, 3 members, a recorded decision: the same number of queries."""
    world = build_world(names=("甲公司",))
    for index in range(extra):
        percent = 50 + index  # totals 500.00, 510.00, …: 提名奖 once its floor is 400
        add_application(world, f"公司{index}", ((percent,) * 3, (percent,) * 3))
    world.cycle.levels.filter(name="提名奖").update(quota=10, min_total=400)
    set_committee(
        cycle=world.cycle, members=world.reviewers, chair=world.reviewers[0], by=world.official
    )
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    decision = record_unanimous_decision(snapshot)
    assert decision.votes.count() == 3 * (1 + extra)
    client.force_login(world.official)
    url = reverse("cycle_results:decision", args=[snapshot.pk])
    client.get(url)  # warm caches (site, translations)
    with django_assert_num_queries(QUERIES_ON_THE_DECISION_PAGE):
        response = client.get(url)
    assert len(table(response, "data-tallies")) == 2 + extra


#: The decision page's queries, whatever the number of proposed awards.
QUERIES_ON_THE_DECISION_PAGE = 23


def test_the_official_edits_the_committee_rules_on_the_programme(client, world):
    programme = world.cycle.programme
    client.force_login(world.official)
    url = f"/admin/programmes/edit/{programme.pk}/"
    data = {
        "authority": programme.authority_id,
        "name": programme.name,
        "slug": programme.slug,
        "summary": programme.summary,
        "prize": programme.prize,
        "recommender_scope": programme.recommender_scope,
        "quorum_numerator": "3",
        "quorum_denominator": "2",
        "majority_numerator": "1",
        "majority_denominator": "3",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert refused.context["form"].errors == {
        "quorum_numerator": ["法定出席比例须大于 0 且不超过 1（如 2/3）。"],
        "majority_numerator": ["通过票数比例须不低于 1/2 且小于 1（如 1/2 表示过半数）。"],
    }
    programme.refresh_from_db()
    assert (programme.quorum_numerator, programme.majority_denominator) == (2, 2)

    done = client.post(
        url,
        {
            **data,
            "quorum_numerator": "3",
            "quorum_denominator": "4",
            "majority_numerator": "2",
            "majority_denominator": "3",
        },
    )
    assert done.status_code == 302
    programme.refresh_from_db()
    assert (
        programme.quorum_numerator,
        programme.quorum_denominator,
        programme.majority_numerator,
        programme.majority_denominator,
    ) == (3, 4, 2, 3)
