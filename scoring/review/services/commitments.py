"""A reviewer's confidentiality commitment (保密承诺) and declared ties (回避) for one cycle.

Nothing of a cycle's applications is shown to a reviewer before both are done: the commitment is
accepted, then the ties are declared and the declaration is marked finished (possibly with no
ties). Ties can still be added later; each one hides the organization's application at once.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import Cycle, Organization, User
from awards.permissions.rules import is_reviewer_of_authority
from awards.services.audit import record
from scoring.enums import ConflictRelation
from scoring.review.models import ConflictDeclaration, ReviewerCommitment

NOTE_MAX_LENGTH = 300


def check_reviewer_of_cycle(*, reviewer: User, cycle: Cycle) -> None:
    if not is_reviewer_of_authority(reviewer, cycle.programme.authority_id):
        raise PermissionDenied(_("只有本授奖机关专家库中的评审专家可以执行此操作。"))


def in_jurisdiction(*, organization: Organization, cycle: Cycle) -> bool:
    return organization.region_code.startswith(cycle.programme.authority.region_prefix)


def commitment_of(*, reviewer: User, cycle: Cycle) -> ReviewerCommitment | None:
    return ReviewerCommitment.objects.filter(reviewer=reviewer, cycle=cycle).first()


def accept_commitment(*, reviewer: User, cycle: Cycle) -> ReviewerCommitment:
    """Record the confidentiality commitment; accepting twice keeps the first time."""
    check_reviewer_of_cycle(reviewer=reviewer, cycle=cycle)
    try:
        with transaction.atomic():
            commitment = ReviewerCommitment.objects.create(
                reviewer=reviewer, cycle=cycle, confidentiality_accepted_at=timezone.now()
            )
            record(actor=reviewer, action=AuditAction.ACCEPT_COMMITMENT, target=commitment)
    except IntegrityError:
        return ReviewerCommitment.objects.get(reviewer=reviewer, cycle=cycle)
    return commitment


def _require_commitment(*, reviewer: User, cycle: Cycle) -> ReviewerCommitment:
    commitment = commitment_of(reviewer=reviewer, cycle=cycle)
    if commitment is None:
        raise ValidationError(_("请先签署本届评审的保密承诺。"))
    return commitment


def declare_conflict(
    *,
    reviewer: User,
    cycle: Cycle,
    organization: Organization,
    relation: str,
    note: str = "",
) -> ConflictDeclaration:
    """Declare a tie with an organization; declaring the same tie again changes nothing."""
    check_reviewer_of_cycle(reviewer=reviewer, cycle=cycle)
    _require_commitment(reviewer=reviewer, cycle=cycle)
    if relation not in ConflictRelation.values:
        raise ValidationError({"relation": _("请选择与该单位的关系。")})
    if not in_jurisdiction(organization=organization, cycle=cycle):
        raise ValidationError({"organization": _("只能申报本授奖机关辖区内的单位。")})
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("说明不能超过 %(limit)d 个字符。") % {"limit": NOTE_MAX_LENGTH}}
        )
    try:
        with transaction.atomic():
            declaration = ConflictDeclaration.objects.create(
                reviewer=reviewer,
                cycle=cycle,
                organization=organization,
                relation=relation,
                note=note,
            )
            record(
                actor=reviewer,
                action=AuditAction.DECLARE_CONFLICT,
                target=declaration,
                cycle=cycle.pk,
                organization=organization.credit_code,
                relation=relation,
                note=note,
            )
    except IntegrityError:
        return ConflictDeclaration.objects.get(
            reviewer=reviewer, cycle=cycle, organization=organization, relation=relation
        )
    return declaration


def finish_declarations(*, reviewer: User, cycle: Cycle) -> ReviewerCommitment:
    """Mark the declaration of ties finished; from now on the cycle's assignments are shown."""
    check_reviewer_of_cycle(reviewer=reviewer, cycle=cycle)
    commitment = _require_commitment(reviewer=reviewer, cycle=cycle)
    now = timezone.now()
    with transaction.atomic():
        updated = ReviewerCommitment.objects.filter(
            pk=commitment.pk, conflicts_declared_at__isnull=True
        ).update(conflicts_declared_at=now)
        if updated:
            count = ConflictDeclaration.objects.filter(reviewer=reviewer, cycle=cycle).count()
            commitment.conflicts_declared_at = now
            record(
                actor=reviewer,
                action=AuditAction.FINISH_DECLARATIONS,
                target=commitment,
                declarations=count,
            )
    commitment.refresh_from_db()
    return commitment
