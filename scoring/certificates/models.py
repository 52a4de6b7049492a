"""Certificates of awards and the batches that print them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.models.private_files import private_storage


class Certificate(models.Model):
    """The certificate of an award; its serial is signed so it cannot be forged or guessed."""

    award = models.OneToOneField(
        "scoring.Award",
        verbose_name=_("获奖"),
        on_delete=models.PROTECT,
        related_name="certificate",
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
