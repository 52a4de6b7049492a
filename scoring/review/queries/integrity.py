"""What the officials' integrity pages of a cycle list: its conflicts of interest and its audit
entries, filtered, as rows ready for the page and for CSV/XLSX exports.

Conflicts come in four kinds: ties reviewers declared (per cycle), ties detected in reviewer
profiles (current or former employer, per cycle), waivers officials gave (per stage, with the
reason and who decided) and reviewers' recusals (per stage). Declared and detected ties hold in
every stage, so a stage filter keeps them.

The audit entries of a cycle are those whose target belongs to it: the cycle itself, its
applications, stages, panels, assignments, scorecards, consensuses, commitments, declarations,
results, notices, objections, awards and certificate batches. Entries are read through the
fields the model has (actor, action, target, details, time); models above the review feature
are named by label and reached through their relation to the cycle, not imported.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.apps import apps
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.audit_actions import AuditAction
from awards.enums import Track
from awards.models import Application, AuditEntry, Cycle, User
from awards.models.applications import display_name_expression
from scoring.enums import AssignmentStatus, ConflictRelation
from scoring.review.models import (
    Assignment,
    ConflictDeclaration,
    ConflictOverride,
    ReviewStage,
)
from scoring.review.services.conflicts import detected_conflicts

# Conflicts -------------------------------------------------------------------------------

DECLARED, DETECTED, WAIVED, RECUSED = "declared", "detected", "waived", "recused"
KIND_CHOICES = [
    (DECLARED, _("专家申报")),
    (DETECTED, _("系统检测")),
    (WAIVED, _("豁免")),
    (RECUSED, _("回避")),
]
KIND_LABELS = dict(KIND_CHOICES)
_KIND_ORDER = {kind: index for index, (kind, _label) in enumerate(KIND_CHOICES)}


@dataclass(frozen=True, slots=True)
class ConflictRow:
    kind: str
    stage: ReviewStage | None  # None: holds in every stage of the cycle
    reviewer: User
    #: The organization a declaration names, or the application's ``display_name``.
    organization: str
    application_id: int | None
    detail: str
    decided_by: User | None
    at: dt.datetime | None
    track: str = Track.ORGANIZATION

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def stage_label(self) -> str:
        return self.stage.get_kind_display() if self.stage else str(_("各阶段"))


@dataclass(frozen=True, slots=True)
class ConflictFilters:
    stage: ReviewStage | None = None
    reviewer: User | None = None
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _day_bounds(date_from: dt.date | None, date_to: dt.date | None):
    """[start, end) in the portal's time zone (Beijing time) for the given calendar days."""
    zone = timezone.get_current_timezone()
    start = (
        timezone.make_aware(dt.datetime.combine(date_from, dt.time.min), zone)
        if date_from
        else None
    )
    end = (
        timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min), zone)
        if date_to
        else None
    )
    return start, end


def _relation_label(relation: str) -> str:
    return (
        str(ConflictRelation(relation).label) if relation in ConflictRelation.values else relation
    )


def _declared_rows(cycle: Cycle) -> list[ConflictRow]:
    # A declaration names an organization: its own application (not an employee's candidacy).
    applications = dict(
        Application.objects.filter(cycle=cycle, track=Track.ORGANIZATION).values_list(
            "organization_id", "pk"
        )
    )
    rows = []
    declarations = ConflictDeclaration.objects.filter(cycle=cycle).select_related(
        "reviewer", "organization"
    )
    for declaration in declarations:
        detail = _relation_label(declaration.relation)
        if declaration.note:
            detail = f"{detail}（{declaration.note}）"
        rows.append(
            ConflictRow(
                kind=DECLARED,
                stage=None,
                reviewer=declaration.reviewer,
                organization=declaration.organization.name,
                application_id=applications.get(declaration.organization_id),
                detail=detail,
                decided_by=None,
                at=declaration.declared_at,
            )
        )
    return rows


def _detected_rows(cycle: Cycle) -> list[ConflictRow]:
    found = detected_conflicts(cycle=cycle, declared=False)
    if not found:
        return []
    reviewers = User.objects.in_bulk({reviewer_id for _app, reviewer_id in found})
    names = {
        pk: (name, track)
        for pk, name, track in Application.objects.filter(
            pk__in={app for app, _reviewer in found}
        ).values_list("pk", display_name_expression(), "track")
    }
    return [
        ConflictRow(
            kind=DETECTED,
            stage=None,
            reviewer=reviewers[reviewer_id],
            organization=names[app_id][0],
            application_id=app_id,
            detail="；".join(reasons),
            decided_by=None,
            at=None,
            track=names[app_id][1],
        )
        for (app_id, reviewer_id), reasons in found.items()
    ]


def _waived_rows(cycle: Cycle) -> list[ConflictRow]:
    overrides = ConflictOverride.objects.filter(stage__cycle=cycle).select_related(
        "stage", "reviewer", "decided_by", "application__organization", "application__candidate"
    )
    return [
        ConflictRow(
            kind=WAIVED,
            stage=override.stage,
            reviewer=override.reviewer,
            organization=override.application.display_name,
            application_id=override.application_id,
            detail=override.reason,
            decided_by=override.decided_by,
            at=override.decided_at,
            track=override.application.track,
        )
        for override in overrides
    ]


def _recused_rows(cycle: Cycle) -> list[ConflictRow]:
    recused = list(
        Assignment.objects.filter(
            panel__stage__cycle=cycle, status=AssignmentStatus.RECUSED
        ).select_related(
            "panel__stage",
            "panel__application__organization",
            "panel__application__candidate",
            "reviewer",
        )
    )
    when = dict(
        AuditEntry.objects.filter(
            action=AuditAction.RECUSE,
            target_type=Assignment._meta.label_lower,
            target_id__in=[str(assignment.pk) for assignment in recused],
        )
        .order_by("created_at", "pk")
        .values_list("target_id", "created_at")
    )
    return [
        ConflictRow(
            kind=RECUSED,
            stage=assignment.panel.stage,
            reviewer=assignment.reviewer,
            organization=assignment.panel.application.display_name,
            application_id=assignment.panel.application_id,
            detail=assignment.recusal_reason,
            decided_by=None,
            at=when.get(str(assignment.pk)),
            track=assignment.panel.application.track,
        )
        for assignment in recused
    ]


def conflict_rows(
    *, cycle: Cycle, filters: ConflictFilters = ConflictFilters()
) -> list[ConflictRow]:
    """The cycle's conflicts, filtered, by kind, stage, organization and reviewer."""
    kinds = {
        DECLARED: _declared_rows,
        DETECTED: _detected_rows,
        WAIVED: _waived_rows,
        RECUSED: _recused_rows,
    }
    rows = []
    for kind, build in kinds.items():
        if not filters.kind or filters.kind == kind:
            rows += build(cycle)
    start, end = _day_bounds(filters.date_from, filters.date_to)
    kept = [
        row
        for row in rows
        if (filters.stage is None or row.stage is None or row.stage.pk == filters.stage.pk)
        and (filters.reviewer is None or row.reviewer.pk == filters.reviewer.pk)
        and (start is None or (row.at is not None and row.at >= start))
        and (end is None or (row.at is not None and row.at < end))
    ]
    return sorted(
        kept,
        key=lambda row: (
            _KIND_ORDER[row.kind],
            row.stage.order if row.stage else 0,
            row.organization,
            row.reviewer.pk,
            row.at or dt.datetime.min.replace(tzinfo=dt.UTC),
        ),
    )


def reviewers_of(cycle: Cycle) -> QuerySet[User]:
    """The reviewers the conflicts filter offers: the authority's reviewer accounts."""
    return User.objects.filter(
        reviewer_profile__isnull=False, authority_id=cycle.programme.authority_id
    ).order_by("full_name", "username", "pk")


# Audit entries ---------------------------------------------------------------------------

#: Every model an audit entry of a cycle can target, with its path to the cycle.
CYCLE_PATHS: dict[str, str] = {
    "awards.cycle": "pk",
    "awards.application": "cycle",
    "awards.attachment": "application__cycle",
    "scoring.reviewstage": "cycle",
    "scoring.panel": "stage__cycle",
    "scoring.assignment": "panel__stage__cycle",
    "scoring.scorecard": "assignment__panel__stage__cycle",
    "scoring.consensus": "panel__stage__cycle",
    "scoring.reviewercommitment": "cycle",
    "scoring.conflictdeclaration": "cycle",
    "scoring.conflictoverride": "stage__cycle",
    "scoring.resultssettings": "cycle",
    "scoring.resultcomputation": "cycle",
    "scoring.resultsnapshot": "cycle",
    "scoring.publicnotice": "snapshot__cycle",
    "scoring.objection": "notice__snapshot__cycle",
    "scoring.award": "snapshot__cycle",
    "scoring.certificatebatch": "cycle",
}


@dataclass(frozen=True, slots=True)
class AuditFilters:
    action: str = ""
    actor: User | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def cycle_audit_entries(*, cycle: Cycle) -> QuerySet[AuditEntry]:
    """Every audit entry whose target belongs to ``cycle``, newest first."""
    condition = Q(pk__in=[])
    for label, path in CYCLE_PATHS.items():
        model = apps.get_model(label)
        ids = (
            model.objects.filter(**{path: cycle.pk})
            .annotate(target_key=Cast("pk", CharField()))
            .values("target_key")
        )
        condition |= Q(target_type=label, target_id__in=ids)
    return (
        AuditEntry.objects.filter(condition).select_related("actor").order_by("-created_at", "-pk")
    )


def audit_rows(*, cycle: Cycle, filters: AuditFilters = AuditFilters()) -> list[AuditEntry]:
    entries = cycle_audit_entries(cycle=cycle)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.actor is not None:
        entries = entries.filter(actor=filters.actor)
    start, end = _day_bounds(filters.date_from, filters.date_to)
    if start is not None:
        entries = entries.filter(created_at__gte=start)
    if end is not None:
        entries = entries.filter(created_at__lt=end)
    return list(entries)


def audit_actors_of(cycle: Cycle) -> QuerySet[User]:
    """Who acted on the cycle: the actor filter's choices."""
    actor_ids = cycle_audit_entries(cycle=cycle).order_by().values("actor_id")
    return User.objects.filter(pk__in=actor_ids).order_by("full_name", "username", "pk")


def audit_details(entry: AuditEntry) -> str:
    """The entry's details as one line of JSON, keys sorted, Chinese kept readable."""
    return json.dumps(entry.details, ensure_ascii=False, sort_keys=True) if entry.details else ""
