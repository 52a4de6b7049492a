"""Queue an event's messages (``notify``), and what people do with them afterwards.

``notify`` is called inside the service's transaction: the rows are written with it (and vanish
with it on a rollback), and only after the commit are e-mail and SMS rows handed to the task
worker, so nothing is ever sent for a change that did not happen. Each row carries a dedupe key
(event, the event's own key, channel, recipient): calling ``notify`` twice for the same event
queues nothing the second time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.enums import Role
from awards.models import User
from awards.models.notifications import (
    Channel,
    DeliveryStatus,
    Notification,
)
from awards.permissions.rules import require_authority
from awards.services.audit import record
from awards.services.notifications.catalogue import Event, get_event
from awards.services.notifications.rendering import render_text
from awards.services.notifications.templates import wording

Recipient = User | str


def absolute(path: str) -> str:
    """A portal path as the full address a message needs."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def organization_users(organization_id: int) -> list[User]:
    """An applying organization's active users, each message recipient once."""
    return list(User.objects.filter(organization_id=organization_id, is_active=True).order_by("pk"))


def authority_officials(authority_id: int) -> list[User]:
    return list(
        User.objects.filter(role=Role.OFFICIAL, authority_id=authority_id, is_active=True).order_by(
            "pk"
        )
    )


def _key(*parts: Any) -> str:
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()


def _channels(event: Event, recipient: Recipient) -> list[tuple[str, str]]:
    if isinstance(recipient, str):
        return [(Channel.EMAIL, recipient)] if recipient else []
    channels = []
    if recipient.email:
        channels.append((Channel.EMAIL, recipient.email))
    if event.sms and recipient.phone:
        channels.append((Channel.SMS, recipient.phone))
    if event.portal:
        channels.append((Channel.PORTAL, ""))
    return channels


def notify(
    *,
    event: str,
    key: Any,
    recipients: Iterable[Recipient],
    context: dict[str, Any],
    authority_id: int | None = None,
    link: str = "",
) -> list[Notification]:
    """Queue ``event`` for each recipient (a user, or a bare e-mail address) on each of their
    channels, once per ``key`` (what makes this occurrence of the event unique: the
    application's id and version, the stage's window …). Returns the rows queued now."""
    return notify_each(
        event=event,
        authority_id=authority_id,
        items=[(recipient, key, context, link) for recipient in recipients],
    )


def notify_each(
    *,
    event: str,
    items: Iterable[tuple[Recipient, Any, dict[str, Any], str]],
    authority_id: int | None = None,
) -> list[Notification]:
    """``notify`` for many occurrences at once, each (recipient, key, context, link), in a fixed
    number of queries (an automatic assignment tells every reviewer of every panel)."""
    spec = get_event(event)
    subject_source, body_source = wording(spec, authority_id)
    rows: dict[str, Notification] = {}
    for recipient, key, context, link in items:
        user = None if isinstance(recipient, str) else recipient
        if user is not None and not user.is_active:
            continue
        values = {"link": link, **context}
        if user is not None:
            values.setdefault("name", user.get_full_name() or user.username)
        subject = render_text(subject_source, values).strip()[:300]
        body = render_text(body_source, values)
        for channel, address in _channels(spec, recipient):
            # An address shared by two recipients gets one e-mail.
            who = address.lower() if channel == Channel.EMAIL or user is None else user.pk
            dedupe = _key(event, key, channel, who)
            if dedupe in rows:
                continue
            now = timezone.now() if channel == Channel.PORTAL else None
            rows[dedupe] = Notification(
                event=event,
                authority_id=authority_id,
                recipient=user,
                address=address,
                channel=channel,
                subject=subject,
                body=body,
                link=link,
                status=DeliveryStatus.SENT if now else DeliveryStatus.QUEUED,
                sent_at=now,
                dedupe_key=dedupe,
            )
    if not rows:
        return []
    known = set(
        Notification.objects.filter(dedupe_key__in=list(rows)).values_list("dedupe_key", flat=True)
    )
    fresh = [row for key_, row in rows.items() if key_ not in known]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    queued = list(
        Notification.objects.filter(
            dedupe_key__in=[row.dedupe_key for row in fresh], status=DeliveryStatus.QUEUED
        ).values_list("pk", flat=True)
    )
    if queued:
        transaction.on_commit(lambda: _enqueue(queued))
    return fresh


def _enqueue(ids: list[int]) -> None:
    from awards.services.notifications.tasks import deliver_notification

    for pk in ids:
        deliver_notification.enqueue(pk)


def retry(*, notification: Notification, by) -> Notification:
    """An official sends a failed message again now (audited)."""
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        require_authority(by, locked.authority_id)
        if locked.status != DeliveryStatus.FAILED:
            from django.core.exceptions import ValidationError

            raise ValidationError(_("只有发送失败的消息可以重新发送。"))
        locked.status = DeliveryStatus.QUEUED
        locked.next_attempt_at = None
        locked.save(update_fields=["status", "next_attempt_at"])
        record(actor=by, action=AuditAction.RETRY_NOTIFICATION, target=locked, event=locked.event)
        transaction.on_commit(lambda: _enqueue([locked.pk]))
    return locked


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's portal notices read (all, or those in ``ids``); returns how many."""
    rows = Notification.objects.filter(recipient=user, channel=Channel.PORTAL, read_at=None)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
