"""What the publication tells people (one call per event, from ``notices``)."""

from __future__ import annotations

from awards.models import Application
from awards.services.notifications.audiences import (
    application_context,
    local_text,
    path_or_portal,
    to_applicant,
    to_officials,
)
from scoring.publication.models import Award, Objection, PublicNotice


def _applications(ids) -> list[Application]:
    return list(
        Application.objects.filter(pk__in=list(ids))
        .select_related("organization", "candidate", "cycle__programme")
        .order_by("pk")
    )


def notice_opened(notice: PublicNotice) -> None:
    listed = notice.snapshot.entries.exclude(level="").values_list("application_id", flat=True)
    for application in _applications(listed):
        to_applicant(
            "publication.notice_opened",
            application=application,
            key=f"notice:{notice.pk}",
            starts=notice.starts_on.isoformat(),
            ends=notice.ends_on.isoformat(),
        )


def objection_received(objection: Objection) -> None:
    cycle = objection.notice.snapshot.cycle
    to_officials(
        "publication.objection_received",
        authority_id=cycle.programme.authority_id,
        key=f"objection:{objection.pk}",
        link=path_or_portal("publication:objection", pk=objection.pk),
        cycle=str(cycle),
        **(
            application_context(objection.application)
            if objection.application_id
            else {"organization": "", "application": "", "candidate": ""}
        ),
        submitted_at=local_text(objection.submitted_at),
    )


def objection_resolved(objection: Objection) -> None:
    if not objection.application_id:
        return
    to_applicant(
        "publication.objection_resolved",
        application=objection.application,
        key=f"objection:{objection.pk}:{objection.resolved_at.isoformat()}",
        outcome=objection.get_outcome_display(),
        resolution=objection.resolution,
    )


def results_announced(notice: PublicNotice, awards: list[Award]) -> None:
    levels = {award.application_id: award.level for award in awards}
    entries = notice.snapshot.entries.values_list("application_id", flat=True)
    for application in _applications(entries):
        to_applicant(
            "publication.results_announced",
            application=application,
            key=f"announced:{notice.pk}",
            announced=local_text(notice.announced_at),
            level=levels.get(application.pk, ""),
        )


def award_revoked(award: Award) -> None:
    to_applicant(
        "publication.award_revoked",
        application=award.application,
        key=f"revoked:{award.pk}",
        level=award.level,
        reason=award.revocation_reason,
    )
