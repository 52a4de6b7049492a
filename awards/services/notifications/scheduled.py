"""Messages nobody's action triggers, only the clock: the reminder before the application
deadline. Run by ``manage.py send_scheduled_notifications`` (hourly); each reminder's dedupe
key names the deadline, so running it again (or a moved deadline's old one) sends nothing twice.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from awards.enums import ApplicationStatus, CycleStatus
from awards.models import Application
from awards.services.notifications.audiences import local_text, path_or_portal, to_applicant

#: How long before the application deadline applicants who have not submitted are reminded.
DEADLINE_REMINDER_AHEAD = dt.timedelta(days=3)


def remind_application_deadlines(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    horizon = now + DEADLINE_REMINDER_AHEAD
    pending = (
        Application.objects.filter(
            cycle__status=CycleStatus.OPEN,
            status__in=[ApplicationStatus.DRAFT, ApplicationStatus.RETURNED],
        )
        .filter(
            Q(cycle__deadline_extended_until__isnull=False, cycle__deadline_extended_until__gt=now)
            | Q(cycle__deadline_extended_until__isnull=True, cycle__application_deadline__gt=now)
        )
        .select_related("cycle__programme", "organization")
        .order_by("pk")
    )
    count = 0
    for application in pending:
        deadline = application.cycle.effective_deadline
        if deadline > horizon:
            continue
        to_applicant(
            "application.deadline_reminder",
            application=application,
            key=f"deadline:{deadline.isoformat()}",
            link=path_or_portal("awards:application_resume", pk=application.pk),
            deadline=local_text(deadline),
        )
        count += 1
    return count
