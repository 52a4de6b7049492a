from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.enums import Gender
from awards.id_numbers import masked


class IndividualCandidate(models.Model):
    """The person an individual application (个人奖) is for; the employer files it.

    The identity number is stored only encrypted (``awards.id_numbers``) with its last 4
    characters beside it for display; the date of birth is shown only in the application PDF.
    """

    application = models.OneToOneField(
        "awards.Application",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="candidate",
    )
    name = models.CharField(_("候选人姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number_encrypted = models.TextField(_("身份证号（加密）"), editable=False)
    id_number_last4 = models.CharField(_("身份证号后四位"), max_length=4, editable=False)
    position = models.CharField(_("职务"), max_length=60, help_text=_("如首席质量官、总工程师。"))
    years_in_quality_work = models.PositiveSmallIntegerField(_("从事质量工作年限"))
    education = models.CharField(_("学历"), max_length=40)
    achievements = models.TextField(_("主要业绩"))
    honours = models.TextField(_("所获荣誉"), blank=True)

    class Meta:
        verbose_name = _("个人奖候选人")
        verbose_name_plural = _("个人奖候选人")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return masked(self.id_number_last4)
