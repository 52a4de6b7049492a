"""The account pages look like the rest of the portal, in Chinese and in English: the account
card with its links, labelled fields with help text and errors beside them, and selects that
start with "请选择…" (not Django's dashes)."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import ApplicantFactory, ReviewerFactory

pytestmark = pytest.mark.django_db

#: url name → (URL, who asks, Chinese title, English title)
PAGES = {
    "login": ("/accounts/login/", None, "登录", "Log in"),
    "register": ("/accounts/register/", None, "申报单位注册", "Applicant registration"),
    "register-sent": ("/accounts/register/sent/", None, "注册申请已提交", "Registration submitted"),
    "password-reset": ("/accounts/password-reset/", None, "找回密码", "Password recovery"),
    "password-reset-done": ("/accounts/password-reset/sent/", None, "邮件已发送", "Email sent"),
    "password-reset-complete": ("/accounts/reset/done/", None, "密码已设置", "Password set"),
    "profile": ("/accounts/profile/", "applicant", "个人资料", "Profile"),
    "password-change": ("/accounts/password/", "applicant", "修改密码", "Change password"),
    "colleagues": ("/portal/colleagues/", "applicant", "单位用户", "Organisation users"),
    "two-factor": ("/accounts/two-factor/", "reviewer", "两步验证", "Two-factor login"),
    "two-factor-setup": (
        "/accounts/two-factor/setup/",
        "reviewer",
        "启用两步验证",
        "Turn on two-factor login",
    ),
}


def _get(client, url, language, who=None):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if who == "applicant":
        client.force_login(ApplicantFactory(username="zhang"))
    elif who == "reviewer":
        client.force_login(ReviewerFactory(username="li"))
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_account_page_is_a_styled_card_in_the_viewers_language(client, name, language):
    url, who, chinese, english = PAGES[name]
    html = _get(client, url, language, who)
    title = chinese if language == "zh-hans" else english
    assert re.search(r"<h1>\s*(.*?)\s*</h1>", html).group(1) == title
    assert '<div class="account-page ' in html
    assert f'data-account-page="{name}"' in html
    assert '<section class="account-card">' in html
    assert "/static/css/accounts.css" in html
    assert "data-account-links" in html
    assert "---------" not in html
    assert "Select an option" not in html


def test_the_chinese_registration_form_is_labelled_with_help_and_a_chinese_placeholder(client):
    html = _get(client, "/accounts/register/", "zh-hans")
    assert html.count('<option value="" selected>请选择…</option>') == 2  # industry, size
    assert (
        '<label for="id_org-name">单位名称 <span class="required" aria-hidden="true">*</span>'
        in html
    )
    assert '<div class="help" id="id_org-region_code_helptext">6 位行政区划代码' in html
    assert 'autocomplete="new-password"' in html
    assert '<input type="tel" name="user-phone"' in html
    assert "<legend>单位信息</legend>" in html


def test_the_english_registration_form_is_all_english(client):
    html = _get(client, "/accounts/register/", "en")
    assert html.count('<option value="" selected>Choose…</option>') == 2
    assert '<label for="id_org-name">Organisation name <span class="required"' in html
    assert "<legend>Organisation details</legend>" in html
    assert "请选择" not in html


@pytest.mark.parametrize(
    ("language", "message"),
    [("zh-hans", "两次输入的密码不一致。"), ("en", "The two passwords do not match.")],
)
def test_an_error_is_shown_under_its_field(client, language, message):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(
        "/accounts/register/",
        {"user-password1": "Quality-2026-award", "user-password2": "Other-2026-award"},
    )
    html = response.content.decode()
    field = html[html.index('data-field="user-password2"') :]
    field = field[: field.index("</div>\n  </div>") + len("</div>")]
    assert (
        f'<div class="field-errors" id="id_user-password2_error" role="alert">'
        f'<p class="error-message">{message}</p></div>'
    ) in field
    assert 'aria-describedby="id_user-password2_error"' in field
    assert 'class="form-field has-error"' in html


@pytest.mark.parametrize(
    ("language", "title"), [("zh-hans", "设置新密码"), ("en", "Set a new password")]
)
def test_the_reset_link_page_is_styled_and_a_bad_link_says_so(client, language, title):
    user = ApplicantFactory(username="wang")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    response = client.get(f"/accounts/reset/{uid}/{token}/", follow=True)
    html = response.content.decode()
    assert re.search(r"<h1>\s*(.*?)\s*</h1>", html).group(1) == title
    assert 'data-account-page="password-reset-confirm"' in html
    assert 'name="new_password1"' in html and 'autocomplete="new-password"' in html
    bad = client.get(f"/accounts/reset/{uid}/wrong-token/").content.decode()
    assert "data-link-invalid" in bad


def test_the_pages_link_to_each_other(client):
    login = _get(client, "/accounts/login/", "zh-hans")
    assert 'href="/accounts/password-reset/"' in login and 'href="/accounts/register/"' in login
    register = _get(client, "/accounts/register/", "zh-hans")
    assert 'href="/accounts/login/"' in register
    reset = _get(client, "/accounts/password-reset/", "zh-hans")
    assert 'href="/accounts/login/"' in reset


def test_the_header_menu_leads_to_the_profile_and_the_profile_to_the_other_account_pages(client):
    html = _get(client, "/portal/", "zh-hans", "applicant")
    assert '<a href="/accounts/profile/" data-profile-link>个人资料</a>' in html
    assert 'href="/portal/colleagues/" data-colleagues-link' in html
    profile = _get(client, "/accounts/profile/", "en")
    links = profile[profile.index("data-account-links") :]
    links = links[: links.index("</ul>")]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', links) == [
        ("/accounts/profile/", "Profile"),
        ("/accounts/password/", "Change password"),
        ("/accounts/two-factor/", "Two-factor login"),
        ("/portal/colleagues/", "Organisation users"),
        ("/portal/", "My dashboard"),
    ]
