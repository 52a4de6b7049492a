"""Recommendation (推荐) by a city or county government or department below the awarding authority.

When a programme requires recommendation, the applicant chooses, at submission, one of the bodies
allowed for its registered region (``allowed_recommending_bodies``); the application then waits
in that body's queue. Its staff (recommenders) decide:

- **recommend** (推荐) with a written opinion (推荐意见) and optionally a stamped scan: only now
  does the application reach the awarding authority's screening; refused over the programme's
  quota per body and cycle, with a message naming the quota;
- **return for correction** (退回修改) with a reason: the application becomes editable again (only
  while the cycle takes applications) and, once resubmitted, comes back to the same body;
- **decline** (不予推荐) with a reason: final, the application's status becomes "未获推荐".

Before the cycle's recommendation deadline (or, without one, while the application is still
awaiting screening) a recommender may **withdraw** a recommendation with a reason: the
application goes back to the body's queue as pending (not to a final state), so the body can
then decline it, return it, or recommend it again, and the place in the quota is freed.

Every decision is an ``ApplicationEvent`` (the applicant's timeline), an audit entry and an
e-mail to the applicant's users.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.enums import ApplicationStatus, RecommendationStatus, RecommenderScope
from awards.models import (
    Application,
    ApplicationEvent,
    AwardingAuthority,
    AwardProgramme,
    Organization,
    Recommendation,
)
from awards.notes import note, render_note
from awards.permissions.rules import require_recommender
from awards.services.application_drafts import cycle_closed_reason, format_deadline
from awards.services.audit import record
from awards.services.notifications.audiences import to_applicant
from awards.services.versioning import bump_version
from awards.uploads import inspect_upload


def allowed_recommending_bodies(
    programme: AwardProgramme, organization: Organization
) -> QuerySet[AwardingAuthority]:
    """The bodies an organization may choose for ``programme``: those whose jurisdiction contains
    the organization's registered region, and which the programme accepts (any authority below
    its own in its region, or the named ones)."""
    authority = programme.authority
    candidates = AwardingAuthority.objects.exclude(pk=authority.pk)
    if programme.recommender_scope == RecommenderScope.NAMED:
        candidates = candidates.filter(pk__in=programme.recommending_bodies.values("pk"))
    else:
        candidates = candidates.filter(region_prefix__startswith=authority.region_prefix)
    region = organization.region_code
    prefixes = {region[:length] for length in range(2, len(region) + 1)}
    return candidates.filter(region_prefix__in=prefixes).order_by("region_code", "-kind", "name")


def programmes_accepting(body: AwardingAuthority) -> QuerySet[AwardProgramme]:
    """The programmes that accept ``body`` as a recommending body: the converse of the rule in
    ``allowed_recommending_bodies`` (named by the programme, or below its authority in its
    region, never the awarding authority itself)."""
    prefixes = [body.region_prefix[:length] for length in range(1, len(body.region_prefix) + 1)]
    named = AwardProgramme.objects.filter(
        recommender_scope=RecommenderScope.NAMED, recommending_bodies=body
    )
    regional = AwardProgramme.objects.exclude(recommender_scope=RecommenderScope.NAMED).filter(
        authority__region_prefix__in=prefixes
    )
    return AwardProgramme.objects.filter(
        Q(pk__in=named.values("pk")) | Q(pk__in=regional.values("pk"))
    ).exclude(authority=body)


def choose_body_problem(application: Application, body: AwardingAuthority | None) -> str | None:
    """Why ``body`` cannot recommend this application (None when it can)."""
    if body is None:
        return _("本奖项须由推荐单位推荐，请选择推荐单位。")
    allowed = allowed_recommending_bodies(application.cycle.programme, application.organization)
    if not allowed.filter(pk=body.pk).exists():
        return _("“%(body)s”不能推荐贵单位参加本奖项，请在列出的推荐单位中选择。") % {
            "body": body.name
        }
    return None


def route_to_recommender(
    *, application: Application, body: AwardingAuthority | None, by
) -> Recommendation | None:
    """Called by ``submit_application`` inside its transaction, the application locked.

    A first submission puts the application in the queue of the chosen ``body``; a resubmission
    after the body returned it goes back to that same body (``body`` is then ignored). Programmes
    without recommendation, or applications already recommended (returned later by screening),
    are left as they are. An application that a body filed itself goes to that body."""
    if not application.cycle.programme.requires_recommendation:
        return None
    if application.filed_by_body_id is not None:
        body = application.filed_by_body
    existing = Recommendation.objects.filter(application=application).first()
    if existing is not None:
        if existing.status == RecommendationStatus.RETURNED:
            existing.status = RecommendationStatus.PENDING
            existing.save(update_fields=["status"])
        return existing
    problem = choose_body_problem(application, body)
    if problem:
        raise ValidationError({"recommending_body": problem})
    return Recommendation.objects.create(application=application, body=body)


def body_quota_used(body_id: int, cycle_id: int) -> int:
    """How many applications of the cycle the body has recommended (its quota's used places)."""
    return Recommendation.objects.filter(
        body_id=body_id, application__cycle_id=cycle_id, status=RecommendationStatus.RECOMMENDED
    ).count()


def quota_used(recommendation: Recommendation) -> int:
    return body_quota_used(recommendation.body_id, recommendation.application.cycle_id)


def deadline_passed(recommendation: Recommendation, *, now: dt.datetime | None = None) -> bool:
    deadline = recommendation.application.cycle.recommendation_deadline
    return deadline is not None and (now or timezone.now()) > deadline


def _locked(recommendation: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("application__cycle__programme__authority", "application__organization")
        .select_related("body")
        .get(pk=recommendation.pk)
    )


def _deadline_message(recommendation: Recommendation) -> str:
    return _("推荐截止时间 %(deadline)s（北京时间）已过，不能再作出或撤销推荐。") % {
        "deadline": format_deadline(recommendation.application.cycle.recommendation_deadline)
    }


def _check_decidable(recommendation: Recommendation) -> None:
    if recommendation.status != RecommendationStatus.PENDING:
        raise ValidationError(
            _("只能处理待推荐的申报；该申报的推荐状态为“%(status)s”。")
            % {"status": recommendation.get_status_display()}
        )
    if recommendation.application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(
            _("该申报当前状态为“%(status)s”，不能处理。")
            % {"status": recommendation.application.get_status_display()}
        )
    if deadline_passed(recommendation):
        raise ValidationError(_deadline_message(recommendation))


def _required_reason(reason: str, message: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: message})
    return reason


def _finish(
    recommendation: Recommendation,
    *,
    action: AuditAction,
    application_status: str,
    note: dict,
    previous: str,
    by,
    **details,
) -> Recommendation:
    """Write the decision: application status, event, audit entry and (after commit) e-mail."""
    application = recommendation.application
    recommendation.decided_by = by if getattr(by, "pk", None) else None
    recommendation.decided_at = timezone.now()
    recommendation.save()
    if application.status != application_status:
        bump_version(application, expected=None, status=application_status)
    ApplicationEvent.objects.create(
        application=application,
        status=application.status,
        by=recommendation.decided_by,
        note_code=note["code"],
        note_params=note["params"],
    )
    record(
        actor=by,
        action=action,
        target=application,
        body=recommendation.body.name,
        **{"from": str(previous), "to": str(recommendation.status)},
        **details,
    )
    notify_applicant(recommendation, render_note(note["code"], note["params"]))
    return recommendation


def recommend(*, recommendation: Recommendation, opinion: str, scan=None, by) -> Recommendation:
    """Recommend with a written opinion and optionally a stamped scan (checked by its content)."""
    opinion = _required_reason(opinion, _("请填写推荐意见。"), "opinion")
    detected = (
        inspect_upload(scan, max_bytes=settings.AWARDS_MAX_ATTACHMENT_BYTES) if scan else None
    )
    with transaction.atomic():
        locked = _locked(recommendation)
        require_recommender(by, locked.body_id)
        _check_decidable(locked)
        quota = locked.application.cycle.programme.recommendation_quota
        used = quota_used(locked)
        if quota is not None and used >= quota:
            raise ValidationError(
                _(
                    "推荐名额已满：本奖项每个推荐单位每届最多推荐 %(quota)d 项申报，"
                    "%(body)s已推荐 %(used)d 项。如需推荐本申报，请先撤销一项推荐。"
                )
                % {"quota": quota, "body": locked.body.name, "used": used}
            )
        previous = locked.status
        locked.status = RecommendationStatus.RECOMMENDED
        locked.opinion = opinion
        locked.reason = ""
        if detected is not None:
            if locked.scan:
                locked.scan.delete(save=False)
            locked.scan.save(detected.safe_name, scan, save=False)
            locked.scan_name = detected.safe_name
            locked.scan_content_type = detected.content_type
        return _finish(
            locked,
            action=AuditAction.RECOMMEND_APPLICATION,
            application_status=ApplicationStatus.SUBMITTED,
            note=note("recommended", body=locked.body.name, opinion=opinion),
            previous=previous,
            by=by,
            opinion=opinion,
            scan=locked.scan_name,
        )


def recommend_on_submission(
    *, application: Application, recommendation: Recommendation | None, opinion: str, by
) -> Recommendation | None:
    """Called by ``submit_application`` inside its transaction, once the application is
    submitted: an application its recommending body filed itself (``filed_by_body``) is that
    body's recommendation as it is submitted, with the body's opinion, within its quota and
    before the recommendation deadline (a refusal undoes the whole submission). Anything else,
    and a resubmission of an application already recommended, is left as it is."""
    if (
        recommendation is None
        or application.filed_by_body_id is None
        or recommendation.status != RecommendationStatus.PENDING
    ):
        return recommendation
    return recommend(recommendation=recommendation, opinion=opinion, by=by)


def _refuse(
    recommendation: Recommendation,
    *,
    reason: str,
    missing_reason: str,
    status: str,
    application_status: str,
    action: AuditAction,
    note_code: str,
    by,
    check=None,
) -> Recommendation:
    """Return or decline: a reason is required, the body's own staff decide a pending
    application (``check`` adds a refusal of its own, given the locked row)."""
    reason = _required_reason(reason, missing_reason)
    with transaction.atomic():
        locked = _locked(recommendation)
        require_recommender(by, locked.body_id)
        _check_decidable(locked)
        if check is not None:
            check(locked)
        previous = locked.status
        locked.status = status
        locked.reason = reason
        return _finish(
            locked,
            action=action,
            application_status=application_status,
            note=note(note_code, body=locked.body.name, reason=reason),
            previous=previous,
            by=by,
            reason=reason,
        )


def _check_still_editable(recommendation: Recommendation) -> None:
    closed = cycle_closed_reason(recommendation.application.cycle)
    if closed:
        raise ValidationError(
            _("申报单位已无法修改，不能退回：%(reason)s请选择推荐或不予推荐。") % {"reason": closed}
        )


def return_for_correction(*, recommendation: Recommendation, reason: str, by) -> Recommendation:
    """Send the application back to the applicant, who fixes it and resubmits to this body."""
    return _refuse(
        recommendation,
        reason=reason,
        missing_reason=_("请填写需要申报单位修改的内容。"),
        status=RecommendationStatus.RETURNED,
        application_status=ApplicationStatus.RETURNED,
        action=AuditAction.RETURN_FOR_RECOMMENDATION,
        note_code="recommendation_returned",
        by=by,
        check=_check_still_editable,
    )


def decline(*, recommendation: Recommendation, reason: str, by) -> Recommendation:
    """Decline to recommend: final for this cycle."""
    return _refuse(
        recommendation,
        reason=reason,
        missing_reason=_("请填写不予推荐的理由。"),
        status=RecommendationStatus.DECLINED,
        application_status=ApplicationStatus.DECLINED,
        action=AuditAction.DECLINE_RECOMMENDATION,
        note_code="recommendation_declined",
        by=by,
    )


def withdraw_recommendation(*, recommendation: Recommendation, reason: str, by) -> Recommendation:
    """Take a recommendation back before the deadline: the application returns to the body's
    queue as pending, and leaves the awarding authority's screening queue."""
    reason = _required_reason(reason, _("请填写撤销推荐的理由。"))
    with transaction.atomic():
        locked = _locked(recommendation)
        require_recommender(by, locked.body_id)
        if locked.status != RecommendationStatus.RECOMMENDED:
            raise ValidationError(
                _("只能撤销已作出的推荐；该申报的推荐状态为“%(status)s”。")
                % {"status": locked.get_status_display()}
            )
        if deadline_passed(locked):
            raise ValidationError(_deadline_message(locked))
        if locked.application.status != ApplicationStatus.SUBMITTED:
            raise ValidationError(
                _("授奖机关已对该申报作出资格审查决定（%(status)s），不能再撤销推荐。")
                % {"status": locked.application.get_status_display()}
            )
        previous = locked.status
        locked.status = RecommendationStatus.PENDING
        locked.reason = reason
        return _finish(
            locked,
            action=AuditAction.WITHDRAW_RECOMMENDATION,
            application_status=ApplicationStatus.SUBMITTED,
            note=note("recommendation_withdrawn", body=locked.body.name, reason=reason),
            previous=previous,
            by=by,
            reason=reason,
        )


def notify_applicant(recommendation: Recommendation, note: str) -> None:
    """Tell the applying organization's users of a recommendation decision (the outbox sends
    it after the decision commits)."""
    to_applicant(
        "application.recommendation",
        application=recommendation.application,
        key=f"recommendation:{recommendation.pk}:{recommendation.status}:{recommendation.decided_at}",
        status=recommendation.get_status_display(),
        note=note,
        # "Fix and resubmit" is for the applicant; an application the body filed itself is
        # fixed and resubmitted by the body.
        returned="1"
        if recommendation.status == RecommendationStatus.RETURNED
        and not recommendation.application.filed_by_body_id
        else "",
        body=recommendation.body.name,
    )


def recommended_filter(prefix: str = "") -> Q:
    """Applications that may be screened: those with no recommendation row (programmes without
    recommendation, or submitted before the programme required it) and recommended ones."""
    return Q(**{f"{prefix}recommendation__isnull": True}) | Q(
        **{f"{prefix}recommendation__status": RecommendationStatus.RECOMMENDED}
    )
