"""Answers to signed-in users are never stored by a cache; public CMS pages stay cacheable; every
page carries the Content-Security-Policy, which allows no inline script outside Wagtail's admin."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import ApplicantFactory, OfficialFactory

pytestmark = pytest.mark.django_db

STRICT_SCRIPTS = "script-src 'self';"


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1]
        for part in (piece.strip() for piece in header.split(";"))
        if part
    }


def test_a_public_page_for_a_visitor_stays_cacheable(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert directives(response)["script-src"] == "'self'"


@pytest.mark.parametrize("url", ["/", "/portal/", "/search/?q=x"])
def test_every_answer_to_a_signed_in_user_is_no_store(client, home_page, url):
    client.force_login(ApplicantFactory())
    response = client.get(url)
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_admin_pages_are_no_store_and_allow_wagtails_inline_scripts(client, home_page):
    client.force_login(OfficialFactory())
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert directives(response)["script-src"] == "'self' 'unsafe-inline'"


def test_the_policy_of_portal_pages(client, home_page):
    admin = get_user_model().objects.create_superuser("platform-admin", "a@example.com", "x")
    client.force_login(admin)
    policy = directives(client.get("/portal/"))
    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "frame-src": "'self'",
        "frame-ancestors": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
    }
