"""Idle sessions end: 30 minutes for staff (officials, reviewers, administrators), two hours for
applicants, who fill in long forms. Time is moved with time-machine."""

import datetime as dt

import pytest
from django.conf import settings

from tests import clock
from tests.factories import ApplicantFactory, OfficialFactory, ReviewerFactory

pytestmark = pytest.mark.django_db

TIMED_OUT = "您已较长时间未操作，为了账户安全已自动退出，请重新登录。"


def test_the_timeouts_are_settings():
    assert (
        settings.SESSION_IDLE_TIMEOUT_MINUTES,
        settings.SESSION_IDLE_TIMEOUT_APPLICANT_MINUTES,
    ) == (30, 120)


def _at(time_machine, start, minutes):
    time_machine.move_to(start + dt.timedelta(minutes=minutes), tick=False)


def test_an_official_idle_for_31_minutes_is_signed_out(client, time_machine):
    start = clock.now()
    _at(time_machine, start, 0)
    client.force_login(OfficialFactory())
    _at(time_machine, start, 29)
    assert client.get("/admin/").status_code == 200
    # Activity moves the clock on: 29 + 29 minutes is still fine.
    _at(time_machine, start, 58)
    assert client.get("/admin/").status_code == 200
    _at(time_machine, start, 58 + 31)
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")
    assert "_auth_user_id" not in client.session


def test_a_reviewer_is_signed_out_after_30_minutes_with_a_message(client, time_machine):
    start = clock.now()
    _at(time_machine, start, 0)
    client.force_login(ReviewerFactory())
    _at(time_machine, start, 31)
    response = client.get("/review/", follow=True)
    assert response.redirect_chain == [("/accounts/login/?next=/review/", 302)]
    assert [str(m) for m in response.context["messages"]] == [TIMED_OUT]


def test_an_applicant_keeps_a_two_hour_session(client, time_machine):
    start = clock.now()
    _at(time_machine, start, 0)
    client.force_login(ApplicantFactory())
    _at(time_machine, start, 119)
    assert client.get("/portal/").status_code == 200
    _at(time_machine, start, 119 + 121)
    response = client.get("/portal/")
    assert response["Location"] == "/accounts/login/?next=/portal/"


def test_settings_change_the_timeout(client, time_machine, settings):
    settings.SESSION_IDLE_TIMEOUT_APPLICANT_MINUTES = 10
    start = clock.now()
    _at(time_machine, start, 0)
    client.force_login(ApplicantFactory())
    _at(time_machine, start, 11)
    assert client.get("/portal/")["Location"] == "/accounts/login/?next=/portal/"
