"""Computing a cycle's results in the background, with progress the officials' page can show.

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
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Cycle
from awards.services.audit import record
from scoring.models import ComputationStatus, ComputationStep, ResultComputation
from scoring.services.results import (
    MissingScorecardsError,
    compute_cycle_results,
    missing_scorecards,
)
from scoring.services.results_settings import cycle_setup

__all__ = [
    "STALE_COMPUTATION_AFTER",
    "is_under_way",
    "progress_writer",
    "request_computation",
    "run_computation",
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


def request_computation(*, cycle: Cycle, by, accept_partial: bool = False) -> ResultComputation:
    """Check what can be checked at once, then queue the cycle's computation.

    Raises the ``ValidationError`` of ``cycle_setup`` for an unusable configuration,
    ``MissingScorecardsError`` for missing scorecards unless ``accept_partial``, and a
    ``ValidationError`` while another computation of the cycle is under way; nothing is created
    then. A computation unfinished after ``STALE_COMPUTATION_AFTER`` is marked failed and does not
    block a new one. The task is enqueued when the transaction commits (with the immediate
    backend it has run by the time this returns outside a transaction).
    """
    cycle_setup(cycle=cycle)
    if not accept_partial:
        missing = missing_scorecards(cycle=cycle)
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
            cycle=cycle, requested_by=by, accept_partial=accept_partial
        )
        record(
            actor=by,
            action="request_results_computation",
            target=computation,
            accept_partial=accept_partial,
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
    record(actor=by, action="abandon_results_computation", target=computation, errors=[message])


def _enqueue(computation_id: int) -> None:
    from scoring.tasks import compute_results_task

    compute_results_task.enqueue(computation_id)


def run_computation(*, computation: ResultComputation) -> ResultComputation:
    """Run a queued computation to its end, writing its progress to the row as it goes.

    Ends as done (progress 100, the new snapshot) or failed: a ``ValidationError`` of the
    computation gives its messages; any other exception a general message naming its type, and
    is raised again so the task backend records it. A computation that is no longer queued (run
    already, or abandoned as stale) is returned untouched.
    """
    started = ResultComputation.objects.filter(
        pk=computation.pk, status=ComputationStatus.QUEUED
    ).update(
        status=ComputationStatus.RUNNING,
        step=ComputationStep.LOADING,
        progress=0,
        started_at=timezone.now(),
    )
    if not started:
        logger.warning("Result computation %s is not queued; not run again.", computation.pk)
        computation.refresh_from_db()
        return computation
    try:
        snapshot = compute_cycle_results(
            cycle=computation.cycle,
            by=computation.requested_by,
            accept_partial=computation.accept_partial,
            progress=progress_writer(computation),
        )
    except ValidationError as error:
        _fail(computation, list(error.messages))
        return computation
    except Exception as error:
        message = _("计算意外中断（%(error)s），请稍后重试；如仍失败，请联系系统管理员。") % {
            "error": type(error).__name__
        }
        _fail(computation, [message])
        raise
    ResultComputation.objects.filter(pk=computation.pk).update(
        status=ComputationStatus.DONE,
        step=ComputationStep.FINISHED,
        progress=100,
        snapshot=snapshot,
        errors=[],
        finished_at=timezone.now(),
    )
    computation.refresh_from_db()
    return computation


def progress_writer(computation: ResultComputation) -> Callable[[str, int], None]:
    """The ``progress(step, percent)`` callback: each change is written to the row at once.

    The percentage is kept within 0–100 and an unknown step keeps the previous one; a call that
    changes nothing writes nothing.
    """
    last = [(str(ComputationStep.LOADING), 0)]  # what ``run_computation`` wrote on starting

    def progress(step: str, percent: int) -> None:
        known = step if step in ComputationStep.values else last[0][0]
        value = (str(known), max(0, min(100, int(percent))))
        if value == last[0]:
            return
        ResultComputation.objects.filter(pk=computation.pk).update(step=value[0], progress=value[1])
        last[0] = value

    return progress


def _fail(computation: ResultComputation, errors: list[str]) -> None:
    ResultComputation.objects.filter(pk=computation.pk).update(
        status=ComputationStatus.FAILED, errors=errors, finished_at=timezone.now()
    )
    computation.refresh_from_db()
    record(
        actor=computation.requested_by,
        action="fail_results_computation",
        target=computation,
        errors=errors,
    )
