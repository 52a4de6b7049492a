"""Conflicts of interest (回避): what the portal detects, and an official's written override.

A reviewer is conflicted with an application when the applicant organization is their current
employer or a former employer (matched by unified social credit code), or when they declared a
tie with it for the cycle. Detection is independent of overrides; ``is_conflicted`` and
``conflicted_application_ids`` answer "may this reviewer be assigned / see it" in one review
stage, which an official's ``ConflictOverride`` lifts for one pair in that stage only: a waiver
given for the document review does not cover the site visit, where the question is asked again.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import Application, Cycle, User
from awards.permissions.rules import require_authority
from awards.services.audit import record
from scoring.enums import ConflictRelation
from scoring.review.models import (
    ConflictDeclaration,
    ConflictOverride,
    ReviewerProfile,
    ReviewStage,
)

type Pair = tuple[int, int]


def _code(value: str | None) -> str:
    return (value or "").strip().upper()


def _employment_reasons(
    *, credit_code: str, employer_code: str, former_codes: list[str] | None
) -> list[str]:
    credit_code = _code(credit_code)
    if not credit_code:
        return []
    reasons = []
    if _code(employer_code) == credit_code:
        reasons.append(_("申报单位是该专家的现任职单位"))
    if credit_code in {_code(code) for code in former_codes or ()}:
        reasons.append(_("申报单位是该专家的曾任职单位"))
    return reasons


def _declared_reason(relation: str, note: str) -> str:
    label = ConflictRelation(relation).label if relation in ConflictRelation.values else relation
    text = _("专家申报的利益关系：%(relation)s") % {"relation": label}
    return f"{text}（{note}）" if note else text


def detected_conflicts(*, cycle: Cycle, declared: bool = True) -> dict[Pair, list[str]]:
    """Every conflicted (application id, reviewer user id) pair of the cycle, with reasons.

    Three queries: the cycle's applications, the profiles of the authority's reviewers, and
    the cycle's declarations (``declared=False``: only the ties found in the profiles, two
    queries). Overrides are not applied here: this is what was detected.
    """
    applications = list(
        Application.objects.filter(cycle=cycle).values_list(
            "pk", "organization_id", "organization__credit_code"
        )
    )
    by_code: dict[str, list[int]] = defaultdict(list)
    by_organization: dict[int, list[int]] = defaultdict(list)
    for app_id, organization_id, credit_code in applications:
        by_code[_code(credit_code)].append(app_id)
        by_organization[organization_id].append(app_id)

    found: dict[Pair, list[str]] = defaultdict(list)
    profiles = ReviewerProfile.objects.filter(
        user__authority_id=cycle.programme.authority_id
    ).values_list("user_id", "employer_credit_code", "former_employer_credit_codes")
    for user_id, employer_code, former_codes in profiles:
        codes = {_code(employer_code), *(_code(c) for c in former_codes or ())} - {""}
        for credit_code in sorted(codes):
            for app_id in by_code.get(credit_code, ()):
                found[(app_id, user_id)].extend(
                    _employment_reasons(
                        credit_code=credit_code,
                        employer_code=employer_code,
                        former_codes=former_codes,
                    )
                )

    if not declared:
        return dict(found)
    declarations = (
        ConflictDeclaration.objects.filter(cycle=cycle)
        .order_by("reviewer_id", "organization_id", "relation", "pk")
        .values_list("reviewer_id", "organization_id", "relation", "note")
    )
    reasons: dict[tuple[str, str], str] = {}  # translating once per kind of tie is much faster
    for reviewer_id, organization_id, relation, note in declarations:
        if (relation, note) not in reasons:
            reasons[(relation, note)] = _declared_reason(relation, note)
        for app_id in by_organization.get(organization_id, ()):
            found[(app_id, reviewer_id)].append(reasons[(relation, note)])
    return dict(found)


def conflict_reasons(*, reviewer: User, application: Application) -> list[str]:
    """Why this one pair is conflicted (empty when it is not), overrides not applied."""
    profile = ReviewerProfile.objects.filter(user=reviewer).first()
    credit_code = application.organization.credit_code
    reasons = (
        _employment_reasons(
            credit_code=credit_code,
            employer_code=profile.employer_credit_code,
            former_codes=profile.former_employer_credit_codes,
        )
        if profile is not None
        else []
    )
    declarations = ConflictDeclaration.objects.filter(
        cycle_id=application.cycle_id,
        reviewer=reviewer,
        organization_id=application.organization_id,
    ).order_by("relation", "pk")
    reasons.extend(_declared_reason(d.relation, d.note) for d in declarations)
    return reasons


def is_overridden(*, reviewer: User, application: Application, stage: ReviewStage) -> bool:
    return ConflictOverride.objects.filter(
        reviewer=reviewer, application=application, stage=stage
    ).exists()


def is_conflicted(*, reviewer: User, application: Application, stage: ReviewStage) -> bool:
    """True when a conflict is detected and no official has overridden it for this pair in
    this stage."""
    if not conflict_reasons(reviewer=reviewer, application=application):
        return False
    return not is_overridden(reviewer=reviewer, application=application, stage=stage)


def _detected_for_reviewer(*, reviewer: User, cycle: Cycle) -> set[int]:
    """The cycle's applications conflicted with ``reviewer``, overrides not applied.

    Three queries whatever the number of applications: profile, declarations, applications.
    """
    profile = (
        ReviewerProfile.objects.filter(user=reviewer)
        .values_list("employer_credit_code", "former_employer_credit_codes")
        .first()
    )
    codes: set[str] = set()
    if profile is not None:
        employer_code, former_codes = profile
        codes = {_code(employer_code), *(_code(c) for c in former_codes or ())} - {""}
    declared = set(
        ConflictDeclaration.objects.filter(cycle=cycle, reviewer=reviewer).values_list(
            "organization_id", flat=True
        )
    )
    return {
        app_id
        for app_id, organization_id, credit_code in Application.objects.filter(
            cycle=cycle
        ).values_list("pk", "organization_id", "organization__credit_code")
        if organization_id in declared or _code(credit_code) in codes
    }


def conflicted_application_ids(*, reviewer: User, stage: ReviewStage) -> set[int]:
    """The cycle's applications this reviewer must neither be assigned to nor see in ``stage``.

    Four queries whatever the number of applications: profile, declarations, applications,
    overrides of the stage.
    """
    conflicted = _detected_for_reviewer(reviewer=reviewer, cycle=stage.cycle)
    if not conflicted:
        return set()
    overridden = set(
        ConflictOverride.objects.filter(
            reviewer=reviewer, stage=stage, application_id__in=conflicted
        ).values_list("application_id", flat=True)
    )
    return conflicted - overridden


def conflicted_stage_pairs(*, reviewer: User, cycle: Cycle) -> set[Pair]:
    """(application id, stage id) of every stage of the cycle in which the reviewer is
    conflicted with the application and no waiver was given for that stage. Five queries."""
    conflicted = _detected_for_reviewer(reviewer=reviewer, cycle=cycle)
    if not conflicted:
        return set()
    stage_ids = list(ReviewStage.objects.filter(cycle=cycle).values_list("pk", flat=True))
    overridden = set(
        ConflictOverride.objects.filter(
            reviewer=reviewer, stage__cycle=cycle, application_id__in=conflicted
        ).values_list("application_id", "stage_id")
    )
    return {(app_id, stage_id) for app_id in conflicted for stage_id in stage_ids} - overridden


def overridden_pairs(*, stage: ReviewStage) -> set[Pair]:
    """(application id, reviewer id) of the waivers given for ``stage``."""
    return set(
        ConflictOverride.objects.filter(stage=stage).values_list("application_id", "reviewer_id")
    )


@transaction.atomic
def override_conflict(
    *, application: Application, reviewer: User, stage: ReviewStage, reason: str, by: User
) -> ConflictOverride:
    """Record an official's written decision that ``reviewer`` may review ``application`` in
    ``stage`` (only in that stage)."""
    require_authority(by, application.cycle.programme.authority_id)
    if stage.cycle_id != application.cycle_id:
        raise ValidationError(_("评审阶段不属于该申报的届次。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("豁免利益冲突必须填写书面理由。")})
    reasons = conflict_reasons(reviewer=reviewer, application=application)
    if not reasons:
        raise ValidationError(_("未检测到该专家与该申报存在利益冲突，无需豁免。"))
    override, created = ConflictOverride.objects.update_or_create(
        stage=stage,
        application=application,
        reviewer=reviewer,
        defaults={"reason": reason, "decided_by": by},
    )
    record(
        actor=by,
        action=AuditAction.OVERRIDE_CONFLICT,
        target=application,
        reviewer=reviewer.username,
        stage=stage.kind,
        reason=reason,
        conflicts=reasons,
        replaced=not created,
    )
    return override
