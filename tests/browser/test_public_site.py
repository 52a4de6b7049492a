"""The public's journey: from the home page to an award's rules."""

import pytest
from playwright.sync_api import expect

from awards.models import Cycle
from home.demo import build_demo_site
from tests import clock
from tests.factories import AuthorityFactory, CycleFactory, ProgrammeFactory


@pytest.fixture
def demo_site(live_site):
    tianmen = AuthorityFactory(
        name="天门市人民政府", office_name="天门市质强办", region_code="429006"
    )
    yichang = AuthorityFactory(name="宜昌市人民政府", region_code="420500")
    luyu = ProgrammeFactory(authority=tianmen, name="陆羽质量奖", slug="luyu", prize="10万元")
    ProgrammeFactory(authority=yichang, name="三峡质量奖", slug="sanxia")
    CycleFactory(programme=luyu, edition=5)
    build_demo_site()
    return live_site


@pytest.mark.browser
def test_visitor_reads_an_awards_rules_from_the_home_page(demo_site, page):
    page.goto(demo_site + "/")
    expect(page).to_have_title("政府质量奖门户")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".programme-card h3")).to_have_text(["三峡质量奖", "陆羽质量奖"])

    page.get_by_role("link", name="陆羽质量奖", exact=True).click()

    expect(page).to_have_url(demo_site + "/luyu/")
    expect(page.locator("h1")).to_have_text("陆羽质量奖")
    expect(page.locator(".facts dd").first).to_have_text("天门市人民政府")
    expect(page.get_by_role("heading", name="二、申报条件")).to_be_visible()
    expect(page.locator(".rules ol li").first).to_have_text(
        "在天门市行政区域内依法注册登记，具有独立法人资格，正常经营（运行）满3年"
    )
    year = Cycle.objects.get(programme__slug="luyu").year
    expect(page.locator(".cycle-table tbody th")).to_have_text([f"第5届（{year}年度）"])
    expect(page.locator(".cycle-table .status")).to_have_text(["申报中"])


@pytest.mark.browser
def test_visitor_finds_a_notice_by_a_chinese_word(demo_site, page):
    page.goto(demo_site + "/")

    page.get_by_role("searchbox", name="搜索").fill("陆羽")
    page.get_by_role("searchbox", name="搜索").press("Enter")

    expect(page.locator(".search-summary")).to_have_text("“陆羽”共找到 3 条结果。")
    page.get_by_role("link", name="关于开展第5届陆羽质量奖申报工作的通知").click()
    expect(page.locator("h1")).to_have_text("关于开展第5届陆羽质量奖申报工作的通知")
    deadline = Cycle.objects.get(programme__slug="luyu").application_deadline
    written = clock.written(deadline.astimezone(clock.SHANGHAI).date())
    expect(page.locator(".callout-warning")).to_contain_text(
        f"申报截止时间为{written}17:00（北京时间），逾期系统不再受理。"
    )
