"""A cycle follows its timetable: the call closes itself at the (extended) deadline, and the
public pages show the current phase with links to the notice and winners pages."""

import datetime as dt

import pytest
from django.test import Client

from awards.enums import CycleStatus
from home.models import ResultsNoticePage, WinnersPage
from tests import clock
from tests.factories import CycleFactory, ProgrammeFactory, open_cycle, tianmen_applicant
from tests.home.helpers import add_programme_page
from tests.scoring.certificate_world import announced, application_of

pytestmark = pytest.mark.django_db

DEADLINE = clock.at(dt.date(2026, 9, 30), 17)
EXTENDED = clock.at(dt.date(2026, 10, 9), 17)


def cycle_with_deadline(**kwargs):
    return open_cycle(application_deadline=DEADLINE, **kwargs)


@pytest.mark.parametrize(
    ("moment", "extended", "phase", "taking"),
    [
        (DEADLINE - dt.timedelta(minutes=1), None, CycleStatus.OPEN, True),
        (DEADLINE, None, CycleStatus.OPEN, True),
        (DEADLINE + dt.timedelta(seconds=1), None, CycleStatus.SCREENING, False),
        (DEADLINE + dt.timedelta(days=1), EXTENDED, CycleStatus.OPEN, True),
        (EXTENDED, EXTENDED, CycleStatus.OPEN, True),
        (EXTENDED + dt.timedelta(seconds=1), EXTENDED, CycleStatus.SCREENING, False),
    ],
)
def test_the_call_closes_itself_at_the_deadline(time_machine, moment, extended, phase, taking):
    time_machine.move_to(moment, tick=False)
    cycle = cycle_with_deadline(deadline_extended_until=extended)
    assert (cycle.phase(), cycle.taking_applications()) == (phase, taking)
    assert cycle.public_phase() == (
        CycleStatus.REVIEW if phase == CycleStatus.SCREENING else CycleStatus.OPEN
    )


def test_the_data_moves_the_phase_on_but_a_closed_cycle_stays_closed():
    cycle = CycleFactory(status=CycleStatus.REVIEW)
    assert cycle.phase(reached=CycleStatus.NOTICE) == CycleStatus.NOTICE
    assert cycle.phase(reached=CycleStatus.OPEN) == CycleStatus.REVIEW
    cycle.status = CycleStatus.CLOSED
    assert cycle.phase(reached=CycleStatus.ANNOUNCED) == CycleStatus.CLOSED


def test_after_the_deadline_the_pages_no_longer_offer_the_application(time_machine, home_page):
    time_machine.move_to(DEADLINE - dt.timedelta(hours=1), tick=False)
    cycle = cycle_with_deadline(edition=5)
    page = add_programme_page(home_page, cycle.programme)
    client = Client()
    html = client.get(page.url).content.decode()
    assert '<span class="status status-open">申报中</span>' in html
    assert f'href="/portal/cycles/{cycle.pk}/apply/"' in html
    assert '<span class="status status-open">申报中</span>' in client.get("/").content.decode()
    user = tianmen_applicant()
    client.force_login(user)
    assert [e["cycle"] for e in client.get("/portal/").context["open_cycles"]] == [cycle]

    time_machine.move_to(DEADLINE + dt.timedelta(minutes=1), tick=False)
    html = client.get(page.url).content.decode()
    assert '<span class="status status-review">评审中</span>' in html
    assert "apply-link" not in html
    home = client.get("/").content.decode()
    assert '<span class="status status-review">评审中</span>' in home
    assert "申报截止：" not in home
    assert client.get("/portal/").context["open_cycles"] == []


def test_the_pages_link_the_notice_and_the_winners(home_page):
    programme = ProgrammeFactory(name="陆羽质量奖", slug="luyu")
    cycle = CycleFactory(programme=programme, status=CycleStatus.REVIEW, edition=5)
    page = add_programme_page(home_page, programme)
    snapshot = announced(
        cycle, [(application_of(cycle), "700.00", "质量奖", {})], announced_at=None
    )
    notice_page = ResultsNoticePage(title="公示", slug="notice-5", notice=snapshot.notice)
    page.add_child(instance=notice_page)
    notice_page.save_revision().publish()
    client = Client()
    html = client.get(page.url).content.decode()
    assert '<span class="status status-notice">公示中</span>' in html
    assert f'href="{notice_page.url}" data-notice-link>查看结果公示</a>' in html
    assert "data-winners-link" not in html
    winners_page = WinnersPage(title="获奖名单", slug="winners-5", notice=snapshot.notice)
    page.add_child(instance=winners_page)
    winners_page.save_revision().publish()
    home = client.get("/").content.decode()
    assert '<span class="status status-announced">已表彰</span>' in home
    assert f'href="{winners_page.url}" data-winners-link>查看获奖名单</a>' in home
    assert f'href="{notice_page.url}" data-notice-link>' in home
