"""Requesting the computation of a cycle's results in the background (``running`` runs it).

Computing a large cycle takes long enough that a web request should not wait for it. An
official's request is checked at once for what is quick to check (a usable configuration, no
missing scorecards unless partial data is accepted, no other computation of the cycle under
way), so a refusal is shown on the spot and nothing is created; then a ``ResultComputation`` is
stored and a task runs ``compute_cycle_results`` once the request's transaction commits. The
task writes each step and percentage to the row as it goes, so a polling page sees them, and
ends the row as done (with its snapshot) or failed (with messages for the official): a
computation never stays "running" because of an error in it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.enums import Track
from awards.models import Cycle
from awards.notes import note
from awards.permissions.rules import require_authority
from awards.services.audit import record
from scoring.results.models import ComputationStatus, ResultComputation
from scoring.results.services.computation import (
    MissingScorecardsError,
    check_no_stale_consensus,
    missing_scorecards,
)
from scoring.results.services.settings import cycle_setup
from scoring.results.services.tasks import compute_results_task

__all__ = [
    "STALE_COMPUTATION_AFTER",
    "is_under_way",
    "request_computation",
]

logger = logging.getLogger(__name__)

#: A computation queued or running for longer than this is taken as dead (its worker stopped).
STALE_COMPUTATION_AFTER = timedelta(minutes=15)
_UNFINISHED = (ComputationStatus.QUEUED, ComputationStatus.RUNNING)


def is_under_way(computation: ResultComputation | None, *, now: datetime | None = None) -> bool:
    """Queued or running, and recent enough not to be taken as dead."""
    if computation is None or computation.status not in _UNFINISHED:
        return False
    return computation.created_at > (now or timezone.now()) - STALE_COMPUTATION_AFTER


def request_computation(
    *, cycle: Cycle, by, accept_partial: bool = False, track: str = Track.ORGANIZATION
) -> ResultComputation:
    """Check what can be checked at once, then queue the cycle's computation.

    Raises the ``ValidationError`` of ``cycle_setup`` for an unusable configuration,
    ``MissingScorecardsError`` for missing scorecards unless ``accept_partial``, and a
    ``ValidationError`` while another computation of the cycle is under way; nothing is created
    then. A computation unfinished after ``STALE_COMPUTATION_AFTER`` is marked failed and does not
    block a new one. The task is enqueued when the transaction commits (with the immediate
    backend it has run by the time this returns outside a transaction). Refuses
    (``PermissionDenied``) anyone who does not act for the cycle's authority.
    """
    require_authority(by, cycle.programme.authority_id)
    cycle_setup(cycle=cycle, track=track)
    check_no_stale_consensus(cycle=cycle, track=track)
    if not accept_partial:
        missing = missing_scorecards(cycle=cycle, track=track)
        if missing:
            raise MissingScorecardsError(missing)
    with transaction.atomic():
        Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
        now = timezone.now()
        unfinished = list(
            ResultComputation.objects.filter(cycle=cycle, status__in=_UNFINISHED)
            .select_related("requested_by")
            .order_by("-created_at", "-pk")
        )
        for other in unfinished:
            if is_under_way(other, now=now):
                raise ValidationError(
                    _(
                        "本届已有一次结果计算正在进行（%(by)s 于 %(at)s 发起），"
                        "请等待其完成后再计算。"
                    )
                    % {
                        "by": other.requested_by,
                        "at": timezone.localtime(other.created_at).strftime("%Y-%m-%d %H:%M"),
                    },
                    code="computation_under_way",
                )
        for stale in unfinished:
            _abandon(stale, by=by, now=now)
        computation = ResultComputation.objects.create(
            cycle=cycle, requested_by=by, accept_partial=accept_partial, track=track
        )
        record(
            actor=by,
            action=AuditAction.REQUEST_RESULTS_COMPUTATION,
            target=computation,
            accept_partial=accept_partial,
            track=track,
            replaced=[stale.pk for stale in unfinished],
        )
        transaction.on_commit(lambda: _enqueue(computation.pk))
    return computation


def _abandon(computation: ResultComputation, *, by, now: datetime) -> None:
    minutes = int(STALE_COMPUTATION_AFTER.total_seconds() // 60)
    message = _("计算超过 %(minutes)s 分钟仍未完成，已视为中断。") % {"minutes": minutes}
    ResultComputation.objects.filter(pk=computation.pk, status__in=_UNFINISHED).update(
        status=ComputationStatus.FAILED, errors=[message], finished_at=now
    )
    record(
        actor=by,
        action=AuditAction.ABANDON_RESULTS_COMPUTATION,
        target=computation,
        errors=[message],
        summary=note("computation_abandoned", minutes=minutes),
    )


def _enqueue(computation_id: int) -> None:
    compute_results_task.enqueue(computation_id)
