from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.enums import Role


class User(AbstractUser):
    """Every person who signs in. The role decides what they may see.

    Applicants belong to an organization; reviewers and officials to an awarding authority.
    """

    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.APPLICANT)
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    authority = models.ForeignKey(
        "awards.AwardingAuthority",
        verbose_name=_("所属授奖机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    organization = models.ForeignKey(
        "awards.Organization",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_applicant(self) -> bool:
        return self.role == Role.APPLICANT and self.organization_id is not None

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.REVIEWER and self.authority_id is not None

    @property
    def is_official(self) -> bool:
        return self.role == Role.OFFICIAL and self.authority_id is not None and self.is_active


class Person(User):
    """Reviewers, officials and applicants as the officials' console manages them."""

    class Meta:
        proxy = True
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
