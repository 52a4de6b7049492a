"""Background tasks (Django's ``django.tasks``). Each gathers its input and calls one service."""

from django.tasks import task

from scoring.models import CertificateBatch, ResultComputation
from scoring.services.certificates import render_certificate_batch
from scoring.services.results_runs import run_computation


@task
def render_certificate_batch_task(batch_id: int) -> int:
    """Print the certificates of one batch; returns how many are printed."""
    batch = CertificateBatch.objects.select_related("cycle", "started_by").get(pk=batch_id)
    return render_certificate_batch(batch=batch).done


@task
def compute_results_task(computation_id: int) -> str:
    """Compute a cycle's results for one request; returns how it ended (done or failed)."""
    computation = ResultComputation.objects.select_related("cycle", "requested_by").get(
        pk=computation_id
    )
    return run_computation(computation=computation).status
