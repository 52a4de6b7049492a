"""A reviewer withdraws from one assignment (主动回避); the officials then reassign the seat."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.models import User
from awards.services.audit import record
from scoring.enums import AssignmentStatus, ScorecardStatus
from scoring.models import Assignment, Scorecard

REASON_MAX_LENGTH = 1000


def recuse(*, assignment: Assignment, reason: str, by: User) -> Assignment:
    """Set the assignment to RECUSED with the reviewer's reason (audited).

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
        record(actor=by, action="recuse", target=assignment, reason=reason)
    return assignment
