"""The outbox (one row per message, recipient and channel) and the authorities' own templates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    PORTAL = "portal", _("门户消息")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class MessageTemplate(models.Model):
    """An authority's wording of one catalogue event; without one the default applies."""

    authority = models.ForeignKey(
        "awards.AwardingAuthority",
        verbose_name=_("授奖机关"),
        on_delete=models.CASCADE,
        related_name="message_templates",
    )
    event = models.CharField(_("事件"), max_length=60)
    subject = models.CharField(_("标题模板"), max_length=300)
    body = models.TextField(_("正文模板"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("消息模板")
        verbose_name_plural = _("消息模板")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "event"], name="unique_message_template_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority_id} · {self.event}"


class Notification(models.Model):
    """One message of one event to one recipient on one channel (the outbox, and for the
    portal channel the recipient's notice list)."""

    event = models.CharField(_("事件"), max_length=60, db_index=True)
    authority = models.ForeignKey(
        "awards.AwardingAuthority",
        verbose_name=_("授奖机关"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    address = models.CharField(_("地址"), max_length=254, blank=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("正文"))
    link = models.CharField(_("链接"), max_length=500, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近一次错误"), blank=True)
    next_attempt_at = models.DateTimeField(_("下次重试时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息发送记录")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.address or self.recipient_id} ({self.channel})"
