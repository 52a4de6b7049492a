"""Printing the certificates of a batch in the task worker, counting progress as it goes."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from awards.audit_actions import AuditAction
from awards.services.audit import record
from scoring.certificates.models import Certificate, CertificateBatch
from scoring.certificates.services import messages
from scoring.certificates.services.certificates import certificates_of
from scoring.certificates.services.documents import certificate_file_name, render_certificate_pdf


def render_certificate_batch(*, batch: CertificateBatch) -> CertificateBatch:
    """Print every unprinted certificate of the batch's cycle, one by one, counting progress.

    Each PDF is stored in the private storage and counted in ``batch.done`` as soon as it is
    saved, so the officials' page shows the progress. A failure stops the batch with its error.
    """
    pending = list(
        certificates_of(batch.cycle).filter(pdf="", award__revoked_at__isnull=True).order_by("pk")
    )
    try:
        for certificate in pending:
            content = render_certificate_pdf(certificate=certificate)
            certificate.pdf.save(
                certificate_file_name(certificate), ContentFile(content), save=False
            )
            Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
            CertificateBatch.objects.filter(pk=batch.pk).update(done=F("done") + 1)
    except Exception as error:  # noqa: BLE001 - any failure is shown on the batch, not lost
        CertificateBatch.objects.filter(pk=batch.pk).update(
            error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        raise
    CertificateBatch.objects.filter(pk=batch.pk).update(finished_at=timezone.now())
    batch.refresh_from_db()
    record(
        actor=batch.started_by,
        action=AuditAction.CERTIFICATES_PRINTED,
        target=batch,
        done=batch.done,
    )
    messages.certificates_ready([certificate.pk for certificate in pending])
    return batch
