"""Nothing a reviewer types is lost: background save of a scorecard item, two tabs on different
items, the same item in two tabs, leaving by the side list, an ended session, closing the tab."""

import pytest
from playwright.sync_api import expect

from scoring.review.models import ItemScore
from tests.conftest import TEST_PASSWORD
from tests.factories import AuthorityFactory, CycleFactory, ReviewerFactory
from tests.scoring.factories import (
    AssignmentFactory,
    ClearedCommitmentFactory,
    OpenReviewStageFactory,
)

STALE_411 = (
    "条款 4.1.1 已在其他窗口保存过，本次修改未保存，已保存的内容没有被覆盖。请核对后重新保存。"
)
SESSION_ENDED = "登录已失效，本次输入尚未保存；内容已暂存在本浏览器中，请重新登录后保存。"


@pytest.fixture
def scoring(live_site):
    authority = AuthorityFactory(
        name="天门市人民政府", region_code="429006", region_prefix="429006"
    )
    cycle = CycleFactory(programme__authority=authority, programme__name="陆羽质量奖")
    reviewer = ReviewerFactory(authority=authority, username="tm_autoscore", password=TEST_PASSWORD)
    ClearedCommitmentFactory(cycle=cycle, reviewer=reviewer)
    assignment = AssignmentFactory(
        panel__stage=OpenReviewStageFactory(cycle=cycle),
        reviewer=reviewer,
    )
    return {"url": live_site, "assignment": assignment}


def log_in(page, url: str) -> None:
    page.goto(url + "/accounts/login/?next=/review/")
    page.get_by_label("用户名").fill("tm_autoscore")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("评审工作台")


def item(scoring, code: str) -> str:
    return f"{scoring['url']}/review/assignments/{scoring['assignment'].pk}/items/{code}/"


def saved(scoring) -> dict[str, tuple]:
    return {
        score.item.code: (score.percent, score.strengths)
        for score in ItemScore.objects.filter(
            scorecard__assignment=scoring["assignment"]
        ).select_related("item")
    }


@pytest.mark.browser
def test_two_tabs_on_different_items_save_and_the_same_item_is_refused(
    scoring, page, browser_context
):
    log_in(page, scoring["url"])
    page.goto(item(scoring, "4.1.1"))
    other = browser_context.new_page()
    other.goto(item(scoring, "4.2.1"))
    stale = browser_context.new_page()
    stale.goto(item(scoring, "4.1.1"))

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
    log_in(page, scoring["url"])
    page.goto(item(scoring, "4.1.1"))
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

    log_in(elsewhere, scoring["url"])
    elsewhere.goto(item(scoring, "4.1.2"))
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
