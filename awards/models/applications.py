from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.enums import ApplicationStatus


class Application(models.Model):
    """An organization's application (申报) to one cycle; one per organization per cycle."""

    cycle = models.ForeignKey(
        "awards.Cycle",
        verbose_name=_("届次"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    organization = models.ForeignKey(
        "awards.Organization",
        verbose_name=_("申报单位"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organization"], name="one_application_per_cycle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.cycle}"
