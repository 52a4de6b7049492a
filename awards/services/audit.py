from django.db import models

from awards.models import AuditEntry


def record(*, actor, action: str, target: models.Model, **details) -> AuditEntry:
    """Append one entry to the audit log; services call this for every state change."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:200],
        details=details,
    )
