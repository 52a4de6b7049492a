"""The task worker's side of the outbox."""

from django.tasks import task

from awards.services.notifications.delivery import deliver, deliver_due


@task
def deliver_notification(notification_id: int) -> str:
    return deliver(notification_id=notification_id)


@task
def deliver_due_notifications() -> dict[str, int]:
    return deliver_due()
