"""The notice period (scoring/services/publication_period.py): pure date arithmetic."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from scoring.publication.services.period import notice_period


@pytest.mark.parametrize(
    ("starts_on", "working_days", "ends_on"),
    [
        (dt.date(2026, 12, 1), 5, dt.date(2026, 12, 7)),  # Tue → Mon, over one weekend
        (dt.date(2026, 12, 4), 5, dt.date(2026, 12, 10)),  # Fri → Thu
        (dt.date(2026, 12, 5), 5, dt.date(2026, 12, 11)),  # Sat: counting starts Monday
        (dt.date(2026, 12, 5), 1, dt.date(2026, 12, 7)),
        (dt.date(2026, 12, 1), 1, dt.date(2026, 12, 1)),  # the start day counts
        (dt.date(2026, 12, 1), 10, dt.date(2026, 12, 14)),  # two weekends
    ],
)
def test_notice_period_skips_weekends(starts_on, working_days, ends_on):
    assert notice_period(starts_on=starts_on, working_days=working_days, holidays=()) == ends_on


def test_notice_period_defaults_to_five_working_days():
    assert notice_period(starts_on=dt.date(2026, 12, 1)) == dt.date(2026, 12, 7)


def test_notice_period_skips_listed_holidays_as_dates_or_iso_strings():
    national_day = [dt.date(2026, 10, day) for day in range(1, 8)]
    # Mon 28, Tue 29, Wed 30 Sep; 1–7 Oct off (Thu–Wed); Thu 8, Fri 9 Oct.
    assert notice_period(
        starts_on=dt.date(2026, 9, 28), working_days=5, holidays=national_day
    ) == dt.date(2026, 10, 9)
    assert notice_period(
        starts_on=dt.date(2026, 9, 28),
        working_days=5,
        holidays=[day.isoformat() for day in national_day],
    ) == dt.date(2026, 10, 9)


def test_a_holiday_on_a_weekend_changes_nothing():
    assert notice_period(
        starts_on=dt.date(2026, 12, 1), working_days=5, holidays=["2026-12-05", "2026-12-06"]
    ) == dt.date(2026, 12, 7)


def test_notice_period_refuses_nonsense():
    with pytest.raises(ValidationError) as zero:
        notice_period(starts_on=dt.date(2026, 12, 1), working_days=0)
    assert zero.value.messages == ["公示期应为 1 至 60 个工作日。"]
    with pytest.raises(ValidationError) as bad_day:
        notice_period(starts_on=dt.date(2026, 12, 1), holidays=["2026-13-01"])
    assert bad_day.value.messages == [
        "节假日“2026-13-01”不是有效日期，请按 2026-10-01 的格式填写。"
    ]
