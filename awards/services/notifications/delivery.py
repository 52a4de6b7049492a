"""Send one queued outbox row; on failure record why and when to try again.

The delay doubles from ``RETRY_BASE`` at each failure up to ``MAX_ATTEMPTS``; after that the row
stays failed until an official sends it again from the console.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.utils import timezone

from awards.models.notifications import Channel, DeliveryStatus, Notification
from awards.services.notifications.sms import sms_backend

MAX_ATTEMPTS = 6
RETRY_BASE = dt.timedelta(minutes=1)


def backoff(attempts: int) -> dt.timedelta:
    return RETRY_BASE * (2 ** max(attempts - 1, 0))


def _send(row: Notification) -> None:
    if row.channel == Channel.EMAIL:
        message = EmailMessage(
            subject=row.subject,
            body=row.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[row.address],
        )
        mailers.default.send_messages([message])
    elif row.channel == Channel.SMS:
        text = row.subject + (f" {row.link}" if row.link else "")
        sms_backend().send(phone=row.address, text=text)


def deliver(*, notification_id: int) -> str:
    """Send the row unless it is sent already (a task may run twice); returns its status."""
    with transaction.atomic():
        row = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if row is None or row.status == DeliveryStatus.SENT:
            return row.status if row else "missing"
        row.attempts += 1
        try:
            _send(row)
        except Exception as error:  # noqa: BLE001 (a backend's failure of any kind)
            row.status = DeliveryStatus.FAILED
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            row.next_attempt_at = (
                timezone.now() + backoff(row.attempts) if row.attempts < MAX_ATTEMPTS else None
            )
        else:
            row.status = DeliveryStatus.SENT
            row.sent_at = timezone.now()
            row.next_attempt_at = None
        row.save(update_fields=["status", "attempts", "last_error", "next_attempt_at", "sent_at"])
        return row.status


def due_ids(now: dt.datetime | None = None) -> list[int]:
    """Failed rows whose retry time has come, and queued rows the worker never took (older than
    ten minutes: lost when a worker stopped)."""
    now = now or timezone.now()
    failed = Notification.objects.filter(status=DeliveryStatus.FAILED, next_attempt_at__lte=now)
    stuck = Notification.objects.filter(
        status=DeliveryStatus.QUEUED, created_at__lte=now - dt.timedelta(minutes=10)
    ).exclude(channel=Channel.PORTAL)
    return sorted(
        set(failed.values_list("pk", flat=True)) | set(stuck.values_list("pk", flat=True))
    )


def deliver_due(now: dt.datetime | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for pk in due_ids(now):
        status = deliver(notification_id=pk)
        counts[status] = counts.get(status, 0) + 1
    return counts
