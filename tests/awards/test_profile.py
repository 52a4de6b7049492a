"""Everyone's own account: the profile (name, phone, e-mail address) and the password."""

import pytest
from django.conf import settings

from awards.models import AuditEntry, User
from tests.conftest import TEST_PASSWORD
from tests.factories import ApplicantFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


def test_a_user_sees_and_edits_their_own_name_phone_and_email(client):
    user = ApplicantFactory(username="zhao", full_name="赵一", phone="", email="zhao@example.com")
    client.force_login(user)
    html = client.get("/accounts/profile/").content.decode()
    assert "<dd data-username>zhao</dd>" in html
    assert f"<dd data-organization>{user.organization.name}</dd>" in html
    assert 'value="赵一"' in html
    response = client.post(
        "/accounts/profile/",
        {"full_name": "赵一鸣", "phone": "0728-5550000", "email": "zym@example.com"},
        follow=True,
    )
    assert response.redirect_chain == [("/accounts/profile/", 302)]
    assert "个人资料已保存。" in response.content.decode()
    user.refresh_from_db()
    assert (user.full_name, user.phone, user.email) == ("赵一鸣", "0728-5550000", "zym@example.com")
    entry = AuditEntry.objects.get(action="update_profile")
    assert (entry.actor_pk, entry.details) == (
        user.pk,
        {"changed": ["full_name", "phone", "email"]},
    )


def test_an_address_of_another_account_or_an_empty_name_is_refused_and_nothing_changes(client):
    ReviewerFactory(email="taken@example.com")
    user = ApplicantFactory(full_name="赵一", email="zhao@example.com")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.post(
        "/accounts/profile/", {"full_name": "赵二", "phone": "", "email": "TAKEN@example.com"}
    ).content.decode()
    assert "This email address is already used by another account." in html
    html = client.post(
        "/accounts/profile/", {"full_name": "", "phone": "", "email": "zhao@example.com"}
    ).content.decode()
    assert 'data-field="full_name"' in html and "This field is required." in html
    user.refresh_from_db()
    assert (user.full_name, user.email) == ("赵一", "zhao@example.com")
    assert AuditEntry.objects.filter(action="update_profile").exists() is False


def test_the_password_change_is_styled_checked_and_audited(client):
    user = ApplicantFactory(username="sun")
    client.force_login(user)
    html = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "x", "new_password2": "x"},
    ).content.decode()
    assert 'data-field="old_password"' in html and 'class="form-field has-error"' in html
    response = client.post(
        "/accounts/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Quality-2026-award",
            "new_password2": "Quality-2026-award",
        },
        follow=True,
    )
    assert response.redirect_chain == [("/accounts/profile/", 302)]
    assert "密码已修改。" in response.content.decode()
    assert User.objects.get(pk=user.pk).check_password("Quality-2026-award")
    assert AuditEntry.objects.filter(action="change_password", actor_pk=user.pk).count() == 1
