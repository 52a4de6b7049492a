"""The officials' admin is branded as the portal and loads nothing from another site: its sign-in
page and home carry the portal's name and logo (in Chinese and in English), and no src or href
points anywhere but the portal itself, so the Content-Security-Policy is never violated."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from tests.factories import OfficialFactory
from tests.home.test_security_headers import directives

pytestmark = pytest.mark.django_db

LOGO = "/static/images/portal-logo.svg"
NAMES = {"zh-hans": "政府质量奖评审管理平台", "en": "Government Quality Award Review Platform"}
SIGN_IN = {
    "zh-hans": "登录政府质量奖评审管理平台",
    "en": "Sign in to the Government Quality Award Review Platform",
}


def page(client, url: str, language: str, user=None):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


def addresses(html: str) -> list[str]:
    return re.findall(r'\b(?:src|href)="([^"]*)"', html)


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_sign_in_page_is_the_portals(client, language):
    html = page(client, "/admin/login/", language).content.decode()
    name = NAMES[language]
    assert title(html).endswith(f" - {name}")
    assert f"<h1>{SIGN_IN[language]}</h1>" in html
    assert f'<img class="portal-logo" src="{LOGO}" alt="{name}" width="96" height="96">' in html
    assert f'<p class="portal-login-logo__name">{name}</p>' in html
    assert "icon-wagtail" not in html
    assert "Wagtail" not in title(html)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_sidebar_title_and_welcome_are_the_portals(client, language):
    html = page(client, "/admin/", language, OfficialFactory()).content.decode()
    name = NAMES[language]
    assert title(html).endswith(f" - {name}")
    sidebar_logo = re.search(
        r"<template data-wagtail-sidebar-branding-logo>(.*?)</template>", html, re.S
    ).group(1)
    assert sidebar_logo == (
        f'<img class="portal-logo portal-logo--sidebar" src="{LOGO}" alt="{name}" '
        'width="64" height="64">\n'
    )
    assert f'<h1 class="w-h1 w-mt-0">{name}</h1>' in html
    assert f'<link rel="icon" type="image/svg+xml" href="{LOGO}">' in html
    assert "icon-wagtail" not in html


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/"])
def test_nothing_is_loaded_or_linked_from_another_site(client, url):
    response = page(client, url, "zh-hans", OfficialFactory() if url == "/admin/" else None)
    html = response.content.decode()
    found = addresses(html)
    assert found  # the pattern does find the page's scripts, styles and links
    external = [
        address
        for address in found
        if re.match(r"^(?:[a-z]+:)?//", address, re.I) or address.startswith("data:")
    ]
    assert external == []
    # Nor in the sidebar's menu data, nor an avatar from gravatar.
    assert "wagtail.org" not in html
    assert "gravatar" not in html
    assert "enable-javascript.com" not in html
    # Every script, style sheet and image is the portal's own, which is all the policy allows.
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["img-src"] == "'self' data: blob:"
    loaded = re.findall(r'<(?:script|img)[^>]*\bsrc="([^"]*)"', html)
    loaded += re.findall(r'<link[^>]*\bhref="([^"]*)"', html)
    assert loaded and all(address.startswith("/") for address in loaded)


def test_avatars_never_come_from_gravatar():
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False


def test_the_portals_logo_is_its_own_svg():
    svg = (settings.BASE_DIR / "static" / "images" / "portal-logo.svg").read_text()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"')
    assert "<script" not in svg and "href" not in svg


def test_the_admins_not_found_page_shows_the_portals_logo(client):
    client.force_login(OfficialFactory())
    response = client.get("/admin/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert (
        '<div class="page404__logo w-hidden sm:w-block"><img class="portal-logo" '
        f'src="{LOGO}" alt="政府质量奖评审管理平台" width="160" height="160">'
    ) in html
    assert "icon-wagtail" not in html
    assert [a for a in addresses(html) if re.match(r"^(?:[a-z]+:)?//", a, re.I)] == []
