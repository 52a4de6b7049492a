"""The progress of a cycle's background results computation, for its page and as JSON.

The cycle page (``CycleResultsView``) shows the latest computation; its script polls
``ComputationProgressView`` until the computation has finished. The endpoint has the cycle
page's scope: officials of the cycle's authority (and superusers); anyone else gets a 404.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import reverse

from awards.queries import cycles_for
from scoring.results.models import ComputationStatus, ResultComputation
from scoring.results.queries.runs import latest_computation
from scoring.review.admin_views.base import OfficialView


def computation_progress(computation: ResultComputation | None) -> dict:
    """What the progress block shows, for the page and the JSON endpoint alike."""
    if computation is None:
        return {
            "started": False,
            "status": "",
            "status_label": "",
            "step": "",
            "step_label": "",
            "percent": 0,
            "finished": True,
            "failed": False,
            "errors": [],
            "version": None,
            "ranking_url": None,
        }
    snapshot = computation.snapshot if computation.snapshot_id else None
    return {
        "started": True,
        "status": str(computation.status),
        "status_label": str(computation.get_status_display()),
        "step": str(computation.step),
        "step_label": str(computation.get_step_display()),
        "percent": computation.progress,
        "finished": computation.finished,
        "failed": computation.status == ComputationStatus.FAILED,
        "errors": [str(message) for message in computation.errors],
        "version": snapshot.version if snapshot else None,
        "ranking_url": reverse("cycle_results:ranking", args=[snapshot.pk]) if snapshot else None,
    }


class ComputationProgressView(OfficialView):
    """GET: the latest computation's progress of the cycle as JSON (never cached)."""

    scope = staticmethod(cycles_for)

    def get(self, request, pk):
        response = JsonResponse(computation_progress(latest_computation(self.object)))
        response["Cache-Control"] = "no-store"
        return response
