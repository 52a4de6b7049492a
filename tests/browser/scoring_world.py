"""One reviewer with an open scorecard, for the journeys that type scores in the browser (the
item pages and the whole sheet), and what they check: the saved scores and the two refusals."""

from playwright.sync_api import expect

from scoring.review.models import ItemScore
from tests.browser.steps import sign_in
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


def open_scorecard(live_site: str, username: str) -> dict:
    """A 陆羽质量奖 reviewer who has signed the commitment, assigned in an open stage; the
    addresses of the sheet and of each item page."""
    authority = AuthorityFactory(
        name="天门市人民政府", region_code="429006", region_prefix="429006"
    )
    cycle = CycleFactory(programme__authority=authority, programme__name="陆羽质量奖")
    reviewer = ReviewerFactory(authority=authority, username=username, password=TEST_PASSWORD)
    ClearedCommitmentFactory(cycle=cycle, reviewer=reviewer)
    assignment = AssignmentFactory(
        panel__stage=OpenReviewStageFactory(cycle=cycle), reviewer=reviewer
    )
    base = f"{live_site}/review/assignments/{assignment.pk}"
    return {
        "url": live_site,
        "username": username,
        "assignment": assignment,
        "sheet": f"{base}/sheet/",
        "item": lambda code: f"{base}/items/{code}/",
    }


def log_in(page, scoring: dict) -> None:
    sign_in(page, scoring["url"], scoring["username"], "/review/")
    expect(page.locator("h1")).to_have_text("评审工作台")


def saved(scoring: dict) -> dict[str, tuple]:
    """Item code → (percent, strengths) as stored."""
    return {
        score.item.code: (score.percent, score.strengths)
        for score in ItemScore.objects.filter(
            scorecard__assignment=scoring["assignment"]
        ).select_related("item")
    }
