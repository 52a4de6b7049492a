"""The officials' screening queue and decision page in the Wagtail admin."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.enums import ApplicationStatus
from awards.models import Application, ApplicationEvent
from awards.services.applications import submit_application
from tests.factories import (
    AuthorityFactory,
    OfficialFactory,
    fill_application,
    open_cycle,
    started_application,
    tianmen_applicant,
)

pytestmark = pytest.mark.django_db


def submitted_application(cycle=None, region_code="429006"):
    applicant = tianmen_applicant(organization__region_code=region_code)
    application, user = started_application(cycle=cycle, user=applicant)
    fill_application(application, user)
    return submit_application(application=application, by=user)


@pytest.fixture
def official():
    cycle = open_cycle()
    return OfficialFactory(authority=cycle.programme.authority), cycle


def test_queue_lists_submitted_applications_of_own_authority_only(client, official):
    official, cycle = official
    mine = submitted_application(cycle)
    started_application(cycle=cycle, user=tianmen_applicant())  # a draft never shows
    jiangxi = AuthorityFactory(name="江西省人民政府", region_code="360000", region_prefix="36")
    theirs = submitted_application(open_cycle(programme__authority=jiangxi), "360100")
    client.force_login(official)
    response = client.get("/admin/screening/")
    assert response.status_code == 200
    assert list(response.context["applications"]) == [mine]
    assert theirs.organization.name not in response.content.decode()
    assert client.get(f"/admin/screening/{theirs.pk}/").status_code == 404


def test_queue_filters_by_status(client, official):
    official, cycle = official
    waiting = submitted_application(cycle)
    screened = submitted_application(cycle)
    Application.objects.filter(pk=screened.pk).update(status=ApplicationStatus.ELIGIBLE)
    client.force_login(official)
    assert list(client.get("/admin/screening/").context["applications"]) == [waiting]
    eligible = client.get("/admin/screening/?status=eligible").context["applications"]
    assert [a.pk for a in eligible] == [screened.pk]


def test_pass_records_the_decision_and_emails_the_applicant(
    client, official, django_capture_on_commit_callbacks
):
    official, cycle = official
    application = submitted_application(cycle)
    client.force_login(official)
    page = client.get(f"/admin/screening/{application.pk}/")
    assert [c.passed for c in page.context["eligibility"]] == [True] * len(
        page.context["eligibility"]
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/screening/{application.pk}/", {"decision": "pass", "reasons": ""}, follow=True
        )
    assert response.redirect_chain == [("/admin/screening/", 302)]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ELIGIBLE
    event = ApplicationEvent.objects.filter(application=application).latest("at", "id")
    assert (event.status, event.by) == (ApplicationStatus.ELIGIBLE, official)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "【政府质量奖门户】申报资格审查结果：通过"


def test_fail_without_reasons_is_refused_and_changes_nothing(client, official):
    official, cycle = official
    application = submitted_application(cycle)
    client.force_login(official)
    response = client.post(
        f"/admin/screening/{application.pk}/", {"decision": "fail", "reasons": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reasons"] == ["请填写不通过的理由。"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_return_for_correction_with_comments(client, official):
    official, cycle = official
    application = submitted_application(cycle)
    client.force_login(official)
    client.post(
        f"/admin/screening/{application.pk}/",
        {"decision": "return", "reasons": "请补充 ISO 9001 证书扫描件。"},
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED
    event = application.events.latest("at", "id")
    assert (event.note_code, event.note_params) == (
        "screening_reasons",
        {"reasons": "请补充 ISO 9001 证书扫描件。"},
    )


def test_typed_html_in_the_organization_name_is_escaped(client, official):
    official, cycle = official
    application = submitted_application(cycle)
    application.organization.name = "<script>alert(1)</script>有限公司"
    application.organization.save()
    client.force_login(official)
    html = client.get(f"/admin/screening/{application.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;有限公司" in html


def queue_queries(client) -> int:
    client.get("/admin/screening/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/screening/")
    return len(captured), len(response.context["applications"])


def test_queue_query_count_does_not_grow_with_rows(client, official):
    official, cycle = official
    submitted_application(cycle)
    client.force_login(official)
    one, rows_one = queue_queries(client)
    for _ in range(4):
        submitted_application(cycle)
    five, rows_five = queue_queries(client)
    assert (rows_one, rows_five) == (1, 5)
    assert five == one
