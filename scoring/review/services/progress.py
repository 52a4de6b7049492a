"""Where a stage's scoring stands, per reviewer and per application, and e-mail reminders.

Counts come from one query over the stage's active assignments (with their scorecard status)
and one over its panels, so the progress page costs the same for 1 or 500 applications.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from awards.audit_actions import AuditAction
from awards.enums import Track
from awards.models import User
from awards.models.applications import display_name_expression
from awards.permissions.rules import require_authority
from awards.services.audit import record
from awards.services.notifications.audiences import to_people
from scoring.enums import AssignmentStatus, ScorecardStatus, ScoringState
from scoring.review.models import Assignment, Panel, ReviewStage


@dataclass
class Counts:
    assigned: int = 0
    not_started: int = 0
    started: int = 0
    submitted: int = 0
    overdue: int = 0

    def add(self, state: ScoringState, overdue: bool) -> None:
        self.assigned += 1
        setattr(self, state, getattr(self, state) + 1)
        self.overdue += overdue

    def as_tuple(self) -> tuple[int, int, int, int, int]:
        return (self.assigned, self.not_started, self.started, self.submitted, self.overdue)


@dataclass
class Work:
    """One assignment as the progress page lists it."""

    assignment_id: int
    scorecard_id: int | None
    reviewer_id: int
    reviewer_name: str
    application_id: int
    application_label: str
    state: ScoringState
    overdue: bool


@dataclass
class Row:
    key: int
    label: str
    counts: Counts = field(default_factory=Counts)
    work: list[Work] = field(default_factory=list)
    email: str = ""
    panel_size: int = 0
    track: str = Track.ORGANIZATION


@dataclass
class StageProgress:
    stage: ReviewStage
    is_closed: bool
    reviewers: list[Row]
    applications: list[Row]
    totals: Counts


def _state(scorecard_status: str | None) -> ScoringState:
    if scorecard_status == ScorecardStatus.SUBMITTED:
        return ScoringState.SUBMITTED
    if scorecard_status == ScorecardStatus.DRAFT:
        return ScoringState.STARTED
    return ScoringState.NOT_STARTED


def stage_progress(*, stage: ReviewStage, now: dt.datetime | None = None) -> StageProgress:
    """Assigned / not started / started (draft) / submitted / overdue, per reviewer and per
    application; overdue means not submitted once the stage's window has closed."""
    now = now or timezone.now()
    closed = now > stage.closes_at
    reviewers: dict[int, Row] = {}
    applications: dict[int, Row] = {}
    totals = Counts()
    for panel_app_id, name, track in (
        Panel.objects.filter(stage=stage)
        .order_by("application_id")
        .values_list(
            "application_id", display_name_expression("application__"), "application__track"
        )
    ):
        applications[panel_app_id] = Row(
            panel_app_id, name, panel_size=stage.panel_size, track=track
        )
    assignments = (
        Assignment.objects.filter(panel__stage=stage, status=AssignmentStatus.ACTIVE)
        .order_by("panel__application_id", "reviewer__full_name", "reviewer__username")
        .values_list(
            "pk",
            "scorecard__pk",
            "scorecard__status",
            "reviewer_id",
            "reviewer__full_name",
            "reviewer__username",
            "reviewer__email",
            "panel__application_id",
            display_name_expression("panel__application__"),
        )
    )
    for (
        assignment_id,
        scorecard_id,
        status,
        reviewer_id,
        full_name,
        username,
        email,
        app_id,
        application_name,
    ) in assignments:
        state = _state(status)
        overdue = closed and state != ScoringState.SUBMITTED
        work = Work(
            assignment_id,
            scorecard_id,
            reviewer_id,
            full_name or username,
            app_id,
            application_name,
            state,
            overdue,
        )
        reviewer_row = reviewers.setdefault(
            reviewer_id, Row(reviewer_id, full_name or username, email=email)
        )
        app_row = applications.setdefault(app_id, Row(app_id, application_name))
        for row in (reviewer_row, app_row):
            row.counts.add(state, overdue)
            row.work.append(work)
        totals.add(state, overdue)
    return StageProgress(
        stage=stage,
        is_closed=closed,
        reviewers=sorted(reviewers.values(), key=lambda row: (row.label, row.key)),
        applications=list(applications.values()),
        totals=totals,
    )


@dataclass(frozen=True, slots=True)
class ReminderReport:
    sent: list[str]
    without_email: list[str]


def pending_by_reviewer(stage: ReviewStage) -> dict[int, list[str]]:
    pending: dict[int, list[str]] = defaultdict(list)
    for reviewer_id, name in (
        Assignment.objects.filter(panel__stage=stage, status=AssignmentStatus.ACTIVE)
        .exclude(scorecard__status=ScorecardStatus.SUBMITTED)
        .order_by("reviewer_id", "panel__application_id")
        .values_list("reviewer_id", display_name_expression("panel__application__"))
    ):
        pending[reviewer_id].append(name)
    return pending


def _workspace_path() -> str:
    """The reviewer's workspace, or the portal dashboard where the reviewer pages are absent."""
    try:
        return reverse("scoring:workspace")
    except NoReverseMatch:
        return "/portal/"


def send_reminders(*, stage: ReviewStage, by: User) -> ReminderReport:
    """One message per reviewer with unsubmitted scorecards in the stage, listing them all
    (queued in the outbox, at most once a day per reviewer and stage)."""
    require_authority(by, stage.cycle.programme.authority_id)
    pending = pending_by_reviewer(stage)
    users = User.objects.filter(pk__in=pending).order_by("pk")
    closes = timezone.localtime(stage.closes_at).strftime("%Y-%m-%d %H:%M")
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + _workspace_path()
    sent, without_email = [], []
    today = timezone.localdate().isoformat()
    for user in users:
        if not user.email:
            without_email.append(user.username)
        else:
            sent.append(user.username)
        to_people(
            "review.reminder",
            people=[user],
            # One reminder per reviewer, stage and day, however often the button is pressed.
            key=f"{stage.pk}:{today}",
            authority_id=stage.cycle.programme.authority_id,
            link=link,
            cycle=str(stage.cycle),
            stage=stage.get_kind_display(),
            count=len(pending[user.pk]),
            lines="\n".join(f"  · {name}" for name in pending[user.pk]),
            closes=closes,
        )
    record(
        actor=by,
        action=AuditAction.SEND_REVIEW_REMINDERS,
        target=stage,
        recipients=sent,
        without_email=without_email,
    )
    return ReminderReport(sent=sent, without_email=without_email)
