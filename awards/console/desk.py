"""The officials' work desk: the home page of the admin (/admin/), one panel per kind of work.

Wagtail's home page shows page counts, a page search and the pages one edited last; an official
needs to see what is waiting for them instead. Each panel is a Wagtail component added by a
``construct_homepage_panels`` hook, lists rows of the official's own authority only (a platform
administrator sees every authority's, grouped by authority) and links each row to the page where
the work is done. This module holds the frame and the panels built on ``awards`` data (screening,
deadlines); ``scoring.desk`` adds the review, objection and background-task panels.

Each panel costs a fixed number of queries (one), whatever the number of cycles or applications.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum
from itertools import groupby
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.ui.components import Component

from awards.enums import ApplicationStatus, CycleStatus, Track
from awards.models import Cycle
from awards.permissions.rules import is_official_or_admin, is_platform_admin
from awards.queries import cycles_for

SHANGHAI = ZoneInfo("Asia/Shanghai")

#: Deadlines from today up to this many days ahead (today + 14 included) are on the desk.
DEADLINE_WINDOW_DAYS = 14

#: Wagtail's own home panels about pages an official does not need on the desk (their page
#: work reaches them through the moderation panels, which stay).
PAGE_PANELS_REMOVED = frozenset({"recent_edits", "locked_pages"})


class DeskSlot(IntEnum):
    """Where each panel of the desk sits (its component ``order``), before Wagtail's moderation
    panels (210, 220).

    ``AWAITING_RECOMMENDATION`` is the extension point of the recommenders' work (issue 10,
    推荐单位): applications waiting for a recommendation opinion get their panel there, added by
    that feature's own ``construct_homepage_panels`` hook with a ``DeskPanel`` subclass. Until
    the feature exists the desk shows no such panel (and no number for it)."""

    SCREENING = 10
    AWAITING_RECOMMENDATION = 20
    REVIEW_PROGRESS = 30
    OBJECTIONS = 40
    DEADLINES = 50
    TASKS = 60


@dataclass(frozen=True, slots=True)
class DeskRow:
    """One line of a panel: what, how much (``value``), where to do it (``url``); ``alert``
    marks what went wrong (a failed task)."""

    authority: str
    label: str
    url: str
    value: str = ""
    note: str = ""
    alert: bool = False


class DeskPanel(Component):
    """A panel of the work desk; subclasses give ``title``, ``empty_text`` and ``rows()``."""

    template_name = "awards/console/desk_panel.html"
    name = ""
    order = 0
    title = ""
    caption = ""
    empty_text = ""

    def __init__(self, request):
        self.request = request
        self.user = request.user

    def rows(self) -> list[DeskRow]:
        raise NotImplementedError

    def get_context_data(self, parent_context=None):
        # Stable sort: each panel's own order stays inside an authority.
        rows = sorted(self.rows(), key=lambda row: row.authority)
        groups = [
            (authority, list(items)) for authority, items in groupby(rows, lambda r: r.authority)
        ]
        return {
            "panel": self,
            "groups": groups,
            "show_authorities": is_platform_admin(self.user),
        }


def cycle_query_string(url: str, **params) -> str:
    return f"{url}?{urlencode(params)}"


class AwaitingScreeningPanel(DeskPanel):
    """Submitted applications waiting for an eligibility decision (资格审查), per cycle."""

    name = "desk_awaiting_screening"
    order = DeskSlot.SCREENING

    @property
    def title(self):
        return _("待资格审查")

    @property
    def caption(self):
        return _("已提交、尚未作出资格审查结论的申报")

    @property
    def empty_text(self):
        return _("没有待资格审查的申报。")

    def rows(self) -> list[DeskRow]:
        submitted = Q(applications__status=ApplicationStatus.SUBMITTED)
        cycles = (
            cycles_for(self.user)
            .annotate(
                waiting=Count("applications", filter=submitted),
                waiting_individuals=Count(
                    "applications", filter=submitted & Q(applications__track=Track.INDIVIDUAL)
                ),
            )
            .filter(waiting__gt=0)
            .order_by("programme__authority__name", "programme__name", "-edition")
        )
        queue = reverse("screening_queue")
        return [
            DeskRow(
                authority=cycle.programme.authority.name,
                label=str(cycle),
                url=cycle_query_string(queue, cycle=cycle.pk, status=ApplicationStatus.SUBMITTED),
                value=str(cycle.waiting),
                # Both tracks wait in one queue: say how many are individual candidates.
                note=_("其中个人奖 %(count)s 件") % {"count": cycle.waiting_individuals}
                if cycle.waiting_individuals
                else "",
            )
            for cycle in cycles
        ]


@dataclass(frozen=True, slots=True)
class Deadline:
    cycle: Cycle
    kind: str
    day: dt.date
    moment: dt.datetime | None = None


def _deadline_labels() -> dict[str, str]:
    return {
        "application_deadline": _("申报截止"),
        "deadline_extended_until": _("申报截止（已延长）"),
        "screening_deadline": _("资格审查截止"),
        "document_review_deadline": _("资料评审截止"),
        "onsite_review_deadline": _("现场评审截止"),
        "notice_start": _("公示开始"),
        "announcement_date": _("表彰"),
    }


#: The dated milestones of a cycle the desk counts down to (the opening day is no deadline).
DATE_DEADLINES = (
    "screening_deadline",
    "document_review_deadline",
    "onsite_review_deadline",
    "notice_start",
    "announcement_date",
)


def deadline_window(now: dt.datetime) -> tuple[dt.date, dt.date]:
    """The first and last Beijing day of the desk's deadlines: today and today + 14."""
    today = timezone.localtime(now, SHANGHAI).date()
    return today, today + dt.timedelta(days=DEADLINE_WINDOW_DAYS)


def upcoming_deadlines(cycles, *, now: dt.datetime) -> list[Deadline]:
    """The deadlines of ``cycles`` from ``now`` to the end of the window's last Beijing day, by
    date. The application deadline is the extended one when the cycle has an extension; a
    deadline with a time (17:00) that has passed today is no longer ahead."""
    first, last = deadline_window(now)
    deadlines = []
    for cycle in cycles:
        kind = (
            "deadline_extended_until" if cycle.deadline_extended_until else "application_deadline"
        )
        moment = cycle.effective_deadline
        if moment >= now and timezone.localtime(moment, SHANGHAI).date() <= last:
            day = timezone.localtime(moment, SHANGHAI).date()
            deadlines.append(Deadline(cycle, kind, day, moment))
        for field in DATE_DEADLINES:
            day = getattr(cycle, field)
            if first <= day <= last:
                deadlines.append(Deadline(cycle, field, day))
    return sorted(
        deadlines, key=lambda d: (d.day, d.moment or dt.datetime.min.replace(tzinfo=SHANGHAI))
    )


def _window_q(now: dt.datetime) -> Q:
    """Cycles with at least one deadline in the window (the rest is picked in Python)."""
    first, last = deadline_window(now)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
    q = Q(deadline_extended_until__isnull=True, application_deadline__gte=now) & Q(
        application_deadline__lt=end
    )
    q |= Q(deadline_extended_until__gte=now, deadline_extended_until__lt=end)
    for field in DATE_DEADLINES:
        q |= Q(**{f"{field}__range": (first, last)})
    return q


def deadline_url(deadline: Deadline) -> str:
    """Where the work of a deadline is done: the cycle's timetable (to extend the application
    deadline), the screening queue, the cycle's review stages, the public notice pages."""
    cycle_id = deadline.cycle.pk
    if deadline.kind in ("application_deadline", "deadline_extended_until"):
        return reverse("cycles:edit", args=[cycle_id])
    if deadline.kind == "screening_deadline":
        return cycle_query_string(
            reverse("screening_queue"), cycle=cycle_id, status=ApplicationStatus.SUBMITTED
        )
    if deadline.kind in ("document_review_deadline", "onsite_review_deadline"):
        return reverse("review:stages", args=[cycle_id])
    return reverse("publication:index")


def days_ahead(day: dt.date, today: dt.date) -> str:
    days = (day - today).days
    if days == 0:
        return _("今天")
    return ngettext("%(days)d 天后", "%(days)d 天后", days) % {"days": days}


class DeadlinesPanel(DeskPanel):
    """The cycles' deadlines in the next 14 days (Beijing dates), soonest first."""

    name = "desk_deadlines"
    order = DeskSlot.DEADLINES

    @property
    def title(self):
        return _("近期截止日期")

    @property
    def caption(self):
        return _("今后 %(days)d 天内的届次时间节点") % {"days": DEADLINE_WINDOW_DAYS}

    @property
    def empty_text(self):
        return _("今后 %(days)d 天内没有截止日期。") % {"days": DEADLINE_WINDOW_DAYS}

    def rows(self) -> list[DeskRow]:
        now = timezone.now()
        cycles = (
            cycles_for(self.user)
            .exclude(status=CycleStatus.CLOSED)
            .filter(_window_q(now))
            .order_by("programme__authority__name", "programme__name", "-edition")
        )
        labels = _deadline_labels()
        today = deadline_window(now)[0]
        rows = []
        for deadline in upcoming_deadlines(cycles, now=now):
            when = (
                date_format(timezone.localtime(deadline.moment, SHANGHAI), "DATETIME_FORMAT")
                if deadline.moment
                else date_format(deadline.day, "DATE_FORMAT")
            )
            rows.append(
                DeskRow(
                    authority=deadline.cycle.programme.authority.name,
                    label=f"{deadline.cycle} · {labels[deadline.kind]}",
                    url=deadline_url(deadline),
                    value=when,
                    note=days_ahead(deadline.day, today),
                )
            )
        return rows


def awards_desk_panels(request) -> list[DeskPanel]:
    """The panels built on ``awards`` data, for officials and platform administrators."""
    if not is_official_or_admin(request.user):
        return []
    return [AwaitingScreeningPanel(request), DeadlinesPanel(request)]


def build_desk(request, panels: list) -> None:
    """``construct_homepage_panels``: the desk in place of Wagtail's page panels."""
    if not is_official_or_admin(request.user):
        return
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") not in PAGE_PANELS_REMOVED]
    panels.extend(awards_desk_panels(request))


def drop_site_summary(request, summary_items: list) -> None:
    """``construct_homepage_summary_items``: no page, image and document counts on the desk."""
    if is_official_or_admin(request.user):
        summary_items.clear()
