"""Paper scores of organizations and individual candidates in one file: each application is
scored on its own track's framework, and an item of the other track's framework is refused."""

from __future__ import annotations

import pytest

from awards.models import AuditEntry
from scoring.enums import ScorecardStatus, StageKind
from scoring.review.models import ItemScore, Scorecard
from scoring.review.services.score_import import import_scores, template_rows
from tests.factories import CycleFactory, OfficialFactory, ReviewerFactory
from tests.individual_world import individual_application, with_individual_track
from tests.scoring.factories import AssignmentFactory, PanelFactory, ReviewStageFactory

pytestmark = pytest.mark.django_db

HEADER = "申报编号,专家用户名,评审阶段,条款编号,百分比,评语"
INDIVIDUAL_CODES = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1"]


@pytest.fixture
def onsite():
    cycle = with_individual_track(CycleFactory())
    stage = ReviewStageFactory(cycle=cycle, kind=StageKind.ONSITE, order=2)
    authority = cycle.programme.authority
    reviewers = [ReviewerFactory(username=name, authority=authority) for name in ("zhang", "li")]
    organization = PanelFactory(stage=stage)
    person = PanelFactory(stage=stage, application=individual_application(cycle, "李质量"))
    for panel in (organization, person):
        for reviewer in reviewers:
            AssignmentFactory(panel=panel, reviewer=reviewer)
    return {
        "cycle": cycle,
        "stage": stage,
        "organization": organization.application_id,
        "person": person.application_id,
        "organization_items": list(
            cycle.framework.items.order_by("sort_order", "code").values_list("code", flat=True)
        ),
        "official": OfficialFactory(authority=authority),
    }


def rows(app_id, codes, *, percent=75):
    return [
        f"{app_id},{username},现场评审,{code},{percent},现场核实"
        for username in ("zhang", "li")
        for code in codes
    ]


def mixed_file(onsite) -> list[str]:
    return [
        HEADER,
        *rows(onsite["organization"], onsite["organization_items"]),
        *rows(onsite["person"], INDIVIDUAL_CODES, percent=80),
    ]


def run(onsite, lines):
    data = ("\n".join(lines) + "\n").encode()
    return import_scores(cycle=onsite["cycle"], data=data, by=onsite["official"])


def test_a_file_mixing_both_tracks_imports_each_on_its_framework(onsite):
    result = run(onsite, mixed_file(onsite))
    assert (result.ok, result.errors, result.scorecards, result.scores) == (True, [], 4, 60)
    scored = {
        (application, status): sorted(codes)
        for application, status, codes in (
            (
                card.assignment.panel.application_id,
                card.status,
                tuple(
                    ItemScore.objects.filter(scorecard=card).values_list("item__code", flat=True)
                ),
            )
            for card in Scorecard.objects.select_related("assignment__panel")
        )
    }
    assert scored == {
        (onsite["organization"], ScorecardStatus.SUBMITTED): sorted(onsite["organization_items"]),
        (onsite["person"], ScorecardStatus.SUBMITTED): INDIVIDUAL_CODES,
    }
    assert set(
        ItemScore.objects.filter(
            scorecard__assignment__panel__application_id=onsite["person"]
        ).values_list("item__framework_id", "percent")
    ) == {(onsite["cycle"].individual_framework_id, 80)}


def test_an_item_of_the_other_tracks_framework_is_refused_and_nothing_is_imported(onsite):
    lines = mixed_file(onsite)
    person, organization = onsite["person"], onsite["organization"]
    first_person_line = 2 + 2 * len(onsite["organization_items"])
    # The candidate's 1.1 by zhang becomes an organization item; the organization's first
    # item by zhang becomes an individual one.
    lines[first_person_line - 1] = f"{person},zhang,现场评审,4.1.1,80,现场核实"
    lines[2 - 1] = f"{organization},zhang,现场评审,1.1,75,现场核实"
    result = run(onsite, lines)
    assert (result.ok, result.errors) == (
        False,
        [
            f"第 2 行：条款编号“1.1”属于个人奖评价准则，申报 {organization} 是组织奖申报，"
            "应按组织奖评价准则的条款评分。",
            f"第 {first_person_line} 行：条款编号“4.1.1”属于组织奖评价准则，申报 {person} "
            "是个人奖申报，应按个人奖评价准则的条款评分。",
        ],
    )
    assert (Scorecard.objects.count(), ItemScore.objects.count()) == (0, 0)
    assert AuditEntry.objects.filter(action="import_scores").count() == 0


def test_a_candidate_needs_every_item_of_the_individual_framework_only(onsite):
    lines = [HEADER, *rows(onsite["person"], INDIVIDUAL_CODES)]
    lines.remove(f"{onsite['person']},li,现场评审,1.2,75,现场核实")
    result = run(onsite, lines)
    assert result.errors == [
        f"第 9 行：专家“li”对申报 {onsite['person']} 的评分不完整，缺少条款 1.2。"
    ]
    assert Scorecard.objects.count() == 0


def test_the_template_lists_each_applications_own_items(onsite):
    template = template_rows(stage=onsite["stage"])
    listed = {}
    for app_id, username, _stage, code, *_blank in template[1:]:
        listed.setdefault((int(app_id), username), []).append(code)
    assert listed == {
        (onsite["organization"], "li"): onsite["organization_items"],
        (onsite["organization"], "zhang"): onsite["organization_items"],
        (onsite["person"], "li"): INDIVIDUAL_CODES,
        (onsite["person"], "zhang"): INDIVIDUAL_CODES,
    }
    assert len(onsite["organization_items"]) == 23
