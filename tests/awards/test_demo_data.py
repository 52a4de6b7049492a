from collections import Counter

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision

from awards.enums import CycleStatus, RecommendationStatus, Role
from awards.models import (
    AuditEntry,
    AwardingAuthority,
    AwardProgramme,
    Cycle,
    Organization,
    Recommendation,
    User,
)
from awards.validators import validate_credit_code
from scoring.enums import ScorecardStatus, StageKind
from scoring.publication.models import Award, PublicNotice
from scoring.results.models import CommitteeDecision, CommitteeVote, ResultSnapshot, Vote
from scoring.results.services.minutes import render_minutes_pdf
from scoring.review.models import Consensus, DefenceQuestion, ReviewStage, Scorecard
from tests import clock

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def snapshot() -> dict:
    return {
        "authorities": AwardingAuthority.objects.count(),
        "programmes": sorted(AwardProgramme.objects.values_list("slug", flat=True)),
        "open_cycles": Cycle.objects.filter(status=CycleStatus.OPEN).count(),
        "organizations": Organization.objects.count(),
        "officials": User.objects.filter(role=Role.OFFICIAL).count(),
        "reviewers": User.objects.filter(role=Role.REVIEWER).count(),
        "recommenders": User.objects.filter(role=Role.RECOMMENDER).count(),
        "recommendations": dict(Counter(Recommendation.objects.values_list("status", flat=True))),
        "applicants": User.objects.filter(role=Role.APPLICANT, is_superuser=False).count(),
        "superusers": User.objects.filter(is_superuser=True).count(),
        "audit": AuditEntry.objects.count(),
        "cycles": Cycle.objects.count(),
        "scorecards": Scorecard.objects.count(),
        "questions": DefenceQuestion.objects.count(),
        "snapshots": ResultSnapshot.objects.count(),
        "votes": CommitteeVote.objects.count(),
        "awards": Award.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
    }


def test_seed_demo_builds_the_three_awards_and_running_it_again_changes_nothing():
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    counted = ("audit", "pages", "revisions")
    assert {key: value for key, value in first.items() if key not in counted} == {
        # The three awarding authorities and six recommending bodies (4 宜昌 districts, 2 江西
        # cities), each body with a recommender; 南昌 also has an official.
        "authorities": 3 + 6,
        "programmes": ["jinggang", "luyu", "sanxia"],
        "open_cycles": 3,
        "organizations": 15,
        "officials": 6 + 1,
        "reviewers": 12,
        "recommenders": 6,
        # 三峡: 3 finished + 4 under review + 1 open recommended by their districts, 1 open
        # waiting, 1 open returned; 井冈 (from its open cycle on): 2 recommended.
        "recommendations": {
            RecommendationStatus.RECOMMENDED: 3 + 4 + 1 + 2,
            RecommendationStatus.PENDING: 1,
            RecommendationStatus.RETURNED: 1,
        },
        "applicants": 15,
        "superusers": 1,
        # Per award: a finished cycle, one under review and the open one.
        "cycles": 9,
        # Finished: 3 applications × 3 reviewers × 2 stages; under review: 6 submitted + 2
        # drafts. 2 questions (江西's defence); 2 awards × 5 members present per finished cycle.
        "scorecards": 3 * (18 + 8),
        "questions": 2,
        "snapshots": 3,
        "votes": 30,
        "awards": 6,
    }
    for code in Organization.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)
    official = User.objects.get(username="tianmen_official")
    assert official.check_password("Award-Demo-2026")
    assert official.authority.name == "天门市人民政府"
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


def test_demo_organizations_lie_in_their_authoritys_jurisdiction():
    call_command("seed_demo", verbosity=0)
    applicants = User.objects.filter(role=Role.APPLICANT, is_superuser=False)
    for user in applicants.select_related("organization"):
        prefixes = [a.region_prefix for a in AwardingAuthority.objects.all()]
        assert any(user.organization.region_code.startswith(p) for p in prefixes)


def test_the_earlier_jinggang_cycle_ran_to_its_announcement_last_year(client):
    call_command("seed_demo", verbosity=0)
    start = clock.days_from_today(-400)
    cycle = Cycle.objects.get(programme__slug="jinggang", edition=3)
    assert (cycle.status, cycle.year, cycle.applications_open) == (
        CycleStatus.ANNOUNCED,
        start.year,
        clock.days_from_today(-399),
    )
    stages = ReviewStage.objects.filter(cycle=cycle).order_by("order")
    assert [(s.kind, str(s.weight)) for s in stages] == [
        (StageKind.DOCUMENT, "0.300"),
        (StageKind.DEFENCE, "0.700"),
    ]
    assert set(
        Scorecard.objects.filter(assignment__panel__stage__cycle=cycle).values_list(
            "status", flat=True
        )
    ) == {ScorecardStatus.SUBMITTED}
    assert Consensus.objects.filter(panel__stage__cycle=cycle, finalized_at=None).count() == 0
    assert list(
        Consensus.objects.filter(panel__stage__cycle=cycle)
        .exclude(site_issues="")
        .values_list("panel__application__organization__name", "site_issues")
    ) == [
        (
            "江西洪都航空装备有限公司",
            "核实近三年一次交验合格率的统计口径。\n查看航空装备关键工序的过程控制记录。",
        )
    ]
    written, hearing = DefenceQuestion.objects.filter(round__panel__stage__cycle=cycle).order_by(
        "pk"
    )
    assert written.answer.startswith("推行关键工序防错和首件检验")
    assert list(written.files.values_list("original_name", flat=True)) == ["合格率统计.pdf"]
    assert (hearing.answer, hearing.round.hearing_place) == ("", "省市场监管局 3 楼会议室")

    snapshot = ResultSnapshot.objects.get(cycle=cycle)
    assert (snapshot.created_by.username, snapshot.approved_by.username) == (
        "jiangxi_official",
        "jiangxi_official2",
    )
    assert [
        (e.application.organization.name, str(e.total), e.level)
        for e in snapshot.entries.order_by("rank")
    ] == [
        ("江西洪都航空装备有限公司", "761.67", "井冈质量奖"),
        ("江西九江港口物流有限公司", "628.33", "井冈质量奖提名奖"),
        ("江西井冈山红色旅游发展有限公司", "528.33", ""),
    ]
    decision = CommitteeDecision.objects.get(snapshot=snapshot)
    assert decision.held_on == clock.days_from_today(-298)
    assert decision.present.count() == 5
    assert set(decision.votes.values_list("vote", flat=True)) == {Vote.APPROVE}
    assert render_minutes_pdf(decision=decision).startswith(b"%PDF")
    notice = PublicNotice.objects.get(snapshot=snapshot)
    assert notice.starts_on == clock.days_from_today(-280)
    assert sorted(
        Award.objects.filter(snapshot__cycle=cycle).values_list(
            "application__organization__name", "level"
        )
    ) == [
        ("江西九江港口物流有限公司", "井冈质量奖提名奖"),
        ("江西洪都航空装备有限公司", "井冈质量奖"),
    ]
    notice_page = client.get("/jinggang/results-notice-3-v1/")
    assert notice_page.status_code == 200
    assert "第3届井冈质量奖拟表彰名单公示" in notice_page.content.decode()
    winners = client.get("/jinggang/winners-3/")
    assert winners.status_code == 200
    assert "江西洪都航空装备有限公司" in winners.content.decode()
