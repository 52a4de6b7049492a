"""Each item of a scorecard is locked on its own: two tabs on different items both save."""

import pytest

from awards.models import AuditEntry
from scoring.enums import ScorecardStatus
from scoring.review.models import ItemScore, Scorecard
from scoring.review.services.scorecards import (
    ItemEntry,
    ScorecardLocked,
    StaleVersion,
    item_version,
    save_scores,
    submit_scorecard,
)
from tests.scoring.factories import OpenReviewStageFactory, review_panel, submitted_scorecard

pytestmark = pytest.mark.django_db

STALE_411 = (
    "条款 4.1.1 已在其他窗口保存过，本次修改未保存，已保存的内容没有被覆盖。请核对后重新保存。"
)
STALE_WHOLE = (
    "此评分表已在其他窗口保存过（当前为第 2 版），本次修改未保存，已保存的内容没有被覆盖。"
    "请核对后重新保存。"
)


@pytest.fixture
def assignment():
    return review_panel(stage=OpenReviewStageFactory(), members=1)[0]


def save_item(assignment, code, entry, version):
    return save_scores(
        assignment=assignment,
        expected_version=version,
        entries={code: entry},
        by=assignment.reviewer,
        per_item=True,
    )


def card(assignment) -> Scorecard:
    return Scorecard.objects.get(assignment=assignment)


def saved(assignment) -> dict[str, tuple]:
    return {
        score.item.code: (score.percent, score.strengths)
        for score in ItemScore.objects.filter(scorecard__assignment=assignment).select_related(
            "item"
        )
    }


def test_two_tabs_on_different_items_both_save(assignment):
    first_tab, second_tab = 0, 0
    save_item(assignment, "4.1.1", ItemEntry(60, "甲"), first_tab)
    save_item(assignment, "4.2.1", ItemEntry(40, "乙"), second_tab)
    scorecard = card(assignment)
    assert (scorecard.version, scorecard.item_versions) == (2, {"4.1.1": 1, "4.2.1": 2})
    assert saved(assignment) == {"4.1.1": (60, "甲"), "4.2.1": (40, "乙")}
    # The first tab goes on saving its item with the version its last save answered.
    save_item(assignment, "4.1.1", ItemEntry(65, "甲二"), item_version(scorecard, "4.1.1"))
    assert card(assignment).item_versions == {"4.1.1": 3, "4.2.1": 2}


def test_the_same_item_in_two_tabs_refuses_the_second_and_writes_nothing(assignment):
    save_item(assignment, "4.1.1", ItemEntry(60, "第一个标签页"), 0)
    save_item(assignment, "4.2.1", ItemEntry(40, "别的条款"), 0)
    with pytest.raises(StaleVersion) as refused:
        save_item(assignment, "4.1.1", ItemEntry(20, "第二个标签页"), 0)
    assert (refused.value.messages, refused.value.current_version) == ([STALE_411], 1)
    scorecard = card(assignment)
    assert (scorecard.version, scorecard.item_versions) == (2, {"4.1.1": 1, "4.2.1": 2})
    assert saved(assignment) == {"4.1.1": (60, "第一个标签页"), "4.2.1": (40, "别的条款")}
    assert AuditEntry.objects.filter(action="save_scorecard").count() == 2


def test_a_page_that_saw_the_whole_version_saves_an_item_nobody_changed_since(assignment):
    save_item(assignment, "4.1.1", ItemEntry(60, "甲"), 0)
    save_item(assignment, "4.2.1", ItemEntry(40, "乙"), 0)
    save_item(assignment, "4.1.1", ItemEntry(70, "甲改"), 2)
    with pytest.raises(StaleVersion):
        save_item(assignment, "4.1.1", ItemEntry(5, "旧"), 2)
    assert saved(assignment)["4.1.1"] == (70, "甲改")


def test_an_unchanged_item_keeps_its_version(assignment):
    save_item(assignment, "4.1.1", ItemEntry(60, "甲"), 0)
    save_item(assignment, "4.1.1", ItemEntry(60, "甲"), 1)
    scorecard = card(assignment)
    assert (scorecard.version, scorecard.item_versions) == (2, {"4.1.1": 1})


def test_the_whole_sheet_stays_locked_as_one_and_marks_the_items_it_changed(assignment):
    save_item(assignment, "4.1.1", ItemEntry(60, "甲"), 0)
    save_item(assignment, "4.2.1", ItemEntry(40, "乙"), 0)
    with pytest.raises(StaleVersion) as refused:
        save_scores(
            assignment=assignment,
            expected_version=1,
            entries={"4.3.1": ItemEntry(50, "整表")},
            by=assignment.reviewer,
        )
    assert refused.value.messages == [STALE_WHOLE]
    save_scores(
        assignment=assignment,
        expected_version=2,
        entries={"4.1.1": ItemEntry(60, "甲"), "4.3.1": ItemEntry(50, "整表")},
        by=assignment.reviewer,
    )
    assert card(assignment).item_versions == {"4.1.1": 1, "4.2.1": 2, "4.3.1": 3}
    # A tab on 4.1.1 loaded before the sheet save still saves: the sheet did not change it.
    save_item(assignment, "4.1.1", ItemEntry(65, "甲二"), 1)
    with pytest.raises(StaleVersion):
        save_item(assignment, "4.3.1", ItemEntry(5, "旧"), 0)
    assert saved(assignment) == {"4.1.1": (65, "甲二"), "4.2.1": (40, "乙"), "4.3.1": (50, "整表")}


def test_a_submitted_scorecard_refuses_an_item_save(assignment):
    submitted_scorecard(assignment, 60, submit=False)
    scorecard = card(assignment)
    submit_scorecard(scorecard=scorecard, by=assignment.reviewer)
    before = saved(assignment)
    with pytest.raises(ScorecardLocked) as refused:
        save_item(assignment, "4.1.1", ItemEntry(5, "锁定后"), card(assignment).version)
    assert refused.value.messages == ["评分表已提交并锁定；如需修改，请联系质量奖办公室退回。"]
    assert (saved(assignment), card(assignment).status) == (before, ScorecardStatus.SUBMITTED)
