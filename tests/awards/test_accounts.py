import re

import pytest
from django.core import mail
from django.test import RequestFactory

from awards.enums import Role
from awards.models import AuditEntry, Organization, User
from tests.conftest import TEST_PASSWORD
from tests.factories import ApplicantFactory, make_credit_code
from tests.outbox import delivered

pytestmark = pytest.mark.django_db

NEW_CODE = make_credit_code(777, division="429006")


def registration_data(**overrides) -> dict:
    data = {
        "org-name": "天门新星电子有限公司",
        "org-credit_code": NEW_CODE,
        "org-region_code": "429006",
        "org-region_name": "湖北省天门市",
        "org-industry": "C",
        "org-size": "small",
        "org-registration_date": "2015-06-01",
        "org-legal_representative": "王五",
        "org-address": "天门市竟陵街道",
        "user-username": "xinxing",
        "user-full_name": "李四",
        "user-email": "lisi@example.com",
        "user-phone": "0728-1234567",
        "user-password1": "Quality-2026-award",
        "user-password2": "Quality-2026-award",
    }
    data.update(overrides)
    return data


NEUTRAL = (
    "我们已向您填写的电子邮箱发送了一封邮件，请按邮件中的说明登录或继续办理。"
    "如几分钟内未收到，请检查垃圾邮件，或与质量奖办公室联系。"
)


def test_enterprise_registers_itself_and_is_told_by_email(client):
    with delivered():
        response = client.post("/accounts/register/", registration_data(), follow=True)
    assert response.redirect_chain == [("/accounts/register/sent/", 302)]
    assert NEUTRAL in response.content.decode()
    user = User.objects.get(username="xinxing")
    assert (user.role, user.organization.credit_code, user.full_name) == (
        Role.APPLICANT,
        NEW_CODE,
        "李四",
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["lisi@example.com"], "【政府质量奖门户】注册成功")
    ]
    assert "您的用户名是 xinxing" in mail.outbox[0].body
    assert "http://testserver/accounts/login/" in mail.outbox[0].body
    assert AuditEntry.objects.get(action="register_organization").actor == user
    # Not signed in by the registration (that would tell a stranger it worked): they log in.
    assert "_auth_user_id" not in client.session
    login = client.post(
        "/accounts/login/", {"username": "xinxing", "password": "Quality-2026-award"}, follow=True
    )
    assert "天门新星电子有限公司" in login.content.decode()


def _sent_page(client, **overrides) -> str:
    with delivered():
        response = client.post("/accounts/register/", registration_data(**overrides), follow=True)
    assert response.redirect_chain == [("/accounts/register/sent/", 302)]
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize(
    ("existing", "matched", "owner_reason"),
    [
        ({"username": "XinXing"}, ["username"], "您的用户名“XinXing”"),
        ({"email": "LiSi@example.com"}, ["email"], "您的电子邮箱"),
        (
            {"organization__credit_code": NEW_CODE, "organization__name": "天门老牌电子厂"},
            ["credit_code"],
            "贵单位“天门老牌电子厂”的统一社会信用代码",
        ),
    ],
)
def test_taken_data_gets_the_same_page_and_the_owner_an_email(
    client, existing, matched, owner_reason
):
    fresh_page = _sent_page(
        client,
        **{
            "user-username": "someone",
            "user-email": "s@example.com",
            "org-credit_code": make_credit_code(778, division="429006"),
        },
    )
    mail.outbox.clear()
    owner = ApplicantFactory(**{"username": "owner", "email": "owner@example.com", **existing})
    users, organizations = User.objects.count(), Organization.objects.count()
    page = _sent_page(client)
    assert page == fresh_page
    assert (User.objects.count(), Organization.objects.count()) == (users, organizations)
    owner_mail = [m for m in mail.outbox if m.to == [owner.email]]
    assert len(owner_mail) == 1
    assert owner_mail[0].subject == "【政府质量奖门户】有人尝试使用您的信息注册"
    assert f"使用了{owner_reason}。" in owner_mail[0].body
    assert "http://testserver/accounts/password-reset/" in owner_mail[0].body
    others = [(m.to, m.subject) for m in mail.outbox if m.to != [owner.email]]
    if owner.email.lower() == "lisi@example.com":
        assert others == []
    else:
        assert others == [(["lisi@example.com"], "【政府质量奖门户】注册未完成")]
    entry = AuditEntry.objects.get(action="registration_conflict")
    assert (entry.actor, entry.details) == (None, {"username": "xinxing", "matched": matched})


def test_lowercase_credit_code_is_stored_uppercase(client):
    client.post("/accounts/register/", registration_data(**{"org-credit_code": NEW_CODE.lower()}))
    assert Organization.objects.get(name="天门新星电子有限公司").credit_code == NEW_CODE


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (NEW_CODE[:-1], "统一社会信用代码应为 18 位，当前为 17 位。"),
        (
            NEW_CODE[:-2] + "S" + NEW_CODE[-1],
            "统一社会信用代码不能包含字母 S（I、O、S、V、Z 不用于代码）。",
        ),
    ],
)
def test_invalid_credit_code_is_refused_and_nothing_saved(client, code, message):
    response = client.post("/accounts/register/", registration_data(**{"org-credit_code": code}))
    assert response.status_code == 200
    assert response.context["organization_form"].errors["credit_code"] == [message]
    assert (Organization.objects.count(), User.objects.count()) == (0, 0)


def test_wrong_check_character_is_refused(client):
    wrong = NEW_CODE[:-1] + ("0" if NEW_CODE[-1] != "0" else "1")
    response = client.post("/accounts/register/", registration_data(**{"org-credit_code": wrong}))
    assert response.context["organization_form"].errors["credit_code"] == [
        f"统一社会信用代码校验位错误：第 18 位应为 {NEW_CODE[-1]}，而不是 {wrong[-1]}。"
    ]
    assert Organization.objects.count() == 0


def test_mismatched_passwords_are_refused(client):
    response = client.post(
        "/accounts/register/", registration_data(**{"user-password2": "something-else-2026"})
    )
    errors = response.context["account_form"].errors
    assert errors == {"password2": ["两次输入的密码不一致。"]}
    assert Organization.objects.count() == 0


def test_passwords_need_ten_characters_and_the_demo_password_is_fine(client):
    response = client.post(
        "/accounts/register/",
        registration_data(**{"user-password1": "Qa-2026-x", "user-password2": "Qa-2026-x"}),
    )
    assert response.context["account_form"].errors == {
        "password1": ["此密码太短，至少要包含 10 个字符。"]
    }
    from django.contrib.auth.password_validation import validate_password

    assert validate_password("Award-Demo-2026", User(username="tm_textile")) is None


def test_typed_html_is_shown_as_text(client):
    client.post(
        "/accounts/register/",
        registration_data(**{"org-name": "<script>alert(1)</script>公司"}),
    )
    client.force_login(User.objects.get(username="xinxing"))
    response = client.get("/portal/")
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;公司" in html


def test_login_logout_roundtrip(client):
    applicant = ApplicantFactory(username="zhang")
    response = client.post(
        "/accounts/login/", {"username": "zhang", "password": TEST_PASSWORD}, follow=True
    )
    assert response.redirect_chain == [("/portal/", 302)]
    assert response.context["user"] == applicant
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert client.get("/portal/")["Location"] == "/accounts/login/?next=/portal/"


def test_wrong_password_is_refused_with_a_chinese_message(client):
    ApplicantFactory(username="zhang")
    response = client.post("/accounts/login/", {"username": "zhang", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "请输入一个正确的用户名和密码。注意，两者都区分大小写。"
    ]


def test_password_reset_by_console_email(client):
    ApplicantFactory(username="zhang", email="zhang@example.com")
    response = client.post("/accounts/password-reset/", {"email": "zhang@example.com"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "【政府质量奖门户】重设密码"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "New-Quality-2027", "new_password2": "New-Quality-2027"}
    )
    assert done["Location"] == "/accounts/reset/done/"
    # django-axes counts logins per request, so even the test client's login passes one.
    request = RequestFactory().post("/accounts/login/")
    assert client.login(request=request, username="zhang", password="New-Quality-2027") is True
