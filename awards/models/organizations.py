from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.enums import Industry, OrganizationSize
from awards.validators import validate_credit_code, validate_division_code


class Organization(models.Model):
    """An enterprise or other organization that applies for awards."""

    name = models.CharField(_("单位名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("该统一社会信用代码已有单位注册。")},
    )
    region_code = models.CharField(
        _("所在地行政区划代码"), max_length=6, validators=[validate_division_code]
    )
    region_name = models.CharField(_("所在地"), max_length=50)
    industry = models.CharField(_("行业"), max_length=1, choices=Industry.choices)
    size = models.CharField(_("企业规模"), max_length=10, choices=OrganizationSize.choices)
    registration_date = models.DateField(_("注册登记日期"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报单位")
        verbose_name_plural = _("申报单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
