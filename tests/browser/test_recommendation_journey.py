"""Recommendation in a real browser: the enterprise submits to its district, the district
returns it, the enterprise fixes and resubmits, the district recommends, and the awarding
authority's official screens it and reads the opinion and who gave it."""

import pytest
from playwright.sync_api import expect

from awards.enums import ApplicationStatus, AuthorityKind, RecommendationStatus
from awards.models import Application
from tests.conftest import TEST_PASSWORD
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    OfficialFactory,
    RecommenderFactory,
    fill_application,
    open_cycle,
    started_application,
)


@pytest.fixture
def journey(live_site):
    yichang = AuthorityFactory(
        name="宜昌市人民政府",
        region_code="420500",
        region_name="湖北省宜昌市",
        region_prefix="4205",
    )
    xiling = AuthorityFactory(
        name="宜昌市西陵区人民政府",
        region_code="420502",
        region_name="湖北省宜昌市西陵区",
        region_prefix="420502",
        parent=yichang,
        kind=AuthorityKind.GOVERNMENT,
    )
    cycle = open_cycle(
        programme__authority=yichang,
        programme__name="三峡质量奖",
        programme__requires_recommendation=True,
    )
    user = ApplicantFactory(
        username="yc_chem",
        organization__name="宜昌三峡精细化工股份有限公司",
        organization__region_code="420502",
        organization__region_name="湖北省宜昌市西陵区",
        password=TEST_PASSWORD,
    )
    application, _user = started_application(cycle=cycle, user=user)
    fill_application(application, user)
    RecommenderFactory(
        username="yc_xiling_recommender",
        full_name="秦雪梅",
        authority=xiling,
        password=TEST_PASSWORD,
    )
    OfficialFactory(username="yichang_official", authority=yichang, password=TEST_PASSWORD)
    return {"url": live_site, "application": application}


def new_page(browser):
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(120_000)  # submission renders the PDF
    return context.new_page()


def portal_page(browser, url: str, username: str):
    page = new_page(browser)
    page.goto(url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("我的工作台")
    return page


def decide(page, url: str, decision: str, text: str) -> None:
    page.goto(url + "/portal/recommendations/")
    page.locator("[data-recommendations] a.button").first.click()
    page.get_by_role("radio", name=decision, exact=True).check()
    page.get_by_label("推荐意见或理由").fill(text)
    page.get_by_role("button", name="提交推荐结论").click()
    expect(page.locator("h1")).to_have_text("推荐工作台")


@pytest.mark.browser
def test_district_returns_enterprise_fixes_district_recommends_official_sees_opinion(
    journey, browser
):
    url = journey["url"]
    application = journey["application"]
    review = f"{url}/portal/applications/{application.pk}/step/review/"

    enterprise = portal_page(browser, url, "yc_chem")
    enterprise.goto(review)
    enterprise.get_by_label("推荐单位").select_option(label="宜昌市西陵区人民政府")
    enterprise.locator("input[name$=commitment]").check()
    enterprise.get_by_role("button", name="提交申报").click()
    expect(enterprise.locator(".messages")).to_contain_text("已送宜昌市西陵区人民政府推荐")

    district = portal_page(browser, url, "yc_xiling_recommender")
    district.get_by_role("link", name="进入推荐工作台").click()
    expect(district.locator("[data-recommendations]")).to_contain_text(
        "宜昌三峡精细化工股份有限公司"
    )
    decide(district, url, "退回修改", "请在组织概述中补充近三年主要产品的市场占有率。")

    enterprise.goto(f"{url}/portal/applications/{application.pk}/")
    expect(enterprise.locator("[data-recommendation-reason]")).to_contain_text(
        "请在组织概述中补充近三年主要产品的市场占有率。"
    )
    enterprise.goto(f"{url}/portal/applications/{application.pk}/step/overview/")
    overview = enterprise.locator("textarea").first
    overview.fill(overview.input_value() + "近三年主要产品国内市场占有率保持在 18% 以上。")
    enterprise.locator(".wizard-actions button[value=save]").click()
    enterprise.goto(review)
    expect(enterprise.locator("[data-recommending-body]")).to_contain_text("宜昌市西陵区人民政府")
    enterprise.locator("input[name$=commitment]").check()
    enterprise.get_by_role("button", name="提交申报").click()
    expect(enterprise.locator(".messages")).to_contain_text("申报已提交")

    decide(district, url, "推荐", "该企业质量管理体系健全，主要指标居全市前列，同意推荐。")
    application.refresh_from_db()
    assert (application.status, application.recommendation.status) == (
        ApplicationStatus.SUBMITTED,
        RecommendationStatus.RECOMMENDED,
    )

    official = new_page(browser)
    official.goto(url + "/admin/login/")
    official.locator("input[name=username]").fill("yichang_official")
    official.locator("input[name=password]").fill(TEST_PASSWORD)
    official.locator("form button[type=submit]").first.click()
    expect(official).to_have_url(url + "/admin/")
    official.goto(f"{url}/admin/screening/")
    official.locator(f"a[href='/admin/screening/{application.pk}/']").click()
    expect(official.locator("[data-opinion]")).to_have_text(
        "该企业质量管理体系健全，主要指标居全市前列，同意推荐。"
    )
    expect(official.locator("[data-recommended-by]")).to_have_text("秦雪梅")
    expect(official.locator("[data-recommending-body]")).to_have_text("宜昌市西陵区人民政府")
    official.get_by_label("通过", exact=True).check()
    official.get_by_role("button", name="提交审查结论").click()
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.ELIGIBLE
