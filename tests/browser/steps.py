"""Steps that several browser journeys take the same way: signing in, the committee's meeting,
the four-eyes approval of results and of pages, and the public's turn on SQLite's live server.

A journey keeps its own story in its test; what happens the same way in every story lives here,
so that a change of a page (a label, a button) is followed in one place.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from scoring.publication.models import Objection, PublicNotice
from tests.browser.conftest import DEFAULT_TIMEOUT
from tests.conftest import TEST_PASSWORD


def sign_in(page, live_site: str, username: str, next_path: str = "") -> None:
    """The portal's own login page (applicants and reviewers); ``next_path`` is where it leads."""
    suffix = f"?next={next_path}" if next_path else ""
    page.goto(f"{live_site}/accounts/login/{suffix}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def sign_in_to_dashboard(page, live_site: str, username: str) -> None:
    """An applicant signs in and lands on 我的工作台."""
    sign_in(page, live_site, username)
    expect(page.locator("h1")).to_have_text("我的工作台")


def log_in_to_admin(page, live_site: str, username: str) -> None:
    """An official signs in to the officials' console."""
    page.goto(live_site + "/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page).to_have_url(live_site + "/admin/")


def second_officials_tab(browser, live_site: str, username: str):
    """The second official signs in in a browser profile of their own (the four-eyes rule)."""
    tab = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    tab.context.set_default_timeout(DEFAULT_TIMEOUT)
    log_in_to_admin(tab, live_site, username)
    return tab


def public_turn(official) -> None:
    """Park the official's admin tab while the public acts. On SQLite the live server serves
    every request over one shared in-memory connection, so the admin's background requests
    (translations, editing-session pings) must not interleave with the public's."""
    official.goto("about:blank")


def approve_in_the_page_editor(page, screenshot) -> None:
    """The approver's "批准" in the editor's action menu (the workflow publishes the page)."""
    page.get_by_role("button", name="更多动作").click()
    page.locator(
        "[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    ).click()
    screenshot(page, "approved")


def let_the_period_pass(notice: PublicNotice) -> None:
    """The notice period ends: the notice and its objections move two weeks into the past."""
    shift = dt.timedelta(days=14)
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=notice.starts_on - shift, ends_on=notice.ends_on - shift
    )
    for objection in Objection.objects.filter(notice=notice):
        Objection.objects.filter(pk=objection.pk).update(
            submitted_at=objection.submitted_at - shift
        )


def appoint_committee_and_compute(official, live_site: str, cycle, members, chair) -> str:
    """The official appoints the committee (reviewers by name), computes the results, and gets
    the URL of the ranking the computation produced."""
    official.goto(f"{live_site}/admin/cycle-results/cycles/{cycle.pk}/")
    official.locator("[data-committee-link]").click()
    for name in members:
        official.get_by_label(f"{name}（评审专家）").check()
    official.get_by_label("主任委员").select_option(label=f"{chair}（评审专家）")
    official.get_by_role("button", name="保存").click()
    expect(official.locator(".messages")).to_contain_text("评审委员会已保存。")
    official.get_by_role("button", name="计算评审结果").click()
    expect(official).to_have_url(re.compile(r"/admin/cycle-results/snapshots/\d+/$"))
    return official.url


def record_committee_decision(official, *, held_on: dt.date, votes: dict, minutes: str) -> None:
    """From the ranking, the official records the meeting: who attended (the keys of ``votes``),
    each member's vote (the same on every proposed award; the form lists a select per award and
    member, members in the order they attended), and the minutes."""
    official.locator("[data-decision-link]").click()
    official.get_by_label("会议日期").fill(held_on.isoformat())
    for name in votes:
        official.locator("[data-decision-form]").get_by_label(name, exact=True).check()
    selects = official.locator("[data-votes] select")
    expect(selects.first).to_be_visible()
    member_votes = list(votes.values())
    assert selects.count() % len(member_votes) == 0
    for index in range(selects.count()):
        selects.nth(index).select_option(member_votes[index % len(member_votes)])
    official.get_by_label("会议纪要").fill(minutes)
    official.get_by_role("button", name="保存审定记录").click()


def approve_results_by_the_second_official(official, approver, ranking_url: str) -> None:
    """The official who computed the results may not approve them; the second official does."""
    official.goto(ranking_url)
    official.locator("[data-approve-link]").click()
    official.get_by_role("button", name="批准并冻结").click()
    expect(official.locator(".messages")).to_contain_text("计算人不能独自批准")
    official.goto("about:blank")
    approver.goto(ranking_url)
    approver.locator("[data-approve-link]").click()
    approver.get_by_role("button", name="批准并冻结").click()
    expect(approver.locator(".w-status--primary").first).to_contain_text("已批准")
    approver.goto("about:blank")


def fill_individual_wizard(page, pdf, *, name: str, id_number: str) -> None:
    """From 候选人信息 to 确认提交: the candidate (``name``, ``id_number``), the employer's clean
    record, the four content steps, and the candidate's signed consent and the employer's
    opinion (both ``pdf``)."""
    expect(page.locator("h1")).to_have_text("候选人信息")
    page.locator("#id_candidate-name").fill(name)
    page.locator("#id_candidate-gender").select_option("male")
    page.locator("#id_candidate-birth_date").fill("1975-04-12")
    page.locator("#id_candidate-id_number").fill(id_number)
    page.locator("#id_candidate-position").fill("首席质量官")
    page.locator("#id_candidate-years_in_quality_work").fill("22")
    page.locator("#id_candidate-education").fill("硕士研究生")
    page.locator("#id_candidate-achievements").fill("建立航空装备全过程质量追溯体系。")
    page.locator(".wizard-actions").get_by_role("button", name="保存并继续").click()

    expect(page.locator("h1")).to_have_text("资格条件声明")
    for radio in page.locator("input[type=radio][value=none]").all():
        radio.check()
    page.locator(".wizard-actions").get_by_role("button", name="保存并继续").click()

    for code in ("1", "2", "3", "4"):
        expect(page).to_have_url(re.compile(rf"/step/sa-{code}/$"))
        for textarea in page.locator("textarea").all():
            textarea.fill(f"候选人在该方面的做法和成效（{code}）。")
        page.locator(".wizard-actions").get_by_role("button", name="保存并继续").click()

    expect(page.locator("h1")).to_have_text("证明材料")
    for code in ("candidate-consent", "candidate-employer"):
        page.locator(f"#id_evidence-file_{code}").set_input_files(str(pdf))
    page.get_by_role("button", name="上传所选文件").click()
    expect(page.locator(".evidence-files a")).to_have_count(2)
    page.locator(".wizard-actions").get_by_role("button", name="保存并继续").click()
    expect(page.locator("h1")).to_have_text("确认提交")
