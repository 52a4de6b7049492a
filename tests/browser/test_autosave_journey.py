"""Nothing typed is lost: background save, two tabs, leaving the page, an ended session."""

import pytest
from playwright.sync_api import expect

from awards.models import Application
from tests.conftest import TEST_PASSWORD
from tests.factories import open_cycle, started_application, tianmen_applicant

STALE = "该申报已在其他窗口或设备上修改，请刷新后再编辑；您本次输入的内容未保存。"
SESSION_ENDED = "登录已失效，本次输入尚未保存；内容已暂存在本浏览器中，请重新登录后保存。"


@pytest.fixture
def draft(live_site):
    user = tianmen_applicant(username="tm_autosave", password=TEST_PASSWORD)
    application, _user = started_application(cycle=open_cycle(), user=user)
    return {"url": live_site, "application": application}


def log_in(page, url: str) -> None:
    page.goto(url + "/accounts/login/")
    page.get_by_label("用户名").fill("tm_autosave")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("我的工作台")


def step(draft, name: str) -> str:
    return f"{draft['url']}/portal/applications/{draft['application'].pk}/step/{name}/"


def saved_draft(draft) -> dict:
    return Application.objects.get(pk=draft["application"].pk).draft


@pytest.mark.browser
def test_autosave_two_tabs_and_the_same_step_refused(draft, page, browser_context):
    log_in(page, draft["url"])
    page.goto(step(draft, "overview"))
    page.locator("textarea[name='overview-overview']").fill("自动保存的概述")
    expect(page.locator("[data-autosave-status]")).to_contain_text("已保存 ")
    assert saved_draft(draft)["overview"] == {"overview": "自动保存的概述"}

    other = browser_context.new_page()
    other.goto(step(draft, "basic"))
    stale = browser_context.new_page()
    stale.goto(step(draft, "overview"))
    page.locator("textarea[name='overview-overview']").fill("第一个窗口再改")
    other.locator("input[name='basic-contact_person']").fill("王五")
    expect(page.locator("[data-autosave-status]")).to_contain_text("已保存 ")
    expect(other.locator("[data-autosave-status]")).to_contain_text("已保存 ")
    saved = saved_draft(draft)
    assert (saved["overview"]["overview"], saved["basic"]["contact_person"]) == (
        "第一个窗口再改",
        "王五",
    )
    stale.locator("textarea[name='overview-overview']").fill("旧窗口的内容")
    expect(stale.locator("[data-autosave-status]")).to_have_text(STALE)
    assert saved_draft(draft)["overview"] == {"overview": "第一个窗口再改"}


@pytest.mark.browser
def test_leaving_warns_and_an_ended_session_keeps_the_text(draft, page, browser_context):
    log_in(page, draft["url"])
    page.goto(step(draft, "overview"))
    textarea = page.locator("textarea[name='overview-overview']")
    textarea.press_sequentially("离开前")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]

    page = browser_context.new_page()
    page.goto(step(draft, "overview"))
    elsewhere = browser_context.new_page()
    elsewhere.goto(draft["url"] + "/portal/")
    elsewhere.get_by_role("button", name="退出登录").click()
    page.locator("textarea[name='overview-overview']").fill("会话结束时写的")
    expect(page.locator("[data-autosave-status]")).to_have_text(SESSION_ENDED)
    expect(page.locator("textarea[name='overview-overview']")).to_have_value("会话结束时写的")
    assert "会话结束时写的" not in str(saved_draft(draft))

    log_in(elsewhere, draft["url"])
    elsewhere.goto(step(draft, "overview"))
    elsewhere.get_by_role("button", name="恢复这些内容").click()
    expect(elsewhere.locator("textarea[name='overview-overview']")).to_have_value("会话结束时写的")
    expect(elsewhere.locator("[data-autosave-status]")).to_contain_text("已保存 ")
    assert saved_draft(draft)["overview"] == {"overview": "会话结束时写的"}
