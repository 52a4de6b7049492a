from django.db import models

from awards.audit_actions import AuditAction
from awards.models import AuditEntry


def record(*, actor, action: AuditAction, target: models.Model, **details) -> AuditEntry:
    """Append one entry to the audit log; services call this for every state change.

    Only a member of :class:`AuditAction` is accepted, not a bare string (even a known one), so
    every action in the log is declared, labelled and findable in one place. An unsaved
    ``target`` (a login attempt for a username nobody has) is recorded without a number."""
    if not isinstance(action, AuditAction):
        raise ValueError(
            f"unknown audit action {action!r}: pass a member of awards.audit_actions.AuditAction"
        )
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id="" if target.pk is None else str(target.pk),
        target_label=str(target)[:200],
        details=details,
    )
