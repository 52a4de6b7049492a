"""Read helpers for the officials' review pages: scoping by authority and the page listings.

Every helper narrows to the official's authority (superusers see everything, anyone else
nothing), so a view that looks an object up here answers 404 for another authority's object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery

from awards.enums import Track
from awards.models import Cycle, User
from awards.models.applications import display_name_expression
from awards.permissions.rules import scope_to_authority
from awards.queries import cycles_for
from scoring.assignment import Shortfall, ShortfallReason, describe_shortfall
from scoring.enums import AssignmentStatus, ScorecardStatus
from scoring.review.models import Assignment, Panel, ReviewerProfile, ReviewStage, Scorecard
from scoring.review.services.stages import stage_applications


def reviewer_profiles_for(user) -> QuerySet[ReviewerProfile]:
    return scope_to_authority(
        ReviewerProfile.objects.select_related("user", "user__authority"),
        user,
        "user__authority",
    )


def review_cycles_for(user) -> QuerySet[Cycle]:
    return cycles_for(user).prefetch_related(
        Prefetch("stages", queryset=ReviewStage.objects.order_by("order"))
    )


def stages_for(user) -> QuerySet[ReviewStage]:
    return scope_to_authority(
        ReviewStage.objects.select_related("cycle__programme__authority", "cycle__framework"),
        user,
        "cycle__programme__authority",
    )


def panels_for(user) -> QuerySet[Panel]:
    return scope_to_authority(
        Panel.objects.select_related(
            "stage__cycle__programme__authority",
            "application__organization",
            "application__candidate",
        ),
        user,
        "stage__cycle__programme__authority",
    )


def assignments_for(user) -> QuerySet[Assignment]:
    return scope_to_authority(
        Assignment.objects.select_related("panel__stage__cycle__programme__authority", "reviewer"),
        user,
        "panel__stage__cycle__programme__authority",
    )


def scorecards_for(user) -> QuerySet[Scorecard]:
    return scope_to_authority(
        Scorecard.objects.select_related(
            "assignment__reviewer",
            "assignment__panel__stage__cycle__programme__authority",
            "assignment__panel__application__organization",
            "assignment__panel__application__candidate",
        ),
        user,
        "assignment__panel__stage__cycle__programme__authority",
    )


def reviewer_names(ids) -> dict[int, str]:
    return {
        user.pk: str(user)
        for user in User.objects.filter(pk__in=list(ids)).only("pk", "username", "full_name")
    }


@dataclass
class PanelRow:
    """One application of a stage with its panel (possibly none yet)."""

    application_id: int
    #: ``Application.display_name``: the organization, or "candidate（employer）".
    organization: str
    industry: str
    panel: Panel | None
    members: list[Assignment]
    recused: list[Assignment]
    panel_size: int
    #: Taken off by an official; each carries ``draft_items`` (None: no draft was kept).
    removed: list[Assignment] = field(default_factory=list)
    track: str = Track.ORGANIZATION

    @property
    def missing(self) -> int:
        return max(0, self.panel_size - len(self.members))

    @property
    def has_leader(self) -> bool:
        return self.panel is not None and any(
            member.reviewer_id == self.panel.leader_id for member in self.members
        )


def _kept_draft_items() -> Subquery:
    """Items scored in the assignment's draft scorecard; NULL when there is no draft."""
    return Subquery(
        Scorecard.objects.filter(assignment=OuterRef("pk"), status=ScorecardStatus.DRAFT)
        .annotate(n=Count("item_scores", filter=Q(item_scores__percent__isnull=False)))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def panel_rows(stage: ReviewStage) -> list[PanelRow]:
    """Applications of the stage with members, in three queries whatever the number of rows."""
    applications = list(stage_applications(stage).select_related("organization", "candidate"))
    panels = {
        panel.application_id: panel
        for panel in Panel.objects.filter(stage=stage).prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("reviewer")
                .annotate(draft_items=_kept_draft_items())
                .order_by("reviewer__full_name", "reviewer__username"),
            )
        )
    }
    rows = []
    for app in applications:
        panel = panels.get(app.pk)
        assignments = list(panel.assignments.all()) if panel else []
        rows.append(
            PanelRow(
                application_id=app.pk,
                organization=app.display_name,
                industry=app.organization.get_industry_display(),
                panel=panel,
                members=[a for a in assignments if a.status == AssignmentStatus.ACTIVE],
                recused=[a for a in assignments if a.status == AssignmentStatus.RECUSED],
                panel_size=stage.panel_size,
                removed=[a for a in assignments if a.status == AssignmentStatus.REMOVED],
                track=app.track,
            )
        )
    return rows


@dataclass(frozen=True)
class ShortfallNote:
    application_id: int
    organization: str
    message: str


def auto_assignment_shortfalls(stage: ReviewStage) -> list[ShortfallNote]:
    """The shortfalls left by the stage's latest automatic assignment (stored on the stage),
    explained in the reader's language (the stage stores reason codes, not sentences)."""
    stored = stage.auto_assign_shortfalls
    if not stored:
        return []
    names = dict(
        stage_applications(stage)
        .filter(pk__in=[s["application"] for s in stored])
        .values_list("pk", display_name_expression())
    )
    notes = []
    for item in stored:
        shortfall = Shortfall(
            application_id=item["application"],
            missing=item["missing"],
            reason=ShortfallReason(item["reason"]),
            eligible_reviewers=item["eligible"],
            panel_size=item["panel_size"],
        )
        notes.append(
            ShortfallNote(
                item["application"],
                names.get(item["application"], ""),
                describe_shortfall(shortfall),
            )
        )
    return notes
