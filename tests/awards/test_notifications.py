import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from awards.models import AuditEntry, MessageTemplate, Notification
from awards.services.notifications.catalogue import all_events
from awards.services.notifications.delivery import deliver_due
from awards.services.notifications.outbox import mark_read, notify, retry
from awards.services.notifications.templates import reset_template, save_template
from tests.factories import ApplicantFactory, AuthorityFactory, OfficialFactory
from tests.notification_backends import FlakyEmailBackend
from tests.outbox import delivered

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2030, 4, 1, 9, 0, tzinfo=dt.UTC)


def registered(user, key="k1", authority=None):
    return notify(
        event="account.registered",
        key=key,
        recipients=[user],
        authority_id=authority.pk if authority else None,
        link="http://testserver/accounts/login/",
        context={"name": user.full_name, "organization": "甲公司", "username": user.username},
    )


@pytest.mark.parametrize("event", all_events(), ids=lambda event: event.code)
def test_each_event_is_queued_once_per_recipient_and_channel(event):
    user = ApplicantFactory(phone="13800000000")
    for _ in range(2):
        notify(event=event.code, key="same", recipients=[user], context=event.sample)
    channels = sorted(
        Notification.objects.filter(event=event.code).values_list("channel", flat=True)
    )
    expected = ["email"] + (["portal"] if event.portal else []) + (["sms"] if event.sms else [])
    assert channels == sorted(expected)


def test_messages_go_out_after_commit_and_the_portal_keeps_a_notice():
    user = ApplicantFactory(full_name="李四")
    with delivered():
        registered(user)
        assert mail.outbox == []  # nothing is sent inside the transaction
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([user.email], "【政府质量奖门户】注册成功")
    ]
    email, portal = Notification.objects.order_by("channel")
    assert (email.status, email.attempts, portal.status, portal.read_at) == (
        "sent",
        1,
        "sent",
        None,
    )
    assert "李四，您好" in portal.body
    assert mark_read(user=user) == 1


def test_an_authority_template_overrides_the_default_and_falls_back_when_reset():
    mine, theirs = AuthorityFactory(), AuthorityFactory()
    official = OfficialFactory(authority=mine)
    save_template(
        authority=mine,
        event="account.registered",
        subject="欢迎 {{ name }}",
        body="{{ organization }} 已注册。",
        by=official,
    )
    user = ApplicantFactory(full_name="王五")
    registered(user, key="a", authority=mine)
    registered(user, key="b", authority=theirs)
    subjects = dict(
        Notification.objects.filter(channel="email").values_list("authority_id", "subject")
    )
    assert subjects == {mine.pk: "欢迎 王五", theirs.pk: "【政府质量奖门户】注册成功"}
    assert AuditEntry.objects.filter(action="edit_message_template").count() == 1
    reset_template(authority=mine, event="account.registered", by=official)
    assert MessageTemplate.objects.count() == 0
    registered(user, key="c", authority=mine)
    assert (
        Notification.objects.get(
            channel="email", dedupe_key__isnull=False, authority=mine, subject__startswith="【"
        ).subject
        == "【政府质量奖门户】注册成功"
    )


def test_user_input_is_a_value_never_template_code():
    user = ApplicantFactory(full_name="{{ username }}{% now 'Y' %}")
    registered(user)
    assert Notification.objects.get(channel="email").body.startswith(
        "{{ username }}{% now 'Y' %}，您好"
    )


@pytest.mark.parametrize(
    ("subject", "body", "errors"),
    [
        (
            "{% if %}",
            "x",
            {"subject": ["模板有误，无法生成消息：Unexpected end of expression in if tag."]},
        ),
        (
            "好",
            "{{ password }}",
            {
                "body": [
                    "模板使用了该事件没有的变量：password。可用的变量：cycle、link、name、organization、username。"
                ]
            },
        ),
        ("好", "{% include 'base.html' %}", None),
        ("", "x", {"subject": ["请填写内容。"]}),
    ],
)
def test_a_bad_template_is_refused_and_nothing_saved(subject, body, errors):
    authority = AuthorityFactory()
    with pytest.raises(ValidationError) as refused:
        save_template(
            authority=authority,
            event="account.registered",
            subject=subject,
            body=body,
            by=OfficialFactory(authority=authority),
        )
    if errors is not None:
        assert refused.value.message_dict == errors
    assert MessageTemplate.objects.count() == 0


def test_another_authority_may_not_edit_templates():
    authority = AuthorityFactory()
    with pytest.raises(PermissionDenied):
        save_template(
            authority=authority,
            event="account.registered",
            subject="x",
            body="y",
            by=OfficialFactory(),
        )


@override_settings(
    MAILERS={"default": {"BACKEND": "tests.notification_backends.FlakyEmailBackend"}}
)
def test_a_failing_backend_is_retried_with_backoff_then_succeeds():
    FlakyEmailBackend.failures_left = 2
    user = ApplicantFactory()
    with time_machine.travel(NOW, tick=False):
        with delivered():
            registered(user)
        row = Notification.objects.get(channel="email")
        assert (row.status, row.attempts, row.next_attempt_at) == (
            "failed",
            1,
            NOW + dt.timedelta(minutes=1),
        )
        assert row.last_error == "ConnectionRefusedError: SMTP server unavailable"
        assert deliver_due() == {}  # not due yet
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        assert deliver_due() == {"failed": 1}
        row.refresh_from_db()
        assert (row.attempts, row.next_attempt_at) == (2, NOW + dt.timedelta(minutes=3))
    with time_machine.travel(NOW + dt.timedelta(minutes=3), tick=False):
        assert deliver_due() == {"sent": 1}
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at) == ("sent", 3, NOW + dt.timedelta(minutes=3))
    assert [m.to for m in mail.outbox] == [[user.email]]


@override_settings(
    MAILERS={"default": {"BACKEND": "tests.notification_backends.FlakyEmailBackend"}}
)
def test_officials_retry_only_their_authority_messages():
    FlakyEmailBackend.failures_left = 1
    mine = AuthorityFactory()
    with delivered():
        registered(ApplicantFactory(), authority=mine)
    row = Notification.objects.get(channel="email")
    with pytest.raises(PermissionDenied):
        retry(notification=row, by=OfficialFactory())
    with delivered():
        retry(notification=row, by=OfficialFactory(authority=mine))
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert AuditEntry.objects.filter(action="retry_notification").count() == 1


@override_settings(PORTAL_SMS_BACKEND="awards.services.notifications.sms.LocmemSmsBackend")
def test_urgent_events_also_go_by_text_message_to_the_profile_phone():
    from awards.services.notifications.sms import LocmemSmsBackend

    LocmemSmsBackend.outbox.clear()
    with_phone, without = ApplicantFactory(phone="13800000001"), ApplicantFactory(phone="")
    with delivered():
        notify(
            event="application.screened",
            key="sms",
            recipients=[with_phone, without],
            link="http://testserver/portal/",
            context={"organization": "甲公司", "cycle": "第5届", "outcome": "通过", "reasons": ""},
        )
    assert LocmemSmsBackend.outbox == [
        ("13800000001", "【政府质量奖门户】申报资格审查结果：通过 http://testserver/portal/")
    ]
    sms = Notification.objects.get(channel="sms")
    assert (sms.recipient, sms.address, sms.status) == (with_phone, "13800000001", "sent")
