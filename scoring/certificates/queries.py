"""Who may reach which certificate: officials of the awarding authority, and the award's holder.

Officials see the cycles and certificates of their own authority (superusers all); an applicant
sees the certificate of their own organization's award while it is not revoked. Everyone else
gets an empty queryset, so views answer 404.
"""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet

from awards.models import Cycle
from awards.permissions.rules import is_applicant, is_official_or_admin, scope_to_authority
from scoring.certificates.models import Certificate, CertificateBatch

_DETAILS = (
    "award__application__organization",
    "award__application__candidate",
    "award__snapshot__cycle__programme__authority",
)


def certificate_cycles_for(user) -> QuerySet[Cycle]:
    """Cycles of the official's authority that have announced awards, with counts.

    ``award_count`` (awards not revoked), ``certificate_count`` and ``printed_count``.
    """
    queryset = scope_to_authority(
        Cycle.objects.select_related("programme__authority"), user, "programme__authority"
    )
    live = Q(snapshots__awards__revoked_at__isnull=True)
    return (
        queryset.annotate(
            award_count=Count("snapshots__awards", filter=live, distinct=True),
            certificate_count=Count("snapshots__awards__certificate", distinct=True),
            printed_count=Count(
                "snapshots__awards__certificate",
                filter=~Q(snapshots__awards__certificate__pdf=""),
                distinct=True,
            ),
            last_announced=Max("snapshots__awards__announced_at"),
        )
        .filter(last_announced__isnull=False)
        .order_by("-last_announced", "programme__name", "-edition")
    )


def certificates_for(user) -> QuerySet[Certificate]:
    """Certificates whose file ``user`` may download."""
    queryset = Certificate.objects.select_related(*_DETAILS)
    if is_official_or_admin(user):
        return scope_to_authority(queryset, user, "award__snapshot__cycle__programme__authority")
    if is_applicant(user):
        return queryset.filter(
            award__application__organization_id=user.organization_id,
            award__revoked_at__isnull=True,
        )
    return queryset.none()


def latest_batch(cycle: Cycle) -> CertificateBatch | None:
    return CertificateBatch.objects.filter(cycle=cycle).order_by("-started_at", "-pk").first()
