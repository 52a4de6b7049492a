"""Running a queued results computation to its end in the task worker, writing each step and
percentage to its row so that the officials' page can follow it (see ``runs`` for the request)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.services.audit import record
from scoring.results.models import ComputationStatus, ComputationStep, ResultComputation
from scoring.results.services.computation import compute_cycle_results

logger = logging.getLogger(__name__)


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
            track=computation.track,
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
        action=AuditAction.FAIL_RESULTS_COMPUTATION,
        target=computation,
        errors=errors,
    )
