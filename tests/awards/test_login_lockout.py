"""Login throttling (django-axes): lockout per account and per address, unlocking, audit.

Attempts live in the database, so each test starts with none (its transaction is rolled back).
"""

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from awards.audit_actions import AuditAction
from awards.models import AuditEntry
from awards.services.security import unlock_address
from tests.conftest import TEST_PASSWORD
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    OfficialFactory,
    ReviewerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LOCKED_ZH = "登录失败次数过多，该账户或您所在的网络地址已被暂时锁定。请 30 分钟后再试，或联系质量奖办公室解除锁定。"
LOCKED_EN = (
    "Too many failed logins: this account or your network address is locked for now. "
    "Try again in 30 minutes, or ask the quality award office to unlock it."
)


def _fail(client, url, username, times, address="10.0.0.1"):
    return [
        client.post(
            url, {"username": username, "password": "wrong-password"}, REMOTE_ADDR=address
        ).status_code
        for _ in range(times)
    ]


def test_settings_lock_after_five_failures_for_thirty_minutes():
    assert (settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds()) == (5, 1800)
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_fifth_failure_locks_and_the_right_password_is_then_refused(client, url):
    OfficialFactory(username="zhang")
    assert _fail(client, url, "zhang", 5) == [200, 200, 200, 200, 429]
    response = client.post(
        url, {"username": "zhang", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    assert LOCKED_ZH in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address does not help: the account itself is locked.
    response = client.post(
        url, {"username": "zhang", "password": TEST_PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(client):
    ApplicantFactory(username="zhang")
    statuses = _fail(client, "/accounts/login/", "zhang", 30)
    assert statuses == [200] * 4 + [429] * 26
    response = client.post(
        "/accounts/login/", {"username": "zhang", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    assert client.get("/portal/")["Location"] == "/accounts/login/?next=/portal/"


def test_one_address_trying_many_accounts_is_locked(client):
    victim = ApplicantFactory(username="victim")
    for index in range(5):
        _fail(client, "/accounts/login/", f"guess{index}", 1)
    response = client.post(
        "/accounts/login/",
        {"username": "victim", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 429
    # The account itself is not locked: from another address its owner signs in.
    response = client.post(
        "/accounts/login/",
        {"username": "victim", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )
    assert (response.status_code, response["Location"]) == (302, "/portal/")
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_a_success_before_the_limit_resets_the_count(client):
    ApplicantFactory(username="zhang")
    _fail(client, "/accounts/login/", "zhang", 4)
    ok = client.post(
        "/accounts/login/", {"username": "zhang", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert ok.status_code == 302
    client.logout()
    assert _fail(client, "/accounts/login/", "zhang", 4) == [200] * 4


def test_the_lockout_message_is_english_for_english_visitors(client):
    ApplicantFactory(username="zhang")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _fail(client, "/accounts/login/", "zhang", 5)
    response = client.post(
        "/accounts/login/", {"username": "zhang", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    assert LOCKED_EN in response.content.decode()


def test_failures_logins_and_lockouts_are_audited(client):
    user = ApplicantFactory(username="zhang")
    client.post(
        "/accounts/login/", {"username": "zhang", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    client.logout()
    _fail(client, "/accounts/login/", "nobody", 1, address="10.0.0.8")
    _fail(client, "/accounts/login/", "zhang", 5, address="10.0.0.9")
    entries = list(AuditEntry.objects.order_by("id"))
    zhang = {"username": "zhang", "address": "10.0.0.9", "path": "/accounts/login/"}
    failed = (AuditAction.LOGIN_FAILED, str(user.pk), zhang)
    assert [(e.action, e.target_id, e.details) for e in entries] == [
        (
            AuditAction.LOG_IN,
            str(user.pk),
            {"address": "10.0.0.7", "path": "/accounts/login/"},
        ),
        (
            AuditAction.LOGIN_FAILED,
            "",
            {"username": "nobody", "address": "10.0.0.8", "path": "/accounts/login/"},
        ),
        *[failed] * 4,
        # axes locks while it counts the fifth failure, before the failure itself is recorded.
        (AuditAction.LOGIN_LOCKED_OUT, str(user.pk), zhang),
        failed,
    ]
    assert entries[0].actor == user
    assert entries[1].target_label == "nobody"


# Unlocking in the officials' console ----------------------------------------------------------


@pytest.fixture
def locked_reviewer(client):
    authority = AuthorityFactory(name="天门市人民政府")
    reviewer = ReviewerFactory(authority=authority, username="tm_expert", full_name="李专家")
    _fail(client, "/accounts/login/", "tm_expert", 5)
    return reviewer


def test_official_sees_and_unlocks_their_own_reviewer(client, locked_reviewer):
    official = OfficialFactory(authority=locked_reviewer.authority)
    client.force_login(official)
    page = client.get("/admin/lockouts/")
    assert page.status_code == 200
    assert [person.username for person, _lockout in page.context["rows"]] == ["tm_expert"]
    assert page.context["rows"][0][1].failures == 5
    assert page.context["addresses"] == []
    response = client.post(f"/admin/lockouts/people/{locked_reviewer.pk}/unlock/", follow=True)
    assert response.redirect_chain == [("/admin/lockouts/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["已解除“tm_expert”的登录锁定。"]
    assert AccessAttempt.objects.filter(username="tm_expert").count() == 0
    entry = AuditEntry.objects.get(action=AuditAction.UNLOCK_LOGIN)
    assert (entry.actor, entry.target_id, entry.details) == (
        official,
        str(locked_reviewer.pk),
        {"cleared": 1},
    )
    client.logout()
    login = client.post(
        "/accounts/login/",
        {"username": "tm_expert", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )
    assert (login.status_code, login["Location"]) == (302, "/portal/")


def test_another_authoritys_official_gets_404_and_the_lock_stays(client, locked_reviewer):
    client.force_login(OfficialFactory(authority=AuthorityFactory(name="江西省人民政府")))
    assert client.get("/admin/lockouts/").context["rows"] == []
    response = client.post(f"/admin/lockouts/people/{locked_reviewer.pk}/unlock/")
    assert response.status_code == 404
    assert AccessAttempt.objects.filter(username="tm_expert").count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.UNLOCK_LOGIN).count() == 0


def test_officials_may_not_unlock_addresses(client, locked_reviewer):
    client.force_login(OfficialFactory(authority=locked_reviewer.authority))
    response = client.post("/admin/lockouts/addresses/unlock/", {"address": "10.0.0.1"})
    assert response.status_code == 404
    assert AccessAttempt.objects.filter(ip_address="10.0.0.1").count() == 1


def test_platform_admin_unlocks_an_address(client, locked_reviewer):
    admin = UserFactory(username="root", is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/lockouts/")
    assert [(lock.key, lock.failures) for lock in page.context["addresses"]] == [("10.0.0.1", 5)]
    assert [person.username for person, _lockout in page.context["rows"]] == ["tm_expert"]
    response = client.post(
        "/admin/lockouts/addresses/unlock/", {"address": "10.0.0.1"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["已解除地址 10.0.0.1 的登录锁定。"]
    assert AccessAttempt.objects.count() == 0
    entry = AuditEntry.objects.get(action=AuditAction.UNLOCK_LOGIN)
    assert (entry.actor, entry.details) == (admin, {"address": "10.0.0.1", "cleared": 1})


def test_a_bad_address_is_refused_with_a_message(client):
    admin = UserFactory(username="root", is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/lockouts/addresses/unlock/", {"address": "not-an-ip"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["“not-an-ip”不是有效的 IP 地址。"]


def test_unlock_address_service_refuses_an_official(locked_reviewer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        unlock_address(address="10.0.0.1", by=OfficialFactory(authority=locked_reviewer.authority))
    assert AccessAttempt.objects.count() == 1
