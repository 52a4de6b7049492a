"""The portal's notices (dashboard and list), the console's outbox and templates, and the
scheduled deadline reminder."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.models import MessageTemplate, Notification
from awards.services.notifications.outbox import notify
from awards.services.notifications.scheduled import remind_application_deadlines
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    OfficialFactory,
    open_cycle,
    started_application,
    tianmen_applicant,
)

pytestmark = pytest.mark.django_db


def tell(user, key, authority=None, organization="甲公司"):
    notify(
        event="account.registered",
        key=key,
        recipients=[user],
        authority_id=authority.pk if authority else None,
        link="http://testserver/accounts/login/",
        context={"organization": organization, "username": user.username},
    )


def test_the_dashboard_shows_the_latest_notices_with_unread_markers(client):
    user = ApplicantFactory()
    other = ApplicantFactory()
    tell(other, "theirs", organization="别人的公司")
    for number in range(7):
        tell(user, f"n{number}", organization=f"公司{number}")
    client.force_login(user)
    html = client.get("/portal/").content.decode()
    assert html.count("data-notice=") == 5
    assert html.count("data-unread>") == 5
    assert "7 条未读" in html
    assert "别人的公司" not in html
    first = Notification.objects.filter(recipient=user, channel="portal").order_by("pk").last()
    response = client.post("/portal/notices/read/", {"id": first.pk, "next": "dashboard"})
    assert response["Location"] == "/portal/"
    assert Notification.objects.filter(recipient=user, read_at=None, channel="portal").count() == 6


def test_a_user_cannot_mark_another_users_notice(client):
    user, other = ApplicantFactory(), ApplicantFactory()
    tell(other, "x")
    notice = Notification.objects.get(recipient=other, channel="portal")
    client.force_login(user)
    client.post("/portal/notices/read/", {"id": notice.pk})
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_notice_list_escapes_and_marks_all_read(client):
    user = ApplicantFactory()
    tell(user, "a", organization="<script>alert(1)</script>")
    client.force_login(user)
    html = client.get("/portal/notices/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    client.post("/portal/notices/read/")
    assert (
        Notification.objects.filter(recipient=user, read_at=None).exclude(channel="portal").count()
        == 1
    )
    assert Notification.objects.filter(recipient=user, channel="portal", read_at=None).count() == 0


def queries_for(client, url: str, rows: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert (
        response.content.decode().count("data-message=" if "admin" in url else "data-notice=")
        == rows
    )
    return len(queries)


def test_notice_list_query_count_is_the_same_at_1_and_5_rows(client):
    user = ApplicantFactory()
    client.force_login(user)
    tell(user, "q0")
    one = queries_for(client, "/portal/notices/", 1)
    for number in range(1, 5):
        tell(user, f"q{number}")
    assert queries_for(client, "/portal/notices/", 5) == one


def test_outbox_query_count_is_the_same_at_1_and_5_recipients(client):
    mine = AuthorityFactory()
    client.force_login(OfficialFactory(authority=mine))
    tell(ApplicantFactory(), "o0", authority=mine)
    one = queries_for(client, "/admin/notifications/", 2)  # e-mail and portal notice
    for number in range(1, 5):
        tell(ApplicantFactory(), f"o{number}", authority=mine)
    assert queries_for(client, "/admin/notifications/", 10) == one


def test_officials_see_and_retry_only_their_authority_messages(client):
    mine, theirs = AuthorityFactory(), AuthorityFactory()
    tell(ApplicantFactory(username="mine_user"), "m", authority=mine)
    tell(ApplicantFactory(username="their_user"), "t", authority=theirs)
    official = OfficialFactory(authority=mine)
    client.force_login(official)
    html = client.get("/admin/notifications/").content.decode()
    assert "mine_user" in html
    assert "their_user" not in html
    theirs_row = Notification.objects.get(authority=theirs, channel="email")
    theirs_row.status = "failed"
    theirs_row.save()
    assert client.get(f"/admin/notifications/{theirs_row.pk}/").status_code == 404
    assert client.post(f"/admin/notifications/{theirs_row.pk}/retry/").status_code == 404
    theirs_row.refresh_from_db()
    assert theirs_row.status == "failed"


def test_an_official_edits_a_template_and_a_bad_one_is_refused(client):
    mine, theirs = AuthorityFactory(), AuthorityFactory()
    client.force_login(OfficialFactory(authority=mine))
    url = f"/admin/notifications/templates/{mine.pk}/application.submitted/"
    bad = client.post(url, {"subject": "{% if %}", "body": "x"})
    assert bad.status_code == 200
    assert "模板有误，无法生成消息：" in bad.content.decode()
    assert MessageTemplate.objects.count() == 0
    good = client.post(url, {"subject": "收到 {{ number }}", "body": "{{ organization }}"})
    assert good["Location"] == url
    assert list(MessageTemplate.objects.values_list("authority", "subject")) == [
        (mine.pk, "收到 {{ number }}")
    ]
    other = f"/admin/notifications/templates/{theirs.pk}/application.submitted/"
    assert client.get(other).status_code == 404
    assert client.post(other, {"subject": "x", "body": "y"}).status_code == 404
    assert client.get(f"/admin/notifications/templates/{mine.pk}/no.such/").status_code == 404


def test_the_deadline_reminder_is_queued_once_however_often_it_runs():
    cycle = open_cycle(days_left=2)
    application, user = started_application(cycle=cycle, user=tianmen_applicant())
    far, _ = started_application(cycle=open_cycle(days_left=20), user=tianmen_applicant())
    assert remind_application_deadlines() == 1
    assert remind_application_deadlines() == 1
    rows = Notification.objects.filter(event="application.deadline_reminder")
    assert sorted(rows.values_list("recipient", "channel")) == [
        (user.pk, "email"),
        (user.pk, "portal"),
    ]
