"""Public pages. They present; the award models in ``awards`` own the data.

A programme page links to its ``AwardProgramme`` and reads authority, prize and cycles from it, so
officials never type a deadline twice. The page tree is fixed (home → programme → notice) because
the permission scheme grants each authority's office the subtree of its own programme pages.
"""

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from awards.enums import CycleStatus
from awards.models import Cycle
from awards.permissions.rules import scope_to_authority
from home.blocks import RICH_TEXT_FEATURES, PortalStreamBlock
from scoring.publication.models import PublicNotice

#: The results pages (in ``home.results_pages``, which this module may not import) by model name,
#: with the phase of the cycle their publication shows it has reached.
_RESULTS_PAGES = {
    "resultsnoticepage": ("notice_url", CycleStatus.NOTICE),
    "winnerspage": ("winners_url", CycleStatus.ANNOUNCED),
}


def with_phases(cycles: list[Cycle], *, root: Page, request=None) -> list[Cycle]:
    """Set on each cycle ``shown_phase`` (its public phase from status, clock and the published
    results pages below ``root``), ``taking_applications_now``, and the URLs of its live public notice page
    (``notice_url``) and winners page (``winners_url``), "" when there is none.

    Three queries whatever the number of cycles (none without cycles)."""
    if not cycles:
        return cycles
    pages = list(
        Page.objects.descendant_of(root)
        .live()
        .public()
        .filter(content_type__app_label="home", content_type__model__in=tuple(_RESULTS_PAGES))
        .specific()
    )
    notice_cycles = (
        dict(
            PublicNotice.objects.filter(pk__in=[page.notice_id for page in pages]).values_list(
                "pk", "snapshot__cycle_id"
            )
        )
        if pages
        else {}
    )
    links: dict[int, dict[str, str]] = {}
    reached: dict[int, CycleStatus] = {}
    for page in pages:
        attribute, phase = _RESULTS_PAGES[page._meta.model_name]
        cycle_id = notice_cycles.get(page.notice_id)
        links.setdefault(cycle_id, {})[attribute] = page.get_url(request) or ""
        if cycle_id not in reached or phase == CycleStatus.ANNOUNCED:
            reached[cycle_id] = phase
    now = timezone.now()
    for cycle in cycles:
        cycle.shown_phase = cycle.public_phase(now=now, reached=reached.get(cycle.pk))
        cycle.taking_applications_now = cycle.taking_applications(now=now)
        cycle.notice_url = links.get(cycle.pk, {}).get("notice_url", "")
        cycle.winners_url = links.get(cycle.pk, {}).get("winners_url", "")
    return cycles


class HomePage(Page):
    intro = RichTextField(_("导语"), blank=True, features=RICH_TEXT_FEATURES)
    body = StreamField(PortalStreamBlock(), verbose_name=_("正文"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.AwardProgrammePage"]

    class Meta:
        verbose_name = _("门户首页")
        verbose_name_plural = _("门户首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        programme_pages = list(self.programme_pages_with_open_cycles())
        with_phases(
            [cycle for page in programme_pages for cycle in page.programme.open_cycles],
            root=self,
            request=request,
        )
        context["programme_pages"] = programme_pages
        context["latest_notices"] = self.latest_notices(programme_pages=programme_pages)
        return context

    # Each read helper fetches what a listing renders in a fixed number of queries
    # (``select_related`` for the one-to-one chain, ``Prefetch`` for the cycles), so a portal with
    # many programmes or notices costs the same number of queries as one with a single row.

    def programme_pages_with_open_cycles(self) -> QuerySet["AwardProgrammePage"]:
        """Live, public programme pages in tree order; ``programme.open_cycles`` holds the
        current cycles (from the call to the announcement: neither in preparation nor closed),
        newest edition first."""
        open_cycles = (
            Cycle.objects.exclude(status__in=(CycleStatus.DRAFT, CycleStatus.CLOSED))
            .select_related("programme")
            .order_by("-edition")
        )
        return (
            AwardProgrammePage.objects.child_of(self)
            .live()
            .public()
            .select_related("programme__authority")
            .prefetch_related(
                Prefetch("programme__cycles", queryset=open_cycles, to_attr="open_cycles")
            )
            .order_by("path")
        )

    def latest_notices(
        self, *, programme_pages: list["AwardProgrammePage"], limit: int = 6
    ) -> list["NoticePage"]:
        """The newest notices of all programmes, each with ``programme_page`` set from the pages
        already loaded (matched by tree path) instead of one parent query per notice."""
        by_path = {page.path: page for page in programme_pages}
        notices = list(
            NoticePage.objects.descendant_of(self).live().public().order_by("-date", "-pk")[:limit]
        )
        for notice in notices:
            notice.programme_page = by_path.get(notice.path[: -Page.steplen])
        return [notice for notice in notices if notice.programme_page is not None]


class AwardProgrammePageForm(WagtailAdminPageForm):
    """An official may link a page only to a programme of their own authority; otherwise a
    re-link would hand the page (and its permissions) to another authority."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and "programme" in self.fields:
            field = self.fields["programme"]
            field.queryset = scope_to_authority(field.queryset, user, "authority")


class AwardProgrammePage(Page):
    """The public face of one award: its rules as editorial content, its cycles from the model."""

    programme = models.OneToOneField(
        "awards.AwardProgramme",
        verbose_name=_("奖项"),
        on_delete=models.PROTECT,
        # No reverse accessor: the domain must not depend on its pages.
        related_name="+",
    )
    body = StreamField(
        PortalStreamBlock(),
        verbose_name=_("评选办法"),
        blank=True,
        help_text=_("申报条件、评审程序、时间安排等。"),
    )

    content_panels = [*Page.content_panels, FieldPanel("programme"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    base_form_class = AwardProgrammePageForm

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.NoticePage", "home.ResultsNoticePage", "home.WinnersPage"]

    class Meta:
        verbose_name = _("奖项页面")
        verbose_name_plural = _("奖项页面")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cycles"] = with_phases(self.public_cycles(), root=self, request=request)
        context["notices"] = self.notices()
        return context

    def public_cycles(self) -> list[Cycle]:
        """Every cycle of the programme except those still in preparation (筹备中), newest first."""
        return list(
            Cycle.objects.filter(programme_id=self.programme_id)
            .exclude(status=CycleStatus.DRAFT)
            .prefetch_related("levels")
            .order_by("-edition")
        )

    def notices(self) -> QuerySet["NoticePage"]:
        """The programme's live public notices, newest first (same date: last created first)."""
        return NoticePage.objects.child_of(self).live().public().order_by("-date", "-pk")


class NoticePage(Page):
    """通知公告 of one programme: announcements, timetables, result notices."""

    date = models.DateField(_("发布日期"), default=timezone.localdate)
    summary = models.TextField(_("摘要"), blank=True, max_length=500)
    body = StreamField(PortalStreamBlock(), verbose_name=_("正文"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    parent_page_types = ["home.AwardProgrammePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["programme_page"] = self.get_parent().specific
        return context


# The results pages (公示, 获奖名单) live in their own module; importing them registers them.
from home.results_pages import (  # noqa: E402, F401
    ResultsApprovalTask,
    ResultsNoticePage,
    WinnersPage,
)
