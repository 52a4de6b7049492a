"""Forming panels: automatic assignment through the pure solver, and officials' manual changes.

``auto_assign`` loads the stage's applications, the authority's active pool, each reviewer's
load elsewhere in the cycle and every conflict (detected and not overridden, plus recusals),
calls :func:`scoring.assignment.solve_assignment` and writes the plan in a few bulk queries.
Members already on a panel are kept (the solver counts them), so running it again only fills
empty seats; the same data always gives the same plan.

Removal keeps the row as ``REMOVED`` with its draft scorecard, counted nowhere (like ``RECUSED``)
and hidden from the reviewer; putting the same reviewer back on the same panel, by hand or
automatically, reactivates that row and the reviewer finds their draft again.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import Application, User
from awards.permissions.rules import require_authority
from awards.services.audit import record
from awards.services.versioning import bump_version
from scoring.assignment import (
    DEFAULT_WEIGHTS,
    ApplicationSlot,
    AssignmentPlan,
    AssignmentWeights,
    ReviewerCapacity,
    solve_assignment,
)
from scoring.enums import AssignmentStatus, ScorecardStatus
from scoring.review.models import Assignment, Panel, ReviewerProfile, ReviewStage, Scorecard
from scoring.review.services import messages
from scoring.review.services.conflicts import (
    conflict_reasons,
    detected_conflicts,
    is_overridden,
    overridden_pairs,
    override_conflict,
)
from scoring.review.services.stages import stage_applications


def _pool(stage: ReviewStage):
    return ReviewerProfile.objects.filter(
        is_active=True,
        user__is_active=True,
        user__authority_id=stage.cycle.programme.authority_id,
    )


def _draft_items_scored(assignment_ids) -> dict[int, int]:
    """Assignment id → items with a percentage in its draft scorecard, for the assignments that
    have a draft (one query)."""
    return dict(
        Scorecard.objects.filter(assignment_id__in=assignment_ids, status=ScorecardStatus.DRAFT)
        .annotate(n=Count("item_scores", filter=Q(item_scores__percent__isnull=False)))
        .values_list("assignment_id", "n")
    )


def kept_draft_items(assignment: Assignment) -> int | None:
    """Items scored in the assignment's draft scorecard, or None when it has no draft: what an
    official is told is waiting for a reviewer they put back on a panel."""
    return _draft_items_scored([assignment.pk]).get(assignment.pk)


def _loads_elsewhere(stage: ReviewStage) -> dict[int, int]:
    """Active assignments per reviewer in the cycle's other stages (the per-cycle maximum load
    covers the whole cycle)."""
    return dict(
        Assignment.objects.filter(
            panel__stage__cycle_id=stage.cycle_id, status=AssignmentStatus.ACTIVE
        )
        .exclude(panel__stage=stage)
        .values("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )


@transaction.atomic
def auto_assign(
    *, stage: ReviewStage, by: User, weights: AssignmentWeights = DEFAULT_WEIGHTS
) -> AssignmentPlan:
    """Fill every panel of the stage up to its size and choose leaders; explain shortfalls."""
    require_authority(by, stage.cycle.programme.authority_id)
    ReviewStage.objects.select_for_update().filter(pk=stage.pk).first()
    applications = list(stage_applications(stage).values_list("pk", "organization__industry"))
    app_ids = {app_id for app_id, _industry in applications}
    panels = {
        panel.application_id: panel
        for panel in Panel.objects.filter(stage=stage, application_id__in=app_ids)
    }
    members: dict[int, set[int]] = defaultdict(set)
    recused: set[tuple[int, int]] = set()
    # Removed from this stage's panel: no seat, but a row to reactivate if chosen again.
    removed: dict[tuple[int, int], int] = {}
    for pk, app_id, reviewer_id, stage_id, status in Assignment.objects.filter(
        panel__stage__cycle_id=stage.cycle_id, panel__application_id__in=app_ids
    ).values_list("pk", "panel__application_id", "reviewer_id", "panel__stage_id", "status"):
        if status == AssignmentStatus.RECUSED:
            recused.add((app_id, reviewer_id))
        elif stage_id != stage.pk:
            continue
        elif status == AssignmentStatus.REMOVED:
            removed[(app_id, reviewer_id)] = pk
        else:
            members[app_id].add(reviewer_id)

    loads = _loads_elsewhere(stage)
    reviewers = {
        user_id: ReviewerCapacity(
            id=user_id,
            industries=frozenset(industries or ()),
            max_load=max_load,
            current_load=loads.get(user_id, 0),
            can_lead=can_lead,
        )
        for user_id, industries, max_load, can_lead in _pool(stage).values_list(
            "user_id", "industries", "max_load_per_cycle", "can_lead"
        )
    }
    # A manual member who has since left the pool still occupies the seat but takes no more.
    for app_members in members.values():
        for reviewer_id in app_members - reviewers.keys():
            reviewers[reviewer_id] = ReviewerCapacity(
                id=reviewer_id, industries=frozenset(), max_load=0, can_lead=False
            )

    conflicts = set(detected_conflicts(cycle=stage.cycle)) - overridden_pairs(stage=stage)
    conflicts |= recused
    slots = []
    for app_id, industry in applications:
        panel = panels.get(app_id)
        leader = panel.leader_id if panel and panel.leader_id in members[app_id] else None
        slots.append(
            ApplicationSlot(
                id=app_id,
                industry=industry,
                panel_size=stage.panel_size,
                already_assigned=frozenset(members[app_id]),
                leader=leader,
            )
        )
    plan = solve_assignment(
        applications=slots, reviewers=reviewers.values(), conflicts=conflicts, weights=weights
    )
    reactivated = _write_plan(stage=stage, plan=plan, panels=panels, removed=removed, by=by)
    shortfalls = [_shortfall_dict(s) for s in (*plan.shortfalls, *plan.leader_shortfalls)]
    stage.auto_assigned_at, stage.auto_assign_shortfalls = timezone.now(), shortfalls
    ReviewStage.objects.filter(pk=stage.pk).update(
        auto_assigned_at=stage.auto_assigned_at, auto_assign_shortfalls=shortfalls
    )
    record(
        actor=by,
        action=AuditAction.AUTO_ASSIGN,
        target=stage,
        added=sum(len(chosen) for chosen in plan.added.values()),
        applications=len(slots),
        reviewers=len(reviewers),
        shortfalls=shortfalls,
        kept_conflicts=[list(pair) for pair in plan.kept_conflicts],
        reactivated=reactivated,
    )
    return plan


def _shortfall_dict(shortfall) -> dict:
    """A shortfall as stored on the stage and in the audit: reason codes, not sentences, so
    each reader gets the explanation in their own language (``queries.officials``)."""
    return {
        "application": shortfall.application_id,
        "missing": shortfall.missing,
        "reason": str(shortfall.reason),
        "eligible": shortfall.eligible_reviewers,
        "panel_size": shortfall.panel_size,
    }


def _write_plan(
    *,
    stage: ReviewStage,
    plan: AssignmentPlan,
    panels: dict[int, Panel],
    removed: dict[tuple[int, int], int],
    by: User,
) -> list[dict]:
    """A few statements whatever the size: new panels (with their leaders), new assignments,
    reactivated removed ones (with their kept drafts), and an update only for existing panels
    whose leader changes. Returns the reactivations for the audit."""
    back = sorted(
        (app_id, reviewer_id)
        for app_id, added in plan.added.items()
        for reviewer_id in added
        if (app_id, reviewer_id) in removed
    )
    # SQLite and PostgreSQL both return the new primary keys from a bulk insert.
    created = Panel.objects.bulk_create(
        [
            Panel(stage=stage, application_id=app_id, leader_id=plan.leaders.get(app_id))
            for app_id in plan.panels
            if app_id not in panels
        ]
    )
    Assignment.objects.bulk_create(
        [
            Assignment(panel=panel, reviewer_id=reviewer_id, assigned_by=by)
            for panel in (*panels.values(), *created)
            for reviewer_id in plan.added.get(panel.application_id, ())
            if (panel.application_id, reviewer_id) not in removed
        ]
    )
    reactivated = []
    if back:
        back_ids = [removed[pair] for pair in back]
        Assignment.objects.filter(pk__in=back_ids, status=AssignmentStatus.REMOVED).update(
            status=AssignmentStatus.ACTIVE, assigned_by=by
        )
        drafts = _draft_items_scored(back_ids)
        reactivated = [
            {
                "application": app_id,
                "reviewer": reviewer_id,
                "draft_restored": removed[(app_id, reviewer_id)] in drafts,
                "draft_items_scored": drafts.get(removed[(app_id, reviewer_id)], 0),
            }
            for app_id, reviewer_id in back
        ]
    changed = []
    for app_id, panel in panels.items():
        leader_id = plan.leaders.get(app_id)
        if leader_id is not None and panel.leader_id != leader_id:
            panel.leader_id = leader_id
            changed.append(panel)
    if changed:
        Panel.objects.bulk_update(changed, ["leader"])
    messages.reviewers_assigned(
        stage, [(app_id, rid) for app_id, added in plan.added.items() for rid in added]
    )
    return reactivated


def _check_in_pool(*, stage: ReviewStage, reviewer: User) -> ReviewerProfile:
    profile = _pool(stage).filter(user=reviewer).first()
    if profile is None:
        raise ValidationError(_("该专家不在本授奖机关的专家库中，或已停用。"))
    return profile


@transaction.atomic
def assign_manually(
    *,
    reviewer: User,
    by: User,
    panel: Panel | None = None,
    stage: ReviewStage | None = None,
    application: Application | None = None,
    override_reason: str | None = None,
) -> Assignment:
    """Put ``reviewer`` on the panel of (stage, application), refusing a conflicted reviewer
    unless the official writes a reason, which records an audited ``ConflictOverride``.

    A reviewer removed from this panel earlier gets their assignment back (reactivated, same
    row), with the draft scorecard kept at removal."""
    if panel is not None:
        stage, application = panel.stage, panel.application
    if stage is None or application is None:
        raise ValueError("give a panel, or a stage and an application")
    require_authority(by, stage.cycle.programme.authority_id)
    ReviewStage.objects.select_for_update().filter(pk=stage.pk).first()
    if not stage_applications(stage).filter(pk=application.pk).exists():
        raise ValidationError(_("该申报未进入本评审阶段，不能分配专家。"))
    profile = _check_in_pool(stage=stage, reviewer=reviewer)
    panel, _created = Panel.objects.get_or_create(stage=stage, application=application)
    current = Assignment.objects.filter(panel=panel, reviewer=reviewer).first()
    if current is not None and current.status != AssignmentStatus.REMOVED:
        if current.status == AssignmentStatus.RECUSED:
            raise ValidationError(_("该专家已对该申报申请回避，不能再分配。"))
        raise ValidationError(_("该专家已在该评审组中。"))
    errors = []
    members = Assignment.objects.filter(panel=panel, status=AssignmentStatus.ACTIVE).count()
    if members >= stage.panel_size:
        errors.append(
            _("评审组已满（%(size)d 人），请先移除一名专家。") % {"size": stage.panel_size}
        )
    load = Assignment.objects.filter(
        reviewer=reviewer, panel__stage__cycle_id=stage.cycle_id, status=AssignmentStatus.ACTIVE
    ).count()
    if load >= profile.max_load_per_cycle:
        errors.append(
            _("该专家本届评审量已达上限（%(max)d 件）。") % {"max": profile.max_load_per_cycle}
        )
    reasons = conflict_reasons(reviewer=reviewer, application=application)
    overridden = bool(reasons) and is_overridden(
        reviewer=reviewer, application=application, stage=stage
    )
    if reasons and not overridden and not (override_reason or "").strip():
        errors.append(
            _("%(name)s与该申报存在利益冲突（%(reasons)s），不能分配。如确需分配，请填写豁免理由。")
            % {"name": reviewer, "reasons": "；".join(reasons)}
        )
    if errors:
        raise ValidationError(errors)
    if reasons and not overridden:
        override_conflict(
            application=application,
            reviewer=reviewer,
            stage=stage,
            reason=override_reason or "",
            by=by,
        )
    if current is None:
        assignment = Assignment.objects.create(panel=panel, reviewer=reviewer, assigned_by=by)
        restored = {}
    else:
        Assignment.objects.filter(pk=current.pk, status=AssignmentStatus.REMOVED).update(
            status=AssignmentStatus.ACTIVE, assigned_by=by
        )
        assignment = current
        assignment.status, assignment.assigned_by = AssignmentStatus.ACTIVE, by
        scored = kept_draft_items(assignment)
        restored = {
            "reactivated": True,
            "draft_restored": scored is not None,
            "draft_items_scored": scored or 0,
        }
    record(
        actor=by,
        action=AuditAction.ASSIGN_REVIEWER,
        target=panel,
        reviewer=reviewer.username,
        conflict_overridden=bool(reasons),
        **restored,
    )
    messages.reviewers_assigned(panel.stage, [(panel.application_id, reviewer.pk)])
    return assignment


@transaction.atomic
def remove_assignment(*, assignment: Assignment, by: User) -> Assignment:
    """Take a reviewer off a panel: the assignment becomes ``REMOVED`` and its draft scorecard
    stays, out of the reviewer's sight, until they are put back (the audit says how much was
    kept). A submitted scorecard counts and must be reopened first, so it blocks removal.

    The draft's version moves on, so that a save or a submission the reviewer had already
    started misses instead of landing on a card that no longer counts."""
    require_authority(by, assignment.panel.stage.cycle.programme.authority_id)
    panel = Panel.objects.select_for_update().get(pk=assignment.panel_id)
    scorecard = Scorecard.objects.select_for_update().filter(assignment=assignment).first()
    if scorecard is not None and scorecard.status == ScorecardStatus.SUBMITTED:
        raise ValidationError(_("该专家已提交评分表，不能移除。"))
    updated = Assignment.objects.filter(pk=assignment.pk, status=AssignmentStatus.ACTIVE).update(
        status=AssignmentStatus.REMOVED
    )
    if not updated:
        raise ValidationError(_("该专家已不在该评审组中。"))
    if scorecard is not None:
        bump_version(Scorecard.objects.filter(pk=scorecard.pk), expected=None)
    scored = kept_draft_items(assignment)
    if panel.leader_id == assignment.reviewer_id:
        panel.leader = None
        panel.save(update_fields=["leader"])
    if Assignment.panel.is_cached(assignment):
        assignment.panel.leader_id = panel.leader_id
    assignment.status = AssignmentStatus.REMOVED
    record(
        actor=by,
        action=AuditAction.REMOVE_ASSIGNMENT,
        target=panel,
        reviewer=assignment.reviewer.username,
        draft_kept=scored is not None,
        draft_items_scored=scored or 0,
    )
    return assignment


@transaction.atomic
def set_leader(*, panel: Panel, reviewer: User, by: User) -> Panel:
    require_authority(by, panel.stage.cycle.programme.authority_id)
    member = Assignment.objects.filter(
        panel=panel, reviewer=reviewer, status=AssignmentStatus.ACTIVE
    ).exists()
    if not member:
        raise ValidationError(_("组长必须是该评审组的成员。"))
    can_lead = ReviewerProfile.objects.filter(user=reviewer, can_lead=True).exists()
    if not can_lead:
        raise ValidationError(_("该专家在专家库中未设为可任组长。"))
    previous = panel.leader
    panel.leader = reviewer
    panel.save(update_fields=["leader"])
    record(
        actor=by,
        action=AuditAction.SET_PANEL_LEADER,
        target=panel,
        leader=reviewer.username,
        previous=previous.username if previous else None,
    )
    return panel


def pool_for_stage(stage: ReviewStage):
    """The reviewers an official may pick from for a stage, with their cycle loads."""
    return (
        _pool(stage)
        .select_related("user")
        .annotate(
            cycle_load=Count(
                "user__review_assignments",
                filter=Q(
                    user__review_assignments__panel__stage__cycle_id=stage.cycle_id,
                    user__review_assignments__status=AssignmentStatus.ACTIVE,
                ),
            )
        )
        .order_by("user__full_name", "user__username")
    )
