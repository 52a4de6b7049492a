"""Timeline and audit notes are stored as a code and parameters and worded in the reader's
language; rows written before (plain text) show as they were."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import translation

from awards.audit_actions import AuditAction
from awards.audit_chain import hash_of
from awards.models import ApplicationEvent, AuditEntry
from awards.notes import note
from awards.services.applications import submit_application
from awards.services.audit import record, verify_chains
from awards.services.screening import screen_application
from tests.factories import OfficialFactory, fill_application, started_application

pytestmark = pytest.mark.django_db

REASONS = "<b>请补充</b> ISO 9001 证书。"


@pytest.fixture
def returned(django_capture_on_commit_callbacks):
    """An application an official (working in Chinese) returned with typed reasons."""
    application, applicant = started_application()
    fill_application(application, applicant)
    submit_application(application=application, by=applicant)
    official = OfficialFactory(authority=application.cycle.programme.authority)
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        screen_application(application=application, decision="return", reasons=REASONS, by=official)
    mail.outbox.clear()
    return application, applicant, official


def test_a_chinese_officials_note_reads_in_english_for_an_english_applicant(client, returned):
    application, applicant, _official = returned
    event = application.events.latest("at", "id")
    assert (event.note, event.note_code) == ("", "screening_reasons")
    client.force_login(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/portal/applications/{application.pk}/").content.decode()
    assert (
        '<span class="note">Screening opinion: &lt;b&gt;请补充&lt;/b&gt; ISO 9001 证书。</span>'
        in html
    )
    assert "<b>请补充</b>" not in html
    assert '<span class="note">Start the application</span>' in html


def test_an_english_applicants_notes_read_in_chinese_for_a_chinese_official(client):
    application, applicant = started_application()
    fill_application(application, applicant)
    with translation.override("en"):
        submit_application(application=application, by=applicant)
    official = OfficialFactory(authority=application.cycle.programme.authority)
    client.force_login(official)
    html = client.get(f"/admin/screening/{application.pk}/").content.decode()
    assert "：开始填写申报材料</li>" in html
    assert "：提交申报</li>" in html
    assert "Start the application" not in html
    assert list(application.events.values_list("note_code", flat=True)) == [
        "application_started",
        "application_submitted",
    ]


def test_an_old_plain_text_note_shows_as_it_was(client):
    application, applicant = started_application()
    ApplicationEvent.objects.create(application=application, status="draft", note="旧的说明")
    client.force_login(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/portal/applications/{application.pk}/").content.decode()
    assert '<span class="note">旧的说明</span>' in html


def test_an_audit_note_is_part_of_the_hash_and_reads_in_the_viewers_language(client, returned):
    application, _applicant, official = returned
    entry = AuditEntry.objects.get(action="screen_application")
    assert (entry.note_code, entry.note_params) == ("screening_reasons", {"reasons": REASONS})
    assert entry.hash == hash_of(entry)
    with translation.override("en"):
        assert entry.note_text == f"Screening opinion: {REASONS}"
    with translation.override("zh-hans"):
        assert entry.note_text == f"审查意见：{REASONS}"
    # Changing the stored note (behind the read-only model's back) breaks the chain there.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE awards_auditentry SET note_params = %s WHERE id = %s",
            ['{"reasons": "通过"}', entry.pk],
        )
    [report] = [r for r in verify_chains() if r.authority_id == entry.authority_id]
    assert report.broken.entry_id == entry.pk
    client.force_login(official)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/admin/audit/").content.decode()
    assert "<td data-note>Screening opinion: 通过</td>" in html


def test_an_entry_without_a_note_hashes_as_before():
    application, applicant = started_application()
    entry = record(actor=applicant, action=AuditAction.START_APPLICATION, target=application)
    assert (entry.note_code, entry.note_params, entry.note_text) == ("", {}, "")
    assert entry.hash == hash_of(entry)
    with pytest.raises(ValueError):
        note("no_such_note")
