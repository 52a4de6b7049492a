"""The notice period (公示期): China's official working days, Beijing dates and what the period
allows today.

Pure functions over dates and a ``PublicNotice``'s fields: no queries, and no clock except
``local_today`` when it is given no time. A period is counted in official working days (工作日):
Monday to Friday except the public holidays, plus the weekend days declared working days to make
up for them (调休). The years the ``chinesecalendar`` package knows come from it; for a later
year an official confirms its holidays and make-up days once (``HolidayYear``, passed in here as
``confirmed``); a period reaching into a year neither covers is refused
(:class:`UnconfirmedHolidayYear`) until someone confirms it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
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


@dataclasses.dataclass(frozen=True)
class YearCalendar:
    """One year's public holidays and weekend make-up working days (调休), as confirmed."""

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date] = frozenset()


class UnconfirmedHolidayYear(ValidationError):
    """The period reaches into ``year``, which neither chinesecalendar nor a confirmation knows."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _(
                "公示期延续到 %(year)s 年，系统还没有 %(year)s 年的法定节假日和调休安排，"
                "无法计算公示截止日期。请核对并确认 %(year)s 年的节假日安排后再发布公示。"
            )
            % {"year": year},
            code="unconfirmed_year",
        )


def chinese_calendar_knows(year: int) -> bool:
    """Whether the installed chinesecalendar has the official arrangement of ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def fixed_date_holidays(year: int) -> list[dt.date]:
    """The fixed-date holidays of ``year`` as customarily arranged, to prefill a confirmation:
    New Year's Day (1 Jan), Labour Day (1–5 May) and National Day (1–7 Oct). The lunar holidays
    (Spring Festival, Qingming, Dragon Boat, Mid-Autumn) and the make-up days must be entered."""
    days = [dt.date(year, 1, 1)]
    days += [dt.date(year, 5, day) for day in range(1, 6)]
    days += [dt.date(year, 10, day) for day in range(1, 8)]
    return days


def _assume_weekends_only() -> bool:
    """A test suite (or a demo) running at a clock beyond every known year may count unknown
    years as weekends only; never set in production, where such a year must be confirmed."""
    return getattr(settings, "NOTICE_CALENDAR_ASSUME_UNKNOWN_YEARS", False)


def is_working_day(day: dt.date, confirmed: Mapping[int, YearCalendar] | None = None) -> bool:
    """Whether ``day`` is an official working day in China (调休 included); raises
    :class:`UnconfirmedHolidayYear` for a year neither chinesecalendar nor ``confirmed`` knows."""
    if chinese_calendar_knows(day.year):
        return chinese_calendar.is_workday(day)
    year = (confirmed or {}).get(day.year)
    if year is None:
        if not _assume_weekends_only():
            raise UnconfirmedHolidayYear(day.year)
        return day.weekday() < 5
    if day in year.workdays:
        return True
    return day.weekday() < 5 and day not in year.holidays


def notice_period(
    *,
    starts_on: dt.date,
    working_days: int = DEFAULT_WORKING_DAYS,
    holidays: Iterable[dt.date | str] = (),
    confirmed: Mapping[int, YearCalendar] | None = None,
) -> dt.date:
    """The last day of a notice that starts on ``starts_on`` and lasts ``working_days`` official
    working days. The start day counts when it is a working day; weekends (except make-up
    working days), public holidays and the extra ``holidays`` listed never count. Pure: no
    database, no clock.

    >>> notice_period(starts_on=dt.date(2026, 12, 1))  # Tuesday; the weekend is skipped
    datetime.date(2026, 12, 7)
    >>> notice_period(starts_on=dt.date(2026, 9, 28))  # National Day: 1–7 October are off
    datetime.date(2026, 10, 9)
    """
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        raise ValidationError(
            _("公示期应为 1 至 %(max)d 个工作日。") % {"max": MAX_WORKING_DAYS},
            code="working_days",
        )
    days_off = set(parse_holidays(holidays))
    day, counted = starts_on, 0
    while True:
        if day not in days_off and is_working_day(day, confirmed):
            counted += 1
            if counted == working_days:
                return day
        day += dt.timedelta(days=1)


def days_off_within(
    starts_on: dt.date, ends_on: dt.date, confirmed: Mapping[int, YearCalendar] | None = None
) -> list[dt.date]:
    """The weekdays (Monday–Friday) between the two dates that are not working days: what the
    notice records as its holidays."""
    days, day = [], starts_on
    while day <= ends_on:
        if day.weekday() < 5 and not is_working_day(day, confirmed):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


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
