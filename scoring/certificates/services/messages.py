"""What the certificates tell the winners (one call, from ``printing``)."""

from __future__ import annotations

from awards.services.notifications.audiences import to_applicant
from scoring.certificates.models import Certificate


def certificates_ready(certificate_ids: list[int]) -> None:
    certificates = Certificate.objects.filter(pk__in=certificate_ids).select_related(
        "award__application__organization", "award__application__cycle__programme"
    )
    for certificate in certificates.order_by("pk"):
        to_applicant(
            "certificates.ready",
            application=certificate.award.application,
            key=f"certificate:{certificate.pk}",
            serial=certificate.serial,
        )
