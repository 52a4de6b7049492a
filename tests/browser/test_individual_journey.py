"""The individual award in a real browser: an employer files an application for its chief
quality officer to 井冈质量奖's individual track; after scoring (through the services) the
official computes the individual track's results and the candidate is on its ranking, apart
from the organizations."""

import re

import pytest
from playwright.sync_api import expect

from awards.enums import ApplicationStatus, CycleStatus, Track
from awards.models import Application, Cycle
from scoring.enums import StageKind
from scoring.review.models import Panel
from tests import clock
from tests.browser.steps import fill_individual_wizard
from tests.conftest import TEST_PASSWORD
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    AwardLevelFactory,
    CycleFactory,
    OfficialFactory,
    ProgrammeFactory,
    ReviewerFactory,
    pdf_bytes,
)
from tests.individual_world import SECRET_ID, with_individual_track
from tests.scoring.factories import AssignmentFactory, ReviewStageFactory, submitted_scorecard
from tests.scoring.results_world import ResultsWorld, add_application

PDF_TIMEOUT = 90_000


@pytest.fixture
def jinggang(live_site, tmp_path):
    authority = AuthorityFactory(
        name="江西省人民政府",
        office_name="江西省质量强省办",
        region_code="360000",
        region_name="江西省",
        region_prefix="36",
    )
    programme = ProgrammeFactory(authority=authority, name="井冈质量奖", slug="jinggang")
    deadline = clock.at(clock.days_from_today(20), 17)
    cycle = CycleFactory(
        programme=programme,
        edition=5,
        status=CycleStatus.OPEN,
        application_deadline=deadline,
        year=deadline.year,
    )
    AwardLevelFactory(cycle=cycle, name="井冈质量奖", min_total=600, quota=3, sort_order=0)
    with_individual_track(cycle, levels=(("井冈质量奖（个人）", 60, 3),))
    ApplicantFactory(
        username="jx_employer",
        organization__name="江西洪都航空装备有限公司",
        organization__region_code="360100",
        password=TEST_PASSWORD,
    )
    world = ResultsWorld(
        cycle=cycle,
        official=OfficialFactory(authority=authority, username="jiangxi", password=TEST_PASSWORD),
        document=ReviewStageFactory(cycle=cycle, kind=StageKind.DOCUMENT, order=1, weight=1),
        onsite=ReviewStageFactory(cycle=cycle, kind=StageKind.ONSITE, order=2, weight=0),
        reviewers=[ReviewerFactory(authority=authority) for _ in range(3)],
    )
    consent = tmp_path / "候选人同意书.pdf"
    consent.write_bytes(pdf_bytes("consent"))
    return {"url": live_site, "cycle": cycle, "world": world, "pdf": consent}


def _score(world: ResultsWorld, application: Application, percent: int) -> None:
    panel = Panel.objects.create(stage=world.document, application=application)
    for reviewer in world.reviewers:
        submitted_scorecard(AssignmentFactory(panel=panel, reviewer=reviewer), percent)


@pytest.mark.browser
def test_an_employer_files_an_individual_application_and_the_candidate_is_ranked(jinggang, page):
    url, cycle = jinggang["url"], jinggang["cycle"]
    page.goto(url + "/accounts/login/")
    page.get_by_label("用户名").fill("jx_employer")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("我的工作台")

    page.get_by_role("button", name="申报个人奖（本单位候选人）").click()
    fill_individual_wizard(page, jinggang["pdf"], name="刘志强", id_number=SECRET_ID)

    expect(page.locator("h1")).to_have_text("确认提交")
    expect(page.locator("body")).to_contain_text("**************" + SECRET_ID[-4:])
    assert SECRET_ID not in page.content()
    page.get_by_label(re.compile("本单位承诺")).check()
    page.get_by_role("button", name="提交申报").click(timeout=PDF_TIMEOUT)
    expect(page.locator("[data-status]")).to_have_text("已提交", timeout=PDF_TIMEOUT)

    # Screening and scoring happen elsewhere; here through the services and factories.
    world = jinggang["world"]
    person = Application.objects.get(track=Track.INDIVIDUAL)
    Application.objects.filter(pk=person.pk).update(status=ApplicationStatus.ELIGIBLE)
    Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.REVIEW)
    _score(world, person, 80)
    add_application(world, "甲公司", ((70, 70, 70), (None, None, None)))

    page.goto(url + "/admin/login/")
    page.locator("input[name=username]").fill("jiangxi")
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page).to_have_url(url + "/admin/")
    page.goto(f"{url}/admin/cycle-results/cycles/{cycle.pk}/")
    page.locator("[data-track-choice] select").select_option("individual")
    page.get_by_role("button", name="计算评审结果").click()
    expect(page).to_have_url(re.compile(r"/admin/cycle-results/snapshots/\d+/$"))
    ranking = page.locator("[data-ranking] tbody tr")
    expect(ranking).to_have_count(1)
    expect(ranking.first).to_contain_text("刘志强（江西洪都航空装备有限公司）")
    expect(ranking.first).to_contain_text("80.00")
    expect(ranking.first).to_contain_text("井冈质量奖（个人）")
    expect(page.locator("[data-ranking]")).not_to_contain_text("甲公司")
    assert SECRET_ID not in page.content()
