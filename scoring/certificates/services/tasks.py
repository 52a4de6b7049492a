"""Background task of the certificates feature (Django's ``django.tasks``): it gathers its input
and calls one service."""

from django.tasks import task

from scoring.certificates.models import CertificateBatch
from scoring.certificates.services.printing import render_certificate_batch


@task
def render_certificate_batch_task(batch_id: int) -> int:
    """Print the certificates of one batch; returns how many are printed."""
    batch = CertificateBatch.objects.select_related("cycle", "started_by").get(pk=batch_id)
    return render_certificate_batch(batch=batch).done
