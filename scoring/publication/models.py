"""The public notice (公示) with its objections, and the awards its announcement confers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.models.private_files import private_storage


class PublicNotice(models.Model):
    """The public notice (公示) of an approved snapshot, with its objection period."""

    snapshot = models.OneToOneField(
        "scoring.ResultSnapshot",
        verbose_name=_("评审结果"),
        on_delete=models.PROTECT,
        related_name="notice",
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
    #: The client address it came from: anonymous objections are rate-limited and de-duplicated.
    submitted_from = models.GenericIPAddressField(_("提交地址"), null=True, blank=True)
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
        "scoring.ResultSnapshot",
        verbose_name=_("评审结果"),
        on_delete=models.PROTECT,
        related_name="awards",
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
        return f"{self.application.display_name} · {self.level}"


class HolidayYear(models.Model):
    """One year's public holidays and weekend make-up working days (调休), confirmed by an
    official for a year the ``chinesecalendar`` package does not know yet. One per year for the
    whole platform; notice periods reaching into the year are counted with it."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    holidays = models.JSONField(_("法定节假日"), default=list, help_text=_("ISO 日期列表。"))
    workdays = models.JSONField(
        _("调休上班日"), default=list, blank=True, help_text=_("周末调休上班的日期，ISO 格式。")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")
        ordering = ["year"]

    def __str__(self) -> str:
        return _("%(year)s 年节假日安排") % {"year": self.year}
