"""单位用户: an applicant invites a colleague, who accepts by a one-time, expiring link and is
then an applicant of the same organization."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.enums import Role
from awards.models import AuditEntry, OrganizationInvitation, User
from awards.services.invitations import INVITATION_VALID_FOR, invite_colleague
from tests.factories import ApplicantFactory, OfficialFactory, ReviewerFactory, started_application

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Quality-2026-award"


def _link(message) -> str:
    return re.search(r"http://testserver(/accounts/invitation/[^/\s]+/)", message.body).group(1)


@pytest.fixture
def invite(client, django_capture_on_commit_callbacks):
    """Post the invitation form as ``inviter``; the e-mail (sent on commit) goes out."""

    def post(inviter, name="钱七", email="qianqi@example.com"):
        client.force_login(inviter)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/portal/colleagues/", {"full_name": name, "email": email}, follow=True
            )

    return post


def test_invite_accept_and_sign_in_as_a_colleague_who_sees_the_organizations_applications(
    client, invite
):
    application, inviter = started_application()
    response = invite(inviter)
    assert response.redirect_chain == [("/portal/colleagues/", 302)]
    html = response.content.decode()
    assert "已向 qianqi@example.com 发送邀请。" in html
    invitation = OrganizationInvitation.objects.get()
    assert f'data-invitation="{invitation.pk}" data-state="pending"' in html
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["qianqi@example.com"],
        "【政府质量奖门户】单位用户邀请",
    )
    assert f"“{inviter.organization.name}”" in message.body
    link = _link(message)

    client.logout()
    page = client.get(link).content.decode()
    assert f"钱七，您受邀成为“{inviter.organization.name}”的单位用户。" in page
    response = client.post(
        link,
        {"username": "qianqi", "phone": "", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [("/accounts/login/", 302)]
    colleague = User.objects.get(username="qianqi")
    assert (colleague.role, colleague.organization_id, colleague.full_name, colleague.email) == (
        Role.APPLICANT,
        inviter.organization_id,
        "钱七",
        "qianqi@example.com",
    )
    invitation.refresh_from_db()
    assert (invitation.state, invitation.accepted_user) == ("accepted", colleague)
    assert list(
        AuditEntry.objects.filter(target_type="awards.organizationinvitation")
        .order_by("pk")
        .values_list("action", "actor_pk")
    ) == [("invite_colleague", inviter.pk), ("accept_invitation", colleague.pk)]

    signed_in = client.post(
        "/accounts/login/", {"username": "qianqi", "password": NEW_PASSWORD}, follow=True
    )
    assert signed_in.context["user"] == colleague
    dashboard = client.get("/portal/")
    assert [a.pk for a in dashboard.context["applications"]] == [application.pk]
    assert client.get(f"/portal/applications/{application.pk}/").status_code == 200

    used = client.get(link)  # signed in: sent to the dashboard
    assert used.status_code == 302
    client.logout()
    used = client.get(link)
    assert used.status_code == 410
    assert "该邀请链接已被使用，账户已经开通，请直接登录。" in used.content.decode()


def test_an_expired_link_says_so_and_makes_no_account(client, time_machine, invite):
    inviter = ApplicantFactory()
    time_machine.move_to(dt.datetime(2031, 3, 1, 9, tzinfo=dt.UTC), tick=False)
    invite(inviter)
    link = _link(mail.outbox[0])
    client.logout()
    time_machine.move_to(dt.datetime(2031, 3, 1, 9, tzinfo=dt.UTC) + INVITATION_VALID_FOR)
    response = client.post(
        link, {"username": "late", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 410
    assert "该邀请链接已过期，请联系邀请您的同事重新发送邀请。" in response.content.decode()
    assert User.objects.filter(username="late").exists() is False
    client.force_login(inviter)
    html = client.get("/portal/colleagues/").content.decode()
    assert 'data-state="expired"' in html and "已过期" in html


def test_the_expired_message_is_english_for_an_english_reader(client, time_machine, invite):
    inviter = ApplicantFactory()
    time_machine.move_to(dt.datetime(2031, 3, 1, 9, tzinfo=dt.UTC), tick=False)
    invite(inviter)
    link = _link(mail.outbox[0])
    client.logout()
    time_machine.move_to(dt.datetime(2031, 3, 9, 9, tzinfo=dt.UTC))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(link).content.decode()
    assert (
        "This invitation link has expired. Ask the colleague who invited you to send a new one."
        in html
    )


def test_a_revoked_invitation_cannot_be_accepted(client, invite):
    inviter = ApplicantFactory()
    invite(inviter)
    link = _link(mail.outbox[0])
    invitation = OrganizationInvitation.objects.get()
    response = client.post(f"/portal/colleagues/invitations/{invitation.pk}/revoke/", follow=True)
    assert "已撤销对 qianqi@example.com 的邀请，邀请链接不再有效。" in response.content.decode()
    assert AuditEntry.objects.filter(action="revoke_invitation", actor=inviter).count() == 1
    client.logout()
    html = client.get(link).content.decode()
    assert "该邀请已被撤销。如仍需开通账户，请联系邀请您的同事。" in html
    assert "data-accept-form" not in html


def test_an_address_in_use_gets_the_same_answer_but_no_link(client, invite):
    inviter = ApplicantFactory()
    ReviewerFactory(username="taken", email="taken@example.com")
    response = invite(inviter, name="某人", email="taken@example.com")
    assert "已向 taken@example.com 发送邀请。" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["taken@example.com"]
    assert "/accounts/invitation/" not in message.body
    assert "这个电子邮箱已有账户" in message.body
    assert OrganizationInvitation.objects.get().state == "pending"  # listed like any other


def test_a_used_address_cannot_take_a_second_account_through_a_link(client, invite):
    inviter = ApplicantFactory()
    invite(inviter, email="later@example.com")
    link = _link(mail.outbox[0])
    ApplicantFactory(username="first", email="later@example.com")  # registered meanwhile
    client.logout()
    response = client.post(
        link, {"username": "second", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert "该电子邮箱已被其他账户使用。" in response.content.decode()
    assert User.objects.filter(username="second").exists() is False


def test_another_organizations_applicant_neither_sees_nor_revokes_the_invitation(client, invite):
    inviter = ApplicantFactory()
    invite(inviter, name="秘密同事", email="secret@example.com")
    invitation = OrganizationInvitation.objects.get()
    stranger = ApplicantFactory()
    client.force_login(stranger)
    html = client.get("/portal/colleagues/").content.decode()
    assert "secret@example.com" not in html and "秘密同事" not in html
    assert client.post(f"/portal/colleagues/invitations/{invitation.pk}/revoke/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == "pending"


@pytest.mark.parametrize("factory", [ReviewerFactory, OfficialFactory])
def test_only_applicants_have_the_page(client, factory):
    client.force_login(factory())
    assert client.get("/portal/colleagues/").status_code == 404
    with pytest.raises(Exception) as refused:
        invite_colleague(full_name="x", email="x@example.com", by=factory())
    assert refused.typename == "PermissionDenied"


def test_bad_input_is_refused_beside_the_field_and_nothing_is_sent(client, invite):
    inviter = ApplicantFactory()
    response = invite(inviter, name="", email="not-an-address")
    html = response.content.decode()
    assert 'data-field="full_name"' in html and '<p class="error-message">必需字段</p>' in html
    assert "输入一个有效的 Email 地址。" in html
    assert (OrganizationInvitation.objects.count(), len(mail.outbox)) == (0, 0)


def test_the_list_costs_the_same_queries_for_one_and_five_rows(client):
    inviter = ApplicantFactory()
    client.force_login(inviter)

    def add(number):
        invite_colleague(full_name=f"同事{number}", email=f"c{number}@example.com", by=inviter)
        ApplicantFactory(organization=inviter.organization)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/portal/colleagues/").status_code == 200
        return len(queries)

    add(0)
    client.get("/portal/colleagues/")  # the session's first use
    one = count()
    for number in range(1, 5):
        add(number)
    assert count() == one
