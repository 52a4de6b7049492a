"""The officials' work desk on the admin's home page (/admin/): what waits for them, scoped to
their authority, each row linking to where the work is done, in a fixed number of queries."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.console.desk import DeskSlot
from awards.enums import ApplicationStatus, CycleStatus
from scoring.enums import AssignmentStatus, ScorecardStatus
from scoring.results.models import ComputationStatus
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    CycleFactory,
    OfficialFactory,
    ProgrammeFactory,
    ReviewerFactory,
)
from tests.scoring.desk_world import (
    FROZEN,
    applications,
    batch,
    build_desk_world,
    computation,
    notice_with_objections,
    stage_with_scorecards,
    timetable,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(FROZEN)]

PANELS = (
    "desk_awaiting_screening",
    "desk_review_progress",
    "desk_open_objections",
    "desk_deadlines",
    "desk_running_tasks",
)


class DeskParser(HTMLParser):
    """Each desk panel's groups: [(authority heading or None, [(label, href, value text)])],
    or its empty text."""

    def __init__(self):
        super().__init__()
        self.panels: dict[str, object] = {}
        self.panel = None
        self.capture = None
        self.text = ""
        self.href = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("class") == "work-desk__panel":
            self.panel = attrs["id"]
            self.panels[self.panel] = []
        elif self.panel is None:
            return
        elif tag == "h3" or (tag == "p" and attrs.get("class") == "work-desk__empty"):
            self.capture, self.text = tag, ""
        elif tag == "li":
            if not self.panels[self.panel]:
                self.panels[self.panel].append((None, []))
            self.capture, self.text, self.href = "li", "", ""
            self.label = None
        elif tag == "a" and self.capture == "li":
            self.href = attrs["href"]

    def handle_endtag(self, tag):
        if self.panel is None:
            return
        if tag == "a" and self.capture == "li":
            self.label, self.text = self.text.strip(), ""
        elif tag == self.capture == "h3":
            self.panels[self.panel].append((self.text.strip(), []))
            self.capture = None
        elif tag == "p" and self.capture == "p":
            self.panels[self.panel] = self.text.strip()
            self.capture = None
        elif tag == self.capture == "li":
            value = " ".join(self.text.split())
            self.panels[self.panel][-1][1].append((self.label, self.href, value))
            self.capture = None
        elif tag == "section":
            self.panel = None

    def handle_data(self, data):
        if self.capture:
            self.text += data


def desk(client, user) -> dict[str, object]:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    parser = DeskParser()
    parser.feed(response.content.decode())
    return parser.panels


def screening_url(cycle) -> str:
    return f"{reverse('screening_queue')}?{urlencode({'cycle': cycle.pk, 'status': 'submitted'})}"


def test_the_desk_of_an_official_lists_their_authoritys_work_exactly(client):
    world = build_desk_world()
    screening, extended, notice = world.screening, world.extended, world.notice
    document, onsite = screening.stages.order_by("order")
    panels = desk(client, world.official)
    assert list(panels) == list(PANELS)
    assert panels["desk_awaiting_screening"] == [
        (
            None,
            [
                (str(extended), screening_url(extended), "1"),
                (str(screening), screening_url(screening), "2"),
            ],
        )
    ]
    assert panels["desk_review_progress"] == [
        (
            None,
            [
                (
                    f"{screening} · 资料评审",
                    reverse("review:progress", args=[document.pk]),
                    "2 / 3",
                ),
                (
                    f"{screening} · 现场评审",
                    reverse("review:progress", args=[onsite.pk]),
                    "0 / 0",
                ),
            ],
        )
    ]
    notice_pk = notice.snapshots.get().notice.pk
    assert panels["desk_open_objections"] == [
        (
            None,
            [(f"{notice} 结果公示", reverse("publication:notice", args=[notice_pk]), "2")],
        )
    ]
    # Day 0 (today), 10 and 14 are in; the document review deadline on day 15, the closed
    # cycle's screening deadline (day 5) and the superseded application deadline are not.
    assert panels["desk_deadlines"] == [
        (
            None,
            [
                (
                    f"{notice} · 表彰",
                    reverse("publication:index"),
                    "今天 2026年11月2日",
                ),
                (
                    f"{extended} · 申报截止（已延长）",
                    reverse("cycles:edit", args=[extended.pk]),
                    "10 天后 2026年11月12日 17:00",
                ),
                (
                    f"{screening} · 资格审查截止",
                    screening_url(screening),
                    "14 天后 2026年11月16日",
                ),
            ],
        )
    ]
    assert panels["desk_running_tasks"] == [
        (
            None,
            [
                (
                    f"{screening} · 结果计算",
                    reverse("cycle_results:cycle", args=[screening.pk]),
                    "计算中 40%",
                ),
                (
                    f"{notice} · 结果计算",
                    reverse("cycle_results:cycle", args=[notice.pk]),
                    "失败",
                ),
                (
                    f"{notice} · 证书生成",
                    reverse("certificates:cycle", args=[notice.pk]),
                    "生成中 1 / 3",
                ),
            ],
        )
    ]


def test_another_authoritys_work_never_reaches_the_desk(client):
    world = build_desk_world()
    client.force_login(world.official)
    page = client.get("/admin/").content.decode()
    assert "乙市" not in page
    assert str(world.other) not in page
    # …while its own official sees exactly that authority's work.
    panels = desk(client, world.other_official)
    other = world.other
    assert panels["desk_awaiting_screening"] == [(None, [(str(other), screening_url(other), "1")])]
    assert panels["desk_deadlines"] == [
        (None, [(f"{other} · 资格审查截止", screening_url(other), "7 天后 2026年11月9日")])
    ]
    assert panels["desk_running_tasks"] == [
        (
            None,
            [
                (
                    f"{other} · 结果计算",
                    reverse("cycle_results:cycle", args=[other.pk]),
                    "排队中",
                ),
                (f"{other} · 证书生成", reverse("certificates:cycle", args=[other.pk]), "失败"),
            ],
        )
    ]
    assert str(world.screening) not in client.get("/admin/").content.decode()


def test_a_platform_administrator_sees_every_authority_grouped(client):
    world = build_desk_world()
    admin = get_user_model().objects.create_superuser("desk-admin", "admin@example.com", "x")
    panels = desk(client, admin)
    screening, extended, other = world.screening, world.extended, world.other
    # Authorities by name (乙 U+4E59 before 甲 U+7532).
    assert panels["desk_awaiting_screening"] == [
        ("乙市人民政府", [(str(other), screening_url(other), "1")]),
        (
            "甲市人民政府",
            [
                (str(extended), screening_url(extended), "1"),
                (str(screening), screening_url(screening), "2"),
            ],
        ),
    ]
    assert [group for group, _rows in panels["desk_open_objections"]] == [
        "乙市人民政府",
        "甲市人民政府",
    ]


def test_an_empty_desk_says_so_and_leaves_out_wagtails_page_panels(client):
    client.force_login(OfficialFactory())
    response = client.get("/admin/")
    panels = DeskParser()
    panels.feed(response.content.decode())
    assert panels.panels == {
        "desk_awaiting_screening": "没有待资格审查的申报。",
        "desk_review_progress": "没有进行中的评审阶段。",
        "desk_open_objections": "没有待处理的异议。",
        "desk_deadlines": "今后 14 天内没有截止日期。",
        "desk_running_tasks": "没有进行中或失败的后台任务。",
    }
    html = response.content.decode()
    assert "w-summary" not in html  # Wagtail's page / image / document counts
    assert 'role="search"' not in html
    assert "Your most recent edits" not in html
    # Recommendations (issue 10) have their slot, between screening and review, and no panel
    # (nor number) until that feature exists.
    assert DeskSlot.SCREENING < DeskSlot.AWAITING_RECOMMENDATION < DeskSlot.REVIEW_PROGRESS
    assert list(panels.panels) == list(PANELS)


def test_the_desk_in_english(client):
    world = build_desk_world()
    client.cookies["django_language"] = "en"
    panels = desk(client, world.official)
    assert panels["desk_deadlines"][0][1][1][2] == "in 10 days Nov. 12, 2026, 5 p.m."
    assert panels["desk_deadlines"][0][1][0][2] == "today Nov. 2, 2026"
    assert panels["desk_running_tasks"][0][1][0][2] == "Computing 40%"
    client.force_login(OfficialFactory())
    empty = DeskParser()
    empty.feed(client.get("/admin/").content.decode())
    assert empty.panels["desk_awaiting_screening"] == "No applications awaiting screening."


@pytest.mark.parametrize("role", ["reviewer", "applicant"])
def test_reviewers_and_applicants_do_not_reach_the_desk(client, role):
    build_desk_world()
    user = ReviewerFactory() if role == "reviewer" else ApplicantFactory()
    client.force_login(user)
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")


def small_world(size: int):
    """``size`` cycles of one authority, each with an application waiting, a stage with a
    scorecard, an open objection, a deadline ahead, a running computation and a batch."""
    authority = AuthorityFactory()
    official = OfficialFactory(authority=authority)
    programme = ProgrammeFactory(authority=authority)
    for edition in range(1, size + 1):
        cycle = CycleFactory(
            programme=programme,
            edition=edition,
            status=CycleStatus.SCREENING,
            timetable=timetable(application_deadline=-1, screening_deadline=edition),
        )
        applications(cycle, ApplicationStatus.SUBMITTED)
        stage_with_scorecards(cycle, cards=[(AssignmentStatus.ACTIVE, ScorecardStatus.SUBMITTED)])
        notice_with_objections(cycle, open_count=1)
        computation(cycle, official, ComputationStatus.RUNNING, progress=10)
        batch(cycle, official, done=1)
    return official


def queries_for_desk(client, official) -> int:
    client.force_login(official)
    client.get("/admin/")  # warms the caches (site, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/")
    assert response.status_code == 200
    return len(queries)


def test_the_desk_costs_the_same_queries_for_one_or_five_cycles(client):
    one = queries_for_desk(client, small_world(1))
    five = queries_for_desk(client, small_world(5))
    assert one == five


def test_the_desk_replaces_wagtails_page_panels_for_officials_only(rf):
    from wagtail.admin.views.home import (
        LockedPagesPanel,
        RecentEditsPanel,
        WorkflowObjectsToModeratePanel,
    )

    from awards.console.desk import build_desk

    def built_for(user) -> list[str]:
        request = rf.get("/admin/")
        request.user = user
        panels = [RecentEditsPanel(), LockedPagesPanel(), WorkflowObjectsToModeratePanel()]
        build_desk(request, panels)
        return [panel.name for panel in panels]

    assert built_for(OfficialFactory()) == [
        "workflow_objects_to_moderate",
        "desk_awaiting_screening",
        "desk_deadlines",
    ]
    assert built_for(ReviewerFactory()) == [
        "recent_edits",
        "locked_pages",
        "workflow_objects_to_moderate",
    ]


def test_a_deadline_with_a_time_already_passed_today_is_not_ahead():
    from awards.console.desk import upcoming_deadlines
    from awards.models import Cycle
    from tests import clock

    def cycle(hour: int) -> Cycle:
        far = clock.days_from_today(100)
        return Cycle(
            application_deadline=clock.at(clock.today(), hour),
            screening_deadline=clock.days_from_today(15),
            document_review_deadline=far,
            onsite_review_deadline=far,
            notice_start=far,
            announcement_date=far,
        )

    passed, ahead = cycle(9), cycle(17)  # the clock says 10:00
    found = upcoming_deadlines([passed, ahead], now=clock.now())
    assert [(d.cycle, d.kind, d.day) for d in found] == [
        (ahead, "application_deadline", clock.today())
    ]
