"""What a reviewer may see: their cycles, assignments, scorecards and panels.

An assignment is visible only to its own reviewer, while active, and never when the reviewer is
conflicted with the application (hidden means 404). Everything of a cycle is further held back
until the reviewer has accepted the confidentiality commitment and finished declaring ties.
Nothing here reads another reviewer's scores: that happens only in ``consensus_table``, once the
whole panel has submitted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from awards.enums import CycleStatus, Track
from awards.models import CriteriaItem, Cycle, Organization, User
from scoring.bands import format_points, item_points
from scoring.enums import AssignmentStatus, ScorecardStatus, ScoringState
from scoring.review.models import (
    Assignment,
    ConflictDeclaration,
    ItemScore,
    Panel,
    ReviewerCommitment,
    Scorecard,
)
from scoring.review.services.conflicts import conflicted_stage_pairs, is_conflicted
from scoring.review.services.scorecards import framework_items, item_version, window_is_open

#: Cycles a reviewer is invited to declare ties for even before any assignment.
DECLARING_STATUSES = (CycleStatus.OPEN, CycleStatus.SCREENING, CycleStatus.REVIEW)
SEARCH_LIMIT = 20

ASSIGNMENT_RELATED = (
    "panel__stage__cycle__programme__authority",
    "panel__stage__cycle__framework",
    "panel__application__organization",
    "panel__application__candidate",
    "panel__application__cycle__programme",
    "panel__application__cycle__framework",
    "panel__application__framework",
    "panel__leader",
)


def reviewer_cycles(reviewer: User) -> QuerySet[Cycle]:
    return Cycle.objects.filter(programme__authority_id=reviewer.authority_id).select_related(
        "programme__authority", "framework"
    )


def commitment_for(*, reviewer: User, cycle: Cycle) -> ReviewerCommitment | None:
    return ReviewerCommitment.objects.filter(reviewer=reviewer, cycle=cycle).first()


def is_cleared(commitment: ReviewerCommitment | None) -> bool:
    """Commitment accepted and ties declared: the cycle's applications may be shown."""
    return commitment is not None and commitment.conflicts_declared_at is not None


def visible_assignment(*, reviewer: User, pk: int) -> Assignment | None:
    """The reviewer's own active, unconflicted assignment, or None (the caller answers 404)."""
    assignment = (
        Assignment.objects.filter(
            pk=pk,
            reviewer=reviewer,
            status=AssignmentStatus.ACTIVE,
            panel__stage__cycle__programme__authority_id=reviewer.authority_id,
        )
        .select_related(*ASSIGNMENT_RELATED)
        .first()
    )
    if assignment is None:
        return None
    panel = assignment.panel
    if is_conflicted(reviewer=reviewer, application=panel.application, stage=panel.stage):
        return None
    return assignment


def visible_panel(*, reviewer: User, pk: int) -> Panel | None:
    """A panel the reviewer actively sits on without a conflict, or None."""
    panel = (
        Panel.objects.filter(
            pk=pk,
            assignments__reviewer=reviewer,
            assignments__status=AssignmentStatus.ACTIVE,
            stage__cycle__programme__authority_id=reviewer.authority_id,
        )
        .select_related(
            "stage__cycle__programme__authority",
            "stage__cycle__framework",
            "application__organization",
            "application__candidate",
            "application__cycle__framework",
            "application__framework",
            "leader",
        )
        .first()
    )
    if panel is None or is_conflicted(
        reviewer=reviewer, application=panel.application, stage=panel.stage
    ):
        return None
    return panel


def search_organizations(*, cycle: Cycle, query: str) -> list[Organization]:
    """Organizations in the authority's jurisdiction whose name or credit code matches."""
    query = (query or "").strip()
    if not query:
        return []
    prefix = cycle.programme.authority.region_prefix
    return list(
        Organization.objects.filter(region_code__startswith=prefix)
        .filter(Q(name__icontains=query) | Q(credit_code__istartswith=query.upper()))
        .order_by("name")[:SEARCH_LIMIT]
    )


# Workspace -------------------------------------------------------------------------------


@dataclass
class WorkspaceRow:
    assignment: Assignment
    scored: int
    total: int
    state: ScoringState
    overdue: bool
    window_open: bool
    is_leader: bool

    @property
    def stage(self):
        return self.assignment.panel.stage


@dataclass
class CycleBlock:
    cycle: Cycle
    commitment: ReviewerCommitment | None
    assignment_count: int = 0
    hidden_conflicts: int = 0
    rows: list[WorkspaceRow] = field(default_factory=list)
    recused: list[Assignment] = field(default_factory=list)

    @property
    def cleared(self) -> bool:
        return is_cleared(self.commitment)


def _with_progress(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    scored = (
        ItemScore.objects.filter(scorecard__assignment=OuterRef("pk"), percent__isnull=False)
        .order_by()
        .values("scorecard")
        .annotate(n=Count("pk"))
        .values("n")
    )
    total = (
        CriteriaItem.objects.filter(framework_id=OuterRef("framework_for_scoring"))
        .order_by()
        .values("framework_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        # As ``scorecards.framework_id_of``: the recorded framework, else the track's.
        framework_for_scoring=Coalesce(
            "panel__application__framework_id",
            Case(
                When(
                    panel__application__track=Track.INDIVIDUAL,
                    then="panel__stage__cycle__individual_framework_id",
                ),
                default="panel__stage__cycle__framework_id",
            ),
        ),
        scored=Coalesce(Subquery(scored, output_field=IntegerField()), Value(0)),
        total=Coalesce(Subquery(total, output_field=IntegerField()), Value(0)),
    )


def _state(assignment: Assignment) -> ScoringState:
    scorecard = getattr(assignment, "scorecard", None)
    if scorecard is None:
        return ScoringState.NOT_STARTED
    if scorecard.status == ScorecardStatus.SUBMITTED:
        return ScoringState.SUBMITTED
    return ScoringState.STARTED


def workspace(*, reviewer: User, now: dt.datetime | None = None) -> list[CycleBlock]:
    """The reviewer's cycles with their assignments, in a fixed number of queries.

    Queries: assignments (with progress annotations), cycles, commitments, plus the conflict
    check per cycle that has assignments (``conflicted_stage_pairs``, a few queries each).
    """
    now = now or timezone.now()
    assignments = list(
        # Removed by an official: gone from the reviewer's sight, draft included.
        _with_progress(
            Assignment.objects.filter(reviewer=reviewer).exclude(status=AssignmentStatus.REMOVED)
        )
        .select_related(
            "panel__stage__cycle__programme",
            "panel__application__organization",
            "panel__application__candidate",
            "scorecard",
        )
        .order_by("panel__stage__order", "panel__application__organization__name", "pk")
    )
    cycles = list(
        reviewer_cycles(reviewer)
        .filter(
            Q(status__in=DECLARING_STATUSES)
            | Q(pk__in={a.panel.stage.cycle_id for a in assignments})
        )
        .order_by("-year", "programme__name", "-edition")
    )
    commitments = {c.cycle_id: c for c in ReviewerCommitment.objects.filter(reviewer=reviewer)}
    by_cycle: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_cycle[assignment.panel.stage.cycle_id].append(assignment)
    blocks = []
    for cycle in cycles:
        block = CycleBlock(cycle=cycle, commitment=commitments.get(cycle.pk))
        mine = by_cycle.get(cycle.pk, [])
        active = [a for a in mine if a.status == AssignmentStatus.ACTIVE]
        block.assignment_count = len(active)
        if active and block.cleared:
            hidden = conflicted_stage_pairs(reviewer=reviewer, cycle=cycle)
            for assignment in active:
                if (assignment.panel.application_id, assignment.panel.stage_id) in hidden:
                    block.hidden_conflicts += 1
                    continue
                state = _state(assignment)
                stage = assignment.panel.stage
                block.rows.append(
                    WorkspaceRow(
                        assignment=assignment,
                        scored=assignment.scored,
                        total=assignment.total,
                        state=state,
                        overdue=state != ScoringState.SUBMITTED and now > stage.closes_at,
                        window_open=window_is_open(stage, now),
                        is_leader=assignment.panel.leader_id == reviewer.pk,
                    )
                )
        if block.cleared:
            block.recused = [a for a in mine if a.status == AssignmentStatus.RECUSED]
        blocks.append(block)
    return blocks


# Scoring page ----------------------------------------------------------------------------


@dataclass
class SheetItem:
    item: CriteriaItem
    score: ItemScore | None

    @property
    def percent(self) -> int | None:
        return self.score.percent if self.score else None

    @property
    def points(self) -> Decimal | None:
        return item_points(self.item.points, self.percent)

    @property
    def points_text(self) -> str:
        return format_points(self.points)

    @property
    def commented(self) -> bool:
        return bool(self.score and (self.score.strengths or self.score.improvements))

    @property
    def done(self) -> bool:
        return self.percent is not None and self.commented


@dataclass
class Sheet:
    scorecard: Scorecard | None
    items: list[SheetItem]

    @property
    def version(self) -> int:
        return self.scorecard.version if self.scorecard else 0

    @property
    def is_submitted(self) -> bool:
        return bool(self.scorecard and self.scorecard.status == ScorecardStatus.SUBMITTED)

    @property
    def scored_count(self) -> int:
        return sum(entry.percent is not None for entry in self.items)

    @property
    def done_count(self) -> int:
        return sum(entry.done for entry in self.items)

    @property
    def total_points(self) -> Decimal:
        return sum((entry.points or Decimal(0) for entry in self.items), Decimal(0))

    def entry(self, code: str) -> SheetItem | None:
        return next((entry for entry in self.items if entry.item.code == code), None)

    def item_version(self, code: str) -> int:
        return item_version(self.scorecard, code)

    def neighbours(self, code: str) -> tuple[SheetItem | None, SheetItem | None]:
        codes = [entry.item.code for entry in self.items]
        index = codes.index(code)
        previous = self.items[index - 1] if index > 0 else None
        following = self.items[index + 1] if index + 1 < len(self.items) else None
        return previous, following


def scoring_sheet(assignment: Assignment) -> Sheet:
    """The reviewer's own scorecard with one entry per framework item: three queries."""
    scorecard = Scorecard.objects.filter(assignment=assignment).first()
    scores = (
        {score.item_id: score for score in ItemScore.objects.filter(scorecard=scorecard)}
        if scorecard
        else {}
    )
    items = framework_items(assignment.panel.application)
    return Sheet(scorecard, [SheetItem(item, scores.get(item.pk)) for item in items])


def declarations_of(*, reviewer: User, cycle: Cycle) -> list[ConflictDeclaration]:
    return list(
        ConflictDeclaration.objects.filter(reviewer=reviewer, cycle=cycle)
        .select_related("organization")
        .order_by("declared_at", "pk")
    )


def application_attachments(application) -> list:
    """Every evidence file of the application, whatever requirement it was uploaded for."""
    return list(application.attachments.order_by("requirement_code", "uploaded_at", "pk"))
