"""Issuing a cycle's certificates: one per live award, printed by a background batch."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import Cycle
from awards.permissions.rules import require_authority
from awards.services.audit import record
from scoring.certificates.models import Certificate, CertificateBatch
from scoring.certificates.services.certificates import certificate_serial
from scoring.certificates.services.tasks import render_certificate_batch_task
from scoring.publication.models import Award

#: An unfinished batch older than this is taken as dead (its worker stopped) and may be replaced.
STALE_BATCH_AFTER = timedelta(hours=1)


def running_batch(cycle: Cycle) -> CertificateBatch | None:
    """An unfinished batch started recently; a batch silent for longer is taken as dead."""
    since = timezone.now() - STALE_BATCH_AFTER
    return (
        CertificateBatch.objects.filter(
            cycle=cycle, finished_at__isnull=True, error="", started_at__gte=since
        )
        .order_by("-started_at")
        .first()
    )


def issue_certificates(*, cycle: Cycle, by, issued_on: date | None = None) -> CertificateBatch:
    """Create a certificate for every award of ``cycle`` that is not revoked, then print them.

    A certificate is dated like the commendation decision (the award's announcement, Beijing
    time) unless ``issued_on`` is given. Idempotent: an award that has a certificate keeps it
    (serial, date and PDF). The PDFs are rendered by a background task once this transaction
    commits; the returned batch shows its progress. While a batch of the cycle is still running,
    that batch is returned instead of starting another. Refuses officials of other authorities
    (``PermissionDenied``) and cycles without live awards (``ValidationError``).
    """
    require_authority(by, cycle.programme.authority_id)
    with transaction.atomic():
        Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
        running = running_batch(cycle)
        if running is not None:
            return running
        awards = list(
            Award.objects.filter(snapshot__cycle=cycle, revoked_at__isnull=True)
            .select_related("snapshot__cycle__programme", "application__organization")
            .order_by("pk")
        )
        if not awards:
            raise ValidationError(
                _("该届次尚未发布表彰结果（或奖项均已撤销），没有可颁发的证书。"), code="no_awards"
            )
        having = set(
            Certificate.objects.filter(award__in=awards).values_list("award_id", flat=True)
        )
        new = [
            Certificate(
                award=award,
                serial=certificate_serial(award=award),
                issued_on=issued_on or timezone.localdate(award.announced_at),
            )
            for award in awards
            if award.pk not in having
        ]
        Certificate.objects.bulk_create(new)
        printed = Certificate.objects.filter(award__in=awards).exclude(pdf="").count()
        batch = CertificateBatch.objects.create(
            cycle=cycle, total=len(awards), done=printed, started_by=by
        )
        record(
            actor=by,
            action=AuditAction.ISSUE_CERTIFICATES,
            target=batch,
            created=[certificate.serial for certificate in new],
            total=len(awards),
        )
        transaction.on_commit(lambda: _enqueue_batch(batch.pk))
    return batch


def _enqueue_batch(batch_id: int) -> None:
    render_certificate_batch_task.enqueue(batch_id)
