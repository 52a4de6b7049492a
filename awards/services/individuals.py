"""Individual applications (个人奖): filed by the candidate's employer for one person.

The employer's applicant account starts the application in a cycle with an individual track
(``Cycle.takes_individuals``) and may file several, one per candidate; the candidate's details
are a row of their own (``IndividualCandidate``) with the identity number encrypted
(``awards.id_numbers``), so the full number is never in the draft, the audit log or a page.

A recommending body (推荐单位) may file one itself, for a person employed by an organization of
its region, in a cycle whose programme requires recommendation and accepts the body: the
application still belongs to the employer (``organization``, which sees it on its dashboard)
and records the body (``filed_by_body``); the body's staff fill it in and submit it, and that
submission is the body's recommendation (``recommendations.recommend_on_submission``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from awards.application_content import STEP_CANDIDATE
from awards.audit_actions import AuditAction
from awards.enums import ApplicationStatus, CycleStatus, Track
from awards.id_numbers import encrypt_id_number, normalize_id_number, validate_id_number
from awards.models import (
    Application,
    ApplicationEvent,
    AwardingAuthority,
    Cycle,
    IndividualCandidate,
    Organization,
    User,
)
from awards.notes import note
from awards.permissions.rules import is_recommender
from awards.services.application_attachments import ensure_attachment_requirements
from awards.services.application_drafts import (
    EditingClosed,
    check_applicant,
    claim_steps,
    cycle_closed_reason,
)
from awards.services.audit import record
from awards.services.recommendations import allowed_recommending_bodies, programmes_accepting

#: The candidate's fields other than the identity number, as the step's form cleans them.
CANDIDATE_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "position",
    "years_in_quality_work",
    "education",
    "achievements",
    "honours",
)


def individual_track_closed_reason(cycle: Cycle) -> str | None:
    if not cycle.takes_individuals:
        return _("“%(cycle)s”不设个人奖。") % {"cycle": cycle}
    return cycle_closed_reason(cycle)


def filing_cycles(body: AwardingAuthority, *, now: dt.datetime | None = None) -> list[Cycle]:
    """The cycles in which ``body`` may file an individual application itself: taking
    applications, with an individual track, to a programme that requires recommendation and
    accepts the body; nearest deadline first."""
    cycles = (
        Cycle.objects.filter(
            status=CycleStatus.OPEN,
            individual_framework__isnull=False,
            programme__has_individual_track=True,
            programme__requires_recommendation=True,
            programme__in=programmes_accepting(body),
        )
        .select_related("programme__authority")
        .order_by("application_deadline", "programme__name", "pk")
    )
    return [cycle for cycle in cycles if cycle.taking_applications(now=now)]


def filing_organizations(body: AwardingAuthority) -> QuerySet[Organization]:
    """The registered organizations (with an active account) of ``body``'s region, for which it
    may file: never another region's."""
    members = User.objects.filter(organization=OuterRef("pk"), is_active=True)
    return Organization.objects.filter(
        Exists(members), region_code__startswith=body.region_prefix
    ).order_by("name", "pk")


def filed_applications(body: AwardingAuthority) -> QuerySet[Application]:
    """The applications ``body`` filed itself, newest first."""
    return (
        Application.objects.filter(filed_by_body=body)
        .select_related("cycle__programme__authority", "organization", "candidate")
        .order_by("-created_at", "-pk")
    )


def _filing_body(cycle: Cycle, organization: Organization, by) -> AwardingAuthority | None:
    """None when a user of the employer files; the recommender's body when the body files for
    the employer (only for a programme that requires recommendation and accepts the body for
    that organization); anyone else is refused."""
    if is_recommender(by):
        body = by.authority
        programme = cycle.programme
        allowed = allowed_recommending_bodies(programme, organization).filter(pk=body.pk)
        if not programme.requires_recommendation or not allowed.exists():
            raise PermissionDenied(
                _("%(body)s不能为“%(organization)s”代为申报“%(cycle)s”的个人奖。")
                % {"body": body.name, "organization": organization.name, "cycle": cycle}
            )
        return body
    if getattr(by, "organization_id", None) != organization.pk:
        raise EditingClosed(_("只有候选人所在单位的用户可以申报个人奖。"))
    return None


def start_individual_application(*, cycle: Cycle, organization: Organization, by) -> Application:
    """A new individual application (draft) of ``organization``, filed by one of its users or
    by a recommending body of its region (module notes)."""
    body = _filing_body(cycle, organization, by)
    reason = individual_track_closed_reason(cycle)
    if reason:
        raise EditingClosed(reason, code="cycle_closed")
    with transaction.atomic():
        application = Application.objects.create(
            cycle=cycle,
            organization=organization,
            track=Track.INDIVIDUAL,
            created_by=by,
            filed_by_body=body,
            current_step=STEP_CANDIDATE,
        )
        started = (
            note("individual_application_filed", body=body.name)
            if body is not None
            else note("individual_application_started")
        )
        ApplicationEvent.objects.create(
            application=application,
            status=ApplicationStatus.DRAFT,
            by=by,
            note_code=started["code"],
            note_params=started["params"],
        )
        ensure_attachment_requirements(cycle=cycle, by=by)
        record(
            actor=by,
            action=AuditAction.START_APPLICATION,
            target=application,
            track=Track.INDIVIDUAL,
            **({"filed_by_body": body.name} if body is not None else {}),
        )
    return application


def save_candidate(
    *,
    application: Application,
    values: Mapping[str, object],
    id_number: str,
    expected_version: int,
    next_step: str,
    by,
) -> IndividualCandidate:
    """Store the candidate's details; ``id_number`` empty keeps the number already stored.

    ``values`` are the cleaned fields of ``CANDIDATE_FIELDS``; the number is checked
    (GB 11643 check digit) and stored encrypted with its last 4 characters.
    """
    check_applicant(application, by)
    existing = IndividualCandidate.objects.filter(application=application).first()
    number = normalize_id_number(id_number)
    if number:
        validate_id_number(number)
    elif existing is None:
        raise EditingClosed(_("请填写候选人的身份证号。"), code="id_required")
    with transaction.atomic():
        claim_steps(
            application=application,
            steps=[STEP_CANDIDATE],
            expected_version=expected_version,
            current_step=next_step,
        )
        candidate = existing or IndividualCandidate(application=application)
        for name in CANDIDATE_FIELDS:
            setattr(candidate, name, values[name])
        if number:
            candidate.id_number_encrypted = encrypt_id_number(number)
            candidate.id_number_last4 = number[-4:]
        candidate.full_clean(exclude=["application"])
        candidate.save()
        # The audit log names the candidate, never the number or the date of birth.
        record(
            actor=by,
            action=AuditAction.SAVE_CANDIDATE,
            target=application,
            candidate=candidate.name,
        )
    application.candidate = candidate
    return candidate


def age_on(birth_date: dt.date, day: dt.date) -> int:
    years = day.year - birth_date.year
    return years - ((day.month, day.day) < (birth_date.month, birth_date.day))
