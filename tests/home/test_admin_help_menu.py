"""Wagtail's own "What's new" help item is not in the officials' admin, in either language: it is
about Wagtail's releases and links to wagtail.org (awards.wagtail_hooks keeps help on the portal)."""

import html
import json

import pytest
from wagtail.utils.version import get_main_version

from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db


def shows(page: str, text: str) -> bool:
    """``text`` is on the page as HTML or inside the sidebar's JSON (escaped either way)."""
    escaped = json.dumps(text)[1:-1]
    forms = {text, html.escape(text), escaped, escaped.replace("'", "\\u0027")}
    forms |= {html.escape(form) for form in list(forms)}
    return any(form in page for form in forms)


def test_no_whats_new_item_in_either_language(client):
    client.force_login(OfficialFactory())
    version = get_main_version(include_patch=False)

    chinese = client.get("/admin/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/admin/").content.decode()

    assert "/admin/" in chinese and "/admin/" in english
    for page in (chinese, english):
        assert not shows(page, f"Wagtail {version} 的新功能")
        assert not shows(page, f"What's new in Wagtail {version}")
        assert not shows(page, "whats-new")
