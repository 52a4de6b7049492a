from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.enums import AuthorityKind, RecommenderScope
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
    #: The tree of authorities (province → city → county/district, and each government's
    #: departments): a recommending body need not confer awards itself.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(
        _("机关类型"),
        max_length=12,
        choices=AuthorityKind.choices,
        default=AuthorityKind.GOVERNMENT,
    )
    four_eyes = models.BooleanField(
        _("双人复核"),
        default=True,
        help_text=_(
            "开启后，评审结果须由计算人以外的工作人员批准，公示和获奖名单页面须由作者以外的"
            "工作人员审核。"
        ),
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
    recommender_scope = models.CharField(
        _("推荐单位范围"),
        max_length=12,
        choices=RecommenderScope.choices,
        default=RecommenderScope.SUBORDINATE,
        help_text=_(
            "辖区内下级人民政府及其部门：授奖机关辖区内的任一市、县（区）人民政府或其部门均可推荐；"
            "指定的推荐单位：只有下面选定的机关可以推荐。申报单位只能选择辖区包含其注册地的推荐单位。"
        ),
    )
    recommending_bodies = models.ManyToManyField(
        AwardingAuthority,
        verbose_name=_("指定的推荐单位"),
        blank=True,
        related_name="recommendable_programmes",
    )
    recommendation_quota = models.PositiveSmallIntegerField(
        _("每个推荐单位每届推荐名额"),
        null=True,
        blank=True,
        help_text=_("留空表示不限。"),
    )
    has_individual_track = models.BooleanField(_("设个人奖"), default=False)
    # The committee's rules (评审委员会议事规则), as exact fractions of the members present:
    # quorum "at least quorum_numerator/quorum_denominator of the members attend", majority
    # "more than majority_numerator/majority_denominator of the members present approve".
    quorum_numerator = models.PositiveSmallIntegerField(_("法定出席比例（分子）"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("法定出席比例（分母）"), default=3)
    majority_numerator = models.PositiveSmallIntegerField(_("通过票数比例（分子）"), default=1)
    majority_denominator = models.PositiveSmallIntegerField(_("通过票数比例（分母）"), default=2)

    class Meta:
        verbose_name = _("奖项")
        verbose_name_plural = _("奖项")
        ordering = ["authority__region_code", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        errors = committee_rule_errors(
            quorum=(self.quorum_numerator, self.quorum_denominator),
            majority=(self.majority_numerator, self.majority_denominator),
        )
        if errors:
            raise ValidationError(errors)


def committee_rule_errors(
    *, quorum: tuple[int | None, int | None], majority: tuple[int | None, int | None]
) -> dict[str, str]:
    """Sensible committee rules: a quorum of more than none and at most all members, and a
    majority of at least half (two contrary decisions cannot both pass) and below all (a
    "more than all" rule could never be met)."""
    errors: dict[str, str] = {}
    q_num, q_den = quorum
    m_num, m_den = majority
    if None in quorum or not q_den or not q_num or q_num > q_den:
        errors["quorum_numerator"] = _("法定出席比例须大于 0 且不超过 1（如 2/3）。")
    if None in majority or not m_den or 2 * m_num < m_den or m_num >= m_den:
        errors["majority_numerator"] = _("通过票数比例须不低于 1/2 且小于 1（如 1/2 表示过半数）。")
    return errors
