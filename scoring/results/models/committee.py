"""The cycle's review committee (评审委员会) and its decision (审定) on a results snapshot.

The committee is recorded per cycle (members, chair); its meeting on one snapshot is recorded
by an official acting as secretary: the date, who attended, each present member's vote on each
proposed award, and a written rationale for every tie or quota conflict the computation left to
the committee. The rules in force (quorum and majority, from the programme) and the number of
members are copied into the decision, so that the decision stays readable as it was taken when
the committee or the rules change later.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Committee(models.Model):
    cycle = models.OneToOneField(
        "awards.Cycle", verbose_name=_("届次"), on_delete=models.CASCADE, related_name="committee"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("委员"), related_name="+"
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("主任委员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("评审委员会")
        verbose_name_plural = _("评审委员会")

    def __str__(self) -> str:
        return _("%(cycle)s 评审委员会") % {"cycle": self.cycle}


class CommitteeDecision(models.Model):
    snapshot = models.OneToOneField(
        "scoring.ResultSnapshot",
        verbose_name=_("评审结果"),
        on_delete=models.PROTECT,
        related_name="committee_decision",
    )
    held_on = models.DateField(_("会议日期"))
    member_count = models.PositiveSmallIntegerField(_("委员人数"))
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("出席委员"), related_name="+"
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("主任委员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("法定出席比例（分子）"))
    quorum_denominator = models.PositiveSmallIntegerField(_("法定出席比例（分母）"))
    majority_numerator = models.PositiveSmallIntegerField(_("通过票数比例（分子）"))
    majority_denominator = models.PositiveSmallIntegerField(_("通过票数比例（分母）"))
    minutes = models.TextField(_("会议纪要"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评审委员会审定")
        verbose_name_plural = _("评审委员会审定")

    def __str__(self) -> str:
        return _("%(snapshot)s 的审定") % {"snapshot": self.snapshot}


class Vote(models.TextChoices):
    APPROVE = "approve", _("赞成")
    REJECT = "reject", _("反对")
    ABSTAIN = "abstain", _("弃权")


class CommitteeVote(models.Model):
    """One present member's vote on one application's proposed award level."""

    decision = models.ForeignKey(
        CommitteeDecision, verbose_name=_("审定"), on_delete=models.CASCADE, related_name="votes"
    )
    application = models.ForeignKey(
        "awards.Application", verbose_name=_("申报"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("拟授等级"), max_length=40)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("委员"), on_delete=models.PROTECT, related_name="+"
    )
    vote = models.CharField(_("表决"), max_length=10, choices=Vote.choices)

    class Meta:
        verbose_name = _("表决票")
        verbose_name_plural = _("表决票")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "application", "member"], name="one_vote_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.level} · {self.get_vote_display()}"


class ResolutionKind(models.TextChoices):
    TIE = "tie", _("无法区分的并列")
    QUOTA = "quota", _("名额冲突")


class CommitteeResolution(models.Model):
    """The committee's written ruling on one tie or quota conflict of the snapshot."""

    decision = models.ForeignKey(
        CommitteeDecision,
        verbose_name=_("审定"),
        on_delete=models.CASCADE,
        related_name="resolutions",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ResolutionKind.choices)
    key = models.CharField(_("标识"), max_length=100)
    subject = models.CharField(_("事项"), max_length=500)
    rationale = models.TextField(_("审定理由"))

    class Meta:
        verbose_name = _("并列与名额冲突的审定")
        verbose_name_plural = _("并列与名额冲突的审定")
        ordering = ["decision", "pk"]

    def __str__(self) -> str:
        return self.subject
