"""Frozen results of a cycle: one snapshot per computation, one entry per application."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.enums import Track


def frozen_snapshot_error() -> ValidationError:
    return ValidationError(
        _("已批准的评审结果已冻结，不能修改或删除；请重新计算生成新版本。"), code="frozen"
    )


class ResultSnapshotQuerySet(models.QuerySet):
    """Bulk updates and deletes cannot touch approved snapshots either."""

    def update(self, **kwargs):
        if self.filter(approved_at__isnull=False).exists():
            raise frozen_snapshot_error()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(approved_at__isnull=False).exists():
            raise frozen_snapshot_error()
        return super().delete()


class ResultEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(snapshot__approved_at__isnull=False).exists():
            raise frozen_snapshot_error()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(snapshot__approved_at__isnull=False).exists():
            raise frozen_snapshot_error()
        return super().delete()


class ResultSnapshot(models.Model):
    """One computation of a cycle's results, frozen when approved; recomputing adds a version.

    ``outputs`` keeps the explainable result per application (stage and category totals,
    tie-break values and step, robustness), its ``trace`` (``ResultTrace``) every score used
    or dropped, and ``inputs_digest`` the SHA-256 of the scores it was computed from, so anyone
    can tell whether the data changed since.
    """

    cycle = models.ForeignKey(
        "awards.Cycle", verbose_name=_("届次"), on_delete=models.PROTECT, related_name="snapshots"
    )
    version = models.PositiveIntegerField(_("版本"))
    #: Organizations and individuals are ranked apart, each track in snapshots of its own.
    track = models.CharField(
        _("类别"), max_length=12, choices=Track.choices, default=Track.ORGANIZATION
    )
    method = models.CharField(_("合成方法"), max_length=20)
    config = models.JSONField(_("计算配置"))
    inputs_digest = models.CharField(_("输入数据摘要"), max_length=64)
    outputs = models.JSONField(_("计算结果"))
    partial = models.BooleanField(_("含缺失评分"), default=False)
    missing = models.JSONField(_("缺失的评分表"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("计算人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("计算时间"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)

    objects = ResultSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("评审结果")
        verbose_name_plural = _("评审结果")
        ordering = ["cycle", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "version"], name="unique_snapshot_version")
        ]

    def __str__(self) -> str:
        if self.track == Track.INDIVIDUAL:
            return _("%(cycle)s 个人奖结果第 %(version)s 版") % {
                "cycle": self.cycle,
                "version": self.version,
            }
        return _("%(cycle)s 结果第 %(version)s 版") % {"cycle": self.cycle, "version": self.version}

    def save(self, *args, **kwargs):
        """Approval is the last change a snapshot takes (see ``approve_snapshot``)."""
        if self.stored_as_approved():
            raise frozen_snapshot_error()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.stored_as_approved():
            raise frozen_snapshot_error()
        return super().delete(*args, **kwargs)

    @property
    def is_individual(self) -> bool:
        return self.track == Track.INDIVIDUAL

    def stored_as_approved(self) -> bool:
        if self.pk is None:
            return False
        return type(self).objects.filter(pk=self.pk, approved_at__isnull=False).exists()


class ResultEntry(models.Model):
    """One application's line of a snapshot, as rows for queries and certificates.

    ``total`` and ``categories`` are what the ranking shows: weighted over the stages for an
    ``advanced`` application, the points of its ``reached_stage`` for any other. Entries of
    snapshots computed before ``reached_stage`` existed have it blank.
    """

    snapshot = models.ForeignKey(
        ResultSnapshot, verbose_name=_("评审结果"), on_delete=models.CASCADE, related_name="entries"
    )
    application = models.ForeignKey(
        "awards.Application", verbose_name=_("申报"), on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveIntegerField(_("名次"))
    total = models.DecimalField(_("总分"), max_digits=8, decimal_places=2)
    level = models.CharField(_("奖项等级"), max_length=40, blank=True)
    advanced = models.BooleanField(_("完成全部评审阶段"), default=True)
    categories = models.JSONField(_("类目得分"), default=dict)
    reached_stage = models.CharField(
        _("进入的评审阶段"),
        max_length=20,
        blank=True,
        help_text=_("未完成全部计分阶段的申报，总分和类目得分即为该阶段的得分。"),
    )
    stage_categories = models.JSONField(
        _("各阶段类目得分"),
        default=dict,
        blank=True,
        help_text=_("评审阶段 → 类目 → 该阶段得分（未按权重折算），供反馈报告同阶段比较。"),
    )

    objects = ResultEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("结果条目")
        verbose_name_plural = _("结果条目")
        ordering = ["snapshot", "rank", "application_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "application"], name="one_entry_per_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.application}"

    def save(self, *args, **kwargs):
        """An entry of an approved snapshot cannot be changed (adding one is the caller's
        business: only ``compute_cycle_results`` does, before approval)."""
        if self.pk is not None and self._snapshot_frozen():
            raise frozen_snapshot_error()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._snapshot_frozen():
            raise frozen_snapshot_error()
        return super().delete(*args, **kwargs)

    def _snapshot_frozen(self) -> bool:
        return ResultSnapshot.objects.filter(
            pk=self.snapshot_id, approved_at__isnull=False
        ).exists()
