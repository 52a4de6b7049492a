"""The reviewer's workspace (progress, state, window, overdue), and the query counts of the
workspace and the scoring page at 1 and 5 rows."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scoring.review.models import Assignment
from scoring.review.services.scorecards import ItemEntry, save_scores
from tests.scoring.factories import (
    AssignmentFactory,
    OpenReviewStageFactory,
    attachment_for,
    cleared_reviewer,
    review_panel,
    submitted_scorecard,
)
from tests.scoring.reviewer_pages import all_codes, review_world, url  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rows", [1, 5])
def test_the_workspace_costs_the_same_queries_for_1_or_5_assignments(client, rows):
    stage = OpenReviewStageFactory()
    reviewer = cleared_reviewer(stage.cycle)
    for index in range(rows):
        panel_assignments = review_panel(stage=stage, members=1)
        Assignment.objects.filter(pk=panel_assignments[0].pk).update(reviewer=reviewer)
        if index % 2:
            submitted_scorecard(Assignment.objects.get(pk=panel_assignments[0].pk), 50)
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/review/").content.decode()
    assert html.count("data-assignment=") == rows
    assert len(queries) == 9


@pytest.mark.parametrize("rows", [1, 5])
def test_the_scoring_page_costs_the_same_queries_for_1_or_5_rows(client, world, rows):
    assignment = world["leader"]
    for index in range(rows - 1):
        attachment_for(world["application"], name=f"附件{index}.pdf")
    codes = all_codes()[:rows]
    save_scores(
        assignment=assignment,
        expected_version=0,
        entries={code: ItemEntry(50, "优势", "") for code in codes},
        by=assignment.reviewer,
    )
    client.force_login(assignment.reviewer)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url("item_411", world)).content.decode()
    assert html.count("data-attachment>") == rows
    assert html.count(" ✓</span>") == rows
    assert len(queries) == 15


def test_the_workspace_shows_progress_state_window_and_overdue(client, world):
    leader = world["leader"]
    save_scores(
        assignment=leader,
        expected_version=0,
        entries={code: ItemEntry(50, "优势", "") for code in all_codes()[:7]},
        by=leader.reviewer,
    )
    late_stage = OpenReviewStageFactory(
        cycle=world["cycle"],
        kind="onsite",
        order=2,
        opens_at=timezone.now() - dt.timedelta(days=5),
        closes_at=timezone.now() - dt.timedelta(hours=1),
    )
    late = AssignmentFactory(
        panel__stage=late_stage,
        panel__application=world["application"],
        reviewer=leader.reviewer,
    )
    client.force_login(leader.reviewer)
    html = client.get("/review/").content.decode()
    rows = {
        pk: " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for pk, row in re.findall(r'<tr data-assignment="(\d+)">(.*?)</tr>', html, re.S)
    }
    window = (
        f"{timezone.localtime(world['stage'].opens_at):%Y-%m-%d %H:%M} – "
        f"{timezone.localtime(world['stage'].closes_at):%Y-%m-%d %H:%M}"
    )
    late_window = (
        f"{timezone.localtime(late_stage.opens_at):%Y-%m-%d %H:%M} – "
        f"{timezone.localtime(late_stage.closes_at):%Y-%m-%d %H:%M}"
    )
    assert rows == {
        str(
            leader.pk
        ): f"天门纺织机械股份有限公司 组长 资料评审 {window} 7 / 23 条已评分 评分中 评分 评审组共识",
        str(
            late.pk
        ): f"天门纺织机械股份有限公司 现场评审 {late_window} 0 / 23 条已评分 未开始 已逾期 查看",
    }
