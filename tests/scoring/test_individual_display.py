"""An individual application (个人奖) is named "candidate（employer）" on every officials' and
reviewers' page and export, the organization's own application by the organization; lists of
both tracks label the individual rows. The company below files its own application and its
chief quality officer's candidacy, so "天门市精工机械有限公司" alone would name both.

Results, publication and certificates come in ``test_individual_display_results``.
"""

from __future__ import annotations

import csv
import io
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from awards.enums import ApplicationStatus
from awards.models import Application
from awards.models.applications import display_name_expression
from scoring.enums import AssignmentStatus, StageKind
from scoring.review.models import Panel
from tests.factories import OfficialFactory, OrganizationFactory
from tests.individual_world import SECRET_ID, individual_application, with_individual_track
from tests.scoring.certificate_world import application_of, luyu_cycle
from tests.scoring.factories import (
    AssignmentFactory,
    OpenReviewStageFactory,
    cleared_reviewer,
    submitted_scorecard,
)

pytestmark = pytest.mark.django_db

ORG = "天门市精工机械有限公司"
PERSON = "李质量（天门市精工机械有限公司）"
#: The individual row's name cell: the name and the track's label beside it.
PERSON_LABELLED = f"{PERSON} 个人奖"
BOTH = "申报单位或候选人（工作单位）"


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def cells(html: str, attribute: str) -> dict[int, list[str]]:
    """The text of each cell of every row ``<tr attribute="pk">``, by pk."""
    return {
        int(key): [text(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for key, row in re.findall(rf'<tr {attribute}="(\d+)"[^>]*>(.*?)</tr>', html, re.S)
    }


def headings(html: str, marker: str) -> list[str]:
    table = re.search(rf"<table[^>]*{marker}[^>]*>(.*?)</thead>", html, re.S)
    assert table is not None, marker
    return [text(cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", table.group(1), re.S)]


@pytest.fixture
def world():
    cycle = with_individual_track(luyu_cycle())
    employer = OrganizationFactory(name=ORG, region_code="429006")
    company = application_of(cycle, employer)
    person = individual_application(cycle, "李质量", employer=employer)
    stage = OpenReviewStageFactory(cycle=cycle)
    reviewer = cleared_reviewer(cycle, full_name="专家甲")
    panels = {}
    for application in (company, person):
        panel = Panel.objects.create(stage=stage, application=application, leader=reviewer)
        panels[application.pk] = panel
        AssignmentFactory(panel=panel, reviewer=reviewer)
    return SimpleNamespace(
        cycle=cycle,
        stage=stage,
        company=company,
        person=person,
        reviewer=reviewer,
        panels=panels,
        official=OfficialFactory(authority=cycle.programme.authority),
    )


def test_display_name_and_its_sql_twin_agree(world):
    assert (world.company.display_name, world.person.display_name) == (ORG, PERSON)
    names = dict(
        Application.objects.filter(pk__in=[world.company.pk, world.person.pk]).values_list(
            "pk", display_name_expression()
        )
    )
    assert names == {world.company.pk: ORG, world.person.pk: PERSON}
    assert (world.company.candidate_name, world.person.candidate_name) == ("", "李质量")


def test_the_panels_page_names_and_labels_each_application(client, world):
    client.force_login(world.official)
    html = client.get(reverse("review:panels", args=[world.stage.pk])).content.decode()
    rows = cells(html, "data-application")
    assert (rows[world.company.pk][1], rows[world.person.pk][1]) == (ORG, PERSON_LABELLED)
    assert headings(html, "data-panels")[1] == BOTH
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', html)
    assert [(int(pk), label) for pk, label in options if int(pk) in rows] == [
        (world.company.pk, f"{world.company.pk} · {ORG}"),
        (world.person.pk, f"{world.person.pk} · {PERSON}"),
    ]


def test_the_progress_page_and_the_reminder_name_the_candidate(client, world):
    from scoring.review.services.progress import pending_by_reviewer

    client.force_login(world.official)
    html = client.get(reverse("review:progress", args=[world.stage.pk])).content.decode()
    rows = cells(html, "data-application")
    assert (rows[world.company.pk][1], rows[world.person.pk][1]) == (ORG, PERSON_LABELLED)
    assert headings(html, "data-by-application")[1] == BOTH
    assert pending_by_reviewer(world.stage) == {world.reviewer.pk: [ORG, PERSON]}


def test_a_cycle_without_individuals_keeps_the_organization_heading(client):
    cycle = luyu_cycle()
    stage = OpenReviewStageFactory(cycle=cycle)
    application = application_of(cycle, name=ORG)
    Panel.objects.create(stage=stage, application=application)
    client.force_login(OfficialFactory(authority=cycle.programme.authority))
    html = client.get(reverse("review:panels", args=[stage.pk])).content.decode()
    assert headings(html, "data-panels")[1] == "申报单位"
    assert cells(html, "data-application")[application.pk][1] == ORG


def test_the_conflicts_page_and_export_name_the_recused_candidacy(client, world):
    for application, reason in ((world.company, "曾在该单位任职"), (world.person, "同事关系")):
        AssignmentFactory(
            panel=world.panels[application.pk],
            reviewer=cleared_reviewer(world.cycle, full_name=f"回避{reason}"),
            status=AssignmentStatus.RECUSED,
            recusal_reason=reason,
        )
    client.force_login(world.official)
    html = client.get(reverse("review:conflicts", args=[world.cycle.pk])).content.decode()
    recused = [text(row) for row in re.findall(r'<tr data-row="recused">(.*?)</tr>', html, re.S)]
    assert sorted(recused) == sorted(
        [
            f"回避 资料评审 回避曾在该单位任职 {ORG} 曾在该单位任职",
            f"回避 资料评审 回避同事关系 {PERSON_LABELLED} 同事关系",
        ]
    )
    assert headings(html, "data-conflicts")[3] == BOTH
    response = client.get(reverse("review:conflicts_csv", args=[world.cycle.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][3] == BOTH
    assert sorted(row[3] for row in rows[1:]) == sorted([ORG, PERSON])


def test_the_defence_pages_name_the_candidate(client, world):
    defence = OpenReviewStageFactory(cycle=world.cycle, kind=StageKind.DEFENCE, order=2)
    panels = {
        app.pk: Panel.objects.create(stage=defence, application=app, leader=world.reviewer)
        for app in (world.company, world.person)
    }
    for panel in panels.values():
        AssignmentFactory(panel=panel, reviewer=world.reviewer)
    client.force_login(world.official)
    html = client.get(reverse("review:defence", args=[defence.pk])).content.decode()
    rows = cells(html, "data-panel")
    assert (rows[panels[world.company.pk].pk][0], rows[panels[world.person.pk].pk][0]) == (
        ORG,
        PERSON_LABELLED,
    )
    assert headings(html, "data-defence-panels")[0] == BOTH
    page = client.get(reverse("review:defence_panel", args=[panels[world.person.pk].pk]))
    assert f"{PERSON} · {world.cycle}" in page.content.decode()
    client.force_login(world.reviewer)
    html = client.get(reverse("scoring:defence", args=[panels[world.person.pk].pk])).content
    assert f"<h1>{PERSON}：问询答辩</h1>" in html.decode()


def _assignment(world, application):
    return world.panels[application.pk].assignments.get(reviewer=world.reviewer)


def test_the_reviewer_workspace_names_and_labels_each_assignment(client, world):
    client.force_login(world.reviewer)
    html = client.get(reverse("scoring:workspace")).content.decode()
    rows = cells(html, "data-assignment")
    company, person = (_assignment(world, app) for app in (world.company, world.person))
    assert rows[company.pk][0] == f"{ORG} 组长"
    assert rows[person.pk][0] == f"{PERSON_LABELLED} 组长"
    assert headings(html, "data-assignments")[0] == BOTH


def test_the_reviewer_pages_head_with_the_candidate(client, world):
    client.force_login(world.reviewer)
    person = _assignment(world, world.person)
    company = _assignment(world, world.company)
    for name in ("scoring:assignment", "scoring:sheet", "scoring:submit", "scoring:recuse"):
        html = client.get(reverse(name, args=[person.pk])).content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert f"· {PERSON}" in title, name
        if name in ("scoring:assignment", "scoring:sheet"):
            assert f"<h1 data-organization-name>{PERSON}</h1>" in html, name
    html = client.get(reverse("scoring:assignment", args=[company.pk])).content.decode()
    assert f"<h1 data-organization-name>{ORG}</h1>" in html
    html = client.get(reverse("scoring:consensus", args=[person.panel_id])).content.decode()
    assert f"<h1>{PERSON}：评审组共识</h1>" in html


def test_reopening_a_scorecard_names_the_candidate(client, world):
    card = submitted_scorecard(_assignment(world, world.person), 60)
    client.force_login(world.official)
    html = client.get(reverse("review:reopen_scorecard", args=[card.pk])).content.decode()
    assert f"对申报 {world.person.pk} {PERSON} 的“资料评审”评分表。" in html


def test_the_screening_queue_names_the_candidate(client, world):
    client.force_login(world.official)
    html = client.get(
        reverse("screening_queue"), {"status": ApplicationStatus.ELIGIBLE}
    ).content.decode()
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    first_cells = [
        text(re.search(r"<td>(.*?)</td>", row, re.S).group(1))
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]
    code = world.company.organization.credit_code
    assert sorted(first_cells) == sorted([f"{ORG} {code}", f"{PERSON_LABELLED} {code}"])


def test_the_work_desk_counts_the_candidates_waiting_for_screening(client, world):
    from tests.scoring.test_work_desk import desk

    Application.objects.filter(pk__in=[world.company.pk, world.person.pk]).update(
        status=ApplicationStatus.SUBMITTED
    )
    queue = f"{reverse('screening_queue')}?cycle={world.cycle.pk}&status=submitted"
    assert desk(client, world.official)["desk_awaiting_screening"] == [
        (None, [(str(world.cycle), queue, "其中个人奖 1 件 2")])
    ]


#: What must never be shown of the candidate: the identity number and the date of birth.
PRIVATE = (SECRET_ID, "1978-03-15", "1978年3月15日", "19780315")


def test_no_review_page_or_export_shows_the_identity_number_or_birth_date(client, world):
    defence = OpenReviewStageFactory(cycle=world.cycle, kind=StageKind.DEFENCE, order=2)
    defence_panel = Panel.objects.create(
        stage=defence, application=world.person, leader=world.reviewer
    )
    AssignmentFactory(panel=defence_panel, reviewer=world.reviewer)
    AssignmentFactory(  # a recusal: the conflicts page lists it
        panel=world.panels[world.person.pk],
        reviewer=cleared_reviewer(world.cycle),
        status=AssignmentStatus.RECUSED,
        recusal_reason="同事关系",
    )
    person = _assignment(world, world.person)
    card = submitted_scorecard(person, 60)
    official_pages = [
        reverse("review:panels", args=[world.stage.pk]),
        reverse("review:progress", args=[world.stage.pk]),
        reverse("review:conflicts", args=[world.cycle.pk]),
        reverse("review:conflicts_csv", args=[world.cycle.pk]),
        reverse("review:defence", args=[defence.pk]),
        reverse("review:defence_panel", args=[defence_panel.pk]),
        reverse("review:reopen_scorecard", args=[card.pk]),
        f"{reverse('screening_queue')}?status=eligible",
        "/admin/",
    ]
    reviewer_pages = [
        reverse("scoring:workspace"),
        reverse("scoring:assignment", args=[person.pk]),
        reverse("scoring:sheet", args=[person.pk]),
        reverse("scoring:consensus", args=[person.panel_id]),
        reverse("scoring:defence", args=[defence_panel.pk]),
    ]
    seen = []
    for who, pages in ((world.official, official_pages), (world.reviewer, reviewer_pages)):
        client.force_login(who)
        for path in pages:
            response = client.get(path)
            body = response.content.decode("utf-8-sig")
            seen.append((path, response.status_code, PERSON in body))
            assert [secret for secret in PRIVATE if secret in body] == [], path
    assert seen == [(path, 200, path != "/admin/") for path, _s, _n in seen]


def _queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


def test_the_lists_cost_the_same_queries_for_1_or_5_candidates(client):
    """Every candidate's name comes with the list's own queries (``select_related`` or the
    SQL ``display_name_expression``), not one query per row."""
    counts = []
    for size in (1, 5):
        cycle = with_individual_track(
            luyu_cycle(programme__slug=f"luyu{size}", programme__name=f"陆羽质量奖{size}")
        )
        stage = OpenReviewStageFactory(cycle=cycle)
        defence = OpenReviewStageFactory(cycle=cycle, kind=StageKind.DEFENCE, order=2)
        reviewer = cleared_reviewer(cycle)
        for number in range(size):
            person = individual_application(cycle, f"候选人{number}")
            for each in (stage, defence):
                panel = Panel.objects.create(stage=each, application=person, leader=reviewer)
                AssignmentFactory(panel=panel, reviewer=reviewer)
                AssignmentFactory(panel=panel, status=AssignmentStatus.RECUSED)
        client.force_login(OfficialFactory(authority=cycle.programme.authority))
        paths = [
            reverse("review:panels", args=[stage.pk]),
            reverse("review:progress", args=[stage.pk]),
            reverse("review:conflicts", args=[cycle.pk]),
            reverse("review:defence", args=[defence.pk]),
            f"{reverse('screening_queue')}?status=eligible&cycle={cycle.pk}",
        ]
        official = [_queries(client, path) for path in paths]
        client.force_login(reviewer)
        counts.append((official, _queries(client, reverse("scoring:workspace"))))
    assert counts[0] == counts[1]
