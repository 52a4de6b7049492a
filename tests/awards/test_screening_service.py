"""Eligibility screening by officials: pass, fail with reasons, return for correction."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from awards.enums import ApplicationStatus
from awards.models import Application, AuditEntry
from awards.services.applications import submit_application
from awards.services.screening import screen_application
from tests.factories import (
    OfficialFactory,
    ReviewerFactory,
    UserFactory,
    fill_application,
    started_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    application, user = started_application()
    fill_application(application, user)
    application = submit_application(application=application, by=user)
    official = OfficialFactory(authority=application.cycle.programme.authority, full_name="刘建华")
    return application, user, official


def test_pass_is_recorded_with_who_and_when_and_the_applicant_is_emailed(
    submitted, django_capture_on_commit_callbacks
):
    application, user, official = submitted
    with django_capture_on_commit_callbacks(execute=True):
        screened = screen_application(
            application=application, decision="pass", reasons="", by=official
        )
    assert screened.status == ApplicationStatus.ELIGIBLE
    event = screened.events.last()
    assert (event.status, event.by, event.note) == ("eligible", official, "")
    assert abs(event.at - timezone.now()) < dt.timedelta(seconds=30)
    entry = AuditEntry.objects.get(action="screen_application")
    assert (entry.actor, entry.details) == (
        official,
        {"decision": "pass", "reasons": "", "from": "submitted", "to": "eligible"},
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.subject, message.to) == (
        "【政府质量奖门户】申报资格审查结果：通过",
        [user.email],
    )
    assert message.body == (
        f"{application.organization.name}：\n\n"
        f"贵单位申报的“{application.cycle}”资格审查结果为：通过。\n"
        f"详情请登录查看：http://testserver/portal/applications/{application.pk}/\n"
    )


def test_fail_needs_reasons_and_records_them(submitted, django_capture_on_commit_callbacks):
    application, _user, official = submitted
    with pytest.raises(ValidationError) as refused:
        screen_application(application=application, decision="fail", reasons="  ", by=official)
    assert refused.value.message_dict == {"reasons": ["请填写不通过的理由。"]}
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        screened = screen_application(
            application=application,
            decision="fail",
            reasons="近 3 年发生过重大质量事故。",
            by=official,
        )
    assert screened.status == ApplicationStatus.INELIGIBLE
    event = screened.events.last()
    assert (event.note, event.note_code, event.note_params) == (
        "",
        "screening_reasons",
        {"reasons": "近 3 年发生过重大质量事故。"},
    )
    assert event.note_text == "审查意见：近 3 年发生过重大质量事故。"
    assert "说明：\n近 3 年发生过重大质量事故。\n" in mail.outbox[0].body
    assert mail.outbox[0].subject == "【政府质量奖门户】申报资格审查结果：不通过"


def test_return_for_correction_reopens_editing_and_asks_to_resubmit(
    submitted, django_capture_on_commit_callbacks
):
    application, _user, official = submitted
    with pytest.raises(ValidationError) as refused:
        screen_application(application=application, decision="return", reasons="", by=official)
    assert refused.value.message_dict == {"reasons": ["请填写需要申报单位修改的内容。"]}
    version = Application.objects.get(pk=application.pk).version
    with django_capture_on_commit_callbacks(execute=True):
        screened = screen_application(
            application=application, decision="return", reasons="请补充审计报告。", by=official
        )
    assert (screened.status, screened.version) == (ApplicationStatus.RETURNED, version + 1)
    assert "请在申报截止前修改并重新提交。\n" in mail.outbox[0].body


def test_return_is_refused_once_the_applicant_can_no_longer_edit(submitted):
    application, _user, official = submitted
    cycle = application.cycle
    cycle.application_deadline = timezone.now() - dt.timedelta(hours=1)
    cycle.save()
    with pytest.raises(ValidationError) as refused:
        screen_application(application=application, decision="return", reasons="补充", by=official)
    assert refused.value.messages[0].startswith("申报单位已无法修改，不能退回：")
    assert refused.value.messages[0].endswith("请选择通过或不通过。")
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("who", ["other_official", "reviewer", "applicant"])
def test_only_officials_of_the_cycles_authority_screen(submitted, who):
    application, user, _official = submitted
    person = {
        "other_official": OfficialFactory(),
        "reviewer": ReviewerFactory(authority=application.cycle.programme.authority),
        "applicant": user,
    }[who]
    with pytest.raises(PermissionDenied):
        screen_application(application=application, decision="pass", reasons="", by=person)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED


def test_a_superuser_may_screen(submitted):
    application, _user, _official = submitted
    admin = UserFactory(is_superuser=True, username="root")
    screened = screen_application(application=application, decision="pass", reasons="", by=admin)
    assert screened.status == ApplicationStatus.ELIGIBLE


def test_only_submitted_applications_are_screened_and_only_once(submitted):
    application, _user, official = submitted
    screen_application(application=application, decision="pass", reasons="", by=official)
    with pytest.raises(ValidationError) as refused:
        screen_application(application=application, decision="fail", reasons="改判", by=official)
    assert refused.value.messages == ["只能审查已提交的申报；该申报当前状态为“资格审查通过”。"]
    draft, _owner = started_application(cycle=application.cycle)
    with pytest.raises(ValidationError):
        screen_application(application=draft, decision="pass", reasons="", by=official)


def test_an_unknown_decision_is_refused(submitted):
    application, _user, official = submitted
    with pytest.raises(ValidationError) as refused:
        screen_application(application=application, decision="maybe", reasons="", by=official)
    assert refused.value.message_dict == {"decision": ["请选择审查结论。"]}
