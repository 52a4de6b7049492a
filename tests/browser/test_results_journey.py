"""The results journey in a real browser: from computing results to a published winners page, a
verified certificate, and a revocation the public can see.

Set up through factories and services: the authority, programme page, cycle, stages, award levels
and the reviewers' submitted scorecards (甲公司 700.00 → 质量奖, 乙公司 635.00 → 提名奖, 丙公司
481.67 → none; see ``tests/scoring/results_world.py``). Everything after that is done in the
browser by the official, a second official (the four-eyes rule: the one who computes the results
or writes a results page does not approve it) and a member of the public, except one step no
browser can do: letting the notice period pass, which moves the notice's dates (and the
objection's) two weeks back.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awards.enums import CycleStatus
from home.demo import build_demo_site
from scoring.enums import StageKind
from scoring.publication.models import PublicNotice
from scoring.publication.services.period import notice_period
from tests import clock
from tests.browser.steps import (
    appoint_committee_and_compute,
    approve_in_the_page_editor,
    approve_results_by_the_second_official,
    let_the_period_pass,
    log_in_to_admin,
    public_turn,
    record_committee_decision,
    second_officials_tab,
)
from tests.factories import (
    AuthorityFactory,
    AwardLevelFactory,
    CycleFactory,
    OfficialFactory,
    ProgrammeFactory,
    ReviewerFactory,
)
from tests.home.results_helpers import PDF_BYTES
from tests.scoring.factories import ReviewStageFactory
from tests.scoring.results_world import ResultsWorld, add_application


@pytest.fixture
def scored_cycle(live_site):
    authority = AuthorityFactory(
        name="天门市人民政府", office_name="天门市质强办", region_code="429006"
    )
    programme = ProgrammeFactory(authority=authority, name="陆羽质量奖", slug="luyu")
    cycle = CycleFactory(programme=programme, edition=5, status=CycleStatus.REVIEW)
    AwardLevelFactory(cycle=cycle, name="质量奖", min_total=600, quota=1, sort_order=0)
    AwardLevelFactory(cycle=cycle, name="提名奖", min_total=500, quota=2, sort_order=1)
    OfficialFactory(authority=authority, username="tianmen-2", full_name="李科长")
    world = ResultsWorld(
        cycle=cycle,
        official=OfficialFactory(authority=authority, username="tianmen", full_name="王处长"),
        document=ReviewStageFactory(cycle=cycle, kind=StageKind.DOCUMENT, order=1),
        onsite=ReviewStageFactory(cycle=cycle, kind=StageKind.ONSITE, order=2),
        reviewers=[
            ReviewerFactory(authority=authority, full_name=f"专家{label}")
            for label in ("甲", "乙", "丙")
        ],
    )
    for name in ("甲公司", "乙公司", "丙公司"):
        add_application(world, name)
    build_demo_site()
    return world


@pytest.mark.browser
def test_from_scores_to_a_verified_certificate_and_a_revocation(
    scored_cycle, live_site, page, browser, screenshot
):
    cycle = scored_cycle.cycle
    official = page
    log_in_to_admin(official, live_site, "tianmen")

    # 1. Appoint the committee, compute, record the committee's decision (审定); a second
    # official approves the results (the one who computed them may not).
    members = ("专家甲", "专家乙", "专家丙")
    ranking_url = appoint_committee_and_compute(official, live_site, cycle, members, "专家甲")
    record_committee_decision(
        official,
        held_on=timezone.localdate(),
        votes=dict.fromkeys(members, "approve"),
        minutes="评审委员会审议并一致同意拟表彰名单。",
    )
    expect(official.locator("[data-tallies] tbody tr")).to_have_text(
        [
            re.compile(r"1\s*甲公司\s*质量奖\s*3\s*0\s*0\s*通过"),
            re.compile(r"2\s*乙公司\s*提名奖\s*3\s*0\s*0\s*通过"),
        ]
    )
    screenshot(official, "committee-decision")
    approver = second_officials_tab(browser, live_site, "tianmen-2")
    approve_results_by_the_second_official(official, approver, ranking_url)

    # 2. Open the public notice from today; the page awaits approval, then goes live.
    official.goto(f"{live_site}/admin/publication/")
    official.get_by_role("link", name="发布公示").click()
    today = timezone.localdate()
    official.get_by_label("公示开始日期").fill(today.isoformat())
    # The end date is shown before the notice opens, and follows the length as it is typed.
    ends = official.locator("[data-ends-on]")
    official.get_by_label("公示期（工作日）").fill("6")
    expect(ends).to_have_text(notice_period(starts_on=today, working_days=6).isoformat())
    official.get_by_label("公示期（工作日）").fill("5")
    expect(ends).to_have_text(notice_period(starts_on=today, working_days=5).isoformat())
    official.get_by_role("button", name="发布公示并提交审核").click()
    expect(official).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    notice = PublicNotice.objects.get(snapshot__cycle=cycle)

    editor_url = official.url
    public_turn(official)
    public = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    public.context.set_default_timeout(10_000)
    assert public.goto(f"{live_site}/luyu/results-notice-5-v1/").status == 404
    approver.goto(editor_url)
    approve_in_the_page_editor(approver, screenshot)
    approver.goto("about:blank")

    # 3. A member of the public objects during the period, with evidence.
    public_turn(official)
    public.goto(f"{live_site}/luyu/results-notice-5-v1/")
    expect(public.locator("h1")).to_have_text("第5届陆羽质量奖拟表彰名单公示")
    expect(public.locator("[data-proposed-list] tbody tr")).to_have_text(
        [re.compile(r"1\s*甲公司\s*质量奖\s*700\.00"), re.compile(r"2\s*乙公司\s*提名奖\s*635\.00")]
    )
    screenshot(public, "notice")
    public.get_by_label("真实姓名").fill("赵六")
    public.get_by_label("联系方式").fill("13900000000")
    public.get_by_label("异议对象").select_option(label="甲公司")
    public.get_by_label("异议内容").fill("甲公司 2025 年曾被抽检不合格。")
    public.get_by_label("证明材料").set_input_files(
        {"name": "抽检通报.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    public.get_by_role("button", name="提交异议").click()
    expect(public.locator(".message-success")).to_have_text(
        "您的异议已提交。质量奖办公室将在核实后处理，并通过您留下的联系方式答复。"
    )

    # 4. The official resolves the objection.
    official.goto(f"{live_site}/admin/publication/notices/{notice.pk}/")
    expect(official.locator("[data-objection-list] [data-outcome]")).to_have_text(["未处理"])
    official.get_by_role("link", name="处理", exact=True).click()
    official.get_by_label("异议不成立").check()
    official.get_by_label("处理意见").fill("经核查，该次抽检为委托检验，不属于政府监督抽查不合格。")
    official.get_by_role("button", name="保存处理结论").click()
    expect(official.locator("[data-objection-list] [data-outcome]")).to_have_text(["异议不成立"])
    screenshot(official, "admin-notice")

    # 5. The period ends; the official announces; the winners page goes live after approval.
    let_the_period_pass(notice)
    official.reload()
    official.get_by_role("link", name="发布表彰决定").click()
    official.get_by_label("奖项有效期至").fill(clock.days_from_today(3 * 365).isoformat())
    official.get_by_role("button", name="发布表彰决定").click()
    expect(official).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    winners_editor_url = official.url
    official.goto("about:blank")
    approver.goto(winners_editor_url)
    approve_in_the_page_editor(approver, screenshot)
    approver.goto("about:blank")

    public_turn(official)
    public.goto(f"{live_site}/luyu/winners-5/")
    expect(public.locator("[data-winners] tbody tr")).to_have_text(
        [re.compile(r"1\s*甲公司\s*质量奖\s*有效"), re.compile(r"2\s*乙公司\s*提名奖\s*有效")]
    )
    public.goto(f"{live_site}/luyu/results-notice-5-v1/")
    expect(public.locator("[data-closed]")).to_have_text("公示期已结束，不再受理异议。")

    # 6. Certificates are issued; the public verifies one.
    official.goto(f"{live_site}/admin/certificates/cycles/{cycle.pk}/")
    official.get_by_role("button", name="生成本届证书").click()
    expect(official.locator("[data-certificate-list] tbody tr")).to_have_count(2)
    rows = official.locator("[data-certificate-list] tbody tr")
    serial = rows.filter(has_text="甲公司").locator("code").inner_text()
    public_turn(official)
    public.goto(f"{live_site}/verify/")
    public.get_by_label("证书编号").fill(serial.lower())
    public.get_by_role("button", name="查验").click()
    expect(public.locator("[data-verification] h2")).to_have_text("证书真实有效")
    expect(public.locator("[data-organization]")).to_have_text("甲公司")
    screenshot(public, "verified")

    # 7. The award is revoked: the winners page and the verification say so.
    official.goto(f"{live_site}/admin/publication/notices/{notice.pk}/")
    official.locator("[data-award-list] tbody tr").first.get_by_role("link", name="撤销").click()
    official.get_by_label("撤销理由").fill("获奖后发生重大质量安全事故。")
    official.get_by_role("button", name="撤销奖项").click()
    expect(official.locator("[data-award-list] tbody tr").first).to_contain_text("撤销")
    screenshot(official, "admin-revoked")

    public_turn(official)
    revoked_on = timezone.localdate()
    public.goto(f"{live_site}/luyu/winners-5/")
    expect(public.locator("[data-award-status]").first).to_have_text(
        re.compile(
            rf"已于{clock.written(revoked_on)}撤销\s*"
            r"撤销理由：获奖后发生重大质量安全事故。"
        )
    )
    screenshot(public, "winners")
    public.goto(f"{live_site}/verify/{serial}/")
    expect(public.locator("[data-verification] h2")).to_have_text("证书已失效：奖项已撤销")
    expect(public.locator("[data-revocation-reason]")).to_have_text("获奖后发生重大质量安全事故。")
    screenshot(public, "revoked")
    public.context.close()
    approver.context.close()
