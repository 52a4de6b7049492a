"""The tests' calendar: every date a factory or a test builds is relative to the clock's now.

The suite must pass whatever the machine's clock says, so no test data names a calendar date
that will one day be past. Factories ask these helpers at build time. A test whose dates are
calendar facts (a Tuesday, a weekend inside a notice period) states its day and sets the clock
there first, e.g. ``pytestmark = pytest.mark.time_machine(clock.at(dt.date(2026, 11, 20), 10))``
(time-machine's marker; the clock then runs from there), so the factories follow it too.
All dates are Beijing dates (Asia/Shanghai), as the portal's are.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    """The current moment in Beijing time."""
    return timezone.localtime(timezone.now(), SHANGHAI)


def today() -> dt.date:
    """Today's date in Beijing."""
    return now().date()


def days_from_today(days: int) -> dt.date:
    """The Beijing date ``days`` days from today (negative: in the past)."""
    return today() + dt.timedelta(days=days)


def at(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    """``day`` at ``hour:minute`` Beijing time, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def written(day: dt.date) -> str:
    """``day`` as the pages write it in Chinese: 2026年3月9日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"
