"""From the defence (问询答辩) to a published notice, in a real browser and as the real roles.

Set up through factories: 第4届井冈质量奖 in review with document review (0.3, closed, every
reviewer's scorecard submitted at 70%) and an open defence stage (0.7) whose panel is led by
专家甲; 专家乙 and 专家丙 have submitted their defence scorecards at 70% and 专家甲 has scored all
items but the last. Then, in the browser: the leader asks and sends a question, the applicant
answers, the leader reads the answer and submits the scorecard (total 0.3 × 700 + 0.7 × 700 =
700.00 → 井冈质量奖); the official appoints the committee, computes, and records the meeting
with every member's vote; the second official approves the results (four-eyes rule); the
official opens the notice and the second official approves its page; an anonymous visitor
reads it.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awards.criteria_data import GB_T_19580_2012
from awards.enums import CycleStatus
from home.demo import build_demo_site
from scoring.enums import ScorecardStatus, StageKind
from scoring.publication.models import PublicNotice
from scoring.results.models import CommitteeDecision, ResultSnapshot, Vote
from scoring.review.models import DefenceQuestion, Panel, Scorecard
from scoring.review.services.scorecards import ItemEntry, save_scores
from tests import clock
from tests.browser.steps import (
    appoint_committee_and_compute,
    approve_in_the_page_editor,
    approve_results_by_the_second_official,
    log_in_to_admin,
    public_turn,
    record_committee_decision,
    second_officials_tab,
    sign_in,
)
from tests.conftest import TEST_PASSWORD
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    AwardLevelFactory,
    CycleFactory,
    OfficialFactory,
    OrganizationFactory,
    ProgrammeFactory,
    ReviewerFactory,
)
from tests.scoring.factories import (
    AssignmentFactory,
    ClearedCommitmentFactory,
    EligibleApplicationFactory,
    OpenReviewStageFactory,
    ReviewStageFactory,
    submitted_scorecard,
)

CODES = [item.code for item in GB_T_19580_2012.items()]
COMPANY = "江西铜业示范有限公司"


@pytest.fixture
def world(live_site):
    authority = AuthorityFactory(
        name="江西省人民政府", region_code="360000", region_prefix="36", region_name="江西省"
    )
    programme = ProgrammeFactory(authority=authority, name="井冈质量奖", slug="jinggang")
    cycle = CycleFactory(programme=programme, edition=4, status=CycleStatus.REVIEW)
    AwardLevelFactory(cycle=cycle, name="井冈质量奖", min_total=600, quota=1, sort_order=0)
    OfficialFactory(authority=authority, username="jx-official", full_name="邓处长")
    OfficialFactory(authority=authority, username="jx-official-2", full_name="万科长")
    applicant = ApplicantFactory(
        username="jx_company",
        password=TEST_PASSWORD,
        organization=OrganizationFactory(name=COMPANY, region_code="360100"),
    )
    application = EligibleApplicationFactory(
        cycle=cycle, organization=applicant.organization, created_by=applicant
    )
    reviewers = [
        ReviewerFactory(
            authority=authority,
            username=f"jx_reviewer_{index}",
            full_name=f"专家{label}",
            password=TEST_PASSWORD,
        )
        for index, label in enumerate("甲乙丙")
    ]
    for reviewer in reviewers:
        ClearedCommitmentFactory(cycle=cycle, reviewer=reviewer)
    document = ReviewStageFactory(cycle=cycle, kind=StageKind.DOCUMENT, order=1, weight="0.3")
    defence = OpenReviewStageFactory(cycle=cycle, kind=StageKind.DEFENCE, order=2, weight="0.7")
    panels = {}
    for stage in (document, defence):
        panel = Panel.objects.create(stage=stage, application=application, leader=reviewers[0])
        panels[stage.kind] = panel
        for reviewer in reviewers:
            assignment = AssignmentFactory(panel=panel, reviewer=reviewer)
            if stage == document or reviewer != reviewers[0]:
                submitted_scorecard(assignment, 70)
            else:
                leaders = assignment
    save_scores(
        assignment=leaders,
        expected_version=0,
        entries={code: ItemEntry(70, f"{code} 说明充分", "") for code in CODES[:-1]},
        by=reviewers[0],
    )
    build_demo_site()
    return {"cycle": cycle, "panel": panels[StageKind.DEFENCE], "leader_assignment": leaders}


@pytest.mark.browser
def test_questions_answers_scores_committee_approval_and_a_public_notice(
    world, live_site, page, browser_context, browser, screenshot
):
    cycle, panel = world["cycle"], world["panel"]
    deadline = (clock.now() + dt.timedelta(days=5)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )

    # 1. The panel leader asks a question and sends it with a deadline for a written answer.
    sign_in(page, live_site, "jx_reviewer_0", f"/review/panels/{panel.pk}/defence/")
    expect(page.locator("h1")).to_have_text(f"{COMPANY}：问询答辩")
    page.get_by_label("问题", exact=True).fill("请说明一次交验合格率提升的主要措施。")
    page.get_by_role("button", name="加入问题").click()
    expect(page.locator(".message-success")).to_have_text("问题已加入待发出的问询。")
    page.get_by_label("书面答复截止时间", exact=True).fill(f"{deadline:%Y-%m-%dT%H:%M}")
    page.get_by_role("button", name="发给申报单位").click()
    expect(page.locator(".message-success")).to_have_text("问题已发给申报单位。")
    question = DefenceQuestion.objects.get()

    # 2. The applicant answers in writing.
    browser_context.clear_cookies()
    sign_in(page, live_site, "jx_company", "/portal/")
    expect(page.locator("[data-defence-open]")).to_contain_text("评审组的 1 个问询问题待答复")
    page.get_by_role("link", name="查看并答复").click()
    page.locator(f'textarea[name="q{question.pk}-text"]').fill(
        "推行关键工序防错和首件检验，合格率由 98.2% 提高到 99.6%。"
    )
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator(".message-success")).to_have_text("答复已提交，评审组将收到通知。")

    # 3. The leader reads the answer, scores the last item and submits the scorecard.
    browser_context.clear_cookies()
    sign_in(page, live_site, "jx_reviewer_0", f"/review/panels/{panel.pk}/defence/")
    expect(page.locator("[data-answer]")).to_contain_text("合格率由 98.2% 提高到 99.6%")
    page.get_by_role("link", name="阅读答复后评分").click()
    page.locator(f'[data-nav-item="{CODES[-1]}"]').click()
    page.get_by_label("得分百分比").select_option("70")
    page.get_by_label("优势").fill("答辩中给出的数据翔实。")
    page.get_by_role("button", name="保存本条").click()
    expect(page.locator("[data-scored]")).to_have_text(f"{len(CODES)} / {len(CODES)}")
    page.get_by_role("link", name="检查并提交").click()
    page.get_by_role("button", name="确认提交评分表").click()
    expect(page.locator(".message-success")).to_have_text("评分表已提交。感谢您的独立评审。")
    assert (
        Scorecard.objects.get(assignment=world["leader_assignment"]).status
        == ScorecardStatus.SUBMITTED
    )
    browser_context.clear_cookies()

    # 4. The official appoints the committee, computes, and records the meeting with its votes.
    official = page
    log_in_to_admin(official, live_site, "jx-official")
    ranking_url = appoint_committee_and_compute(
        official, live_site, cycle, ("专家甲", "专家乙", "专家丙"), "专家甲"
    )
    record_committee_decision(
        official,
        held_on=timezone.localdate(),
        votes={"专家甲": "approve", "专家乙": "approve", "专家丙": "abstain"},
        minutes="评审委员会审议拟表彰名单，两票赞成、一票弃权。",
    )
    expect(official.locator("[data-tallies] tbody tr")).to_have_text(
        [re.compile(rf"1\s*{COMPANY}\s*井冈质量奖\s*2\s*0\s*1\s*通过")]
    )
    screenshot(official, "decision")
    decision = CommitteeDecision.objects.get()
    assert sorted(decision.votes.values_list("vote", flat=True)) == [
        Vote.ABSTAIN,
        Vote.APPROVE,
        Vote.APPROVE,
    ]

    # 5. The official may not approve what they computed; the second official does.
    approver = second_officials_tab(browser, live_site, "jx-official-2")
    approve_results_by_the_second_official(official, approver, ranking_url)
    snapshot = ResultSnapshot.objects.get()
    assert (snapshot.created_by.username, snapshot.approved_by.username) == (
        "jx-official",
        "jx-official-2",
    )

    # 6. The official opens the notice; its page goes live when the second official approves.
    official.goto(f"{live_site}/admin/publication/")
    official.get_by_role("link", name="发布公示").click()
    official.get_by_label("公示开始日期").fill(timezone.localdate().isoformat())
    official.get_by_role("button", name="发布公示并提交审核").click()
    expect(official).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    editor_url = official.url
    public_turn(official)
    public = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    public.context.set_default_timeout(10_000)
    assert public.goto(f"{live_site}/jinggang/results-notice-4-v1/").status == 404
    approver.goto(editor_url)
    approve_in_the_page_editor(approver, screenshot)
    approver.goto("about:blank")

    # 7. An anonymous visitor reads the notice.
    response = public.goto(f"{live_site}/jinggang/results-notice-4-v1/")
    assert response.status == 200
    expect(public.locator("h1")).to_have_text("第4届井冈质量奖拟表彰名单公示")
    expect(public.locator("[data-proposed-list] tbody tr")).to_have_text(
        [re.compile(rf"1\s*{COMPANY}\s*井冈质量奖\s*700\.00")]
    )
    screenshot(public, "notice")
    assert PublicNotice.objects.get().snapshot == snapshot
    public.context.close()
    approver.context.close()
