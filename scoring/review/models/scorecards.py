from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.enums import ScorecardStatus


class Scorecard(models.Model):
    """One reviewer's independent scores for one application in one stage."""

    assignment = models.OneToOneField(
        "scoring.Assignment",
        verbose_name=_("评审分配"),
        on_delete=models.CASCADE,
        related_name="scorecard",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ScorecardStatus.choices, default=ScorecardStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("版本"), default=0)
    #: Item code → the scorecard's version when that item was last changed: an item's page is
    #: refused only when its own item changed since it was loaded (see ``save_scores``).
    item_versions = models.JSONField(_("各条款版本号"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("最后保存时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")

    def __str__(self) -> str:
        return str(self.assignment)


class ItemScore(models.Model):
    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("评分表"), on_delete=models.CASCADE, related_name="item_scores"
    )
    item = models.ForeignKey(
        "awards.CriteriaItem", verbose_name=_("条款"), on_delete=models.PROTECT, related_name="+"
    )
    percent = models.PositiveSmallIntegerField(_("得分百分比"), null=True, blank=True)
    strengths = models.TextField(_("优势"), blank=True)
    improvements = models.TextField(_("改进机会"), blank=True)

    class Meta:
        verbose_name = _("条款评分")
        verbose_name_plural = _("条款评分")
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "item"], name="one_score_per_item"),
            models.CheckConstraint(
                condition=models.Q(percent__isnull=True)
                | (models.Q(percent__lte=100) & models.Q(percent__gte=0)),
                name="item_percent_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scorecard} · {self.item_id}"
