"""Messages about an individual application (个人奖) name the candidate: reviewers and officials
read "candidate（employer）", the employer's users are told which candidate a message is about.
An organization's own application reads as before. No message carries the identity number or the
date of birth; an official's own template may use ``application`` and ``candidate``."""

from __future__ import annotations

import pytest

from awards.enums import ApplicationStatus, ScreeningDecision
from awards.models import Notification
from awards.services.notifications.catalogue import get_event
from awards.services.notifications.rendering import check_template
from awards.services.screening import screen_application
from scoring.review.models import Panel
from scoring.review.services.messages import consensus_needed_if_complete, reviewers_assigned
from tests.factories import OfficialFactory, OrganizationFactory, ReviewerFactory
from tests.individual_world import SECRET_ID, individual_application, with_individual_track
from tests.scoring.certificate_world import application_of, luyu_cycle
from tests.scoring.factories import AssignmentFactory, ReviewStageFactory, submitted_scorecard

pytestmark = pytest.mark.django_db

ORG = "天门市精工机械有限公司"
PERSON = "李质量（天门市精工机械有限公司）"


@pytest.fixture
def world():
    cycle = with_individual_track(luyu_cycle())
    employer = OrganizationFactory(name=ORG, region_code="429006")
    company = application_of(cycle, employer)
    person = individual_application(cycle, "李质量", employer=employer)
    return cycle, company, person


def _emails(event: str) -> list[tuple[str, str]]:
    return [
        (n.subject, n.body)
        for n in Notification.objects.filter(event=event, channel="email").order_by("pk")
    ]


def _private(notifications) -> list[bool]:
    text = "".join(n.subject + n.body for n in notifications)
    return [SECRET_ID in text, SECRET_ID[-4:] in text, "1978" in text]


def test_an_assignment_names_the_candidate_to_the_reviewer(world):
    cycle, company, person = world
    stage = ReviewStageFactory(cycle=cycle)
    reviewer = ReviewerFactory(authority=cycle.programme.authority)
    reviewers_assigned(stage, [(company.pk, reviewer.pk), (person.pk, reviewer.pk)])
    assert [subject for subject, _body in _emails("review.assigned")] == [
        f"【政府质量奖门户】评审任务：{ORG}",
        f"【政府质量奖门户】评审任务：{PERSON}",
    ]
    bodies = [body.split("\n")[2] for _subject, body in _emails("review.assigned")]
    assert [body.split("中“")[1].split("”")[0] for body in bodies] == [ORG, PERSON]
    assert _private(Notification.objects.all()) == [False, False, False]


def test_the_leader_is_asked_for_the_candidates_consensus(world):
    cycle, _company, person = world
    stage = ReviewStageFactory(cycle=cycle)
    reviewer = ReviewerFactory(authority=cycle.programme.authority)
    panel = Panel.objects.create(stage=stage, application=person, leader=reviewer)
    submitted_scorecard(AssignmentFactory(panel=panel, reviewer=reviewer), 70)
    consensus_needed_if_complete(panel)
    assert [subject for subject, _body in _emails("review.consensus_needed")] == [
        f"【政府质量奖门户】请确认评审组共识：{PERSON}"
    ]


def test_the_employer_is_told_which_candidate_was_screened(world):
    cycle, company, person = world
    official = OfficialFactory(authority=cycle.programme.authority)
    for application in (company, person):
        type(application).objects.filter(pk=application.pk).update(
            status=ApplicationStatus.SUBMITTED
        )
        screen_application(
            application=application, decision=ScreeningDecision.PASS, reasons="", by=official
        )
    bodies = [body for _subject, body in _emails("application.screened")]
    assert [body.split("资格审查结果为")[0] for body in bodies] == [
        f"{ORG}：\n\n贵单位申报的“{cycle}”",
        f"{ORG}：\n\n个人奖候选人：李质量\n贵单位申报的“{cycle}”",
    ]
    assert _private(Notification.objects.all()) == [False, False, False]


def test_every_message_about_an_application_offers_application_and_candidate():
    codes = [
        "application.submitted",
        "application.screened",
        "review.assigned",
        "review.consensus_stale",
        "defence.answered",
        "publication.objection_received",
        "publication.results_announced",
        "certificates.ready",
    ]
    for code in codes:
        event = get_event(code)
        check_template(
            subject="{{ application }}",
            body="{{ organization }} {{ application }} {{ candidate }}",
            sample={"link": "", "name": "", **event.sample},
        )


def test_the_results_announcement_says_the_candidate_won(world):
    from awards.services.notifications.audiences import to_applicant

    cycle, company, person = world
    for application in (company, person):
        to_applicant(
            "publication.results_announced",
            application=application,
            key="announced",
            announced="2026-09-15",
            level="个人奖" if application.is_individual else "质量奖",
        )
    assert [body for _subject, body in _emails("publication.results_announced")] == [
        f"{ORG}：\n\n“{cycle}”的表彰决定已于 2026-09-15 发布。贵单位获得：质量奖。\n"
        f"详情请登录查看：http://testserver/portal/applications/{company.pk}/\n",
        f"{ORG}：\n\n个人奖候选人：李质量\n“{cycle}”的表彰决定已于 2026-09-15 发布。"
        f"候选人获得：个人奖。\n详情请登录查看：http://testserver/portal/applications/{person.pk}/\n",
    ]


def test_the_english_wording_names_the_candidate_too():
    from django.utils import translation

    from awards.services.notifications.rendering import render_text

    event = get_event("application.screened")
    context = {**event.sample, "candidate": "李质量", "outcome": "Passed"}
    with translation.override("en"):
        body = render_text(str(event.body), context)
    assert body.split("\n")[:3] == [
        "示例科技股份有限公司:",
        "",
        "Individual award candidate: 李质量",
    ]
