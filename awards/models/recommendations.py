import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.enums import RecommendationStatus
from awards.models.private_files import private_storage


def recommendation_scan_upload_to(instance, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"applications/{instance.application_id}/recommendation/{secrets.token_hex(16)}{suffix}"


class Recommendation(models.Model):
    """An application's passage through the recommending body (推荐单位) it chose.

    Created when an application to a programme that requires recommendation is first submitted;
    the body never changes afterwards (a returned application goes back to the same body). Only
    an application whose recommendation is ``recommended`` reaches the awarding authority's
    screening. The history of decisions is in the application's events and the audit log; this
    row holds the current one.
    """

    application = models.OneToOneField(
        "awards.Application",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="recommendation",
    )
    body = models.ForeignKey(
        "awards.AwardingAuthority",
        verbose_name=_("推荐单位"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    status = models.CharField(
        _("推荐状态"),
        max_length=12,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PENDING,
        db_index=True,
    )
    opinion = models.TextField(_("推荐意见"), blank=True)
    reason = models.TextField(_("退回、不予推荐或撤销推荐的理由"), blank=True)
    scan = models.FileField(
        _("盖章推荐意见扫描件"),
        storage=private_storage,
        upload_to=recommendation_scan_upload_to,
        max_length=300,
        blank=True,
    )
    scan_name = models.CharField(_("扫描件文件名"), max_length=255, blank=True)
    scan_content_type = models.CharField(_("扫描件类型"), max_length=100, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("推荐")
        verbose_name_plural = _("推荐")
        ordering = ["application__submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.body} · {self.application}"
