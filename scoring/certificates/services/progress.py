"""Where an application stands, as its applicant sees it (申报进度), from submission to the result.

One function, ``applicant_progress``, reads the data of many applications in a fixed number of
queries (the dashboard lists all of an organization's applications): the application's status,
its review panels, the cycle's approved snapshots with their public notice (公示) and
announcement (表彰), the award with its certificate, and its revocation.

The stages, in order: draft or returned (the applicant is writing), for a programme that
requires recommendation (推荐) waiting for the chosen body, returned by it (with its reason), not
recommended (with its reason, the end) or recommended, submitted (before the
deadline), in screening (资格审查, after the deadline), ineligible or withdrawn (the end), eligible
and waiting for review, under review (a panel exists), in public notice (the notice of an approved
snapshot is open and not yet announced), and after the announcement: awarded (with the level),
not awarded, or the award revoked. The certificate (once printed, while the award holds) and the
feedback report (for an application reached by review and listed in the announced snapshot) are
offered where they exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import ApplicationStatus, RecommendationStatus
from awards.models import Application, Recommendation
from scoring.certificates.models import Certificate
from scoring.enums import ScorecardStatus
from scoring.publication.models import Award, PublicNotice
from scoring.results.models import ResultEntry
from scoring.review.models import Panel


class Stage(StrEnum):
    DRAFT = "draft"
    RETURNED = "returned"
    AWAITING_RECOMMENDATION = "awaiting_recommendation"
    RETURNED_BY_RECOMMENDER = "returned_by_recommender"
    RECOMMENDED = "recommended"
    SUBMITTED = "submitted"
    SCREENING = "screening"
    INELIGIBLE = "ineligible"
    WITHDRAWN = "withdrawn"
    NOT_RECOMMENDED = "not_recommended"
    AWAITING_REVIEW = "awaiting_review"
    UNDER_REVIEW = "under_review"
    NOTICE = "notice"
    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class Progress:
    """``notice_id`` is set while the application's cycle is in public notice; ``award_id`` when
    the certificate can be downloaded; ``feedback`` when the feedback report is available;
    ``reason`` is the recommending body's reason for returning or declining the application."""

    application_id: int
    stage: Stage
    label: str
    level: str = ""
    reason: str = ""
    notice_id: int | None = None
    award_id: int | None = None
    feedback: bool = False


def _recommendation_label(stage: Stage, body: str) -> str:
    labels = {
        Stage.AWAITING_RECOMMENDATION: _("待推荐（%(body)s）"),
        Stage.RETURNED_BY_RECOMMENDER: _("已退回修改（%(body)s）"),
        Stage.NOT_RECOMMENDED: _("未获推荐（%(body)s）"),
        Stage.RECOMMENDED: _("已推荐（%(body)s），申报截止后进行资格审查"),
    }
    return labels[stage] % {"body": body}


def _label(stage: Stage, level: str) -> str:
    labels = {
        Stage.DRAFT: _("草稿，尚未提交"),
        Stage.RETURNED: _("退回修改，请修改后重新提交"),
        Stage.SUBMITTED: _("已提交，申报截止后进行资格审查"),
        Stage.SCREENING: _("资格审查中"),
        Stage.INELIGIBLE: _("资格审查未通过"),
        Stage.WITHDRAWN: _("已撤回"),
        Stage.NOT_RECOMMENDED: _("推荐单位不予推荐"),
        Stage.AWAITING_REVIEW: _("资格审查通过，等待评审"),
        Stage.UNDER_REVIEW: _("评审中"),
        Stage.NOTICE: _("评审结果公示中"),
        Stage.NOT_AWARDED: _("已表彰，本单位未获奖"),
        Stage.REVOKED: _("所获奖项已撤销"),
    }
    if stage == Stage.AWARDED:
        return _("已表彰，荣获%(level)s") % {"level": level}
    return labels[stage]


def applicant_progress(applications: Iterable[Application]) -> dict[int, Progress]:
    """The progress of each application (with its ``cycle`` loaded), by application id.

    Five queries whatever the number of applications (none when there are none)."""
    applications = list(applications)
    if not applications:
        return {}
    ids = [application.pk for application in applications]
    recommendations = {
        recommendation.application_id: recommendation
        for recommendation in Recommendation.objects.filter(application_id__in=ids).select_related(
            "body"
        )
    }
    cycle_ids = {application.cycle_id for application in applications}
    panels = dict(
        Panel.objects.filter(application_id__in=ids)
        .values("application_id")
        .annotate(
            submitted=Count(
                "assignments__scorecard",
                filter=Q(assignments__scorecard__status=ScorecardStatus.SUBMITTED),
            )
        )
        .values_list("application_id", "submitted")
    )
    notices: dict[int, PublicNotice] = {}
    for notice in (
        PublicNotice.objects.filter(
            snapshot__cycle_id__in=cycle_ids, snapshot__approved_at__isnull=False
        )
        .select_related("snapshot")
        .order_by("snapshot__version")
    ):
        notices[notice.snapshot.cycle_id] = notice  # the newest version wins
    listed = set(
        ResultEntry.objects.filter(
            snapshot_id__in=[notice.snapshot_id for notice in notices.values()],
            application_id__in=ids,
        ).values_list("snapshot_id", "application_id")
    )
    awards = {
        award.application_id: award
        for award in Award.objects.filter(application_id__in=ids).select_related("certificate")
    }
    now = timezone.now()
    return {
        application.pk: _recommendation_progress(
            application, recommendations.get(application.pk), now=now
        )
        or _progress(
            application,
            now=now,
            panel_submissions=panels.get(application.pk),
            notice=notices.get(application.cycle_id),
            listed=listed,
            award=awards.get(application.pk),
        )
        for application in applications
    }


def _recommendation_progress(application, recommendation, *, now) -> Progress | None:
    """Where an application stands with its recommending body, while that is what it waits for
    (or the end): None once screening (or a screening return) is what counts."""
    if recommendation is None:
        return None
    status, body = application.status, recommendation.body.name
    stage = None
    if status == ApplicationStatus.SUBMITTED:
        stage = {
            RecommendationStatus.PENDING: Stage.AWAITING_RECOMMENDATION,
            RecommendationStatus.RECOMMENDED: Stage.RECOMMENDED,
        }.get(recommendation.status)
        if stage == Stage.RECOMMENDED and application.cycle.effective_deadline < now:
            stage = None  # the deadline passed: in screening, as any other application
    elif status == ApplicationStatus.RETURNED:
        if recommendation.status == RecommendationStatus.RETURNED:
            stage = Stage.RETURNED_BY_RECOMMENDER
    elif status == ApplicationStatus.DECLINED:
        stage = Stage.NOT_RECOMMENDED
    if stage is None:
        return None
    reason = recommendation.reason if stage in REASONED_STAGES else ""
    return Progress(application.pk, stage, _recommendation_label(stage, body), reason=reason)


#: The stages that show the recommending body's reason.
REASONED_STAGES = frozenset({Stage.RETURNED_BY_RECOMMENDER, Stage.NOT_RECOMMENDED})


def _progress(application, *, now, panel_submissions, notice, listed, award) -> Progress:
    status = application.status
    simple = {
        ApplicationStatus.DRAFT: Stage.DRAFT,
        ApplicationStatus.RETURNED: Stage.RETURNED,
        ApplicationStatus.INELIGIBLE: Stage.INELIGIBLE,
        ApplicationStatus.WITHDRAWN: Stage.WITHDRAWN,
        ApplicationStatus.DECLINED: Stage.NOT_RECOMMENDED,
    }
    if status in simple:
        return Progress(application.pk, simple[status], _label(simple[status], ""))
    if status == ApplicationStatus.SUBMITTED:
        stage = Stage.SCREENING if application.cycle.effective_deadline < now else Stage.SUBMITTED
        return Progress(application.pk, stage, _label(stage, ""))
    if award is not None:
        certificate = _certificate(award)
        feedback = bool(panel_submissions) and (award.snapshot_id, application.pk) in listed
        if award.revoked_at is not None:
            return Progress(
                application.pk, Stage.REVOKED, _label(Stage.REVOKED, ""), feedback=feedback
            )
        return Progress(
            application.pk,
            Stage.AWARDED,
            _label(Stage.AWARDED, award.level),
            level=award.level,
            award_id=award.pk if certificate else None,
            feedback=feedback,
        )
    if notice is not None and notice.announced_at is not None:
        feedback = bool(panel_submissions) and (notice.snapshot_id, application.pk) in listed
        return Progress(
            application.pk, Stage.NOT_AWARDED, _label(Stage.NOT_AWARDED, ""), feedback=feedback
        )
    if notice is not None:
        return Progress(application.pk, Stage.NOTICE, _label(Stage.NOTICE, ""), notice_id=notice.pk)
    if panel_submissions is not None:
        return Progress(application.pk, Stage.UNDER_REVIEW, _label(Stage.UNDER_REVIEW, ""))
    return Progress(application.pk, Stage.AWAITING_REVIEW, _label(Stage.AWAITING_REVIEW, ""))


def _certificate(award: Award) -> Certificate | None:
    """The award's printed certificate, or None."""
    try:
        certificate = award.certificate
    except Certificate.DoesNotExist:
        return None
    return certificate if certificate.pdf else None
