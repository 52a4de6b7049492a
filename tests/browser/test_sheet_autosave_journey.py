"""Nothing a reviewer types on the whole sheet is lost: background save and a reload, the sheet
beside an item page on another item, the same item refused, an ended session, closing the tab."""

import pytest
from playwright.sync_api import expect

from tests.browser.scoring_world import SESSION_ENDED, STALE_411, log_in, open_scorecard, saved


@pytest.fixture
def scoring(live_site):
    return open_scorecard(live_site, "tm_sheetscore")


@pytest.mark.browser
def test_the_sheet_saves_in_the_background_beside_an_item_page_and_refuses_the_same_item(
    scoring, page, browser_context
):
    log_in(page, scoring)
    page.goto(scoring["sheet"])
    stale = browser_context.new_page()
    stale.goto(scoring["sheet"])
    item_page = browser_context.new_page()
    item_page.goto(scoring["item"]("4.2.1"))

    page.get_by_label("4.1.1 得分百分比").select_option("60")
    page.get_by_label("4.1.1 优势").fill("高层领导亲自推动战略回顾。")
    expect(page.locator("[data-autosave-status]")).to_contain_text("已保存 ")
    expect(page.locator("[data-total-output]")).to_have_text("30")
    assert saved(scoring) == {"4.1.1": (60, "高层领导亲自推动战略回顾。")}

    # An item page on another item saves, and the sheet goes on saving its own rows.
    item_page.get_by_label("优势").fill("战略部署到车间班组。")
    expect(item_page.locator("[data-autosave-status]")).to_contain_text("已保存 ")
    with page.expect_response(lambda response: "/sheet/autosave/" in response.url) as answer:
        page.get_by_label("4.1.1 改进机会").fill("缺少对战略执行的量化评估。")
    assert (answer.value.status, answer.value.json()["saved"]) == (200, ["4.1.1"])
    expect(page.locator("[data-autosave-status]")).to_contain_text("已保存 ")
    assert saved(scoring) == {
        "4.1.1": (60, "高层领导亲自推动战略回顾。"),
        "4.2.1": (None, "战略部署到车间班组。"),
    }

    # A sheet loaded before all this changes the same item: refused, naming it; text kept.
    stale.get_by_label("4.1.1 优势").fill("旧窗口的内容")
    expect(stale.locator("[data-autosave-status]")).to_have_text(STALE_411)
    expect(stale.get_by_label("4.1.1 优势")).to_have_value("旧窗口的内容")
    assert saved(scoring)["4.1.1"] == (60, "高层领导亲自推动战略回顾。")

    page.reload()
    expect(page.get_by_label("4.1.1 优势")).to_have_value("高层领导亲自推动战略回顾。")
    expect(page.get_by_label("4.2.1 优势")).to_have_value("战略部署到车间班组。")


@pytest.mark.browser
def test_an_ended_session_keeps_the_sheets_text_and_closing_asks_first(
    scoring, page, browser_context
):
    log_in(page, scoring)
    page.goto(scoring["sheet"])
    elsewhere = browser_context.new_page()
    elsewhere.goto(scoring["url"] + "/review/")
    elsewhere.get_by_role("button", name="退出登录").click()

    page.get_by_label("4.1.2 优势").fill("会话结束时写的")
    expect(page.locator("[data-autosave-status]")).to_have_text(SESSION_ENDED)
    expect(page.get_by_label("4.1.2 优势")).to_have_value("会话结束时写的")
    assert saved(scoring) == {}

    log_in(elsewhere, scoring)
    elsewhere.goto(scoring["sheet"])
    elsewhere.get_by_role("button", name="恢复这些内容").click()
    expect(elsewhere.get_by_label("4.1.2 优势")).to_have_value("会话结束时写的")
    expect(elsewhere.locator("[data-autosave-status]")).to_contain_text("已保存 ")
    assert saved(scoring) == {"4.1.2": (None, "会话结束时写的")}

    # Closing the tab with input not yet saved asks first.
    elsewhere.get_by_label("4.3.1 改进机会").press_sequentially("关闭前")
    dialogs = []
    elsewhere.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    elsewhere.close(run_before_unload=True)
    elsewhere.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
