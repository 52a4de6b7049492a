"""The reviewer's pages with the test client: independence before submission, and the panel's
consensus page (spreads, flags, draft, finalizing, comments)."""

import re

import pytest

from scoring.enums import ConsensusStatus
from scoring.review.models import Consensus, ConsensusComment
from scoring.review.services.scorecards import ItemEntry, save_scores
from tests.scoring.factories import submitted_scorecard
from tests.scoring.reviewer_pages import all_codes, page_messages, review_world, url  # noqa: F401

pytestmark = pytest.mark.django_db

LEAKS = ("他人评语-优势-甲", "他人评语-改进-乙", "他人评语-优势-丙")


# Independence ----------------------------------------------------------------------------


def test_nothing_of_other_reviewers_leaks_before_submitting(client, world):
    for assignment, marker in zip((world["member"], world["third"]), LEAKS[:2], strict=True):
        card = submitted_scorecard(assignment, 85)
        card.item_scores.update(strengths=marker, improvements=LEAKS[2], percent=85)
    other_consensus_marker = "data-member-percent"
    client.force_login(world["leader"].reviewer)
    save_scores(
        assignment=world["leader"],
        expected_version=0,
        entries={"4.1.1": ItemEntry(40, "我的优势", "")},
        by=world["leader"].reviewer,
    )
    pages = ("workspace", "item", "item_411", "item_471", "sheet", "submit", "recuse", "consensus")
    for name in pages:
        html = client.get(url(name, world)).content.decode()
        assert [marker for marker in LEAKS if marker in html] == [], name
        assert 'value="85" selected' not in html, name
        assert other_consensus_marker not in html, name
    consensus = client.get(url("consensus", world)).content.decode()
    assert "评审组共 3 位专家，已有 2 位提交评分表。" in consensus
    assert "data-consensus-table" not in consensus


# Consensus -------------------------------------------------------------------------------


@pytest.fixture
def all_submitted(world):
    for assignment, percent in zip(
        (world["leader"], world["member"], world["third"]), (50, 60, 75), strict=True
    ):
        submitted_scorecard(assignment, {**dict.fromkeys(all_codes(), 50), "4.1.1": percent})
    return world


def test_the_leader_sees_members_spreads_and_flags(client, all_submitted):
    world = all_submitted
    client.force_login(world["leader"].reviewer)
    html = client.get(url("consensus", world)).content.decode()
    row = re.search(r'<tr class="is-flagged" data-row="4.1.1".*?</tr>', html, re.S).group(0)
    assert re.findall(r"<td class=\"num\" data-member-percent>(\d+)%</td>", row) == [
        "50",
        "60",
        "75",
    ]
    assert '<td class="num" data-spread>25</td>' in row
    assert '<span class="badge badge-flag" data-flag>需讨论</span>' in row
    assert html.count("data-flag>") == 1
    assert "有 1 个条款的评分相差超过 20 个百分点，已标记为“需讨论”，确定共识时须填写理由。" in html
    assert 'name="c-4.1.1-percent"' in html


def test_the_leader_saves_finalizes_and_members_comment(client, all_submitted):
    world = all_submitted
    leader, member = world["leader"].reviewer, world["member"].reviewer
    client.force_login(leader)
    data = {"version": "0"}
    for code in all_codes():
        data[f"c-{code}-percent"] = "50"
    data["c-4.1.1-percent"] = "60"
    response = client.post(url("consensus", world) + "finalize/", data)
    html = response.content.decode()
    assert page_messages(response) == [
        ("error", "已保存共识草稿，但还不能确定共识：请补全下列内容。")
    ]
    assert (
        '<li data-missing-item="4.1.1"><a href="#card-4.1.1">4.1.1 高层领导的作用</a>：'
        "各专家评分相差 25 个百分点，超过 20，须填写理由</li>" in html
    )
    assert Consensus.objects.get().status == ConsensusStatus.DRAFT
    data.update({"version": "1", "c-4.1.1-rationale": "取中间档", "c-4.1.1-strengths": "领导有力"})
    done = client.post(url("consensus", world) + "finalize/", data, follow=True)
    assert page_messages(done) == [("success", "共识已确定。")]
    assert Consensus.objects.get().status == ConsensusStatus.FINAL

    client.force_login(member)
    member_html = client.get(url("consensus", world)).content.decode()
    assert "data-consensus-form" in member_html
    assert 'name="c-4.1.1-percent"' not in member_html
    assert "<span data-agreed>60%</span>" in member_html
    refused = client.post(url("consensus", world) + "comments/", {"text": "晚到的意见"})
    assert page_messages(refused) == [("error", "共识已确定，不能再发表意见。")]


def test_a_member_comments_on_the_draft(client, all_submitted):
    world = all_submitted
    client.force_login(world["member"].reviewer)
    response = client.post(
        url("consensus", world) + "comments/", {"item": "4.1.1", "text": "建议取 60%"}, follow=True
    )
    assert page_messages(response) == [("success", "已发表意见。")]
    assert list(ConsensusComment.objects.values_list("author", "item__code", "text")) == [
        (world["member"].reviewer.pk, "4.1.1", "建议取 60%")
    ]
    assert "建议取 60%" in response.content.decode()
    forbidden = client.post(url("consensus", world), {"version": "0", "c-4.1.1-percent": "60"})
    assert forbidden.status_code == 403


def test_a_stale_consensus_save_is_refused(client, all_submitted):
    world = all_submitted
    client.force_login(world["leader"].reviewer)
    first = client.post(
        url("consensus", world), {"version": "0", "c-4.1.1-percent": "65"}, follow=True
    )
    assert page_messages(first) == [("success", "已保存共识草稿。")]
    stale = client.post(url("consensus", world), {"version": "0", "c-4.1.1-percent": "20"})
    assert page_messages(stale) == [
        (
            "error",
            "共识已在其他窗口保存过（当前为第 1 版），本次修改未保存，已保存的内容没有被覆盖。"
            "请核对后重新保存。",
        )
    ]
    assert list(Consensus.objects.get().items.values_list("item__code", "percent")) == [
        ("4.1.1", 65)
    ]
