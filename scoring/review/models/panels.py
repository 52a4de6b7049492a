from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.enums import AssignmentStatus, StageKind


class ReviewStage(models.Model):
    """One review stage of a cycle, in order: its window, panel size and advancement rules (one
    per track: organizations and individuals never advance on one ranking)."""

    cycle = models.ForeignKey(
        "awards.Cycle", verbose_name=_("届次"), on_delete=models.CASCADE, related_name="stages"
    )
    kind = models.CharField(_("评审阶段"), max_length=10, choices=StageKind.choices)
    order = models.PositiveSmallIntegerField(_("顺序"))
    opens_at = models.DateTimeField(_("评分开始时间"))
    closes_at = models.DateTimeField(_("评分截止时间"))
    panel_size = models.PositiveSmallIntegerField(_("评审组人数"), default=5)
    spread_threshold = models.PositiveSmallIntegerField(
        _("分歧阈值（百分点）"),
        default=20,
        help_text=_("同一条款最高与最低百分比之差超过此值时，提请评审组讨论。"),
    )
    advance_min_total = models.DecimalField(
        _("晋级最低总分"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    advance_top_n = models.PositiveSmallIntegerField(
        _("晋级名额（前 N 名）"), null=True, blank=True
    )
    #: The individual track (个人奖) is ranked on its own and scored on its own framework's
    #: scale, so its rule is its own; with both left blank the stage's top N applies within the
    #: individual track (a minimum never does: it is on the organization framework's scale).
    individual_advance_min_total = models.DecimalField(
        _("个人奖晋级最低总分"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("按个人奖评价准则的分值计算。"),
    )
    individual_advance_top_n = models.PositiveSmallIntegerField(
        _("个人奖晋级名额（前 N 名）"),
        null=True,
        blank=True,
        help_text=_(
            "个人奖申报单独排名。两项都留空时，个人奖沿用上面的前 N 名（在个人奖申报中排名）。"
        ),
    )
    weight = models.DecimalField(
        _("计分权重"),
        max_digits=4,
        decimal_places=3,
        default=0,
        help_text=_("各阶段加权合成总分时的权重，合计应为 1。"),
    )
    # What the panels and advancement pages show of the last run, written by the services that
    # run them (the audit log keeps the history; pages read current state from here).
    auto_assigned_at = models.DateTimeField(
        _("上次自动分配时间"), null=True, blank=True, editable=False
    )
    auto_assign_shortfalls = models.JSONField(
        _("上次自动分配后的缺额"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("每项为一件申报的缺额及原因代码，页面按读者的语言说明。"),
    )
    advancement_applied_at = models.DateTimeField(
        _("上次确定晋级时间"), null=True, blank=True, editable=False
    )
    advancement_applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确定晋级人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("评审阶段")
        verbose_name_plural = _("评审阶段")
        ordering = ["cycle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="one_stage_kind_per_cycle"),
            models.UniqueConstraint(fields=["cycle", "order"], name="unique_stage_order"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.get_kind_display()}"


class Panel(models.Model):
    """The reviewers of one application in one stage, with its group leader (组长)."""

    stage = models.ForeignKey(
        ReviewStage, verbose_name=_("评审阶段"), on_delete=models.CASCADE, related_name="panels"
    )
    application = models.ForeignKey(
        "awards.Application",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="panels",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组长"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_panels",
    )

    class Meta:
        verbose_name = _("评审组")
        verbose_name_plural = _("评审组")
        constraints = [
            models.UniqueConstraint(fields=["stage", "application"], name="one_panel_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.stage.get_kind_display()}"


class Assignment(models.Model):
    panel = models.ForeignKey(
        Panel, verbose_name=_("评审组"), on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审专家"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE
    )
    recusal_reason = models.TextField(_("回避理由"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分配人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("分配时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评审分配")
        verbose_name_plural = _("评审分配")
        constraints = [
            models.UniqueConstraint(fields=["panel", "reviewer"], name="one_assignment_per_panel")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.panel}"


class ConflictOverride(models.Model):
    """An official's written decision to assign despite a detected conflict (audited), for one
    review stage: a later stage asks again."""

    stage = models.ForeignKey(
        ReviewStage,
        verbose_name=_("评审阶段"),
        on_delete=models.CASCADE,
        related_name="conflict_overrides",
    )
    application = models.ForeignKey(
        "awards.Application", verbose_name=_("申报"), on_delete=models.CASCADE, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审专家"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("利益冲突豁免")
        verbose_name_plural = _("利益冲突豁免")
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "application", "reviewer"], name="one_override_per_stage_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.application} · {self.stage.get_kind_display()}"
