"""The 问询答辩 journey in a real browser: the group leader asks and sends a question, the
applicant answers with a file before the deadline, and the leader reads the answer and scores."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from awards.criteria_data import GB_T_19580_2012
from scoring.enums import ScorecardStatus, StageKind
from scoring.review.models import AnswerFile, DefenceQuestion, QuestionRound, Scorecard
from scoring.review.services.scorecards import ItemEntry, save_scores
from tests import clock
from tests.browser.steps import sign_in
from tests.conftest import TEST_PASSWORD
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    CycleFactory,
    OrganizationFactory,
    ReviewerFactory,
    pdf_bytes,
)
from tests.scoring.factories import (
    AssignmentFactory,
    ClearedCommitmentFactory,
    EligibleApplicationFactory,
    OpenReviewStageFactory,
    cleared_reviewer,
)

CODES = [item.code for item in GB_T_19580_2012.items()]


@pytest.fixture
def defence(live_site):
    authority = AuthorityFactory(
        name="江西省人民政府", region_code="360000", region_prefix="36", region_name="江西省"
    )
    cycle = CycleFactory(programme__authority=authority, programme__name="井冈质量奖", edition=4)
    stage = OpenReviewStageFactory(cycle=cycle, kind=StageKind.DEFENCE, order=2)
    applicant = ApplicantFactory(
        username="jx_company",
        password=TEST_PASSWORD,
        organization=OrganizationFactory(name="江西铜业示范有限公司", region_code="360100"),
    )
    application = EligibleApplicationFactory(
        cycle=cycle, organization=applicant.organization, created_by=applicant
    )
    leader = ReviewerFactory(
        authority=authority, username="jx_leader", full_name="陈组长", password=TEST_PASSWORD
    )
    ClearedCommitmentFactory(cycle=cycle, reviewer=leader)
    assignment = AssignmentFactory(
        panel__stage=stage, panel__application=application, reviewer=leader
    )
    panel = assignment.panel
    panel.leader = leader
    panel.save()
    AssignmentFactory(panel=panel, reviewer=cleared_reviewer(cycle, full_name="周专家"))
    save_scores(
        assignment=assignment,
        expected_version=0,
        entries={code: ItemEntry(60, f"{code} 答辩中说明充分", "") for code in CODES[:-1]},
        by=leader,
    )
    return {"panel": panel, "assignment": assignment}


@pytest.mark.browser
def test_leader_asks_applicant_answers_with_a_file_and_leader_scores(
    defence, live_site, page, browser_context
):
    panel, assignment = defence["panel"], defence["assignment"]
    deadline = (clock.now() + dt.timedelta(days=5)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )

    # The group leader writes a question and sends the round with a deadline.
    sign_in(page, live_site, "jx_leader", f"/review/panels/{panel.pk}/defence/")
    expect(page.locator("h1")).to_have_text("江西铜业示范有限公司：问询答辩")
    page.get_by_label("问题", exact=True).fill("请说明近三年铜冶炼综合能耗下降的主要措施。")
    page.get_by_role("button", name="加入问题").click()
    expect(page.locator(".message-success")).to_have_text("问题已加入待发出的问询。")
    expect(page.locator("[data-round-draft]")).to_have_count(1)
    page.get_by_label("书面答复截止时间", exact=True).fill(f"{deadline:%Y-%m-%dT%H:%M}")
    page.get_by_role("button", name="发给申报单位").click()
    expect(page.locator(".message-success")).to_have_text("问题已发给申报单位。")
    expect(page.locator("[data-deadline]")).to_contain_text(f"{deadline:%Y-%m-%d %H:%M}")
    question = DefenceQuestion.objects.get()

    # The applicant sees it on the dashboard and answers with a file.
    browser_context.clear_cookies()
    sign_in(page, live_site, "jx_company", "/portal/")
    expect(page.locator("[data-defence-open]")).to_contain_text("评审组的 1 个问询问题待答复")
    page.get_by_role("link", name="查看并答复").click()
    expect(page.locator("h1")).to_contain_text("问询答辩")
    expect(page.locator(f'[data-question="{question.pk}"]')).to_contain_text(
        "请说明近三年铜冶炼综合能耗下降的主要措施。"
    )
    page.locator(f'textarea[name="q{question.pk}-text"]').fill(
        "通过余热发电和富氧熔炼改造，综合能耗三年下降 12%。"
    )
    page.locator(f'input[name="q{question.pk}-files"]').set_input_files(
        [{"name": "能耗统计.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator(".message-success")).to_have_text("答复已提交，评审组将收到通知。")
    expect(page.locator("[data-answer-file]")).to_have_text("能耗统计.pdf")

    # The leader reads the answer, opens the file, and scores the last item.
    browser_context.clear_cookies()
    sign_in(page, live_site, "jx_leader", f"/review/panels/{panel.pk}/defence/")
    expect(page.locator("[data-answer]")).to_contain_text("综合能耗三年下降 12%")
    with page.expect_download() as download:
        page.get_by_role("link", name="能耗统计.pdf").click()
    assert download.value.suggested_filename == "能耗统计.pdf"
    page.get_by_role("link", name="阅读答复后评分").click()
    page.locator(f'[data-nav-item="{CODES[-1]}"]').click()
    page.get_by_label("得分百分比").select_option("70")
    page.get_by_label("优势").fill("答辩中给出的节能数据翔实。")
    page.get_by_role("button", name="保存本条").click()
    expect(page.locator("[data-scored]")).to_have_text(f"{len(CODES)} / {len(CODES)}")
    page.get_by_role("link", name="检查并提交").click()
    page.get_by_role("button", name="确认提交评分表").click()
    expect(page.locator(".message-success")).to_have_text("评分表已提交。感谢您的独立评审。")

    assert Scorecard.objects.get(assignment=assignment).status == ScorecardStatus.SUBMITTED
    assert list(AnswerFile.objects.values_list("original_name", flat=True)) == ["能耗统计.pdf"]
    assert QuestionRound.objects.get().answer_deadline == deadline
