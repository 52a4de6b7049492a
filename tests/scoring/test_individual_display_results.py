"""Results, committee, public notice, awards, certificates and feedback name an individual
application "candidate（employer）" and head its column for candidates; the organizations'
track keeps the organization. 甲公司 and 乙公司 file their own applications and one employee's
candidacy each (张一 of 甲公司, 王二 of 乙公司), every track ranked on its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from awards.enums import Track
from awards.pdf.inspect import pdf_text
from home.models import ResultsNoticePage, WinnersPage
from home.services import create_programme_page
from scoring.publication.forms import ObjectionForm
from scoring.publication.models import ObjectionOutcome
from scoring.publication.services.notices import (
    announce_results,
    open_public_notice,
    resolve_objection,
)
from scoring.results.services.computation import compute_cycle_results
from scoring.review.models import Panel
from tests import clock
from tests.home.conftest import home_page  # noqa: F401 (a fixture)
from tests.individual_world import SECRET_ID, individual_application, with_individual_track
from tests.scoring.certificate_world import make_certificate
from tests.scoring.committee_helpers import (
    approve_with_committee,
    record_unanimous_decision,
    second_official,
)
from tests.scoring.factories import AssignmentFactory, ObjectionFactory, submitted_scorecard
from tests.scoring.results_world import build_world
from tests.scoring.test_individual_display import cells, headings, text

#: A Friday in a year chinesecalendar knows: a notice from Monday 2026-03-02 has ended.
TODAY = clock.at(dt.date(2026, 11, 20), 10)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(TODAY)]

ZHANG, WANG = "张一（甲公司）", "王二（乙公司）"
PEOPLE = "候选人（工作单位）"


@pytest.fixture
def world():
    world = build_world()
    with_individual_track(world.cycle, levels=(("个人奖", 60, 1), ("个人提名奖", 50, 1)))
    for name, employer, percent in (("张一", "甲公司", 80), ("王二", "乙公司", 70)):
        organization = world.applications[employer].organization
        application = individual_application(world.cycle, name, employer=organization)
        world.applications[name] = application
        for stage in (world.document, world.onsite):
            panel = Panel.objects.create(stage=stage, application=application)
            for reviewer in world.reviewers:
                submitted_scorecard(AssignmentFactory(panel=panel, reviewer=reviewer), percent)
    world.organizations = compute_cycle_results(cycle=world.cycle, by=world.official)
    world.people = compute_cycle_results(
        cycle=world.cycle, by=world.official, track=Track.INDIVIDUAL
    )
    return world


def _get(client, world, name, *args, **query) -> str:
    client.force_login(world.official)
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, name
    return response.content.decode()


def _names(rows: dict[int, list[str]], column: int) -> list[str]:
    return [row[column] for row in rows.values()]


def test_the_ranking_page_and_its_exports_name_and_head_each_track(client, world):
    people = _get(client, world, "cycle_results:ranking", world.people.pk)
    assert _names(cells(people, "data-application"), 1) == [ZHANG, WANG]
    assert headings(people, "data-ranking")[1] == PEOPLE
    organizations = _get(client, world, "cycle_results:ranking", world.organizations.pk)
    assert _names(cells(organizations, "data-application"), 1) == ["甲公司", "乙公司", "丙公司"]
    assert headings(organizations, "data-ranking")[1] == "申报单位"
    for snapshot, expected in (
        (world.people, [PEOPLE, ZHANG, WANG]),
        (world.organizations, ["申报单位", "甲公司", "乙公司", "丙公司"]),
    ):
        exported = _get(client, world, "cycle_results:csv", snapshot.pk).lstrip("\ufeff")
        assert [row[1] for row in csv.reader(io.StringIO(exported))] == expected


def test_the_xlsx_export_heads_the_candidates_column(client, world):
    from openpyxl import load_workbook

    client.force_login(world.official)
    response = client.get(reverse("cycle_results:xlsx", args=[world.people.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[1] for row in sheet.iter_rows(values_only=True)] == [PEOPLE, ZHANG, WANG]


def test_the_explanation_names_the_candidate(client, world):
    person = world.applications["张一"]
    html = _get(client, world, "cycle_results:explanation", world.people.pk, person.pk)
    assert f"<h2>{ZHANG}</h2>" in html


def test_the_cycle_page_labels_the_missing_scorecards_of_each_track(client, world):
    late = {}
    for name in ("甲公司", "张一"):
        panel = Panel.objects.get(stage=world.document, application=world.applications[name])
        late[name] = AssignmentFactory(panel=panel)
    html = _get(client, world, "cycle_results:cycle", world.cycle.pk)
    rows = cells(html, "data-application")
    assert rows[world.applications["甲公司"].pk][0] == "甲公司"
    assert rows[world.applications["张一"].pk][0] == f"{ZHANG} 个人奖"
    assert headings(html, "data-missing")[0] == "申报单位或候选人（工作单位）"


def test_a_version_is_compared_with_its_own_tracks_versions_only(client, world):
    html = _get(client, world, "cycle_results:changes", world.people.pk)
    assert "没有可比较的其他版本。" in html
    late = individual_application(
        world.cycle, "赵四", employer=world.applications["丙公司"].organization
    )
    for stage in (world.document, world.onsite):
        panel = Panel.objects.create(stage=stage, application=late)
        for reviewer in world.reviewers:
            submitted_scorecard(AssignmentFactory(panel=panel, reviewer=reviewer), 40)
    newer = compute_cycle_results(cycle=world.cycle, by=world.official, track=Track.INDIVIDUAL)
    html = _get(client, world, "cycle_results:changes", newer.pk)
    assert headings(html, "data-changes")[0] == PEOPLE
    added = re.findall(r'<tr data-change="added">(.*?)</tr>', html, re.S)
    assert [text(row) for row in added] == ["赵四（丙公司） 新增 — → 3 — → 40.00 — → 无"]
    assert f"第 {world.people.version} 版 → 第 {newer.version} 版" in html


def test_the_committee_pages_and_minutes_name_the_candidates(client, world):
    from scoring.results.services.committee import set_committee

    chair = second_official(world.people)
    set_committee(cycle=world.cycle, members=[world.official, chair], chair=chair, by=None)
    html = _get(client, world, "cycle_results:decision", world.people.pk)
    votes = re.search(r"<table[^>]*data-votes.*?<tbody>(.*?)</tbody>", html, re.S).group(1)
    assert [text(row).split(" ")[0] for row in re.findall(r"<tr>(.*?)</tr>", votes, re.S)] == [
        ZHANG,
        WANG,
    ]
    assert headings(html, "data-votes")[0] == PEOPLE
    record_unanimous_decision(world.people)
    html = _get(client, world, "cycle_results:decision", world.people.pk)
    tallies = re.search(r"<table[^>]*data-tallies.*?<tbody>(.*?)</tbody>", html, re.S).group(1)
    assert [text(row) for row in re.findall(r"<tr>(.*?)</tr>", tallies, re.S)] == [
        f"1 {ZHANG} 个人奖 2 0 0 通过",
        f"2 {WANG} 个人提名奖 2 0 0 通过",
    ]
    assert headings(html, "data-tallies")[1] == PEOPLE
    client.force_login(world.official)
    pdf = client.get(reverse("cycle_results:minutes", args=[world.people.pk])).content
    lines = [" ".join(line.split()) for line in pdf_text(pdf, layout=True).splitlines()]
    assert [line for line in lines if line.startswith(("1 ", "2 "))][:2] == [
        f"1 {ZHANG} 个人奖 赞成 赞成 2 0 0 通过",
        f"2 {WANG} 个人提名奖 赞成 赞成 2 0 0 通过",
    ]
    assert any(PEOPLE in line for line in lines)


def _ended_notice(world, snapshot):
    return open_public_notice(
        snapshot=snapshot,
        starts_on=dt.date(2026, 3, 2),
        by=world.official,
        now=clock.at(dt.date(2026, 3, 1), 10),
    )


def test_the_publication_pages_name_the_candidates(client, world):
    approve_with_committee(world.people)
    html = _get(client, world, "publication:open_notice", world.people.pk)
    proposed = re.search(r"<table[^>]*data-proposed-list.*?</table>", html, re.S).group(0)
    assert headings(proposed, "data-proposed-list")[1] == PEOPLE
    rows = re.findall(r"<tr>(.*?)</tr>", proposed.split("<tbody>")[1], re.S)
    assert [text(row) for row in rows] == [f"1 {ZHANG} 个人奖 80.00", f"2 {WANG} 个人提名奖 70.00"]

    notice = _ended_notice(world, world.people)
    person = world.applications["张一"]
    objection = ObjectionFactory(notice=notice, application=person)
    html = _get(client, world, "publication:notice", notice.pk)
    assert f"<td>{ZHANG}</td>" in html
    html = _get(client, world, "publication:objection", objection.pk)
    assert f"<dt>异议对象</dt><dd>{ZHANG}</dd>" in html
    resolve_objection(
        objection=objection,
        outcome=ObjectionOutcome.REJECTED,
        resolution="经核查不属实。",
        by=world.official,
    )
    awards = announce_results(notice=notice, by=world.official)
    html = _get(client, world, "publication:notice", notice.pk)
    award_list = re.search(r"<table[^>]*data-award-list.*?</table>", html, re.S).group(0)
    assert headings(award_list, "data-award-list")[1] == "获奖人（工作单位）"
    assert [
        text(row).split(" 有效")[0]
        for row in re.findall(r"<tr>(.*?)</tr>", award_list.split("<tbody>")[1], re.S)
    ] == [
        f"1 {ZHANG} 个人奖",
        f"2 {WANG} 个人提名奖",
    ]
    html = _get(client, world, "publication:revoke", awards[0].pk)
    assert f"<p data-award>{world.cycle}：{ZHANG}，个人奖</p>" in html


def test_the_objection_form_offers_the_candidates_by_name_and_employer(world):
    ids = [world.applications[name].pk for name in ("王二", "张一")]
    form = ObjectionForm(application_ids=ids)
    assert [label for _value, label in form.fields["application"].choices] == [
        "（不针对某一申报单位）",
        WANG,  # by the employer's name: 乙公司 sorts before 甲公司
        ZHANG,
    ]


def test_the_public_pages_list_name_and_employer_only(client, world, home_page):  # noqa: F811
    approve_with_committee(world.people)
    notice = _ended_notice(world, world.people)
    announce_results(notice=notice, by=world.official)
    programme_page = create_programme_page(home=home_page, programme=world.cycle.programme)
    for page in (
        ResultsNoticePage(title="个人奖公示", slug="people-notice", notice=notice),
        WinnersPage(title="个人奖获奖名单", slug="people-winners", notice=notice),
    ):
        programme_page.add_child(instance=page)
        page.save_revision().publish()
    client.logout()
    for path, marker, heading in (
        ("people-notice", "data-proposed-list", PEOPLE),
        ("people-winners", "data-winners", "获奖人（工作单位）"),
    ):
        html = client.get(f"{programme_page.url}{path}/").content.decode()
        table = re.search(rf"<table[^>]*{marker}.*?</table>", html, re.S).group(0)
        assert headings(table, marker)[1] == heading
        rows = [
            text(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("<tbody>")[1], re.S)
        ]
        assert [row.split(" ")[1] for row in rows] == [ZHANG, WANG], path
        assert (SECRET_ID in html, SECRET_ID[-4:] in html, "1978" in html) == (False, False, False)


def test_certificates_verification_and_feedback_name_the_candidate(client, world):
    # Each track is approved, noticed and announced on its own: the organizations' announcement
    # does not stop the individuals' results from being approved after it.
    for snapshot in (world.organizations, world.people):
        approve_with_committee(snapshot)
        notice = _ended_notice(world, snapshot)
        for award in announce_results(notice=notice, by=world.official):
            make_certificate(award)
    html = _get(client, world, "certificates:cycle", world.cycle.pk)
    table = re.search(r"<table[^>]*data-certificate-list.*?</table>", html, re.S).group(0)
    assert headings(table, "data-certificate-list")[1] == "获奖单位或获奖人（工作单位）"
    names = [
        text(cell) for cell in re.findall(r"<tr>\s*<td>.*?</td>\s*<td>(.*?)</td>", table, re.S)
    ]
    assert sorted(names) == sorted(["甲公司", "乙公司", f"{ZHANG} 个人奖", f"{WANG} 个人奖"])

    person = world.applications["张一"]
    serial = person.award.certificate.serial
    client.logout()
    html = client.get(reverse("verify"), {"serial": serial}).content.decode()
    assert f"<dt>获奖人（工作单位）</dt><dd data-organization>{ZHANG}</dd>" in html
    employer = person.organization.members.first()
    client.force_login(employer)
    html = client.get(reverse("results:feedback", args=[person.pk])).content.decode()
    assert f"{PEOPLE}：{ZHANG} · 授奖机关" in text(html)
    response = client.get(reverse("results:feedback_pdf", args=[person.pk]))
    assert f"{PEOPLE}：{ZHANG}" in pdf_text(response.content).replace(" ", "")


def test_no_results_page_export_or_pdf_shows_the_identity_number_or_birth_date(client, world):
    from tests.scoring.test_individual_display import PRIVATE

    approve_with_committee(world.people)
    notice = _ended_notice(world, world.people)
    awards = announce_results(notice=notice, by=world.official)
    make_certificate(awards[0])
    person = world.applications["张一"]
    pages = [
        ("cycle_results:ranking", world.people.pk),
        ("cycle_results:csv", world.people.pk),
        ("cycle_results:decision", world.people.pk),
        ("cycle_results:explanation", world.people.pk, person.pk),
        ("publication:notice", notice.pk),
        ("publication:revoke", awards[0].pk),
        ("certificates:cycle", world.cycle.pk),
    ]
    for name, *args in pages:
        body = _get(client, world, name, *args)
        assert (ZHANG in body, [secret for secret in PRIVATE if secret in body]) == (True, []), name
    client.force_login(world.official)
    minutes = client.get(reverse("cycle_results:minutes", args=[world.people.pk])).content
    flat = pdf_text(minutes).replace(" ", "").replace("\n", "")
    assert (ZHANG in flat, [secret for secret in PRIVATE if secret in flat]) == (True, [])
    client.force_login(person.organization.members.first())
    feedback = client.get(reverse("results:feedback", args=[person.pk])).content.decode()
    assert (ZHANG in feedback, [secret for secret in PRIVATE if secret in feedback]) == (True, [])
