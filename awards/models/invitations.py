from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InvitationState(models.TextChoices):
    PENDING = "pending", _("待接受")
    ACCEPTED = "accepted", _("已接受")
    REVOKED = "revoked", _("已撤销")
    EXPIRED = "expired", _("已过期")


class OrganizationInvitation(models.Model):
    """An applicant's invitation to a colleague to become another user of their organization.

    The link in the e-mail carries a random token; only its SHA-256 is stored, so a leaked
    database does not hand out accounts. A link works once (``accepted_at``), until
    ``expires_at``, and not after it is revoked."""

    organization = models.ForeignKey(
        "awards.Organization",
        verbose_name=_("申报单位"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    full_name = models.CharField(_("姓名"), max_length=50)
    email = models.EmailField(_("电子邮箱"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("邀请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token_hash = models.CharField(_("链接摘要"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("邀请时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("有效期至"))
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)
    accepted_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接受后的账户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("单位用户邀请")
        verbose_name_plural = _("单位用户邀请")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def state_at(self, moment) -> str:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if moment >= self.expires_at:
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    @property
    def state(self) -> str:
        return self.state_at(timezone.now())

    def get_state_display(self) -> str:
        return str(InvitationState(self.state).label)
