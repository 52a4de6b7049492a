from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.validators import validate_division_code


class AwardingAuthority(models.Model):
    """A government that confers awards; its quality office staff are the officials.

    ``region_code`` is the 6-digit administrative division code (GB/T 2260). An authority's
    jurisdiction is every division whose code starts with ``region_prefix`` (a province keeps two
    digits, a prefecture-level city four, a county-level city all six), which lets one portal
    serve a province and its cities at once.
    """

    name = models.CharField(_("名称"), max_length=100, unique=True)
    office_name = models.CharField(_("办事机构"), max_length=100)
    region_code = models.CharField(
        _("行政区划代码"), max_length=6, validators=[validate_division_code]
    )
    region_name = models.CharField(_("行政区划名称"), max_length=50)
    region_prefix = models.CharField(
        _("辖区代码前缀"),
        max_length=6,
        help_text=_("辖区内行政区划代码的共同前缀，如江西省为 36，宜昌市为 4205。"),
    )

    class Meta:
        verbose_name = _("授奖机关")
        verbose_name_plural = _("授奖机关")
        ordering = ["region_code", "name"]

    def __str__(self) -> str:
        return self.name


class AwardProgramme(models.Model):
    """One award, e.g. 陆羽质量奖; it runs in cycles (届)."""

    authority = models.ForeignKey(
        AwardingAuthority,
        verbose_name=_("授奖机关"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    name = models.CharField(_("奖项名称"), max_length=100, unique=True)
    slug = models.SlugField(_("网址标识"), max_length=60, unique=True)
    summary = models.TextField(_("简介"), blank=True)
    prize = models.CharField(_("奖励"), max_length=200, blank=True)
    requires_recommendation = models.BooleanField(
        _("需要推荐单位"), default=False, help_text=_("申报须附市、县（区）有关部门的推荐意见。")
    )
    has_individual_track = models.BooleanField(_("设个人奖"), default=False)

    class Meta:
        verbose_name = _("奖项")
        verbose_name_plural = _("奖项")
        ordering = ["authority__region_code", "name"]

    def __str__(self) -> str:
        return self.name
