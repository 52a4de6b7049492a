"""An official reopens a submitted scorecard: it becomes a draft the reviewer can change.

When the panel had already confirmed its consensus, that consensus no longer stands on the
scores it was built from: it is marked stale (``ConsensusStatus.STALE``), the results of the
cycle cannot be computed until the group leader confirms it again, and the leader and the
cycle's officials are told by e-mail, once. Once the cycle's results are announced (表彰) no
scorecard can be reopened.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.enums import CycleStatus, Role
from awards.models import Cycle, User
from awards.permissions.rules import require_authority
from awards.services.audit import record
from awards.services.notifications.audiences import application_context, to_people
from awards.services.versioning import bump_version
from scoring.enums import ConsensusStatus, ScorecardStatus
from scoring.review.models import Consensus, Panel, Scorecard


def cycle_announced(cycle_id: int) -> bool:
    """The cycle's results are announced: its status says so, or a notice of one of its
    snapshots was announced (read through the database relation: review does not import the
    publication feature)."""
    return (
        Cycle.objects.filter(pk=cycle_id)
        .filter(Q(status=CycleStatus.ANNOUNCED) | Q(snapshots__notice__announced_at__isnull=False))
        .exists()
    )


@transaction.atomic
def reopen_scorecard(*, scorecard: Scorecard, reason: str, by: User) -> Scorecard:
    """Only an official of the authority, only with a written reason, never after the cycle's
    announcement; the version moves on so that a page the reviewer still has open cannot
    overwrite the reopened card by accident. A final consensus of the panel becomes stale."""
    assignment = scorecard.assignment
    panel = assignment.panel
    cycle = panel.stage.cycle
    require_authority(by, cycle.programme.authority_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回评分表必须填写理由。")})
    if cycle_announced(cycle.pk):
        raise ValidationError(
            _("本届评审结果已发布表彰决定，评分表不能再退回。"), code="cycle_announced"
        )
    updated = bump_version(
        Scorecard.objects.filter(pk=scorecard.pk, status=ScorecardStatus.SUBMITTED),
        expected=None,
        status=ScorecardStatus.DRAFT,
        submitted_at=None,
    )
    if not updated:
        raise ValidationError(_("只有已提交的评分表可以退回。"))
    scorecard.refresh_from_db()
    stale = _mark_consensus_stale(panel=panel, by=by, reason=reason)
    record(
        actor=by,
        action=AuditAction.REOPEN_SCORECARD,
        target=scorecard,
        reason=reason,
        reviewer=assignment.reviewer.username,
        application=panel.application_id,
        stage=panel.stage.kind,
        consensus_stale=stale is not None,
    )
    if stale is not None:
        notify_stale_consensus(consensus=stale, reason=reason)
    return scorecard


def _mark_consensus_stale(*, panel: Panel, by: User, reason: str) -> Consensus | None:
    """FINAL → STALE (one conditional update); None when there was no final consensus."""
    rows = Consensus.objects.filter(panel=panel, status=ConsensusStatus.FINAL)
    if not bump_version(rows, expected=None, status=ConsensusStatus.STALE):
        return None
    consensus = Consensus.objects.select_related(
        "panel__stage__cycle__programme", "panel__application__organization", "panel__leader"
    ).get(panel=panel)
    record(
        actor=by,
        action=AuditAction.MARK_CONSENSUS_STALE,
        target=consensus,
        version=consensus.version,
        application=panel.application_id,
        stage=panel.stage.kind,
        reason=reason,
    )
    return consensus


def stale_recipients(consensus: Consensus) -> list[User]:
    """The panel's leader and the active officials of the cycle's authority, each once, by id."""
    panel = consensus.panel
    authority_id = panel.stage.cycle.programme.authority_id
    users = User.objects.filter(is_active=True).filter(
        Q(role=Role.OFFICIAL, authority_id=authority_id) | Q(pk=panel.leader_id)
    )
    return list(users.order_by("pk"))


def _consensus_link(consensus: Consensus) -> str:
    try:
        path = reverse("scoring:consensus", kwargs={"pk": consensus.panel_id})
    except NoReverseMatch:
        path = "/portal/"
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def notify_stale_consensus(*, consensus: Consensus, reason: str) -> list[str]:
    """Queue the message to the leader and the officials; returns the addresses it goes to."""
    panel = consensus.panel
    recipients = stale_recipients(consensus)
    to_people(
        "review.consensus_stale",
        people=recipients,
        key=f"{consensus.pk}:{consensus.version}",
        authority_id=panel.stage.cycle.programme.authority_id,
        link=_consensus_link(consensus),
        cycle=str(panel.stage.cycle),
        stage=panel.stage.get_kind_display(),
        **application_context(panel.application),
        reason=reason,
    )
    return list(dict.fromkeys(user.email for user in recipients if user.email))
