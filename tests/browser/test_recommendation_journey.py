"""Recommendation in a real browser, in the recommendation world (``recommendation_world``):
the enterprise submits to its city, the city returns it, the enterprise fixes and resubmits, the
city recommends, and the awarding authority's official screens it and reads the opinion and who
gave it; and the city files an individual application itself, which reaches screening as its
recommendation."""

import pytest
from playwright.sync_api import expect

from awards.enums import ApplicationStatus, RecommendationStatus, Track
from awards.models import Application
from tests.awards.recommendation_world import build_world
from tests.browser.steps import fill_individual_wizard, log_in_to_admin, sign_in_to_dashboard
from tests.conftest import TEST_PASSWORD
from tests.factories import pdf_bytes
from tests.individual_world import SECRET_ID, with_individual_track


def signs_in_as(user, username: str) -> str:
    """Give a person of the world a login the browser can type."""
    user.username = username
    user.set_password(TEST_PASSWORD)
    user.save()
    return username


@pytest.fixture
def world(live_site):
    """The recommendation world (江西省, 南昌市 and its market department, 九江市) with logins
    for the 南昌 recommender and the province's official."""
    world = build_world(name="井冈质量奖")
    signs_in_as(world.nanchang_recommender, "nc_recommender")
    signs_in_as(world.official, "jiangxi_official")
    return world


@pytest.fixture
def journey(world, live_site):
    user = world.applicant(
        "nanchang",
        username="nc_chem",
        organization__name="南昌洪城精细化工股份有限公司",
        password=TEST_PASSWORD,
    )
    return {"url": live_site, "world": world, "application": world.filled(user=user)}


def new_page(browser):
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(120_000)  # submission renders the PDF
    return context.new_page()


def portal_page(browser, url: str, username: str):
    page = new_page(browser)
    sign_in_to_dashboard(page, url, username)
    return page


def decide(page, url: str, decision: str, text: str) -> None:
    page.goto(url + "/portal/recommendations/")
    page.locator("[data-recommendations] a.button").first.click()
    page.get_by_role("radio", name=decision, exact=True).check()
    page.get_by_label("推荐意见或理由").fill(text)
    page.get_by_role("button", name="提交推荐结论").click()
    expect(page.locator("h1")).to_have_text("推荐工作台")


@pytest.mark.browser
def test_city_returns_enterprise_fixes_city_recommends_official_sees_opinion(journey, browser):
    url = journey["url"]
    application = journey["application"]
    review = f"{url}/portal/applications/{application.pk}/step/review/"

    enterprise = portal_page(browser, url, "nc_chem")
    enterprise.goto(review)
    enterprise.get_by_label("推荐单位").select_option(label="南昌市人民政府")
    enterprise.locator("input[name$=commitment]").check()
    enterprise.get_by_role("button", name="提交申报").click()
    expect(enterprise.locator(".messages")).to_contain_text("已送南昌市人民政府推荐")

    city = portal_page(browser, url, "nc_recommender")
    city.get_by_role("link", name="进入推荐工作台").click()
    expect(city.locator("[data-recommendations]")).to_contain_text("南昌洪城精细化工股份有限公司")
    decide(city, url, "退回修改", "请在组织概述中补充近三年主要产品的市场占有率。")

    enterprise.goto(f"{url}/portal/applications/{application.pk}/")
    expect(enterprise.locator("[data-recommendation-reason]")).to_contain_text(
        "请在组织概述中补充近三年主要产品的市场占有率。"
    )
    enterprise.goto(f"{url}/portal/applications/{application.pk}/step/overview/")
    overview = enterprise.locator("textarea").first
    overview.fill(overview.input_value() + "近三年主要产品国内市场占有率保持在 18% 以上。")
    enterprise.locator(".wizard-actions button[value=save]").click()
    enterprise.goto(review)
    expect(enterprise.locator("[data-recommending-body]")).to_contain_text("南昌市人民政府")
    enterprise.locator("input[name$=commitment]").check()
    enterprise.get_by_role("button", name="提交申报").click()
    expect(enterprise.locator(".messages")).to_contain_text("申报已提交")

    decide(city, url, "推荐", "该企业质量管理体系健全，主要指标居全市前列，同意推荐。")
    application.refresh_from_db()
    assert (application.status, application.recommendation.status) == (
        ApplicationStatus.SUBMITTED,
        RecommendationStatus.RECOMMENDED,
    )

    official = new_page(browser)
    log_in_to_admin(official, url, "jiangxi_official")
    official.goto(f"{url}/admin/screening/")
    official.locator(f"a[href='/admin/screening/{application.pk}/']").click()
    expect(official.locator("[data-opinion]")).to_have_text(
        "该企业质量管理体系健全，主要指标居全市前列，同意推荐。"
    )
    recommender = journey["world"].nanchang_recommender
    expect(official.locator("[data-recommended-by]")).to_have_text(recommender.full_name)
    expect(official.locator("[data-recommending-body]")).to_have_text("南昌市人民政府")
    official.get_by_label("通过", exact=True).check()
    official.get_by_role("button", name="提交审查结论").click()
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.ELIGIBLE


@pytest.mark.browser
def test_the_city_files_an_individual_application_and_the_official_screens_it(
    world, live_site, browser, tmp_path
):
    """The recommending body files for a person of an employer of its region: the ordinary
    wizard, the candidate's signed consent, and its opinion on submission; the awarding
    authority's official then finds it in screening, recommended by that body."""
    with_individual_track(world.cycle)
    world.applicant("nanchang", organization__name="江西洪都航空装备有限公司")
    world.applicant("jiujiang", organization__name="九江石化设备有限公司")
    consent = tmp_path / "候选人同意书.pdf"
    consent.write_bytes(pdf_bytes("consent"))
    opinion = "刘志强同志从事质量工作二十余年，业绩突出，同意推荐。"

    city = portal_page(browser, live_site, "nc_recommender")
    city.get_by_role("link", name="代为申报个人奖").click()
    city.get_by_role("link", name="选择候选人所在单位").click()
    expect(city.locator("[data-filing-organizations]")).not_to_contain_text("九江石化设备有限公司")
    city.locator("[data-filing-organizations] tr", has_text="江西洪都航空装备有限公司").get_by_role(
        "button", name="为该单位人员代为申报"
    ).click()
    fill_individual_wizard(city, consent, name="刘志强", id_number=SECRET_ID)
    expect(city.locator("[data-filed-by-body]")).to_contain_text("本申报由南昌市人民政府代为填报")
    city.locator("textarea[name$=opinion]").fill(opinion)
    city.locator("input[name$=commitment]").check()
    city.get_by_role("button", name="提交申报").click()
    expect(city.locator(".messages")).to_contain_text("已作为南昌市人民政府的推荐")
    person = Application.objects.get(track=Track.INDIVIDUAL)
    assert (person.status, person.recommendation.status) == (
        ApplicationStatus.SUBMITTED,
        RecommendationStatus.RECOMMENDED,
    )

    official = new_page(browser)
    log_in_to_admin(official, live_site, "jiangxi_official")
    official.goto(f"{live_site}/admin/screening/")
    official.locator(f"a[href='/admin/screening/{person.pk}/']").click()
    expect(official.locator("[data-recommending-body]")).to_have_text("南昌市人民政府")
    expect(official.locator("[data-opinion]")).to_have_text(opinion)
    expect(official.locator("[data-recommended-by]")).to_have_text(
        world.nanchang_recommender.full_name
    )
