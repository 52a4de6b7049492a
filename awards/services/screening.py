"""Eligibility screening (资格审查) by the awarding authority's officials.

A submitted application is passed, failed with reasons, or returned for correction with
comments. Returning only makes sense while the applicant can still edit (cycle open, before the
deadline), so it is refused otherwise. Every decision becomes an ``ApplicationEvent`` (the
applicant's timeline) and an audit entry, and the applicant's users are notified (``awards.services.notifications``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.enums import ApplicationStatus, ScreeningDecision
from awards.models import Application, ApplicationEvent
from awards.notes import note
from awards.permissions.rules import require_authority
from awards.services.application_drafts import cycle_closed_reason
from awards.services.audit import record
from awards.services.notifications.audiences import to_applicant
from awards.services.recommendations import recommended_filter
from awards.services.versioning import bump_version

OUTCOMES: dict[str, str] = {
    ScreeningDecision.PASS: ApplicationStatus.ELIGIBLE,
    ScreeningDecision.FAIL: ApplicationStatus.INELIGIBLE,
    ScreeningDecision.RETURN: ApplicationStatus.RETURNED,
}


def screen_application(*, application: Application, decision: str, reasons: str, by) -> Application:
    """Record an official's screening decision on a submitted application."""
    try:
        decision = ScreeningDecision(decision)
    except ValueError:
        raise ValidationError({"decision": _("请选择审查结论。")}) from None
    reasons = (reasons or "").strip()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cycle__programme__authority", "organization")
            .get(pk=application.pk)
        )
        require_authority(by, locked.cycle.programme.authority_id)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise ValidationError(
                _("只能审查已提交的申报；该申报当前状态为“%(status)s”。")
                % {"status": locked.get_status_display()}
            )
        if not Application.objects.filter(recommended_filter(), pk=locked.pk).exists():
            raise ValidationError(_("该申报尚未获推荐单位推荐，不能进行资格审查。"))
        if decision == ScreeningDecision.FAIL and not reasons:
            raise ValidationError({"reasons": _("请填写不通过的理由。")})
        if decision == ScreeningDecision.RETURN:
            if not reasons:
                raise ValidationError({"reasons": _("请填写需要申报单位修改的内容。")})
            closed = cycle_closed_reason(locked.cycle)
            if closed:
                raise ValidationError(
                    _("申报单位已无法修改，不能退回：%(reason)s请选择通过或不通过。")
                    % {"reason": closed}
                )
        previous = locked.status
        bump_version(locked, expected=None, status=OUTCOMES[decision])
        screening_note = note("screening_reasons", reasons=reasons) if reasons else None
        ApplicationEvent.objects.create(
            application=locked,
            status=locked.status,
            by=by,
            note_code=screening_note["code"] if screening_note else "",
            note_params=screening_note["params"] if screening_note else {},
        )
        record(
            actor=by,
            action=AuditAction.SCREEN_APPLICATION,
            target=locked,
            decision=str(decision),
            reasons=reasons,
            summary=screening_note,
            **{"from": previous, "to": locked.status},
        )
        to_applicant(
            "application.returned"
            if decision == ScreeningDecision.RETURN
            else "application.screened",
            application=locked,
            key=f"screened:{locked.version}",
            outcome=ScreeningDecision(decision).label,
            reasons=reasons,
        )
    return locked
