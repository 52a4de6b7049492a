"""A candidate (个人奖) is scored on the cycle's individual framework wherever the framework is
looked up: the scorecard's items, the reviewer's progress, the full marks the pages show and
the items a consensus comment may name, also when no framework was recorded at submission."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from awards.models import Application
from scoring.review.queries.reviewer import workspace
from scoring.review.services.consensus import comment_on_consensus
from scoring.review.services.scorecards import framework_items, framework_total_points
from tests.factories import CycleFactory
from tests.individual_world import individual_application, with_individual_track
from tests.scoring.factories import OpenReviewStageFactory, review_panel, submitted_scorecard

pytestmark = pytest.mark.django_db

INDIVIDUAL_CODES = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1"]


@pytest.fixture
def person():
    cycle = with_individual_track(CycleFactory())
    stage = OpenReviewStageFactory(cycle=cycle)
    application = individual_application(cycle, "李质量")
    (assignment,) = review_panel(stage=stage, members=1, application=application)
    return {"cycle": cycle, "application": application, "assignment": assignment}


def _forget_framework(application) -> Application:
    """As for data from before the framework was recorded at submission."""
    Application.objects.filter(pk=application.pk).update(
        framework=None, framework_code="", framework_version=""
    )
    return Application.objects.select_related("cycle").get(pk=application.pk)


@pytest.mark.parametrize("recorded", [True, False])
def test_a_candidate_is_scored_on_the_individual_framework(person, recorded):
    application = person["application"]
    if not recorded:
        application = _forget_framework(application)
    assert [item.code for item in framework_items(application)] == INDIVIDUAL_CODES
    assert framework_total_points(application) == 100


def test_the_reviewers_progress_counts_the_individual_items(person):
    _forget_framework(person["application"])
    (block,) = workspace(reviewer=person["assignment"].reviewer)
    assert [(row.assignment.pk, row.scored, row.total) for row in block.rows] == [
        (person["assignment"].pk, 0, 7)
    ]


def test_the_scoring_pages_show_the_individual_full_marks(person, client):
    assignment = person["assignment"]
    client.force_login(assignment.reviewer)
    for path in (
        f"/review/assignments/{assignment.pk}/",
        f"/review/assignments/{assignment.pk}/sheet/",
    ):
        html = client.get(path).content.decode()
        assert ("/ 100 分" in html, "/ 1000 分" in html) == (True, False), path
    submitted_scorecard(assignment, 70)  # the consensus opens once every member has submitted
    consensus = client.get(f"/review/panels/{assignment.panel_id}/consensus/").content.decode()
    assert '<th>合计</th><td class="num">100</td>' in consensus


def test_a_consensus_comment_names_an_item_of_the_candidates_framework(person):
    application = _forget_framework(person["application"])
    panel = person["assignment"].panel
    panel.application = application
    leader = person["assignment"].reviewer
    submitted_scorecard(person["assignment"], 70)
    organization_item = person["cycle"].framework.items.get(code="4.1.1")
    with pytest.raises(ValidationError) as error:
        comment_on_consensus(panel=panel, author=leader, text="请再核实", item=organization_item)
    assert error.value.message_dict == {"item": ["请选择本评价准则中的条款。"]}
    own_item = person["cycle"].individual_framework.items.get(code="1.1")
    comment = comment_on_consensus(panel=panel, author=leader, text="请再核实", item=own_item)
    assert (comment.item_id, comment.text) == (own_item.pk, "请再核实")
