"""The reviewer's journey in a real browser: commitment, a declared tie, scoring, submission and
the group leader's consensus."""

import re

import pytest
from playwright.sync_api import expect

from awards.criteria_data import GB_T_19580_2012
from awards.models import CriteriaItem, ItemResponse
from scoring.enums import ConsensusStatus, ScorecardStatus
from scoring.review.models import ConflictDeclaration, Consensus, Scorecard
from scoring.review.services.scorecards import ItemEntry, save_scores
from tests.conftest import TEST_PASSWORD
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    CycleFactory,
    OrganizationFactory,
    ReviewerFactory,
)
from tests.scoring.factories import (
    AssignmentFactory,
    EligibleApplicationFactory,
    OpenReviewStageFactory,
    attachment_for,
    cleared_reviewer,
    submitted_scorecard,
)

CODES = [item.code for item in GB_T_19580_2012.items()]
LAST_TWO = CODES[-2:]  # 4.7.5 (50 points) and 4.7.6 (50 points) are scored in the browser


@pytest.fixture
def review(live_site):
    authority = AuthorityFactory(
        name="天门市人民政府", region_code="429006", region_prefix="429006", region_name="天门市"
    )
    cycle = CycleFactory(programme__authority=authority, programme__name="陆羽质量奖", edition=5)
    stage = OpenReviewStageFactory(cycle=cycle)
    application = EligibleApplicationFactory(
        cycle=cycle,
        organization=OrganizationFactory(name="天门纺织机械股份有限公司", region_code="429006"),
        created_by=ApplicantFactory(organization__region_code="429006"),
        draft={"overview": {"overview": "本公司创立于 1998 年，主营纺织机械，员工 1200 人。"}},
    )
    for code, text in (("4.7.5", "关键过程合格率连续三年提升。"), ("4.7.6", "三年无重大事故。")):
        ItemResponse.objects.create(
            application=application,
            item=CriteriaItem.objects.get(framework=cycle.framework, code=code),
            text=text,
            self_percent=70,
        )
    attachment_for(application, name="自评报告.pdf")
    OrganizationFactory(name="天门茶业有限公司", region_code="429006")
    reviewer = ReviewerFactory(
        authority=authority, username="tm_expert", full_name="李专家", password=TEST_PASSWORD
    )
    assignment = AssignmentFactory(
        panel__stage=stage, panel__application=application, reviewer=reviewer
    )
    panel = assignment.panel
    panel.leader = reviewer
    panel.save()
    others = [
        AssignmentFactory(panel=panel, reviewer=cleared_reviewer(cycle, full_name=name))
        for name in ("王专家", "赵专家")
    ]
    # The first 21 items were scored on earlier days (as drafts, through the service).
    save_scores(
        assignment=assignment,
        expected_version=0,
        entries={code: ItemEntry(60, f"{code} 做法系统", "") for code in CODES[:-2]},
        by=reviewer,
    )
    return {"cycle": cycle, "assignment": assignment, "others": others, "reviewer": reviewer}


@pytest.mark.browser
def test_reviewer_scores_submits_and_the_leader_records_consensus(review, live_site, page):
    assignment = review["assignment"]
    page.goto(live_site + "/accounts/login/?next=/review/")
    page.get_by_label("用户名").fill("tm_expert")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page.locator("h1")).to_have_text("评审工作台")
    expect(page.locator("[data-commitment-needed]")).to_contain_text(
        "本届已有 1 份申报分配给您评审。"
    )
    expect(page.get_by_text("天门纺织机械股份有限公司")).to_have_count(0)

    page.get_by_role("link", name="签署保密承诺").click()
    page.get_by_label("我已阅读上述保密承诺，并承诺遵守。").check()
    page.get_by_role("button", name="签署承诺并继续").click()

    expect(page.locator("h1")).to_have_text("利益冲突申报（回避）")
    page.get_by_role("searchbox", name="单位名称或统一社会信用代码").fill("茶业")
    page.get_by_role("button", name="查找").click()
    row = page.locator("[data-search-results] tr", has_text="天门茶业有限公司")
    row.get_by_label("与该单位的关系").select_option(label="供应商")
    row.get_by_label("说明").fill("为本人所在单位供应原料")
    row.get_by_role("button", name="申报").click()
    expect(page.locator(".message-success")).to_have_text(
        "已申报与“天门茶业有限公司”的利益关系，该单位的申报材料将对您回避。"
    )
    expect(page.locator("[data-declarations] tbody tr")).to_have_count(1)
    page.get_by_role("button", name="确认已如实申报全部利益关系").click()

    expect(page.locator(".message-success")).to_have_text(
        "已完成利益冲突申报，现在可以查看分配给您的申报材料。"
    )
    row = page.locator(f'[data-assignment="{assignment.pk}"]')
    expect(row.locator("[data-progress]")).to_have_text("21 / 23")
    row.get_by_role("link", name="评分").click()

    expect(page.locator("h1")).to_have_text("天门纺织机械股份有限公司")
    page.locator('[data-nav-item="4.7.5"]').click()
    expect(page.locator("[data-self-text]")).to_have_text("关键过程合格率连续三年提升。")
    expect(page.locator("[data-bands] caption")).to_contain_text("水平、趋势、对比、整合")
    page.get_by_label("得分百分比").select_option("65")
    expect(page.locator("[data-points-output]")).to_have_text("32.5")
    expect(page.locator("[data-bands] tr.is-current th")).to_have_text("50–65%")
    page.get_by_label("优势").fill("过程有效性指标齐全，趋势向好。")
    page.get_by_label("改进机会").fill("缺少与标杆企业的对比。")
    page.get_by_role("button", name="保存并评下一条").click()

    expect(page.locator(".message-success")).to_have_text("已保存 4.7.5 过程有效性结果。")
    expect(page.locator("#item-title")).to_contain_text("4.7.6 领导方面的结果")
    page.get_by_label("得分百分比").select_option("70")
    expect(page.locator("[data-points-output]")).to_have_text("35")
    page.get_by_label("改进机会").fill("社会责任结果的量化指标偏少。")
    page.get_by_role("button", name="保存本条").click()
    expect(page.locator("[data-scored]")).to_have_text("23 / 23")

    page.get_by_role("link", name="检查并提交").click()
    expect(page.locator("[data-complete]")).to_contain_text("合计 607.5 分")
    page.get_by_role("button", name="确认提交评分表").click()
    expect(page.locator(".message-success")).to_have_text("评分表已提交。感谢您的独立评审。")
    expect(page.locator("[data-scorecard-status]")).to_have_text("已提交")
    assert Scorecard.objects.get(assignment=assignment).status == ScorecardStatus.SUBMITTED
    assert list(ConflictDeclaration.objects.values_list("organization__name", "relation")) == [
        ("天门茶业有限公司", "supplier")
    ]

    # The other two members submit (through the service); one of them is far apart on 4.1.1.
    submitted_scorecard(review["others"][0], {**dict.fromkeys(CODES, 60), "4.1.1": 85})
    submitted_scorecard(review["others"][1], 55)

    page.get_by_role("link", name="评审组共识").click()
    expect(page.locator("h1")).to_have_text("天门纺织机械股份有限公司：评审组共识")
    expect(page.locator("[data-flag]")).to_have_count(1)
    flagged = page.locator("tr.is-flagged")
    expect(flagged.locator("th")).to_contain_text("4.1.1 高层领导的作用")
    expect(flagged.locator("[data-member-percent]")).to_have_text(["60%", "85%", "55%"])
    expect(flagged.locator("[data-spread]")).to_have_text("30")

    for code in CODES:
        page.locator(f'select[name="c-{code}-percent"]').select_option("60")
    page.get_by_role("button", name="确定共识").click()
    expect(page.locator("[data-consensus-missing] li")).to_have_text(
        ["4.1.1 高层领导的作用：各专家评分相差 30 个百分点，超过 20，须填写理由"]
    )
    card = page.locator('[data-card="4.1.1"]')
    card.get_by_label("理由").fill("多数专家认为领导体系已系统展开，取 60%。")
    card.get_by_label("综合优势").fill("使命、愿景和价值观清晰，并有效沟通。")
    page.get_by_role("button", name="确定共识").click()

    expect(page.locator(".message-success")).to_have_text("共识已确定。")
    expect(page.locator("[data-consensus-status]")).to_have_text("已确定")
    expect(page.locator("[data-total-output]")).to_have_text("600")
    consensus = Consensus.objects.get(panel=assignment.panel)
    assert consensus.status == ConsensusStatus.FINAL
    assert re.fullmatch(r"多数专家.*60%。", consensus.items.get(item__code="4.1.1").rationale)
