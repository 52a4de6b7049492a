"""Starting an application: one per organization per cycle, only while the cycle is open."""

import datetime as dt

import pytest
from django.utils import timezone

from awards.enums import CycleStatus
from awards.models import Application, ApplicationEvent, AttachmentRequirement, AuditEntry
from awards.services.application_drafts import EditingClosed
from awards.services.applications import start_application
from tests.factories import (
    ApplicationFactory,
    CycleFactory,
    OfficialFactory,
    ReviewerFactory,
    open_cycle,
    tianmen_applicant,
    tianmen_authority,
)

pytestmark = pytest.mark.django_db


def test_start_creates_a_draft_with_its_first_event_and_evidence_list(client):
    cycle = open_cycle()
    user = tianmen_applicant()
    client.force_login(user)
    response = client.post(f"/portal/cycles/{cycle.pk}/apply/")
    application = Application.objects.get()
    assert response["Location"] == f"/portal/applications/{application.pk}/step/"
    assert (application.cycle, application.organization, application.created_by) == (
        cycle,
        user.organization,
        user,
    )
    assert (application.status, application.version, application.current_step) == (
        "draft",
        1,
        "basic",
    )
    assert list(application.events.values_list("status", "by", "note_code")) == [
        ("draft", user.pk, "application_started")
    ]
    assert AttachmentRequirement.objects.filter(cycle=cycle).count() == 5
    assert AuditEntry.objects.filter(action="start_application").count() == 1


def test_starting_twice_returns_the_existing_application(client):
    cycle = open_cycle()
    user = tianmen_applicant()
    colleague = tianmen_applicant(organization=user.organization)
    client.force_login(user)
    client.post(f"/portal/cycles/{cycle.pk}/apply/")
    client.force_login(colleague)
    response = client.post(f"/portal/cycles/{cycle.pk}/apply/")
    application = Application.objects.get()
    assert response["Location"] == f"/portal/applications/{application.pk}/step/"
    assert client.get(f"/portal/cycles/{cycle.pk}/apply/")["Location"] == (
        f"/portal/applications/{application.pk}/step/"
    )
    assert (Application.objects.count(), ApplicationEvent.objects.count()) == (1, 1)
    again, created = start_application(cycle=cycle, organization=user.organization, by=user)
    assert (again, created) == (application, False)


def test_an_application_made_elsewhere_is_returned_not_duplicated():
    cycle = open_cycle()
    user = tianmen_applicant()
    existing = ApplicationFactory(cycle=cycle, organization=user.organization, created_by=user)
    assert start_application(cycle=cycle, organization=user.organization, by=user) == (
        existing,
        False,
    )


def test_get_asks_to_confirm_and_anonymous_visitors_are_sent_to_log_in(client):
    cycle = open_cycle()
    url = f"/portal/cycles/{cycle.pk}/apply/"
    assert client.get(url)["Location"] == f"/accounts/login/?next={url}"
    client.force_login(tianmen_applicant())
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["closed_reason"] is None
    assert '<form method="post">' in response.content.decode()
    assert Application.objects.count() == 0


def test_a_closed_cycle_cannot_be_started(client):
    cycle = open_cycle()
    cycle.application_deadline = timezone.now() - dt.timedelta(hours=2)
    cycle.save()
    user = tianmen_applicant()
    client.force_login(user)
    url = f"/portal/cycles/{cycle.pk}/apply/"
    deadline = timezone.localtime(cycle.application_deadline).strftime("%Y-%m-%d %H:%M")
    message = f"“{cycle}”已于 {deadline}（北京时间）截止申报，不能再填写、修改或提交。"
    response = client.get(url)
    assert response.context["closed_reason"] == message
    response = client.post(url, follow=True)
    assert response.redirect_chain == [("/portal/", 302)]
    assert [str(m) for m in response.context["messages"]] == [message]
    assert Application.objects.count() == 0
    with pytest.raises(EditingClosed):
        start_application(cycle=cycle, organization=user.organization, by=user)


def test_only_applicants_start_and_only_published_cycles(client):
    cycle = open_cycle()
    for person in (OfficialFactory(authority=cycle.programme.authority), ReviewerFactory()):
        client.force_login(person)
        assert client.post(f"/portal/cycles/{cycle.pk}/apply/").status_code == 404
    draft_cycle = CycleFactory(programme__authority=tianmen_authority(), status=CycleStatus.DRAFT)
    client.force_login(tianmen_applicant())
    assert client.get(f"/portal/cycles/{draft_cycle.pk}/apply/").status_code == 404
    assert client.get("/portal/cycles/999999/apply/").status_code == 404
    assert Application.objects.count() == 0
