"""How a snapshot came to be: the background computation that made it, and its score trace.

``ResultComputation`` is one request to compute a cycle's results, run by a background task
with visible progress. ``ResultTrace`` holds, next to a snapshot, the frozen score rows it was
computed from and what the method did with each of them (used or dropped, normalized value) as
compact arrays, so every number of the snapshot can be explained later without recomputing and
without loading megabytes of JSON into every page that shows the snapshot.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.enums import Track
from scoring.results.models.snapshots import ResultSnapshot, frozen_snapshot_error


class ComputationStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ComputationStep(models.TextChoices):
    QUEUED = "queued", _("等待开始")
    LOADING = "loading", _("读取评分")
    COMPUTING = "computing", _("合成与排名")
    ROBUSTNESS = "robustness", _("方法稳健性检查")
    STORING = "storing", _("保存结果")
    FINISHED = "finished", _("结束")


class ResultComputation(models.Model):
    """One official's request to compute a cycle's results, run in the background."""

    cycle = models.ForeignKey(
        "awards.Cycle",
        verbose_name=_("届次"),
        on_delete=models.PROTECT,
        related_name="result_computations",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    accept_partial = models.BooleanField(_("接受不完整的数据"), default=False)
    track = models.CharField(
        _("类别"), max_length=12, choices=Track.choices, default=Track.ORGANIZATION
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ComputationStatus, default=ComputationStatus.QUEUED
    )
    step = models.CharField(
        _("当前步骤"), max_length=12, choices=ComputationStep, default=ComputationStep.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    snapshot = models.OneToOneField(
        ResultSnapshot,
        verbose_name=_("评审结果"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="computation",
    )
    errors = models.JSONField(_("错误"), default=list, blank=True)
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("结果计算任务")
        verbose_name_plural = _("结果计算任务")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cycle} {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status in (ComputationStatus.DONE, ComputationStatus.FAILED)


class ResultTrace(models.Model):
    """The score trace of one snapshot: arrays in NumPy's ``.npz`` format (no pickles)."""

    snapshot = models.OneToOneField(
        ResultSnapshot, verbose_name=_("评审结果"), on_delete=models.CASCADE, related_name="trace"
    )
    data = models.BinaryField(_("评分明细"))

    class Meta:
        verbose_name = _("评分明细")
        verbose_name_plural = _("评分明细")

    def __str__(self) -> str:
        return str(self.snapshot)

    def save(self, *args, **kwargs):
        """Written once with its snapshot; never changed afterwards."""
        if self.pk is not None:
            raise frozen_snapshot_error()
        super().save(*args, **kwargs)
