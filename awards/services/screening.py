"""Eligibility screening (资格审查) by the awarding authority's officials.

A submitted application is passed, failed with reasons, or returned for correction with
comments. Returning only makes sense while the applicant can still edit (cycle open, before the
deadline), so it is refused otherwise. Every decision becomes an ``ApplicationEvent`` (the
applicant's timeline) and an audit entry, and the applicant's users are e-mailed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.enums import ApplicationStatus, ScreeningDecision
from awards.models import Application, ApplicationEvent, User
from awards.permissions.rules import require_authority
from awards.services.application_drafts import cycle_closed_reason
from awards.services.audit import record
from awards.services.recommendations import recommended_filter
from awards.services.versioning import bump_version

OUTCOMES: dict[str, str] = {
    ScreeningDecision.PASS: ApplicationStatus.ELIGIBLE,
    ScreeningDecision.FAIL: ApplicationStatus.INELIGIBLE,
    ScreeningDecision.RETURN: ApplicationStatus.RETURNED,
}


def _notify_applicant(application: Application, decision: str, reasons: str) -> None:
    recipients = sorted(
        User.objects.filter(organization_id=application.organization_id, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "awards:application_detail", kwargs={"pk": application.pk}
    )
    outcome = ScreeningDecision(decision).label
    body = _("%(organization)s：\n\n贵单位申报的“%(cycle)s”资格审查结果为：%(outcome)s。\n") % {
        "organization": application.organization.name,
        "cycle": application.cycle,
        "outcome": outcome,
    }
    if reasons:
        body += _("说明：\n%(reasons)s\n") % {"reasons": reasons}
    if decision == ScreeningDecision.RETURN:
        body += _("请在申报截止前修改并重新提交。\n")
    body += _("详情请登录查看：%(link)s\n") % {"link": link}
    send_mail(
        subject=_("【政府质量奖门户】申报资格审查结果：%(outcome)s") % {"outcome": outcome},
        message=body,
        from_email=None,
        recipient_list=recipients,
    )


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
        ApplicationEvent.objects.create(
            application=locked, status=locked.status, by=by, note=reasons
        )
        record(
            actor=by,
            action=AuditAction.SCREEN_APPLICATION,
            target=locked,
            decision=str(decision),
            reasons=reasons,
            **{"from": previous, "to": locked.status},
        )
        transaction.on_commit(lambda: _notify_applicant(locked, decision, reasons))
    return locked
