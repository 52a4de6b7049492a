"""Scorecard services: draft saves with a version check, the window, submission, locking."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from awards.models import AuditEntry
from scoring.bands import percent_error
from scoring.enums import ConflictRelation, ScorecardStatus
from scoring.review.models import ConflictDeclaration, ItemScore, Scorecard
from scoring.review.services.reopen import reopen_scorecard
from scoring.review.services.scorecards import (
    IncompleteScorecard,
    ItemEntry,
    MissingItem,
    ScorecardLocked,
    ScoringClosed,
    StaleVersion,
    save_scores,
    submit_scorecard,
)
from tests.factories import OfficialFactory
from tests.scoring.factories import OpenReviewStageFactory, cleared_reviewer, review_panel

pytestmark = pytest.mark.django_db

ALL_CODES = [
    "4.1.1", "4.1.2", "4.1.3", "4.2.1", "4.2.2", "4.3.1", "4.3.2", "4.4.1", "4.4.2", "4.4.3",
    "4.4.4", "4.4.5", "4.4.6", "4.5.1", "4.5.2", "4.6.1", "4.6.2", "4.7.1", "4.7.2", "4.7.3",
    "4.7.4", "4.7.5", "4.7.6",
]  # fmt: skip


@pytest.fixture
def assignment():
    stage = OpenReviewStageFactory()
    return review_panel(stage=stage, members=3)[0]


def full_entries(percent: int = 60, *, codes=ALL_CODES) -> dict[str, ItemEntry]:
    return {code: ItemEntry(percent, f"{code} 优势", f"{code} 改进") for code in codes}


def saved(assignment) -> dict[str, tuple]:
    return {
        score.item.code: (score.percent, score.strengths, score.improvements)
        for score in ItemScore.objects.filter(scorecard__assignment=assignment).select_related(
            "item"
        )
    }


def test_first_save_creates_the_scorecard_at_version_1_and_is_audited(assignment):
    reviewer = assignment.reviewer
    card = save_scores(
        assignment=assignment,
        expected_version=0,
        entries={"4.1.1": ItemEntry(65, " 领导作用突出 ", "")},
        by=reviewer,
    )
    assert (card.status, card.version) == (ScorecardStatus.DRAFT, 1)
    assert saved(assignment) == {"4.1.1": (65, "领导作用突出", "")}
    entry = AuditEntry.objects.get(action="save_scorecard")
    assert (entry.actor, entry.target_id, entry.details) == (
        reviewer,
        str(card.pk),
        {"version": 1, "items": {"4.1.1": 65}},
    )


def test_later_saves_update_items_and_move_the_version_on(assignment):
    reviewer = assignment.reviewer
    save_scores(assignment=assignment, expected_version=0, entries=full_entries(50), by=reviewer)
    card = save_scores(
        assignment=assignment,
        expected_version=1,
        entries={"4.1.1": ItemEntry(70, "新优势", "新改进"), "4.1.2": ItemEntry(None, "", "")},
        by=reviewer,
    )
    assert card.version == 2
    rows = saved(assignment)
    assert rows["4.1.1"] == (70, "新优势", "新改进")
    assert rows["4.1.2"] == (None, "", "")
    assert rows["4.1.3"] == (50, "4.1.3 优势", "4.1.3 改进")
    assert len(rows) == 23


@pytest.mark.parametrize(
    ("percent", "message"),
    [
        (37, "得分百分比须为 5 的倍数（0%、5%、10% …… 100%），当前为 37%。"),
        (105, "得分百分比须在 0% 到 100% 之间，当前为 105%。"),
        (-5, "得分百分比须在 0% 到 100% 之间，当前为 -5%。"),
    ],
)
def test_percentages_off_the_grid_or_out_of_range_are_refused(assignment, percent, message):
    with pytest.raises(ValidationError) as caught:
        save_scores(
            assignment=assignment,
            expected_version=0,
            entries={"4.1.1": ItemEntry(60, "a", ""), "4.1.2": ItemEntry(percent, "b", "")},
            by=assignment.reviewer,
        )
    assert caught.value.message_dict == {"4.1.2": [message]}
    assert Scorecard.objects.filter(assignment=assignment).exists() is False


def test_grid_values_are_all_accepted():
    assert [value for value in range(-5, 106) if percent_error(value) is None] == list(
        range(0, 101, 5)
    )


def test_an_unknown_item_code_is_refused(assignment):
    with pytest.raises(ValidationError) as caught:
        save_scores(
            assignment=assignment,
            expected_version=0,
            entries={"4.9.9": ItemEntry(60, "", "")},
            by=assignment.reviewer,
        )
    assert caught.value.message_dict == {"4.9.9": ["没有编号为 4.9.9 的评分条款。"]}


def test_a_stale_save_is_refused_and_nothing_is_overwritten(assignment):
    reviewer = assignment.reviewer
    save_scores(
        assignment=assignment,
        expected_version=0,
        entries={"4.1.1": ItemEntry(60, "第一个标签页", "")},
        by=reviewer,
    )
    save_scores(
        assignment=assignment,
        expected_version=1,
        entries={"4.1.1": ItemEntry(75, "第二个标签页", "")},
        by=reviewer,
    )
    with pytest.raises(StaleVersion) as caught:
        save_scores(
            assignment=assignment,
            expected_version=1,
            entries={"4.1.1": ItemEntry(20, "过期的标签页", ""), "4.2.1": ItemEntry(5, "x", "")},
            by=reviewer,
        )
    assert caught.value.messages == [
        "此评分表已在其他窗口保存过（当前为第 2 版），本次修改未保存，已保存的内容没有被覆盖。"
        "请核对后重新保存。"
    ]
    assert caught.value.current_version == 2
    assert saved(assignment) == {"4.1.1": (75, "第二个标签页", "")}
    assert Scorecard.objects.get(assignment=assignment).version == 2


@pytest.mark.parametrize(
    ("opens", "closes"),
    [
        (dt.timedelta(hours=1), dt.timedelta(days=3)),
        (-dt.timedelta(days=3), -dt.timedelta(seconds=1)),
    ],
    ids=["not yet open", "closed"],
)
def test_scoring_outside_the_window_is_refused(opens, closes):
    now = timezone.now()
    stage = OpenReviewStageFactory(opens_at=now + opens, closes_at=now + closes)
    assignment = review_panel(stage=stage, members=1)[0]
    with pytest.raises(ScoringClosed) as caught:
        save_scores(
            assignment=assignment,
            expected_version=0,
            entries={"4.1.1": ItemEntry(60, "a", "")},
            by=assignment.reviewer,
        )
    opens_text = timezone.localtime(stage.opens_at).strftime("%Y-%m-%d %H:%M")
    closes_text = timezone.localtime(stage.closes_at).strftime("%Y-%m-%d %H:%M")
    assert caught.value.messages == [
        f"本阶段评分时间为 {opens_text} 至 {closes_text}（北京时间），当前不在评分时间内。"
    ]
    assert Scorecard.objects.filter(assignment=assignment).exists() is False


def test_another_reviewer_cannot_save_on_someone_elses_assignment(assignment):
    stranger = cleared_reviewer(assignment.panel.stage.cycle)
    with pytest.raises(PermissionDenied) as caught:
        save_scores(
            assignment=assignment,
            expected_version=0,
            entries={"4.1.1": ItemEntry(60, "a", "")},
            by=stranger,
        )
    assert str(caught.value) == "只有被分配的评审专家本人可以评分。"


def test_a_conflicted_reviewer_cannot_save(assignment):
    ConflictDeclaration.objects.create(
        cycle=assignment.panel.stage.cycle,
        reviewer=assignment.reviewer,
        organization=assignment.panel.application.organization,
        relation=ConflictRelation.CUSTOMER,
    )
    with pytest.raises(PermissionDenied) as caught:
        save_scores(
            assignment=assignment,
            expected_version=0,
            entries={"4.1.1": ItemEntry(60, "a", "")},
            by=assignment.reviewer,
        )
    assert str(caught.value) == "您与该申报单位存在利益冲突，不能评分。"


def test_submitting_an_incomplete_scorecard_lists_exactly_what_is_missing(assignment):
    reviewer = assignment.reviewer
    entries = full_entries(60, codes=ALL_CODES[:-2])
    entries["4.4.2"] = ItemEntry(None, "有优势", "")
    entries["4.7.5"] = ItemEntry(40, "  ", "")
    card = save_scores(assignment=assignment, expected_version=0, entries=entries, by=reviewer)
    with pytest.raises(IncompleteScorecard) as caught:
        submit_scorecard(scorecard=card, by=reviewer)
    assert caught.value.missing == [
        MissingItem("4.4.2", "财务资源", ("未选择得分百分比",)),
        MissingItem("4.7.5", "过程有效性结果", ("未填写优势或改进机会",)),
        MissingItem("4.7.6", "领导方面的结果", ("未选择得分百分比", "未填写优势或改进机会")),
    ]
    card.refresh_from_db()
    assert (card.status, card.submitted_at) == (ScorecardStatus.DRAFT, None)


def test_submission_locks_the_scorecard_and_is_idempotent(assignment):
    reviewer = assignment.reviewer
    card = save_scores(
        assignment=assignment, expected_version=0, entries=full_entries(55), by=reviewer
    )
    submitted = submit_scorecard(scorecard=card, by=reviewer, expected_version=1)
    assert (submitted.status, submitted.version) == (ScorecardStatus.SUBMITTED, 2)
    first_time = submitted.submitted_at
    again = submit_scorecard(scorecard=card, by=reviewer)
    assert (again.status, again.version, again.submitted_at) == (
        ScorecardStatus.SUBMITTED,
        2,
        first_time,
    )
    assert AuditEntry.objects.filter(action="submit_scorecard").count() == 1
    with pytest.raises(ScorecardLocked) as caught:
        save_scores(
            assignment=assignment,
            expected_version=2,
            entries={"4.1.1": ItemEntry(100, "改", "")},
            by=reviewer,
        )
    assert caught.value.messages == ["评分表已提交并锁定；如需修改，请联系质量奖办公室退回。"]
    assert saved(assignment)["4.1.1"] == (55, "4.1.1 优势", "4.1.1 改进")


def test_two_submissions_from_stale_copies_give_one_submitted_scorecard(assignment):
    reviewer = assignment.reviewer
    save_scores(assignment=assignment, expected_version=0, entries=full_entries(), by=reviewer)
    first_tab = Scorecard.objects.get(assignment=assignment)
    second_tab = Scorecard.objects.get(assignment=assignment)
    submit_scorecard(scorecard=first_tab, by=reviewer, expected_version=1)
    result = submit_scorecard(scorecard=second_tab, by=reviewer, expected_version=1)
    assert result.status == ScorecardStatus.SUBMITTED
    assert Scorecard.objects.filter(assignment=assignment).count() == 1
    assert AuditEntry.objects.filter(action="submit_scorecard").count() == 1


def test_a_submission_after_another_tab_saved_is_refused(assignment):
    reviewer = assignment.reviewer
    card = save_scores(
        assignment=assignment, expected_version=0, entries=full_entries(), by=reviewer
    )
    save_scores(
        assignment=assignment,
        expected_version=1,
        entries={"4.1.1": ItemEntry(None, "", "")},
        by=reviewer,
    )
    with pytest.raises(StaleVersion):
        submit_scorecard(scorecard=card, by=reviewer, expected_version=1)
    card.refresh_from_db()
    assert card.status == ScorecardStatus.DRAFT


def test_submitting_outside_the_window_is_refused(assignment):
    reviewer = assignment.reviewer
    card = save_scores(
        assignment=assignment, expected_version=0, entries=full_entries(), by=reviewer
    )
    stage = assignment.panel.stage
    stage.closes_at = timezone.now() - dt.timedelta(minutes=1)
    stage.save()
    with pytest.raises(ScoringClosed):
        submit_scorecard(scorecard=card, by=reviewer)
    card.refresh_from_db()
    assert card.status == ScorecardStatus.DRAFT


def test_after_an_official_reopens_it_the_reviewer_saves_again(assignment):
    reviewer = assignment.reviewer
    card = save_scores(
        assignment=assignment, expected_version=0, entries=full_entries(), by=reviewer
    )
    submit_scorecard(scorecard=card, by=reviewer)
    official = OfficialFactory(authority=assignment.panel.stage.cycle.programme.authority)
    reopened = reopen_scorecard(scorecard=card, reason="4.1.1 评语需补充", by=official)
    card = save_scores(
        assignment=assignment,
        expected_version=reopened.version,
        entries={"4.1.1": ItemEntry(65, "补充后的优势", "")},
        by=reviewer,
    )
    assert (card.status, saved(assignment)["4.1.1"]) == (
        ScorecardStatus.DRAFT,
        (65, "补充后的优势", ""),
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_submissions_give_exactly_one_submission():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL")
    stage = OpenReviewStageFactory()
    assignment = review_panel(stage=stage, members=1)[0]
    reviewer = assignment.reviewer
    save_scores(assignment=assignment, expected_version=0, entries=full_entries(), by=reviewer)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit() -> None:
        try:
            card = Scorecard.objects.get(assignment=assignment)
            barrier.wait()
            results.append(submit_scorecard(scorecard=card, by=reviewer).status)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == [ScorecardStatus.SUBMITTED, ScorecardStatus.SUBMITTED]
    assert list(
        Scorecard.objects.filter(assignment=assignment).values_list("status", "version")
    ) == [(ScorecardStatus.SUBMITTED, 2)]
    assert AuditEntry.objects.filter(action="submit_scorecard").count() == 1
