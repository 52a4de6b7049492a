"""Two-factor login (django-otp): enrolment with a QR code, the step after the password,
single-use recovery codes, and who must use it in the production profile."""

import json
import secrets
from base64 import b32encode

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from awards.audit_actions import AuditAction
from awards.enums import Role
from awards.models import AuditEntry
from awards.permissions.rules import AUTHORITY_STAFF_ROLES, requires_two_factor
from awards.services import two_factor
from tests.conftest import TEST_PASSWORD
from tests.factories import (
    ApplicantFactory,
    OfficialFactory,
    RecommenderFactory,
    ReviewerFactory,
    UserFactory,
)
from tests.portal.test_settings import run_manage

pytestmark = pytest.mark.django_db

PRODUCTION = override_settings(OTP_REQUIRED_FOR_STAFF=True)


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's authenticator app shows (``steps_ahead`` × 30 s later: a code
    already used, e.g. at enrolment, is refused again, so the next login uses the next one)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - steps_ahead * device.step):06d}"


def _valid_codes(device: TOTPDevice) -> set[str]:
    return {code_for(device, steps) for steps in (-1, 0, 1, 2)}


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.start_enrolment(user=user)
    codes = two_factor.confirm_enrolment(user=user, device=device, token=code_for(device))
    device.refresh_from_db()
    return device, codes


def password_login(client, url, username):
    return client.post(url, {"username": username, "password": TEST_PASSWORD})


# Enrolment ---------------------------------------------------------------------------------------


def test_applicant_enrols_with_the_qr_code_and_sees_ten_codes_once(client):
    user = ApplicantFactory(username="zhang")
    client.force_login(user)
    page = client.get("/accounts/two-factor/setup/?next=/portal/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    assert page.context["qr_svg"].startswith("<svg")
    assert page.context["secret"] == b32encode(device.bin_key).decode()
    assert page.context["required"] is False
    wrong_code = "000000" if code_for(device) != "000000" else "000001"
    wrong = client.post("/accounts/two-factor/setup/", {"token": wrong_code, "next": "/portal/"})
    assert wrong.context["form"].errors["token"] == [
        "验证码不正确，请输入身份验证器当前显示的 6 位数字。"
    ]
    done = client.post(
        "/accounts/two-factor/setup/", {"token": code_for(device), "next": "/portal/"}
    )
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == (sorted(codes))
    device.refresh_from_db()
    assert device.confirmed is True
    assert [code in done.content.decode() for code in codes] == [True] * 10
    assert done.context["next"] == "/portal/"
    # Shown once: the status page tells how many remain, never the codes.
    status = client.get("/accounts/two-factor/")
    assert status.context["remaining_codes"] == 10
    assert [code in status.content.decode() for code in codes] == [False] * 10
    assert AuditEntry.objects.filter(action=AuditAction.ENABLE_TWO_FACTOR, actor=user).count() == 1


def test_setup_page_is_english_for_english_visitors(client):
    client.force_login(ApplicantFactory())
    client.cookies["django_language"] = "en"
    html = client.get("/accounts/two-factor/setup/").content.decode()
    assert "Type the 6-digit code the app shows to finish." in html


# The step after the password ---------------------------------------------------------------------


def test_portal_login_asks_for_the_code_and_a_wrong_one_is_refused_and_audited(client):
    user = ApplicantFactory(username="zhang")
    device, _codes = enrolled(user)
    assert password_login(client, "/accounts/login/", "zhang")["Location"] == "/portal/"
    assert client.get("/portal/")["Location"] == "/accounts/two-factor/verify/?next=%2Fportal%2F"
    wrong = next(c for c in ("999999", "999998", "999997") if c not in _valid_codes(device))
    refused = client.post("/accounts/two-factor/verify/", {"token": wrong, "next": "/portal/"})
    assert refused.context["form"].errors["token"] == [
        "验证码不正确或已使用过，请重新输入。多次输错后需等待片刻再试。"
    ]
    assert client.get("/portal/").status_code == 302
    entry = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).get()
    assert (entry.actor, entry.details["step"]) == (user, "two_factor")
    # django-otp throttles a device after a wrong code: the next try waits a moment.
    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post(
        "/accounts/two-factor/verify/", {"token": code_for(device, 1), "next": "/portal/"}
    )
    assert ok["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200


def test_admin_login_asks_for_the_code_before_the_console(client):
    official = OfficialFactory(username="tm_official")
    device, _codes = enrolled(official)
    assert password_login(client, "/admin/login/", "tm_official")["Location"] == "/admin/"
    assert client.get("/admin/")["Location"] == "/accounts/two-factor/verify/?next=%2Fadmin%2F"
    assert client.get("/admin/cycles/")["Location"].startswith("/accounts/two-factor/verify/")
    ok = client.post(
        "/accounts/two-factor/verify/", {"token": code_for(device, 1), "next": "/admin/"}
    )
    assert ok["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(client):
    user = ApplicantFactory(username="zhang")
    _device, codes = enrolled(user)
    password_login(client, "/accounts/login/", "zhang")
    ok = client.post(
        "/accounts/two-factor/verify/", {"token": codes[0].upper(), "next": "/portal/"}
    )
    assert ok["Location"] == "/portal/"
    assert two_factor.remaining_recovery_codes(user) == 9
    client.logout()
    password_login(client, "/accounts/login/", "zhang")
    again = client.post("/accounts/two-factor/verify/", {"token": codes[0], "next": "/portal/"})
    assert again.status_code == 200
    assert client.get("/portal/").status_code == 302
    StaticToken.objects.get(token=codes[1]).device.throttle_reset()
    other = client.post("/accounts/two-factor/verify/", {"token": codes[1], "next": "/portal/"})
    assert other["Location"] == "/portal/"
    assert two_factor.remaining_recovery_codes(user) == 8


def test_renewed_recovery_codes_replace_the_old_ones(client):
    user = ApplicantFactory()
    _device, old = enrolled(user)
    client.force_login(user)
    # A forced login has no second factor yet: verify with an old code first.
    client.post("/accounts/two-factor/verify/", {"token": old[0]})
    page = client.post("/accounts/two-factor/recovery-codes/")
    new = page.context["codes"]
    assert len(new) == 10 and set(new).isdisjoint(old)
    assert two_factor.verify_second_factor(user=user, token=old[1]) is None
    assert AuditEntry.objects.filter(action=AuditAction.RENEW_RECOVERY_CODES).count() == 1


def test_without_a_device_nobody_is_asked_in_the_development_profile(client, settings):
    assert settings.OTP_REQUIRED_FOR_STAFF is False
    OfficialFactory(username="tm_official")
    password_login(client, "/admin/login/", "tm_official")
    assert client.get("/admin/").status_code == 200


# Required in the production profile ---------------------------------------------------------------


@PRODUCTION
def test_production_official_must_enrol_before_the_console(client):
    OfficialFactory(username="tm_official")
    assert password_login(client, "/admin/login/", "tm_official")["Location"] == "/admin/"
    assert client.get("/admin/")["Location"] == "/accounts/two-factor/setup/?next=%2Fadmin%2F"
    assert client.get("/portal/")["Location"] == "/accounts/two-factor/setup/?next=%2Fportal%2F"
    page = client.get("/accounts/two-factor/setup/?next=/admin/")
    assert page.context["required"] is True
    assert "您的账户必须启用两步验证后才能继续使用。" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="tm_official")
    client.post("/accounts/two-factor/setup/", {"token": code_for(device), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200
    # Those who must use it cannot turn it off.
    refused = client.post("/accounts/two-factor/disable/", follow=True)
    assert [str(m) for m in refused.context["messages"]] == ["您的账户必须使用两步验证，不能停用。"]
    assert two_factor.has_two_factor(device.user) is True


@PRODUCTION
def test_production_applicant_and_reviewer_are_offered_not_forced(client):
    ApplicantFactory(username="zhang")
    password_login(client, "/accounts/login/", "zhang")
    assert client.get("/portal/").status_code == 200
    assert client.get("/accounts/two-factor/").context["required"] is False
    client.logout()
    ReviewerFactory(username="expert")
    password_login(client, "/accounts/login/", "expert")
    assert client.get("/review/").status_code == 200


@PRODUCTION
def test_production_platform_admin_must_enrol(client):
    UserFactory(username="root", is_superuser=True)
    password_login(client, "/admin/login/", "root")
    assert client.get("/admin/")["Location"] == "/accounts/two-factor/setup/?next=%2Fadmin%2F"


def test_an_applicant_may_turn_it_off(client):
    user = ApplicantFactory()
    _device, codes = enrolled(user)
    client.force_login(user)
    client.post("/accounts/two-factor/verify/", {"token": codes[0]})
    response = client.post("/accounts/two-factor/disable/", follow=True)
    assert [str(m) for m in response.context["messages"]] == ["两步验证已停用。"]
    assert two_factor.has_two_factor(user) is False
    assert AuditEntry.objects.filter(action=AuditAction.DISABLE_TWO_FACTOR).count() == 1


def test_the_predicate_covers_authority_staff_and_platform_admins(settings):
    assert frozenset({Role.OFFICIAL, Role.RECOMMENDER}) == AUTHORITY_STAFF_ROLES
    people = {
        "official": OfficialFactory(),
        "recommender": RecommenderFactory(),
        "admin": UserFactory(is_superuser=True),
        "reviewer": ReviewerFactory(),
        "applicant": ApplicantFactory(),
    }
    settings.OTP_REQUIRED_FOR_STAFF = True
    assert {name: requires_two_factor(p) for name, p in people.items()} == {
        "official": True,
        "recommender": True,
        "admin": True,
        "reviewer": False,
        "applicant": False,
    }
    settings.OTP_REQUIRED_FOR_STAFF = False
    assert {requires_two_factor(p) for p in people.values()} == {False}


def test_required_by_default_in_the_production_profile_only():
    code = "from django.conf import settings as s; import json; print(json.dumps(s.OTP_REQUIRED_FOR_STAFF))"
    production = run_manage(
        "shell",
        "-c",
        code,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="award.example.gov.cn",
    )
    development = run_manage("shell", "-c", code)
    assert [json.loads(r.stdout.strip().splitlines()[-1]) for r in (production, development)] == [
        True,
        False,
    ]
