"""Send the messages the clock triggers (run hourly, e.g. from cron): scoring windows opening
and closing, the application deadline reminder, and the outbox's due retries. Idempotent."""

from django.core.management.base import BaseCommand
from django.db import transaction

from awards.services.notifications.delivery import deliver_due
from awards.services.notifications.scheduled import remind_application_deadlines
from scoring.review.services.schedule import announce_scoring_windows


class Command(BaseCommand):
    help = "Queue scheduled notifications (windows, deadline reminders) and send due retries."

    def handle(self, *args, **options):
        with transaction.atomic():
            windows = announce_scoring_windows()
            deadlines = remind_application_deadlines()
        retried = deliver_due()
        self.stdout.write(
            f"windows: {windows}, deadline reminders: {deadlines}, retries: {sum(retried.values())}"
        )
