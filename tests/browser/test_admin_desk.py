"""In a real browser the officials' admin is the portal's: its sign-in page and sidebar show the
portal's logo, the work desk is its home, no request leaves the portal and the
Content-Security-Policy reports no violation."""

import pytest
from playwright.sync_api import expect

from awards.enums import ApplicationStatus
from tests.browser.test_content_security_policy import watch_violations
from tests.conftest import TEST_PASSWORD
from tests.factories import CycleFactory, OfficialFactory
from tests.scoring.factories import EligibleApplicationFactory

pytestmark = pytest.mark.browser


def test_the_admin_is_branded_and_its_home_is_the_work_desk(live_site, page):
    cycle = CycleFactory()
    EligibleApplicationFactory(cycle=cycle, status=ApplicationStatus.SUBMITTED)
    official = OfficialFactory(authority=cycle.programme.authority)
    violations = watch_violations(page)
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_site, "data:", "blob:"))
            else elsewhere.append(request.url)
        ),
    )
    page.goto(live_site + "/admin/login/")
    expect(page).to_have_title("登录 - 政府质量奖评审管理平台")
    logo = page.locator(".portal-login-logo img")
    expect(logo).to_be_visible()
    assert logo.evaluate("image => image.naturalWidth") > 0  # the SVG loaded
    page.locator("input[name=username]").fill(official.username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page).to_have_url(live_site + "/admin/")
    sidebar_logo = page.locator("[data-wagtail-sidebar] img.portal-logo")
    expect(sidebar_logo).to_be_visible()
    assert sidebar_logo.evaluate("image => image.naturalWidth") > 0
    screening = page.locator("#desk_awaiting_screening")
    expect(screening.get_by_role("link", name=str(cycle))).to_be_visible()
    screening.get_by_role("link", name=str(cycle)).click()
    expect(page).to_have_url(live_site + f"/admin/screening/?cycle={cycle.pk}&status=submitted")
    assert (violations, elsewhere) == ([], [])
