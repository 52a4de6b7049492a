"""An official reopens a submitted scorecard: it becomes a draft the reviewer can change."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import User
from awards.permissions.rules import require_authority
from awards.services.audit import record
from awards.services.versioning import bump_version
from scoring.enums import ScorecardStatus
from scoring.review.models import Scorecard


@transaction.atomic
def reopen_scorecard(*, scorecard: Scorecard, reason: str, by: User) -> Scorecard:
    """Only an official of the authority, only with a written reason; the version moves on so
    that a page the reviewer still has open cannot overwrite the reopened card by accident."""
    assignment = scorecard.assignment
    require_authority(by, assignment.panel.stage.cycle.programme.authority_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回评分表必须填写理由。")})
    updated = bump_version(
        Scorecard.objects.filter(pk=scorecard.pk, status=ScorecardStatus.SUBMITTED),
        expected=None,
        status=ScorecardStatus.DRAFT,
        submitted_at=None,
    )
    if not updated:
        raise ValidationError(_("只有已提交的评分表可以退回。"))
    scorecard.refresh_from_db()
    record(
        actor=by,
        action=AuditAction.REOPEN_SCORECARD,
        target=scorecard,
        reason=reason,
        reviewer=assignment.reviewer.username,
        application=assignment.panel.application_id,
        stage=assignment.panel.stage.kind,
    )
    return scorecard
