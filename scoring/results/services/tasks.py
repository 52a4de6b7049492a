"""Background task of the results feature (Django's ``django.tasks``): it gathers its input and
calls one service."""

from django.tasks import task

from scoring.results.models import ResultComputation
from scoring.results.services.running import run_computation


@task
def compute_results_task(computation_id: int) -> str:
    """Compute a cycle's results for one request; returns how it ended (done or failed)."""
    computation = ResultComputation.objects.select_related("cycle", "requested_by").get(
        pk=computation_id
    )
    return run_computation(computation=computation).status
