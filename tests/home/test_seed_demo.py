"""``seed_demo`` on a real database: what it builds, and that a second run changes nothing.

Seeding the whole demo takes about a minute, so one test seeds it (twice, for the second-run
check) and makes every check on that one world; each check is a function below. The command runs
in a transactional test, as ``manage.py seed_demo`` runs, so work deferred to the commit (printing
certificates) happens.
"""

from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from wagtail.models import Page, Revision

from awards.enums import ApplicationStatus, CycleStatus, RecommendationStatus, Role
from awards.models import (
    Application,
    AuditEntry,
    AwardingAuthority,
    AwardProgramme,
    Cycle,
    Organization,
    Recommendation,
    User,
)
from awards.validators import validate_credit_code
from scoring.certificates.models import Certificate, CertificateBatch
from scoring.certificates.services.feedback import Availability, feedback_availability
from scoring.enums import ConsensusStatus, ScorecardStatus, StageKind
from scoring.publication.models import Award, Objection, ObjectionOutcome, PublicNotice
from scoring.results.models import CommitteeDecision, CommitteeVote, ResultSnapshot, Vote
from scoring.results.services.minutes import render_minutes_pdf
from scoring.review.models import Consensus, DefenceQuestion, Panel, ReviewStage, Scorecard
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


def stage_summary(slug: str) -> dict:
    """What each cycle of one award holds, by edition, to compare with exact expectations."""
    summary = {}
    for cycle in Cycle.objects.filter(programme__slug=slug).order_by("edition"):
        applications = Application.objects.filter(cycle=cycle)
        in_cycle = {"stage__cycle": cycle}
        summary[cycle.edition] = {
            "status": cycle.status,
            "applications": Counter(applications.values_list("status", flat=True)),
            "panels": Panel.objects.filter(**in_cycle).count(),
            "scorecards": Counter(
                Scorecard.objects.filter(assignment__panel__stage__cycle=cycle).values_list(
                    "status", flat=True
                )
            ),
            "consensus": Counter(
                Consensus.objects.filter(panel__stage__cycle=cycle).values_list("status", flat=True)
            ),
            "questions": DefenceQuestion.objects.filter(round__panel__stage__cycle=cycle).count(),
            "snapshots": ResultSnapshot.objects.filter(
                cycle=cycle, approved_at__isnull=False
            ).count(),
            "notices": PublicNotice.objects.filter(snapshot__cycle=cycle).count(),
            "objections": list(
                Objection.objects.filter(notice__snapshot__cycle=cycle).values_list(
                    "outcome", flat=True
                )
            ),
            "awards": [
                (award.application.organization.name, award.level, award.revoked_at is not None)
                for award in Award.objects.filter(snapshot__cycle=cycle).order_by("pk")
            ],
            "certificates": Certificate.objects.filter(award__snapshot__cycle=cycle).count(),
            "feedback": sum(
                feedback_availability(application=a) == Availability.AVAILABLE for a in applications
            ),
        }
    return summary


def finished(awards: list, questions: int = 0) -> dict:
    return {
        "status": CycleStatus.ANNOUNCED,
        "applications": Counter({ApplicationStatus.ELIGIBLE: 3}),
        # Two stages × three applications; three reviewers each.
        "panels": 6,
        "scorecards": Counter({ScorecardStatus.SUBMITTED: 18}),
        "consensus": Counter({ConsensusStatus.FINAL: 6}),
        "questions": questions,
        "snapshots": 1,
        "notices": 1,
        "objections": [ObjectionOutcome.REJECTED],
        "awards": awards,
        "certificates": 2,
        "feedback": 3,
    }


IN_REVIEW = {
    "status": CycleStatus.REVIEW,
    "applications": Counter({ApplicationStatus.ELIGIBLE: 3, ApplicationStatus.INELIGIBLE: 1}),
    "panels": 3,
    # Panels at 3 + 0, 2 + 1 and 1 + 1 (submitted + draft) of three members.
    "scorecards": Counter({ScorecardStatus.SUBMITTED: 6, ScorecardStatus.DRAFT: 2}),
    "consensus": Counter({ConsensusStatus.DRAFT: 1}),
    "questions": 0,
    "snapshots": 0,
    "notices": 0,
    "objections": [],
    "awards": [],
    "certificates": 0,
    "feedback": 0,
}
OPEN = {
    **IN_REVIEW,
    "status": CycleStatus.OPEN,
    "applications": Counter({ApplicationStatus.SUBMITTED: 1, ApplicationStatus.DRAFT: 1}),
    "panels": 0,
    "scorecards": Counter(),
    "consensus": Counter(),
}


def all_counts() -> dict:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_builds_every_stage_of_the_three_awards_and_a_second_run_changes_nothing(
    client,
):
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    counts = all_counts()
    check_the_three_awards(first)
    check_organizations_lie_in_their_authoritys_jurisdiction()
    check_every_stage_of_every_award()
    check_the_earlier_jinggang_cycle_ran_to_its_announcement_last_year(client)

    call_command("seed_demo", verbosity=0)

    assert snapshot() == first
    assert all_counts() == counts


def check_the_three_awards(first: dict) -> None:
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


def check_organizations_lie_in_their_authoritys_jurisdiction() -> None:
    prefixes = [a.region_prefix for a in AwardingAuthority.objects.all()]
    applicants = User.objects.filter(role=Role.APPLICANT, is_superuser=False)
    assert applicants.count() == 15
    for user in applicants.select_related("organization"):
        assert any(user.organization.region_code.startswith(p) for p in prefixes)


def check_every_stage_of_every_award() -> None:
    stages = {slug: stage_summary(slug) for slug in ("luyu", "sanxia", "jinggang")}
    assert stages["luyu"] == {
        3: finished(
            [
                ("天门纺织机械股份有限公司", "陆羽质量奖", False),
                ("天门市竟陵建筑工程有限公司", "陆羽质量奖", True),
            ]
        ),
        4: IN_REVIEW,
        5: OPEN,
    }
    assert stages["sanxia"] == {
        7: finished(
            [
                ("宜昌三峡精细化工股份有限公司", "三峡质量奖", False),
                ("宜昌夷陵柑橘产业集团有限公司", "三峡质量奖提名奖", True),
            ]
        ),
        8: IN_REVIEW,
        # Besides build_demo_data's two: 西陵区 has recommended one and returned one.
        9: {
            **OPEN,
            "applications": Counter(
                {
                    ApplicationStatus.SUBMITTED: 2,
                    ApplicationStatus.RETURNED: 1,
                    ApplicationStatus.DRAFT: 1,
                }
            ),
        },
    }
    assert stages["jinggang"] == {
        3: finished(
            [
                ("江西洪都航空装备有限公司", "井冈质量奖", False),
                ("江西九江港口物流有限公司", "井冈质量奖提名奖", True),
            ],
            questions=2,
        ),
        4: IN_REVIEW,
        # Besides build_demo_data's two: two individual candidates and two enterprises
        # recommended by 南昌市 and 九江市.
        5: {
            **OPEN,
            "applications": Counter(
                {ApplicationStatus.SUBMITTED: 1 + 2 + 2, ApplicationStatus.DRAFT: 1}
            ),
        },
    }
    # One certificate batch per finished cycle; the PDFs print once the seed commits.
    assert CertificateBatch.objects.count() == 3
    assert list(
        Objection.objects.order_by("pk").values_list("resolved_by__username", flat=True)
    ) == ["tianmen_official", "yichang_official", "jiangxi_official"]
    assert list(
        ResultSnapshot.objects.order_by("pk").values_list("approved_by__username", flat=True)
    ) == ["tianmen_official2", "yichang_official2", "jiangxi_official2"]


def check_the_earlier_jinggang_cycle_ran_to_its_announcement_last_year(client) -> None:
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
