"""A world for the officials' work desk: two authorities with work of every kind on a fixed day.

The clock is set to ``DAY`` 10:00 Beijing time by the tests (``FROZEN``). 甲市 (ours) has four
cycles of one programme; 乙市 has one cycle with one item of every kind of work, so a test can
assert that none of it reaches 甲市's official.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from awards.enums import ApplicationStatus, CycleStatus
from awards.models import Cycle, User
from scoring.certificates.models import CertificateBatch
from scoring.enums import AssignmentStatus, ScorecardStatus, StageKind
from scoring.publication.models import ObjectionOutcome
from scoring.results.models import ComputationStatus, ResultComputation
from scoring.review.models import Assignment, Panel, Scorecard
from tests import clock
from tests.factories import (
    CYCLE_MILESTONE_DAYS,
    AuthorityFactory,
    CycleFactory,
    OfficialFactory,
    ProgrammeFactory,
    ReviewerFactory,
)
from tests.scoring.factories import (
    ApprovedSnapshotFactory,
    EligibleApplicationFactory,
    ObjectionFactory,
    OpenNoticeFactory,
    ReviewStageFactory,
)

DAY = dt.date(2026, 11, 2)
FROZEN = clock.at(DAY, 10)


def timetable(**days: int) -> dict:
    """A cycle timetable counted in days from today, the factory's defaults for the rest."""
    milestones = {**CYCLE_MILESTONE_DAYS, **days}
    table = {field: clock.days_from_today(offset) for field, offset in milestones.items()}
    table["application_deadline"] = clock.at(table["application_deadline"], 17)
    return table


#: Every milestone of a finished cycle, long past.
PAST = {field: -300 + index for index, field in enumerate(CYCLE_MILESTONE_DAYS)}


def applications(cycle: Cycle, *statuses: str) -> None:
    for status in statuses:
        EligibleApplicationFactory(cycle=cycle, status=status)


def stage_with_scorecards(cycle: Cycle, *, kind=StageKind.DOCUMENT, order=1, cards=()):
    """A stage with one panel; ``cards`` lists per assignment (assignment status, scorecard
    status or None)."""
    stage = ReviewStageFactory(cycle=cycle, kind=kind, order=order)
    panel = Panel.objects.create(stage=stage, application=EligibleApplicationFactory(cycle=cycle))
    for status, card in cards:
        assignment = Assignment.objects.create(
            panel=panel,
            reviewer=ReviewerFactory(authority=cycle.programme.authority),
            status=status,
        )
        if card is not None:
            Scorecard.objects.create(assignment=assignment, status=card)
    return stage


def notice_with_objections(cycle: Cycle, *, open_count: int, resolved: int = 0):
    notice = OpenNoticeFactory(snapshot=ApprovedSnapshotFactory(cycle=cycle))
    for _ in range(open_count):
        ObjectionFactory(notice=notice)
    for _ in range(resolved):
        ObjectionFactory(notice=notice, outcome=ObjectionOutcome.REJECTED, resolution="不成立")
    return notice


def computation(cycle: Cycle, by: User, status: str, *, progress=0, minutes_ago=0):
    run = ResultComputation.objects.create(
        cycle=cycle, requested_by=by, status=status, progress=progress
    )
    ResultComputation.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return run


def batch(cycle: Cycle, by: User, *, done=0, total=3, finished=False, error="", minutes_ago=0):
    printed = CertificateBatch.objects.create(
        cycle=cycle,
        started_by=by,
        done=done,
        total=total,
        error=error,
        finished_at=timezone.now() if finished or error else None,
    )
    CertificateBatch.objects.filter(pk=printed.pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return printed


@dataclass
class DeskWorld:
    official: User
    other_official: User
    screening: Cycle  # 甲市 5th: in screening, review stages under way
    extended: Cycle  # 甲市 6th: open, deadline extended
    notice: Cycle  # 甲市 4th: in public notice
    closed: Cycle  # 甲市 3rd: closed
    other: Cycle  # 乙市 1st: every kind of work


def build_desk_world() -> DeskWorld:
    ours = AuthorityFactory(name="甲市人民政府", region_code="421000", region_prefix="4210")
    theirs = AuthorityFactory(name="乙市人民政府", region_code="422000", region_prefix="4220")
    official = OfficialFactory(authority=ours)
    other_official = OfficialFactory(authority=theirs)
    programme = ProgrammeFactory(authority=ours, name="甲市质量奖")

    screening = CycleFactory(
        programme=programme,
        edition=5,
        status=CycleStatus.SCREENING,
        timetable=timetable(
            application_deadline=-1, screening_deadline=14, document_review_deadline=15
        ),
    )
    extended = CycleFactory(
        programme=programme,
        edition=6,
        status=CycleStatus.OPEN,
        timetable=timetable(application_deadline=3),
        deadline_extended_until=clock.at(clock.days_from_today(10), 17),
    )
    notice = CycleFactory(
        programme=programme,
        edition=4,
        status=CycleStatus.NOTICE,
        timetable=timetable(**{**PAST, "announcement_date": 0}),
    )
    closed = CycleFactory(
        programme=programme,
        edition=3,
        status=CycleStatus.CLOSED,
        timetable=timetable(**{**PAST, "screening_deadline": 5}),
    )

    applications(
        screening,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.ELIGIBLE,
        ApplicationStatus.DRAFT,
    )
    applications(extended, ApplicationStatus.SUBMITTED)
    stage_with_scorecards(
        screening,
        cards=[
            (AssignmentStatus.ACTIVE, ScorecardStatus.SUBMITTED),
            (AssignmentStatus.ACTIVE, ScorecardStatus.SUBMITTED),
            (AssignmentStatus.ACTIVE, ScorecardStatus.DRAFT),
            (AssignmentStatus.RECUSED, ScorecardStatus.SUBMITTED),
        ],
    )
    stage_with_scorecards(screening, kind=StageKind.ONSITE, order=2)
    stage_with_scorecards(
        notice, cards=[(AssignmentStatus.ACTIVE, ScorecardStatus.DRAFT)]
    )  # a cycle past review: not on the desk
    notice_with_objections(notice, open_count=2, resolved=1)

    computation(screening, official, ComputationStatus.FAILED, minutes_ago=30)
    computation(screening, official, ComputationStatus.RUNNING, progress=40)
    computation(notice, official, ComputationStatus.DONE, minutes_ago=60)
    computation(notice, official, ComputationStatus.FAILED, minutes_ago=5)
    computation(closed, official, ComputationStatus.DONE)
    batch(notice, official, done=1, total=3)
    batch(extended, official, done=3, total=3, finished=True)

    other = CycleFactory(
        programme=ProgrammeFactory(authority=theirs, name="乙市质量奖"),
        edition=1,
        status=CycleStatus.SCREENING,
        timetable=timetable(application_deadline=-1, screening_deadline=7),
    )
    applications(other, ApplicationStatus.SUBMITTED)
    stage_with_scorecards(other, cards=[(AssignmentStatus.ACTIVE, ScorecardStatus.SUBMITTED)])
    notice_with_objections(other, open_count=1)
    computation(other, other_official, ComputationStatus.QUEUED)
    batch(other, other_official, error="OSError: disk full")
    return DeskWorld(official, other_official, screening, extended, notice, closed, other)
