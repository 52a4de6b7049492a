"""Nothing a reviewer types is lost: background save of a scorecard item, two tabs on different
items, the same item in two tabs, leaving by the side list, an ended session, closing the tab."""

import pytest
from playwright.sync_api import expect

from scoring.review.models import ItemScore
from tests.browser.scoring_world import SESSION_ENDED, STALE_411, log_in, open_scorecard, saved


@pytest.fixture
def scoring(live_site):
    return open_scorecard(live_site, "tm_autoscore")


@pytest.mark.browser
def test_two_tabs_on_different_items_save_and_the_same_item_is_refused(
    scoring, page, browser_context
):
    log_in(page, scoring)
    page.goto(scoring["item"]("4.1.1"))
    other = browser_context.new_page()
    other.goto(scoring["item"]("4.2.1"))
    stale = browser_context.new_page()
    stale.goto(scoring["item"]("4.1.1"))

    page.get_by_label("得分百分比").select_option("60")
    page.get_by_label("优势").fill("高层领导亲自推动战略回顾。")
    expect(page.locator("[data-autosave-status]")).to_contain_text("已保存 ")
    expect(page.locator('[data-nav-item="4.1.1"] .mark')).to_have_text("60% ✓")
    other.get_by_label("优势").fill("战略部署到车间班组。")
    expect(other.locator("[data-autosave-status]")).to_contain_text("已保存 ")
    assert saved(scoring) == {
        "4.1.1": (60, "高层领导亲自推动战略回顾。"),
        "4.2.1": (None, "战略部署到车间班组。"),
    }

    # The first tab goes on typing: its own later saves are not stale.
    with page.expect_response(lambda response: "/autosave/" in response.url) as answer:
        page.get_by_label("改进机会").fill("缺少对战略执行的量化评估。")
    assert answer.value.json()["ok"] is True
    expect(page.locator("[data-autosave-status]")).to_contain_text("已保存 ")
    assert ItemScore.objects.get(item__code="4.1.1").improvements == "缺少对战略执行的量化评估。"

    stale.get_by_label("优势").fill("旧窗口的内容")
    expect(stale.locator("[data-autosave-status]")).to_have_text(STALE_411)
    expect(stale.get_by_label("优势")).to_have_value("旧窗口的内容")
    assert saved(scoring)["4.1.1"] == (60, "高层领导亲自推动战略回顾。")


@pytest.mark.browser
def test_leaving_saves_first_and_an_ended_session_keeps_the_text(scoring, page, browser_context):
    log_in(page, scoring)
    page.goto(scoring["item"]("4.1.1"))
    page.get_by_label("优势").fill("离开前写的")
    page.locator('[data-nav-item="4.1.2"]').click()
    expect(page.locator("#item-title")).to_contain_text("4.1.2")
    assert saved(scoring) == {"4.1.1": (None, "离开前写的")}

    elsewhere = browser_context.new_page()
    elsewhere.goto(scoring["url"] + "/review/")
    elsewhere.get_by_role("button", name="退出登录").click()
    page.get_by_label("优势").fill("会话结束时写的")
    expect(page.locator("[data-autosave-status]")).to_have_text(SESSION_ENDED)
    expect(page.get_by_label("优势")).to_have_value("会话结束时写的")
    assert "4.1.2" not in saved(scoring)

    log_in(elsewhere, scoring)
    elsewhere.goto(scoring["item"]("4.1.2"))
    elsewhere.get_by_role("button", name="恢复这些内容").click()
    expect(elsewhere.get_by_label("优势")).to_have_value("会话结束时写的")
    expect(elsewhere.locator("[data-autosave-status]")).to_contain_text("已保存 ")
    assert saved(scoring)["4.1.2"] == (None, "会话结束时写的")

    # Closing the tab with input not yet saved asks first.
    elsewhere.get_by_label("改进机会").press_sequentially("关闭前")
    dialogs = []
    elsewhere.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    elsewhere.close(run_before_unload=True)
    elsewhere.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
