"""The words of each event: an authority's own template, or the catalogue's default."""

from __future__ import annotations

from django.db import transaction

from awards.audit_actions import AuditAction
from awards.models.notifications import MessageTemplate
from awards.permissions.rules import require_authority
from awards.services.audit import record
from awards.services.notifications.catalogue import Event, get_event
from awards.services.notifications.rendering import check_template


def wording(event: Event, authority_id: int | None) -> tuple[str, str]:
    """The subject and body templates that apply: the authority's own, else the default."""
    if authority_id is not None:
        own = MessageTemplate.objects.filter(authority_id=authority_id, event=event.code).first()
        if own is not None:
            return own.subject, own.body
    return str(event.subject), str(event.body)


def save_template(*, authority, event: str, subject: str, body: str, by) -> MessageTemplate:
    """An authority's own wording of an event, checked against the event's sample first."""
    spec = get_event(event)
    require_authority(by, authority.pk)
    check_template(subject=subject, body=body, sample={"link": "", "name": "", **spec.sample})
    with transaction.atomic():
        template, _created = MessageTemplate.objects.update_or_create(
            authority=authority,
            event=spec.code,
            defaults={"subject": subject.strip(), "body": body, "updated_by": by},
        )
        record(actor=by, action=AuditAction.EDIT_MESSAGE_TEMPLATE, target=template, event=event)
    return template


def reset_template(*, authority, event: str, by) -> None:
    """Back to the catalogue's default wording."""
    spec = get_event(event)
    require_authority(by, authority.pk)
    with transaction.atomic():
        template = MessageTemplate.objects.filter(authority=authority, event=spec.code).first()
        if template is None:
            return
        record(actor=by, action=AuditAction.RESET_MESSAGE_TEMPLATE, target=template, event=event)
        template.delete()
