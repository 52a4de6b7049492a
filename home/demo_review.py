"""A cycle under review for each demo award: the edition before the open one, started about 75
days ago and now in document review.

One builder, :func:`build_review_cycle`, runs every award's cycle from the data in
:data:`IN_REVIEW` through the services: four applications are submitted (to 三峡, each to its
district, whose recommender recommends it before screening), three pass screening
and one fails (with its reasons), the authority's first three experts sign the commitment and
are put on the three panels (the first expert leads). Then the panels are at three different
points, so the review progress, the reviewers' lists and the consensus page all have something
to show:

* the first panel has every scorecard submitted and the leader's consensus waiting (a draft of
  the first items, not yet confirmed);
* the second has two scorecards submitted and one saved as a draft;
* the third has one scorecard submitted, one draft and one not started.

Document review closes 15 days from today, so the reviewers can go on scoring in the demo. A
second call finds the cycle and does nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from awards.criteria_data import GB_T_19580_2012
from awards.demo import submit_demo_application
from awards.demo_recommenders import recommend_demo_applications
from awards.enums import CycleStatus, ItemKind, ScreeningDecision
from awards.models import AwardProgramme, CriteriaFramework, Cycle
from awards.services.application_attachments import ensure_attachment_requirements
from awards.services.cycles import change_cycle_status
from awards.services.programmes import create_cycle
from awards.services.screening import screen_application
from home.demo_people import CASTS, AwardCast, enlist_reviewers, on, user
from scoring.review.models import Panel
from scoring.review.services.assignment import assign_manually, set_leader
from scoring.review.services.consensus import ConsensusEntry, save_consensus
from scoring.review.services.scorecards import ItemEntry, save_scores, submit_scorecard
from scoring.review.services.stages import ensure_default_stages

#: Days before today the cycles under review start.
STARTED_DAYS_AGO = 75
#: How many of a panel's three scorecards are submitted, and how many more are drafts.
PANEL_PROGRESS = ((3, 0), (2, 1), (1, 1))


@dataclass(frozen=True)
class ReviewCycle:
    cast: AwardCast
    #: Three applicants who pass screening, in panel order, then one who fails.
    applicants: tuple[str, str, str]
    failed: str
    failed_reasons: str

    @property
    def edition(self) -> int:
        return self.cast.award.edition - 1


IN_REVIEW = (
    ReviewCycle(
        cast=CASTS["luyu"],
        applicants=("tm_textile", "tm_pharma", "tm_logistics"),
        failed="tm_tea",
        failed_reasons="导入卓越绩效管理模式不满2年，不符合申报条件。",
    ),
    ReviewCycle(
        cast=CASTS["sanxia"],
        applicants=("yc_power", "yc_material", "yc_chem"),
        failed="yc_tourism",
        failed_reasons="近三年发生一起较大旅游安全事故，属于不得申报的情形。",
    ),
    ReviewCycle(
        cast=CASTS["jinggang"],
        applicants=("jx_rareearth", "jx_ceramics", "jx_aviation"),
        failed="jx_tourism",
        failed_reasons="近三年发生一起一般质量事故，属于不得申报的情形。",
    ),
)


def build_demo_review() -> list[Cycle]:
    """Every award's cycle under review that is not there yet."""
    built = [build_review_cycle(spec) for spec in IN_REVIEW]
    return [cycle for cycle in built if cycle is not None]


def build_review_cycle(spec: ReviewCycle) -> Cycle | None:
    programme = AwardProgramme.objects.filter(slug=spec.cast.slug).first()
    if (
        programme is None
        or Cycle.objects.filter(programme=programme, edition=spec.edition).exists()
    ):
        return None
    award = spec.cast.award
    official = user(spec.cast.official)
    framework = CriteriaFramework.objects.get(
        code=GB_T_19580_2012.code, version=GB_T_19580_2012.version, authority=None
    )
    local = timezone.get_default_timezone()
    start = timezone.localdate() - dt.timedelta(days=STARTED_DAYS_AGO)

    def day(n: int) -> dt.date:
        return start + dt.timedelta(days=n)

    with on(day(0)):
        cycle = create_cycle(
            programme=programme,
            edition=spec.edition,
            year=day(0).year,
            framework=framework,
            timetable={
                "applications_open": day(1),
                "application_deadline": dt.datetime.combine(day(30), dt.time(17), tzinfo=local),
                "screening_deadline": day(40),
                "document_review_deadline": day(STARTED_DAYS_AGO + 15),
                "onsite_review_deadline": day(STARTED_DAYS_AGO + 45),
                "notice_start": day(STARTED_DAYS_AGO + 65),
                "announcement_date": day(STARTED_DAYS_AGO + 85),
            },
            levels=award.levels,
            by=official,
            **award.rules,
        )
        ensure_attachment_requirements(cycle=cycle, by=official)
    with on(day(1)):
        cycle = change_cycle_status(cycle=cycle, to=CycleStatus.OPEN, by=official)
    with on(day(12)):
        names = (*spec.applicants, spec.failed)
        applications = [submit_demo_application(cycle, name) for name in names]
    with on(day(20)):
        recommend_demo_applications(applications)
    with on(day(31)):
        cycle = change_cycle_status(cycle=cycle, to=CycleStatus.SCREENING, by=official)
        for application in applications[:3]:
            screen_application(
                application=application, decision=ScreeningDecision.PASS, reasons="", by=official
            )
        screen_application(
            application=applications[3],
            decision=ScreeningDecision.FAIL,
            reasons=spec.failed_reasons,
            by=official,
        )
    with on(day(41)):
        cycle = change_cycle_status(cycle=cycle, to=CycleStatus.REVIEW, by=official)
        document = ensure_default_stages(cycle=cycle, by=official)[0]
        reviewers = enlist_reviewers(spec.cast, cycle)
        panels = []
        for application in applications[:3]:
            for reviewer in reviewers:
                assign_manually(
                    reviewer=reviewer, stage=document, application=application, by=official
                )
            panel = Panel.objects.get(stage=document, application=application)
            panels.append(set_leader(panel=panel, reviewer=reviewers[0], by=official))
    with on(day(55)):
        for panel, progress in zip(panels, PANEL_PROGRESS, strict=True):
            _score(panel, *progress)
        _consensus_draft(panels[0])
    return cycle


def _score(panel: Panel, submitted: int, drafts: int) -> None:
    """The first ``submitted`` members score every item and submit; the next ``drafts`` members
    score the process items only and keep their scorecard as a draft."""
    items = list(panel.stage.cycle.framework_for(panel.application.track).items.all())
    process = [i for i in items if i.kind == ItemKind.PROCESS]
    assignments = list(panel.assignments.order_by("pk"))
    for index, assignment in enumerate(assignments[: submitted + drafts]):
        percent = 55 + 5 * (index % 3)
        scored = items if index < submitted else process
        entries = {
            i.code: ItemEntry(
                percent, f"{i.name}：方法较系统，展开较充分。", "学习改进的证据不足。"
            )
            for i in scored
        }
        card = save_scores(
            assignment=assignment, expected_version=0, entries=entries, by=assignment.reviewer
        )
        if index < submitted:
            submit_scorecard(scorecard=card, by=assignment.reviewer)


def _consensus_draft(panel: Panel) -> None:
    """The leader drafts the consensus of the leadership category and leaves the rest open."""
    framework = panel.stage.cycle.framework_for(panel.application.track)
    items = [i for i in framework.items.all() if i.code.startswith("4.1")]
    save_consensus(
        panel=panel,
        expected_version=0,
        by=panel.leader,
        entries={
            i.code: ConsensusEntry(60, "评审组讨论中。", f"{i.name}方面措施明确。", "")
            for i in items
        },
    )
