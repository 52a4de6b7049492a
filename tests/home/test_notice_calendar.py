"""The notice period counts China's official working days: public holidays and weekend make-up
working days (调休) from chinesecalendar for the years it knows (to 2026); a later year is asked
for, confirmed once by an official (prefilled with its fixed-date holidays) and used afterwards.
The end date is previewed on the open-notice form before the notice opens.

Each test sets the clock (time-machine) to the day it is about; the suite's setting that counts
unknown years as weekends only is switched off here."""

import datetime as dt

import chinese_calendar
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from awards.models import AuditEntry
from home.models import ResultsNoticePage
from scoring.publication.models import HolidayYear, PublicNotice
from scoring.publication.services.notices import open_public_notice, preview_notice_end
from scoring.publication.services.period import (
    UnconfirmedHolidayYear,
    YearCalendar,
    notice_period,
)
from tests import clock
from tests.home.results_helpers import build_results_world

UNCONFIRMED_2027 = (
    "公示期延续到 2027 年，系统还没有 2027 年的法定节假日和调休安排，无法计算公示截止日期。"
    "请核对并确认 2027 年的节假日安排后再发布公示。"
)
PREFILLED_2027 = "\n".join(
    ["2027-01-01"]
    + [f"2027-05-0{day}" for day in range(1, 6)]
    + [f"2027-10-0{day}" for day in range(1, 8)]
)


@pytest.fixture(autouse=True)
def real_calendar(settings):
    settings.NOTICE_CALENDAR_ASSUME_UNKNOWN_YEARS = False


@pytest.fixture
def world(home_page):
    return build_results_world(home_page)


def open_url(world) -> str:
    return reverse("publication:open_notice", args=[world.snapshot.pk])


# --- National Day 2026 (chinesecalendar) -----------------------------------------------------


@pytest.mark.time_machine(clock.at(dt.date(2026, 9, 1), 10))
def test_five_working_days_from_28_september_2026_end_on_9_october():
    # chinesecalendar 1.11: 1–7 October 2026 are the National Day holiday, Saturday 10 October
    # a make-up working day. Counted: Mon 28, Tue 29, Wed 30 September, Thu 8, Fri 9 October.
    assert [chinese_calendar.is_workday(dt.date(2026, 10, d)) for d in (1, 2, 7, 8, 9, 10)] == [
        False,
        False,
        False,
        True,
        True,
        True,
    ]
    assert notice_period(starts_on=dt.date(2026, 9, 28), working_days=5) == dt.date(2026, 10, 9)
    # Weekends only would have said 2 October, inside the holiday.
    assert notice_period(starts_on=dt.date(2026, 9, 28), working_days=6) == dt.date(2026, 10, 10)


@pytest.mark.time_machine(clock.at(dt.date(2026, 9, 1), 10))
def test_the_form_previews_the_end_date_before_the_notice_opens(client, world):
    client.force_login(world.official)
    response = client.post(
        open_url(world),
        {"starts_on": "2026-09-28", "working_days": "5", "holidays": "", "preview": "1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "公示期：2026-09-28 至 <strong data-ends-on>2026-10-09</strong>（5 个工作日）。" in html
    assert "js/notice_preview.js" in html
    assert PublicNotice.objects.count() == 0
    # Opening gives the previewed date.
    response = client.post(
        open_url(world), {"starts_on": "2026-09-28", "working_days": "5", "holidays": ""}
    )
    assert response.status_code == 302
    notice = PublicNotice.objects.get()
    assert (notice.ends_on, notice.holidays) == (
        dt.date(2026, 10, 9),
        ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"],
    )
    # The page's audit entry joins the authority's chain (found through the page's notice).
    authority_id = world.cycle.programme.authority_id
    assert list(
        AuditEntry.objects.filter(
            action__in=["open_public_notice", "create_results_notice_page"]
        ).values_list("action", "authority_id")
    ) == [
        ("create_results_notice_page", authority_id),
        ("open_public_notice", authority_id),
    ]


@pytest.mark.time_machine(clock.at(dt.date(2026, 9, 1), 10))
def test_the_first_page_already_shows_the_end_date_of_its_initial_values(client, world):
    world.cycle.notice_start = dt.date(2026, 9, 28)
    world.cycle.save()
    client.force_login(world.official)
    response = client.get(open_url(world))
    assert response.context["form"].data["starts_on"] == "2026-09-28"
    assert "<strong data-ends-on>2026-10-09</strong>" in response.content.decode()


# --- a year chinesecalendar does not know --------------------------------------------------


@pytest.mark.time_machine(clock.at(dt.date(2026, 12, 20), 10))
def test_a_period_into_an_unknown_year_asks_for_it_and_refuses_to_open(client, world):
    client.force_login(world.official)
    values = {"starts_on": "2026-12-28", "working_days": "5", "holidays": ""}
    preview = client.post(open_url(world), {**values, "preview": "1"})
    form = preview.context["form"]
    assert (form.ask_year, form.data["confirm_year"], form.data["confirm_holidays"]) == (
        2027,
        "2027",
        PREFILLED_2027,
    )
    html = preview.content.decode()
    assert f"<p data-preview-problem>{UNCONFIRMED_2027}</p>" in html
    assert 'data-ask-year="2027"' in html
    # Opening without confirming: refused with the same words, nothing stored.
    refused = client.post(open_url(world), values)
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [UNCONFIRMED_2027]
    # Prefilled but not ticked: still refused.
    unticked = client.post(
        open_url(world),
        {**values, "confirm_year": "2027", "confirm_holidays": PREFILLED_2027},
    )
    assert unticked.context["form"].non_field_errors() == [UNCONFIRMED_2027]
    assert (PublicNotice.objects.count(), HolidayYear.objects.count()) == (0, 0)
    assert AuditEntry.objects.filter(action="open_public_notice").count() == 0


@pytest.mark.time_machine(clock.at(dt.date(2026, 12, 20), 10))
def test_after_confirmation_the_confirmed_holidays_are_used(client, world):
    client.force_login(world.official)
    values = {"starts_on": "2026-12-28", "working_days": "5", "holidays": ""}
    # The official adds Monday 4 January as a holiday and Saturday 9 January as a make-up day.
    confirmed = {
        **values,
        "confirm_year": "2027",
        "confirm_holidays": PREFILLED_2027 + "\n2027-01-04",
        "confirm_workdays": "2027-01-09",
        "confirm": "on",
    }
    preview = client.post(open_url(world), {**confirmed, "preview": "1"})
    # Mon 28 – Thu 31 December count (4), 1 January and 4 January are off, Tue 5 January is 5th.
    assert "<strong data-ends-on>2027-01-05</strong>" in preview.content.decode()
    response = client.post(open_url(world), confirmed)
    assert response.status_code == 302
    notice = PublicNotice.objects.get()
    assert (notice.ends_on, notice.holidays) == (
        dt.date(2027, 1, 5),
        ["2027-01-01", "2027-01-04"],
    )
    year = HolidayYear.objects.get()
    assert (year.year, year.workdays, year.confirmed_by) == (2027, ["2027-01-09"], world.official)
    assert year.holidays == sorted(PREFILLED_2027.split() + ["2027-01-04"])
    entry = AuditEntry.objects.get(action="confirm_holiday_year")
    assert (entry.actor, entry.details["year"]) == (world.official, 2027)
    assert ResultsNoticePage.objects.count() == 1
    # Stored for later periods: no question asked, the make-up Saturday counts.
    assert preview_notice_end(starts_on=dt.date(2027, 1, 6), working_days=3) == dt.date(2027, 1, 8)
    assert preview_notice_end(starts_on=dt.date(2027, 1, 6), working_days=4) == dt.date(2027, 1, 9)
    assert preview_notice_end(starts_on=dt.date(2027, 9, 28), working_days=5) == dt.date(
        2027, 10, 11
    )


@pytest.mark.time_machine(clock.at(dt.date(2026, 12, 20), 10))
def test_a_bad_confirmation_is_refused_on_its_field_and_stores_nothing(client, world):
    client.force_login(world.official)
    response = client.post(
        open_url(world),
        {
            "starts_on": "2026-12-28",
            "working_days": "5",
            "holidays": "",
            "confirm_year": "2027",
            "confirm_holidays": PREFILLED_2027,
            "confirm_workdays": "2027-01-05",
            "confirm": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["confirm_workdays"] == [
        "调休上班日 2027-01-05 不是周六或周日。"
    ]
    assert (PublicNotice.objects.count(), HolidayYear.objects.count()) == (0, 0)
    assert [str(m) for m in get_messages(response.wsgi_request)] == []


@pytest.mark.time_machine(clock.at(dt.date(2026, 12, 20), 10))
def test_the_service_refuses_an_unconfirmed_year_and_accepts_a_confirmed_one(world):
    with pytest.raises(UnconfirmedHolidayYear) as refused:
        open_public_notice(snapshot=world.snapshot, starts_on=dt.date(2026, 12, 28), by=None)
    assert (refused.value.year, refused.value.messages) == (2027, [UNCONFIRMED_2027])
    assert PublicNotice.objects.count() == 0
    notice = open_public_notice(
        snapshot=world.snapshot,
        starts_on=dt.date(2026, 12, 28),
        confirm_year=YearCalendar(2027, frozenset({dt.date(2027, 1, 1)})),
        by=world.official,
    )
    assert notice.ends_on == dt.date(2027, 1, 4)
