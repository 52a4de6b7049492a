"""The applicant's journey in a real browser: start, fill, upload, leave, come back, submit."""

import re

import pytest
from playwright.sync_api import expect

from awards.enums import ApplicationStatus
from awards.models import Application, Attachment
from tests.browser.steps import sign_in_to_dashboard
from tests.conftest import TEST_PASSWORD
from tests.factories import open_cycle, pdf_bytes, tianmen_applicant

CATEGORIES = ["4-1", "4-2", "4-3", "4-4", "4-5", "4-6", "4-7"]
OVERVIEW = "本公司成立于 2005 年，主营纺织机械。\n<script>alert(1)</script>"
PDF_TIMEOUT = 90_000
SCREENSHOTS = None  # set to a directory path to keep a PNG of every step while developing


@pytest.fixture
def journey(live_site, tmp_path):
    cycle = open_cycle(programme__name="陆羽质量奖", edition=5)
    user = tianmen_applicant(
        username="tm_textile",
        full_name="李四",
        organization__name="天门纺织机械股份有限公司",
        password=TEST_PASSWORD,
    )
    evidence = tmp_path / "近三年审计报告.pdf"
    evidence.write_bytes(pdf_bytes("audited statements"))
    return {"url": live_site, "cycle": cycle, "user": user, "pdf": evidence}


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def save_and_continue(page) -> None:
    page.locator(".wizard-actions").get_by_role("button", name="保存并继续").click()


def fill_category(page, code: str) -> None:
    expect(page).to_have_url(re.compile(rf"/step/sa-{code}/$"))
    for textarea in page.locator("textarea").all():
        textarea.fill(f"本公司在该条款方面建立了系统的方法并持续改进（{code}）。")
    for select in page.locator("select").all():
        select.select_option("60")
    shot(page, f"sa-{code}")
    save_and_continue(page)


@pytest.mark.browser
def test_applicant_starts_leaves_midway_comes_back_and_submits(journey, page):
    url = journey["url"]
    sign_in_to_dashboard(page, url, "tm_textile")

    page.get_by_role("button", name="开始申报").click()
    expect(page.locator("h1")).to_have_text("申报表")
    expect(page.locator(".messages")).to_contain_text("已创建申报草稿，填写内容会自动保存。")
    expect(page.locator("#id_basic-organization_name")).to_have_value("天门纺织机械股份有限公司")
    expect(page.locator("[data-progress] li")).to_have_count(12)
    for field, value in {
        "address": "湖北省天门市竟陵街道工业园 8 号",
        "legal_representative": "张三",
        "contact_phone": "0728-5211234",
        "employees": "860",
        "revenue_1": "52000",
        "revenue_2": "56000",
        "revenue_3": "61000",
        "profit_1": "3100",
        "profit_2": "3500",
        "profit_3": "4200",
        "iso9001_date": "2012-06-01",
        "excellence_model_year": "2018",
    }.items():
        page.locator(f"#id_basic-{field}").fill(value)
    shot(page, "basic")
    save_and_continue(page)

    expect(page.locator("h1")).to_have_text("资格条件声明")
    for radio in page.get_by_label("未发生").all():
        radio.check()
    shot(page, "eligibility")
    save_and_continue(page)

    expect(page.locator("h1")).to_have_text("组织概述")
    overview = page.locator("#id_overview-overview")
    overview.fill(OVERVIEW)
    expect(page.locator(".char-count")).to_have_text(
        f"已输入 {len(OVERVIEW)} / 3000 个字符，还可输入 {3000 - len(OVERVIEW)} 个字符"
    )
    overview.fill("质" * 3010)
    expect(page.locator(".char-count")).to_have_text(
        "超出 10 个字符（上限 3000 个字符，当前 3010 个字符）"
    )
    save_and_continue(page)
    expect(page.locator(".error-message")).to_have_text(
        "超出 10 个字符（上限 3000 个字符，当前 3010 个字符），请删减。"
    )
    overview.fill(OVERVIEW)
    shot(page, "overview")
    save_and_continue(page)

    fill_category(page, "4-1")
    fill_category(page, "4-2")
    expect(page).to_have_url(re.compile(r"/step/sa-4-3/$"))

    # Leave mid-way: log out, then come back and continue where the work stopped.
    page.get_by_role("button", name="退出登录").click()
    sign_in_to_dashboard(page, url, "tm_textile")
    page.get_by_role("link", name="继续填写").click()
    expect(page).to_have_url(re.compile(r"/step/sa-4-3/$"))
    page.get_by_role("button", name="上一步").click()
    expect(page.locator("textarea").first).to_have_value(
        "本公司在该条款方面建立了系统的方法并持续改进（4-2）。"
    )
    save_and_continue(page)

    for code in CATEGORIES[2:]:
        fill_category(page, code)

    expect(page.locator("h1")).to_have_text("证明材料")
    for code in ("financial-statements", "certificates", "commitment"):
        page.locator(f"#id_evidence-file_{code}").set_input_files(str(journey["pdf"]))
    page.get_by_role("button", name="上传所选文件").click()
    expect(page.locator(".evidence-files a")).to_have_text(["近三年审计报告.pdf"] * 3)
    shot(page, "evidence")
    save_and_continue(page)

    expect(page.locator("h1")).to_have_text("确认提交")
    expect(page.locator("[data-ready]")).to_be_visible()
    expect(page.locator("[data-overview]")).to_have_text(OVERVIEW)
    page.get_by_label(re.compile("本单位承诺")).check()
    shot(page, "review")
    # With the immediate task backend the PDF is printed before the response (a few seconds).
    page.get_by_role("button", name="提交申报").click(timeout=PDF_TIMEOUT)

    expect(page.locator("[data-status]")).to_have_text("已提交", timeout=PDF_TIMEOUT)
    expect(page.locator("[data-timeline] li strong")).to_have_text(["草稿", "已提交"])
    page.reload()
    with page.expect_download() as download:
        page.locator("[data-pdf-link]").click()
    assert download.value.suggested_filename == "天门纺织机械股份有限公司-申报书.pdf"
    shot(page, "submitted")

    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.events.count() == 2
    assert Attachment.objects.filter(application=application).count() == 3
    assert application.draft["overview"]["overview"].endswith("<script>alert(1)</script>")
