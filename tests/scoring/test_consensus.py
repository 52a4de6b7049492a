"""Consensus: spreads and flags on a hand-made panel, the leader's draft, finalizing, comments."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.criteria_data import GB_T_19580_2012
from awards.models import AuditEntry, CriteriaItem
from scoring.enums import ConsensusStatus
from scoring.review.models import ConsensusComment, ConsensusItem, Panel
from scoring.review.services.consensus import (
    ConsensusEntry,
    ConsensusLocked,
    IncompleteConsensus,
    MissingConsensus,
    comment_on_consensus,
    consensus_table,
    finalize_consensus,
    is_flagged,
    mean_of,
    save_consensus,
    spread_of,
)
from scoring.review.services.scorecards import StaleVersion
from tests.scoring.factories import OpenReviewStageFactory, review_panel, submitted_scorecard

pytestmark = pytest.mark.django_db

#: Three members' percentages where they differ; every other item is 50 % for everybody.
HAND_MADE = {
    "4.1.1": (50, 60, 75),  # spread 25 > 20: flagged
    "4.1.2": (40, 50, 60),  # spread 20, not more than the threshold: not flagged
    "4.7.1": (30, 55, 30),  # spread 25: flagged
    "4.7.6": (90, 100, 95),  # spread 10
}


def percents_of(member: int) -> dict[str, int]:
    return {
        item.code: HAND_MADE.get(item.code, (50, 50, 50))[member]
        for item in GB_T_19580_2012.items()
    }


@pytest.fixture
def panel_assignments():
    return review_panel(stage=OpenReviewStageFactory(), members=3)


@pytest.fixture
def ready(panel_assignments):
    for index, assignment in enumerate(panel_assignments):
        submitted_scorecard(assignment, percents_of(index))
    panel = load(panel_assignments[0].panel_id)
    return panel, [a.reviewer for a in panel_assignments]


def load(pk: int) -> Panel:
    return Panel.objects.select_related("stage", "application__cycle", "leader").get(pk=pk)


def test_spread_mean_and_flag_rules():
    assert spread_of([50, None, 75, 60]) == 25
    assert spread_of([None, None]) is None
    assert mean_of([50, 60, 75]) == Decimal("185") / Decimal("3")
    assert [is_flagged(s, 20) for s in (None, 0, 20, 21, 25)] == [False, False, False, True, True]


def test_the_table_shows_every_member_spread_and_flag_for_a_hand_made_case(ready):
    panel, members = ready
    table = consensus_table(panel=panel)
    assert table.ready is True
    assert table.members == tuple(members)
    assert table.threshold == 20
    rows = {row.item.code: row for row in table.rows}
    assert len(rows) == 23
    assert [
        (code, [s.percent for s in rows[code].scores], rows[code].spread, rows[code].flagged)
        for code in ("4.1.1", "4.1.2", "4.1.3", "4.7.1", "4.7.6")
    ] == [
        ("4.1.1", [50, 60, 75], 25, True),
        ("4.1.2", [40, 50, 60], 20, False),
        ("4.1.3", [50, 50, 50], 0, False),
        ("4.7.1", [30, 55, 30], 25, True),
        ("4.7.6", [90, 100, 95], 10, False),
    ]
    assert [row.item.code for row in table.rows if row.flagged] == ["4.1.1", "4.7.1"]
    assert table.flagged_count == 2
    assert rows["4.7.1"].mean == Decimal("115") / Decimal("3")


def test_a_stricter_threshold_flags_more_items(ready):
    panel, _members = ready
    panel.stage.spread_threshold = 10
    panel.stage.save()
    table = consensus_table(panel=load(panel.pk))
    assert [row.item.code for row in table.rows if row.flagged] == ["4.1.1", "4.1.2", "4.7.1"]


def test_before_everyone_submitted_the_table_holds_no_scores(panel_assignments):
    submitted_scorecard(panel_assignments[0], 60)
    submitted_scorecard(panel_assignments[1], 70)
    submitted_scorecard(panel_assignments[2], 80, submit=False)
    table = consensus_table(panel=load(panel_assignments[0].panel_id))
    assert (table.ready, table.submitted_count, len(table.members), table.rows) == (
        False,
        2,
        3,
        (),
    )


def test_saving_or_commenting_before_everyone_submitted_is_refused(panel_assignments):
    submitted_scorecard(panel_assignments[0], 60)
    panel = load(panel_assignments[0].panel_id)
    leader = panel_assignments[0].reviewer
    with pytest.raises(ValidationError) as caught:
        save_consensus(
            panel=panel,
            expected_version=0,
            entries={"4.1.1": ConsensusEntry(60, "", "", "")},
            by=leader,
        )
    assert caught.value.messages == ["评审组还有专家未提交评分表，全部提交后才能形成共识。"]
    with pytest.raises(ValidationError):
        comment_on_consensus(panel=panel, author=leader, text="先讨论 4.1.1")
    assert ConsensusItem.objects.count() == 0


def test_only_the_leader_saves_and_only_members_comment(ready):
    panel, members = ready
    with pytest.raises(PermissionDenied) as caught:
        save_consensus(
            panel=panel,
            expected_version=0,
            entries={"4.1.1": ConsensusEntry(60)},
            by=members[1],
        )
    assert str(caught.value) == "只有评审组组长可以记录共识。"
    outsider = review_panel(stage=panel.stage, members=1)[0].reviewer
    with pytest.raises(PermissionDenied) as caught:
        comment_on_consensus(panel=panel, author=outsider, text="意见")
    assert str(caught.value) == "只有本评审组的专家可以参与共识。"


def test_the_leader_saves_a_draft_and_a_stale_save_is_refused(ready):
    panel, members = ready
    leader = members[0]
    first = save_consensus(
        panel=panel,
        expected_version=0,
        entries={"4.1.1": ConsensusEntry(60, "讨论后取中间档", "领导作用突出", "战略展开不足")},
        by=leader,
    )
    assert (first.status, first.version) == (ConsensusStatus.DRAFT, 1)
    save_consensus(
        panel=panel, expected_version=1, entries={"4.1.1": ConsensusEntry(65, "再议")}, by=leader
    )
    with pytest.raises(StaleVersion) as caught:
        save_consensus(
            panel=panel,
            expected_version=1,
            entries={"4.1.1": ConsensusEntry(20, "过期"), "4.1.2": ConsensusEntry(50)},
            by=leader,
        )
    assert caught.value.messages == [
        "共识已在其他窗口保存过（当前为第 2 版），本次修改未保存，已保存的内容没有被覆盖。"
        "请核对后重新保存。"
    ]
    assert list(
        ConsensusItem.objects.values_list("item__code", "percent", "rationale", "strengths")
    ) == [("4.1.1", 65, "再议", "")]


def test_consensus_percentages_must_be_on_the_grid(ready):
    panel, members = ready
    with pytest.raises(ValidationError) as caught:
        save_consensus(
            panel=panel, expected_version=0, entries={"4.1.1": ConsensusEntry(62)}, by=members[0]
        )
    assert caught.value.message_dict == {
        "4.1.1": ["得分百分比须为 5 的倍数（0%、5%、10% …… 100%），当前为 62%。"]
    }


def test_finalizing_lists_missing_percentages_and_rationales(ready):
    panel, members = ready
    entries = {row.item.code: ConsensusEntry(50) for row in consensus_table(panel=panel).rows}
    entries["4.1.1"] = ConsensusEntry(60, "")
    entries["4.7.1"] = ConsensusEntry(None, "")
    entries["4.2.1"] = ConsensusEntry(None, "")
    with pytest.raises(IncompleteConsensus) as caught:
        finalize_consensus(panel=panel, expected_version=0, entries=entries, by=members[0])
    assert caught.value.missing == [
        MissingConsensus(
            "4.1.1", "高层领导的作用", ("各专家评分相差 25 个百分点，超过 20，须填写理由",)
        ),
        MissingConsensus("4.2.1", "战略制定", ("未填写共识百分比",)),
        MissingConsensus(
            "4.7.1",
            "产品和服务结果",
            ("未填写共识百分比", "各专家评分相差 25 个百分点，超过 20，须填写理由"),
        ),
    ]
    assert caught.value.current_version == 1
    assert ConsensusItem.objects.filter(percent=50).count() == 20


def test_finalizing_a_complete_consensus_locks_it(ready):
    panel, members = ready
    leader = members[0]
    entries = {row.item.code: ConsensusEntry(50) for row in consensus_table(panel=panel).rows}
    entries["4.1.1"] = ConsensusEntry(60, "两位专家认可领导体系的系统性", "使命愿景清晰", "")
    entries["4.7.1"] = ConsensusEntry(35, "缺少对比数据，取较低档", "", "补充行业对比")
    consensus = finalize_consensus(panel=panel, expected_version=0, entries=entries, by=leader)
    assert (consensus.status, consensus.version) == (ConsensusStatus.FINAL, 2)
    again = finalize_consensus(panel=panel, expected_version=0, by=leader)
    assert (again.status, again.version) == (ConsensusStatus.FINAL, 2)
    with pytest.raises(ConsensusLocked) as caught:
        save_consensus(
            panel=panel, expected_version=2, entries={"4.1.1": ConsensusEntry(90)}, by=leader
        )
    assert caught.value.messages == ["共识已确定，不能再修改。"]
    with pytest.raises(ConsensusLocked):
        comment_on_consensus(panel=panel, author=members[1], text="晚了")
    entry = AuditEntry.objects.get(action="finalize_consensus")
    assert (
        entry.details["version"],
        entry.details["items"]["4.1.1"],
        len(entry.details["items"]),
    ) == (
        2,
        60,
        23,
    )


def test_members_comment_on_the_draft(ready):
    panel, members = ready
    item = CriteriaItem.objects.get(framework=panel.application.cycle.framework, code="4.1.1")
    comment_on_consensus(panel=panel, author=members[1], text=" 建议 4.1.1 取 60% ", item=item)
    comment_on_consensus(panel=panel, author=members[2], text="同意")
    table = consensus_table(panel=panel)
    assert [(c.author, c.item_id, c.text) for c in table.comments] == [
        (members[1], item.pk, "建议 4.1.1 取 60%"),
        (members[2], None, "同意"),
    ]
    with pytest.raises(ValidationError) as caught:
        comment_on_consensus(panel=panel, author=members[1], text="  ")
    assert caught.value.message_dict == {"text": ["请填写意见。"]}
    assert ConsensusComment.objects.count() == 2


@pytest.mark.parametrize("members", [1, 5])
def test_the_table_costs_the_same_queries_for_1_or_5_members(members):
    assignments = review_panel(stage=OpenReviewStageFactory(), members=members)
    for assignment in assignments:
        submitted_scorecard(assignment, 50)
    panel = load(assignments[0].panel_id)
    save_consensus(
        panel=panel,
        expected_version=0,
        entries={"4.1.1": ConsensusEntry(50)},
        by=assignments[0].reviewer,
    )
    comment_on_consensus(panel=panel, author=assignments[-1].reviewer, text="意见")
    with CaptureQueriesContext(connection) as queries:
        table = consensus_table(panel=panel)
    assert (len(table.members), len(table.rows), len(table.comments)) == (members, 23, 1)
    assert len(queries) == 6
