"""Individual applications (个人奖): filed by the candidate's employer for one person.

The employer's applicant account starts the application in a cycle with an individual track
(``Cycle.takes_individuals``) and may file several, one per candidate; the candidate's details
are a row of their own (``IndividualCandidate``) with the identity number encrypted
(``awards.id_numbers``), so the full number is never in the draft, the audit log or a page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from awards.application_content import STEP_CANDIDATE
from awards.audit_actions import AuditAction
from awards.enums import ApplicationStatus, Track
from awards.id_numbers import encrypt_id_number, normalize_id_number, validate_id_number
from awards.models import Application, ApplicationEvent, Cycle, IndividualCandidate, Organization
from awards.services.application_attachments import ensure_attachment_requirements
from awards.services.application_drafts import (
    EditingClosed,
    check_applicant,
    claim_steps,
    cycle_closed_reason,
)
from awards.services.audit import record

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


def start_individual_application(*, cycle: Cycle, organization: Organization, by) -> Application:
    """A new individual application (draft) of ``organization``, filed by one of its users."""
    if getattr(by, "organization_id", None) != organization.pk:
        raise EditingClosed(_("只有候选人所在单位的用户可以申报个人奖。"))
    reason = individual_track_closed_reason(cycle)
    if reason:
        raise EditingClosed(reason, code="cycle_closed")
    with transaction.atomic():
        application = Application.objects.create(
            cycle=cycle,
            organization=organization,
            track=Track.INDIVIDUAL,
            created_by=by,
            current_step=STEP_CANDIDATE,
        )
        ApplicationEvent.objects.create(
            application=application,
            status=ApplicationStatus.DRAFT,
            by=by,
            note=_("开始填写个人奖申报材料"),
        )
        ensure_attachment_requirements(cycle=cycle, by=by)
        record(
            actor=by,
            action=AuditAction.START_APPLICATION,
            target=application,
            track=Track.INDIVIDUAL,
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
