from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.models.private_files import private_storage


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

    def stored_as_approved(self) -> bool:
        if self.pk is None:
            return False
        return type(self).objects.filter(pk=self.pk, approved_at__isnull=False).exists()


class ResultEntry(models.Model):
    """One application's line of a snapshot, as rows for queries and certificates."""

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


class PublicNotice(models.Model):
    """The public notice (公示) of an approved snapshot, with its objection period."""

    snapshot = models.OneToOneField(
        ResultSnapshot, verbose_name=_("评审结果"), on_delete=models.PROTECT, related_name="notice"
    )
    starts_on = models.DateField(_("公示开始日期"))
    working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    holidays = models.JSONField(
        _("法定节假日"), default=list, blank=True, help_text=_("公示期内不计入的日期，ISO 格式。")
    )
    ends_on = models.DateField(_("公示截止日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    announced_at = models.DateTimeField(_("表彰发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("结果公示")
        verbose_name_plural = _("结果公示")

    def __str__(self) -> str:
        return _("%(cycle)s 结果公示") % {"cycle": self.snapshot.cycle}


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("异议成立")
    PARTLY_UPHELD = "partly", _("部分成立")
    REJECTED = "rejected", _("异议不成立")


class Objection(models.Model):
    """A written, real-name objection with evidence, received during the notice period."""

    notice = models.ForeignKey(
        PublicNotice,
        verbose_name=_("结果公示"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    application = models.ForeignKey(
        "awards.Application",
        verbose_name=_("异议对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    real_name = models.CharField(_("真实姓名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    text = models.TextField(_("异议内容"))
    evidence = models.FileField(
        _("证明材料"), storage=private_storage, upload_to="objections/%Y/", blank=True
    )
    evidence_name = models.CharField(_("证明材料文件名"), max_length=150, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    outcome = models.CharField(
        _("处理结论"), max_length=10, choices=ObjectionOutcome.choices, blank=True
    )
    resolution = models.TextField(_("处理意见"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.real_name} · {self.submitted_at:%Y-%m-%d}"


class Award(models.Model):
    """An award conferred by the final announcement (表彰); may later be revoked."""

    snapshot = models.ForeignKey(
        ResultSnapshot, verbose_name=_("评审结果"), on_delete=models.PROTECT, related_name="awards"
    )
    application = models.OneToOneField(
        "awards.Application", verbose_name=_("申报"), on_delete=models.PROTECT, related_name="award"
    )
    level = models.CharField(_("奖项等级"), max_length=40)
    announced_at = models.DateTimeField(_("表彰时间"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revocation_reason = models.TextField(_("撤销理由"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("获奖")
        verbose_name_plural = _("获奖")

    def __str__(self) -> str:
        return f"{self.application.organization} · {self.level}"


class Certificate(models.Model):
    """The certificate of an award; its serial is signed so it cannot be forged or guessed."""

    award = models.OneToOneField(
        Award, verbose_name=_("获奖"), on_delete=models.PROTECT, related_name="certificate"
    )
    serial = models.CharField(_("证书编号"), max_length=120, unique=True)
    issued_on = models.DateField(_("颁发日期"))
    pdf = models.FileField(
        _("证书文件"), storage=private_storage, upload_to="certificates/%Y/", blank=True
    )

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")

    def __str__(self) -> str:
        return self.serial


class CertificateBatch(models.Model):
    """Generating a cycle's certificates in the background, with visible progress."""

    cycle = models.ForeignKey(
        "awards.Cycle", verbose_name=_("届次"), on_delete=models.PROTECT, related_name="+"
    )
    total = models.PositiveIntegerField(_("证书总数"), default=0)
    done = models.PositiveIntegerField(_("已生成"), default=0)
    error = models.TextField(_("错误"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("证书生成批次")
        verbose_name_plural = _("证书生成批次")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.cycle} {self.done}/{self.total}"
