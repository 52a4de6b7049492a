"""A reviewer withdraws from one assignment (主动回避); the officials then reassign the seat.

A panel's leader (组长) who withdraws cannot stay leader: the role passes at once to another
member who may lead, or the panel is left without one for the officials to fix on the panels
page (it shows "无组长" there).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import User
from awards.services.audit import record
from scoring.enums import AssignmentStatus, ScorecardStatus
from scoring.review.models import Assignment, Panel, Scorecard
from scoring.review.services.conflicts import is_conflicted

REASON_MAX_LENGTH = 1000


def recuse(*, assignment: Assignment, reason: str, by: User) -> Assignment:
    """Set the assignment to RECUSED with the reviewer's reason (audited); a leader's role is
    handed over (see :func:`next_leader`).

    Only the assigned reviewer recuses, only from an active assignment, and not once their
    scorecard is submitted (a submitted scorecard counts; the office decides what to do with it).
    """
    if assignment.reviewer_id != by.pk:
        raise PermissionDenied(_("只有被分配的评审专家本人可以申请回避。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写回避理由。")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("回避理由不能超过 %(limit)d 个字符。") % {"limit": REASON_MAX_LENGTH}}
        )
    with transaction.atomic():
        # Locked first, so that two members recusing at once see each other's withdrawal and
        # the role is never handed to someone who is leaving too.
        panel = Panel.objects.select_for_update().get(pk=assignment.panel_id)
        if Scorecard.objects.filter(
            assignment=assignment, status=ScorecardStatus.SUBMITTED
        ).exists():
            raise ValidationError(_("评分表已提交，不能再申请回避；如有需要请联系质量奖办公室。"))
        updated = Assignment.objects.filter(
            pk=assignment.pk, status=AssignmentStatus.ACTIVE
        ).update(status=AssignmentStatus.RECUSED, recusal_reason=reason)
        if not updated:
            raise ValidationError(_("您已回避此项评审。"))
        assignment.status = AssignmentStatus.RECUSED
        assignment.recusal_reason = reason
        record(actor=by, action=AuditAction.RECUSE, target=assignment, reason=reason)
        if panel.leader_id == assignment.reviewer_id:
            _hand_over_leadership(panel=panel, leaving=by)
    if Assignment.panel.is_cached(assignment):
        assignment.panel.leader_id = panel.leader_id
    return assignment


def next_leader(*, panel: Panel, leaving: User) -> User | None:
    """Who leads ``panel`` once ``leaving`` has withdrawn, or None when nobody can.

    Candidates are the panel's other active members whose account and pool profile are active,
    whose profile says they may lead (``can_lead``), and who have no unresolved conflict with
    the application (a conflicted member cannot even open the panel). Among them the one who
    already leads the fewest panels of the same stage takes over, which spreads the role as
    automatic assignment does; ties go to the lowest user id, so the same panel always gets the
    same leader.
    """
    members = list(
        User.objects.filter(
            review_assignments__panel=panel,
            review_assignments__status=AssignmentStatus.ACTIVE,
            is_active=True,
            reviewer_profile__is_active=True,
            reviewer_profile__can_lead=True,
        )
        .exclude(pk=leaving.pk)
        .order_by("pk")
    )
    candidates = [
        member
        for member in members
        if not is_conflicted(reviewer=member, application=panel.application, stage=panel.stage)
    ]
    if not candidates:
        return None
    led = dict(
        Panel.objects.filter(stage_id=panel.stage_id, leader__in=candidates)
        .values("leader_id")
        .annotate(n=Count("pk"))
        .values_list("leader_id", "n")
    )
    return min(candidates, key=lambda member: (led.get(member.pk, 0), member.pk))


def _hand_over_leadership(*, panel: Panel, leaving: User) -> None:
    """Clear or pass on the role of the withdrawing leader (audited either way)."""
    successor = next_leader(panel=panel, leaving=leaving)
    panel.leader = successor
    panel.save(update_fields=["leader"])
    record(
        actor=leaving,
        action=AuditAction.HAND_OVER_PANEL_LEADER,
        target=panel,
        previous=leaving.username,
        leader=successor.username if successor else None,
        cause="recuse",
    )
