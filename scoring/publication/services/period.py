"""The notice period (公示期): working days, Beijing dates and what the period allows today.

Pure functions over dates and a ``PublicNotice``'s fields: no queries, and no clock except
``local_today`` when it is given no time. A period is counted in working days: Saturdays,
Sundays and the listed holidays do not count. (Weekend make-up working days, 调休, are not
modelled: list the real holidays and the period may come out a day long around them.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.publication.models import PublicNotice

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_WORKING_DAYS = 5
MAX_WORKING_DAYS = 60


class NoticePhase(StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    ENDED = "ended"


def local_today(now: dt.datetime | None = None) -> dt.date:
    """The date in Beijing at ``now`` (default: the current time)."""
    return timezone.localtime(now or timezone.now(), SHANGHAI).date()


def parse_holidays(values: Iterable[dt.date | str]) -> list[dt.date]:
    """Dates from ISO strings or dates, sorted and without duplicates."""
    days = set()
    for value in values:
        if isinstance(value, dt.date):
            days.add(value)
            continue
        try:
            days.add(dt.date.fromisoformat(str(value).strip()))
        except ValueError:
            raise ValidationError(
                _("节假日“%(value)s”不是有效日期，请按 2026-10-01 的格式填写。")
                % {"value": str(value)[:20]},
                code="holiday",
            ) from None
    return sorted(days)


def notice_period(
    *,
    starts_on: dt.date,
    working_days: int = DEFAULT_WORKING_DAYS,
    holidays: Iterable[dt.date | str] = (),
) -> dt.date:
    """The last day of a notice that starts on ``starts_on`` and lasts ``working_days`` working
    days. The start day counts when it is a working day; Saturdays, Sundays and ``holidays`` never
    count. Pure: no database, no clock.

    >>> notice_period(starts_on=dt.date(2026, 12, 1))  # Tuesday; the weekend is skipped
    datetime.date(2026, 12, 7)
    """
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        raise ValidationError(
            _("公示期应为 1 至 %(max)d 个工作日。") % {"max": MAX_WORKING_DAYS},
            code="working_days",
        )
    days_off = set(parse_holidays(holidays))
    day, counted = starts_on, 0
    while True:
        if day.weekday() < 5 and day not in days_off:
            counted += 1
            if counted == working_days:
                return day
        day += dt.timedelta(days=1)


def notice_phase(notice: PublicNotice, *, today: dt.date) -> NoticePhase:
    if notice.announced_at is not None or today > notice.ends_on:
        return NoticePhase.ENDED
    if today < notice.starts_on:
        return NoticePhase.UPCOMING
    return NoticePhase.OPEN


def period_text(notice: PublicNotice) -> str:
    return _("公示期为 %(start)s 至 %(end)s") % {
        "start": notice.starts_on.isoformat(),
        "end": notice.ends_on.isoformat(),
    }


def objection_period_message(notice: PublicNotice, *, today: dt.date) -> str:
    """Why an objection cannot be received today; empty while the period is open."""
    phase = notice_phase(notice, today=today)
    if phase == NoticePhase.UPCOMING:
        return _("%(period)s，公示尚未开始，不能提交异议。") % {"period": period_text(notice)}
    if phase == NoticePhase.ENDED:
        return _("%(period)s，现已不在公示期内，不能提交异议。") % {"period": period_text(notice)}
    return ""
