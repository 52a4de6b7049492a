from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.validators import validate_credit_code
from scoring.enums import ConflictRelation


class ReviewerProfile(models.Model):
    """An expert of an authority's pool: what they know, where they work, how much they take."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审专家"),
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
    )
    industries = models.JSONField(
        _("熟悉行业"), default=list, blank=True, help_text=_("国民经济行业门类代码，如 C、E。")
    )
    categories = models.JSONField(
        _("擅长的评价类目"), default=list, blank=True, help_text=_("如 4.1、4.7。")
    )
    region_code = models.CharField(_("所在地行政区划代码"), max_length=6, blank=True)
    employer_name = models.CharField(_("现工作单位"), max_length=200, blank=True)
    employer_credit_code = models.CharField(
        _("现工作单位统一社会信用代码"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    former_employer_credit_codes = models.JSONField(
        _("近年曾任职单位统一社会信用代码"), default=list, blank=True
    )
    max_load_per_cycle = models.PositiveSmallIntegerField(_("每届最多评审数量"), default=10)
    can_lead = models.BooleanField(_("可任评审组组长"), default=True)
    is_active = models.BooleanField(_("在库"), default=True)

    class Meta:
        verbose_name = _("评审专家档案")
        verbose_name_plural = _("评审专家档案")

    def __str__(self) -> str:
        return str(self.user)


class ReviewerCommitment(models.Model):
    """A reviewer's confidentiality commitment for one cycle; nothing is shown before it."""

    cycle = models.ForeignKey(
        "awards.Cycle", verbose_name=_("届次"), on_delete=models.CASCADE, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审专家"),
        on_delete=models.CASCADE,
        related_name="review_commitments",
    )
    confidentiality_accepted_at = models.DateTimeField(_("签署保密承诺时间"))
    conflicts_declared_at = models.DateTimeField(_("完成利益冲突申报时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审承诺")
        verbose_name_plural = _("评审承诺")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "reviewer"], name="one_commitment_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.cycle}"


class ConflictDeclaration(models.Model):
    """A tie (回避事由) a reviewer declares with an organization for a cycle."""

    cycle = models.ForeignKey(
        "awards.Cycle", verbose_name=_("届次"), on_delete=models.CASCADE, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审专家"),
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
    )
    organization = models.ForeignKey(
        "awards.Organization",
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="declared_conflicts",
    )
    relation = models.CharField(_("关系"), max_length=20, choices=ConflictRelation.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    declared_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("利益冲突申报")
        verbose_name_plural = _("利益冲突申报")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "reviewer", "organization", "relation"],
                name="unique_conflict_declaration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.organization} · {self.get_relation_display()}"
