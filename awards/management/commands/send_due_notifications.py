"""Retry the outbox's failed messages whose retry time has come (run it every few minutes, e.g.
from cron or a systemd timer beside ``db_worker``)."""

from django.core.management.base import BaseCommand

from awards.services.notifications.delivery import deliver_due


class Command(BaseCommand):
    help = "Send the notification outbox's due retries."

    def handle(self, *args, **options):
        counts = deliver_due()
        self.stdout.write(
            ", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or "0"
        )
