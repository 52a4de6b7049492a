from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from awards.enums import CycleStatus, Track

#: The cycle's dated milestones, in the order they must fall.
TIMETABLE_FIELDS = (
    "applications_open",
    "application_deadline",
    "screening_deadline",
    "document_review_deadline",
    "onsite_review_deadline",
    "notice_start",
    "announcement_date",
)

#: The phases of a cycle in the order they follow each other.
PHASE_ORDER = (
    CycleStatus.DRAFT,
    CycleStatus.OPEN,
    CycleStatus.SCREENING,
    CycleStatus.REVIEW,
    CycleStatus.NOTICE,
    CycleStatus.ANNOUNCED,
    CycleStatus.CLOSED,
)

#: What the public is told of a phase: screening and review are both "评审中".
PUBLIC_PHASE = {CycleStatus.SCREENING: CycleStatus.REVIEW}


class Cycle(ClusterableModel):
    """One edition (届) of an award programme, with its timetable, quotas and rules."""

    programme = models.ForeignKey(
        "awards.AwardProgramme",
        verbose_name=_("奖项"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    edition = models.PositiveSmallIntegerField(_("届次"))
    year = models.PositiveSmallIntegerField(_("年度"))
    framework = models.ForeignKey(
        "awards.CriteriaFramework",
        verbose_name=_("评价准则"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=CycleStatus.choices, default=CycleStatus.DRAFT
    )

    applications_open = models.DateField(_("开始申报日期"))
    application_deadline = models.DateTimeField(_("申报截止时间"))
    deadline_extended_until = models.DateTimeField(_("延长截止时间至"), null=True, blank=True)
    recommendation_deadline = models.DateTimeField(
        _("推荐截止时间"),
        null=True,
        blank=True,
        help_text=_("推荐单位在此之前可以撤销已作出的推荐；留空表示直到资格审查开始。"),
    )
    screening_deadline = models.DateField(_("资格审查截止日期"))
    document_review_deadline = models.DateField(_("资料评审截止日期"))
    onsite_review_deadline = models.DateField(_("现场评审截止日期"))
    notice_start = models.DateField(_("公示开始日期"))
    announcement_date = models.DateField(_("表彰日期"))

    min_years_operating = models.PositiveSmallIntegerField(_("最少经营年限"), default=3)
    min_years_certified = models.PositiveSmallIntegerField(_("管理体系认证最少年限"), default=3)
    min_years_excellence_model = models.PositiveSmallIntegerField(
        _("导入卓越绩效模式最少年限"), default=2
    )
    lookback_years = models.PositiveSmallIntegerField(_("无重大事故回溯年限"), default=3)
    individual_framework = models.ForeignKey(
        "awards.CriteriaFramework",
        verbose_name=_("个人奖评价准则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="individual_cycles",
        help_text=_("奖项设个人奖时，个人奖申报按此准则填写和评分；留空则本届不受理个人奖申报。"),
    )
    min_years_quality_work = models.PositiveSmallIntegerField(
        _("个人奖：从事质量工作最少年限"), default=10
    )
    overview_char_limit = models.PositiveIntegerField(_("组织概述字数上限"), default=3000)
    self_assessment_char_limit = models.PositiveIntegerField(_("自评报告字数上限"), default=30000)

    class Meta:
        verbose_name = _("届次")
        verbose_name_plural = _("届次")
        ordering = ["programme__name", "-edition"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "edition"], name="unique_cycle_edition")
        ]

    def __str__(self) -> str:
        return _("第%(edition)s届%(programme)s（%(year)s）") % {
            "edition": self.edition,
            "programme": self.programme.name if self.programme_id else "",
            "year": self.year,
        }

    @property
    def takes_individuals(self) -> bool:
        """Whether this cycle has an individual track: the programme has one and the cycle
        names the individual criteria framework."""
        return bool(self.individual_framework_id) and self.programme.has_individual_track

    def framework_for(self, track: str):
        """The criteria framework applications of ``track`` are written and scored against."""
        return self.individual_framework if track == Track.INDIVIDUAL else self.framework

    def framework_id_for(self, track: str) -> int | None:
        return self.individual_framework_id if track == Track.INDIVIDUAL else self.framework_id

    @property
    def effective_deadline(self):
        return self.deadline_extended_until or self.application_deadline

    def taking_applications(self, *, now=None) -> bool:
        """Open, and the (extended) deadline not passed: at the deadline itself it still is."""
        now = now or timezone.now()
        return self.status == CycleStatus.OPEN and now <= self.effective_deadline

    def phase(self, *, now=None, reached: str | None = None) -> CycleStatus:
        """The phase the cycle is in, from its status, the clock and the data.

        An open cycle closes itself at its (extended) deadline and is in screening after it,
        whatever the manual status says; ``reached`` (a phase the data shows, e.g. a published
        public notice) moves it on when the status lags behind. A closed cycle stays closed."""
        status = CycleStatus(self.status)
        if status == CycleStatus.OPEN and not self.taking_applications(now=now):
            status = CycleStatus.SCREENING
        if (
            reached
            and status != CycleStatus.CLOSED
            and PHASE_ORDER.index(CycleStatus(reached)) > PHASE_ORDER.index(status)
        ):
            status = CycleStatus(reached)
        return status

    def public_phase(self, *, now=None, reached: str | None = None) -> CycleStatus:
        """The phase as the public pages name it (申报中 / 评审中 / 公示中 / 已表彰)."""
        phase = self.phase(now=now, reached=reached)
        return PUBLIC_PHASE.get(phase, phase)


class AwardLevel(Orderable):
    """An award tier of a cycle's track (e.g. 质量奖, 提名奖): minimum total and how many places.

    Each track has its own tiers and quotas (井冈: organizations 3 + 5, individuals 3 + 5)."""

    cycle = ParentalKey(Cycle, on_delete=models.CASCADE, related_name="levels")
    track = models.CharField(
        _("类别"), max_length=12, choices=Track.choices, default=Track.ORGANIZATION
    )
    name = models.CharField(_("奖项等级"), max_length=40)
    min_total = models.DecimalField(_("最低总分"), max_digits=7, decimal_places=2)
    quota = models.PositiveSmallIntegerField(_("名额"))

    class Meta(Orderable.Meta):
        verbose_name = _("奖项等级")
        verbose_name_plural = _("奖项等级")

    def __str__(self) -> str:
        return self.name
