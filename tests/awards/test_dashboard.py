"""The applicant's dashboard: applications with their timelines, and open cycles to start."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards.enums import ApplicationStatus, CycleStatus
from awards.models import ApplicationEvent
from tests.factories import (
    AuthorityFactory,
    CycleFactory,
    OfficialFactory,
    open_cycle,
    started_application,
    tianmen_applicant,
    tianmen_authority,
)

pytestmark = pytest.mark.django_db


def test_each_application_shows_its_status_history_as_a_timeline(client):
    application, user = started_application()
    official = OfficialFactory(authority=application.cycle.programme.authority)
    base = timezone.now()
    ApplicationEvent.objects.filter(application=application).update(at=base - dt.timedelta(days=3))
    ApplicationEvent.objects.create(
        application=application,
        status=ApplicationStatus.SUBMITTED,
        by=user,
        at=base - dt.timedelta(days=2),
        note="提交申报",
    )
    ApplicationEvent.objects.create(
        application=application,
        status=ApplicationStatus.RETURNED,
        by=official,
        at=base - dt.timedelta(days=1),
        note="<b>请补充</b>审计报告",
    )
    application.status = ApplicationStatus.RETURNED
    application.save()
    client.force_login(user)
    response = client.get("/portal/")
    [shown] = response.context["applications"]
    assert [(e.status, e.note_text) for e in shown.timeline] == [
        ("draft", "开始填写申报材料"),
        ("submitted", "提交申报"),
        ("returned", "<b>请补充</b>审计报告"),
    ]
    html = response.content.decode()
    assert "&lt;b&gt;请补充&lt;/b&gt;审计报告" in html
    timeline = html[html.index("data-timeline") :]
    assert timeline.index("草稿") < timeline.index("已提交") < timeline.index("退回修改")
    assert f'href="/portal/applications/{application.pk}/step/"' in html


def test_open_cycles_of_the_jurisdiction_offer_start_or_the_existing_application(client):
    applied = open_cycle()
    fresh = open_cycle()
    late = open_cycle(days_left=10)
    late.application_deadline = timezone.now() - dt.timedelta(hours=1)
    late.save()
    elsewhere = CycleFactory(programme__authority=AuthorityFactory(region_prefix="36"))
    CycleFactory(programme__authority=tianmen_authority(), status=CycleStatus.DRAFT)
    application, user = started_application(cycle=applied)
    client.force_login(user)
    response = client.get("/portal/")
    entries = {
        entry["cycle"].pk: (entry["application"], entry["deadline_passed"])
        for entry in response.context["open_cycles"]
    }
    # A cycle whose deadline has passed is no longer taking applications, whatever its status.
    assert entries == {applied.pk: (application, False), fresh.pk: (None, False)}
    assert elsewhere.pk not in entries
    html = response.content.decode()
    assert f'action="/portal/cycles/{fresh.pk}/apply/"' in html
    assert f'action="/portal/cycles/{applied.pk}/apply/"' not in html
    assert f'action="/portal/cycles/{late.pk}/apply/"' not in html


def dashboard_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/portal/")
    assert response.status_code == 200
    return len(queries)


def test_dashboard_query_count_is_the_same_for_one_and_five_applications(client):
    counts = []
    for size in (1, 5):
        user = tianmen_applicant()
        for _ in range(size):
            application, _ = started_application(cycle=open_cycle(), user=user)
            ApplicationEvent.objects.create(
                application=application, status=ApplicationStatus.SUBMITTED, by=user
            )
        counts.append(dashboard_queries(client, user))
    # One of them: the defence questions awaiting an answer (scoring's template tag); four: the
    # progress of the applications (recommendations, panels, notices, awards; home's template
    # tag); two: the latest portal notices and the number unread.
    assert counts == [13, 13]
