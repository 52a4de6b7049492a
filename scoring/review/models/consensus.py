from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.enums import ConsensusStatus


class Consensus(models.Model):
    """What a panel agreed after independent scoring, recorded by its group leader."""

    panel = models.OneToOneField(
        "scoring.Panel",
        verbose_name=_("评审组"),
        on_delete=models.CASCADE,
        related_name="consensus",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ConsensusStatus.choices, default=ConsensusStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("版本"), default=0)
    updated_at = models.DateTimeField(_("最后保存时间"), auto_now=True)
    finalized_at = models.DateTimeField(_("确定时间"), null=True, blank=True)
    site_issues = models.TextField(
        _("现场评审待核实问题"),
        blank=True,
        help_text=_("每行一个问题；显示给现场评审组。"),
    )

    class Meta:
        verbose_name = _("评审组共识")
        verbose_name_plural = _("评审组共识")

    def __str__(self) -> str:
        return str(self.panel)


class ConsensusItem(models.Model):
    consensus = models.ForeignKey(
        Consensus, verbose_name=_("共识"), on_delete=models.CASCADE, related_name="items"
    )
    item = models.ForeignKey(
        "awards.CriteriaItem", verbose_name=_("条款"), on_delete=models.PROTECT, related_name="+"
    )
    percent = models.PositiveSmallIntegerField(_("共识百分比"), null=True, blank=True)
    rationale = models.TextField(_("理由"), blank=True)
    strengths = models.TextField(_("综合优势"), blank=True)
    improvements = models.TextField(_("综合改进机会"), blank=True)

    class Meta:
        verbose_name = _("条款共识")
        verbose_name_plural = _("条款共识")
        constraints = [
            models.UniqueConstraint(fields=["consensus", "item"], name="one_consensus_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.consensus} · {self.item_id}"


class ConsensusComment(models.Model):
    consensus = models.ForeignKey(
        Consensus, verbose_name=_("共识"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("作者"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "awards.CriteriaItem",
        verbose_name=_("条款"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("意见"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("共识讨论意见")
        verbose_name_plural = _("共识讨论意见")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:30]}"
