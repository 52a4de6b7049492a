"""Read helpers for the background computations of a cycle's results."""

from __future__ import annotations

from django.db.models import QuerySet

from awards.models import Cycle
from scoring.results.models import ResultComputation


def _computations() -> QuerySet[ResultComputation]:
    """With the requester and the snapshot, without the snapshot's heavy ``outputs``."""
    return ResultComputation.objects.select_related("requested_by", "snapshot").defer(
        "snapshot__outputs"
    )


def latest_computation(cycle: Cycle) -> ResultComputation | None:
    """The cycle's most recent computation."""
    return _computations().filter(cycle=cycle).order_by("-created_at", "-pk").first()


def reloaded_computation(computation: ResultComputation) -> ResultComputation:
    """The computation as it is now (a task may have moved it on since it was loaded)."""
    return _computations().get(pk=computation.pk)
