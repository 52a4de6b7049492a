from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from awards.enums import ApplicationStatus, ItemKind


class CriteriaFramework(ClusterableModel):
    """A versioned set of criteria (e.g. GB/T 19580-2012) with its categories and items.

    ``authority`` is empty for national frameworks shared by every authority (only platform
    administrators change those); an authority may keep versions of its own.
    """

    code = models.CharField(_("标准编号"), max_length=40)
    version = models.CharField(_("版本"), max_length=20)
    name = models.CharField(_("名称"), max_length=100)
    total_points = models.PositiveIntegerField(_("总分"), default=1000)
    authority = models.ForeignKey(
        "awards.AwardingAuthority",
        verbose_name=_("所属授奖机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="frameworks",
        help_text=_("留空表示全国通用的准则。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评价准则")
        verbose_name_plural = _("评价准则")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version", "authority"], name="unique_framework_version"
            ),
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=models.Q(authority__isnull=True),
                name="unique_national_framework_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}-{self.version} {self.name}"

    @property
    def is_locked(self) -> bool:
        """Frozen once any cycle using it has received an application: scores depend on it."""
        if self.pk is None:
            return False
        from awards.models.applications import Application

        return (
            Application.objects.filter(
                models.Q(cycle__framework=self) | models.Q(cycle__individual_framework=self)
            )
            .exclude(status=ApplicationStatus.DRAFT)
            .exists()
        )


class CriteriaCategory(Orderable):
    framework = ParentalKey(CriteriaFramework, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("编号"), max_length=10)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    points = models.PositiveIntegerField(_("分值"))

    class Meta(Orderable.Meta):
        verbose_name = _("类目")
        verbose_name_plural = _("类目")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_category_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CriteriaItem(Orderable):
    """An item is placed in the category whose code prefixes its own (4.1.2 is in 4.1)."""

    framework = ParentalKey(CriteriaFramework, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("编号"), max_length=12)
    name = models.CharField(_("名称"), max_length=60)
    points = models.PositiveIntegerField(_("分值"))
    kind = models.CharField(_("类型"), max_length=10, choices=ItemKind.choices)
    guidance = models.TextField(_("评价要点"), blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("评分条款")
        verbose_name_plural = _("评分条款")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_item_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def category_code(self) -> str:
        return self.code.rsplit(".", 1)[0]
