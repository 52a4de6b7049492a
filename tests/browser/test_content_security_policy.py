"""Under the Content-Security-Policy the browser blocks nothing the portal or Wagtail's admin
needs: no violation is reported on public pages, the officials' console (date widgets write inline
scripts) or the page editor, and the admin's scripts run (its sidebar is drawn by JavaScript)."""

import pytest
from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD
from tests.factories import CycleFactory, OfficialFactory

pytestmark = pytest.mark.browser


def watch_violations(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_no_policy_violation_on_public_and_admin_pages(live_site, page):
    cycle = CycleFactory()
    official = OfficialFactory(authority=cycle.programme.authority)
    violations = watch_violations(page)
    page.goto(live_site + "/")
    page.goto(live_site + "/accounts/login/")
    page.goto(live_site + "/admin/login/")
    page.locator("input[name=username]").fill(official.username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page).to_have_url(live_site + "/admin/")
    # Drawn by Wagtail's JavaScript: it ran.
    expect(page.locator("[data-wagtail-sidebar] nav, .sidebar nav").first).to_be_visible()
    page.goto(live_site + f"/admin/cycles/edit/{cycle.pk}/")
    expect(page.get_by_role("button", name="保存")).to_be_visible()
    page.goto(live_site + "/admin/pages/")
    page.goto(live_site + "/portal/")
    assert violations == []
