from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.aggregation.types import DEFAULT_TIE_BREAK


class ResultsMethod(models.TextChoices):
    """How the reviewers' percentages of one item become one (the core's method names)."""

    MEAN = "mean", _("算术平均")
    TRIMMED_MEAN = "trimmed_mean", _("去掉一个最高分和一个最低分后平均")
    MEDIAN = "median", _("中位数")
    NORMALIZED = "normalized", _("按专家标准化后平均")
    CONSENSUS = "consensus", _("评审组共识分")


class FallbackMethod(models.TextChoices):
    """Used for items without a consensus percentage when the method is ``consensus``."""

    MEAN = ResultsMethod.MEAN.value, ResultsMethod.MEAN.label
    TRIMMED_MEAN = ResultsMethod.TRIMMED_MEAN.value, ResultsMethod.TRIMMED_MEAN.label
    MEDIAN = ResultsMethod.MEDIAN.value, ResultsMethod.MEDIAN.label
    NORMALIZED = ResultsMethod.NORMALIZED.value, ResultsMethod.NORMALIZED.label


class StageMode(models.TextChoices):
    WEIGHTED = "weighted", _("按阶段权重加权合成")
    REPLACEMENT = "replacement", _("后一阶段得分替代前一阶段")


#: Fewest applications an average of the feedback report may be taken over, and the default.
FEEDBACK_MIN_GROUP_FLOOR = 3
FEEDBACK_MIN_GROUP_DEFAULT = 5


def default_tie_break() -> list[str]:
    return list(DEFAULT_TIE_BREAK)


class ResultsSettings(models.Model):
    """How a cycle's results are computed, chosen by its officials before computing.

    Stage weights stay on ``ReviewStage.weight`` and award levels on ``Cycle.levels``; this row
    holds the rest. A cycle without a row uses the defaults below. The results service checks the
    whole configuration with the core's ``validate_config`` before anything is saved or computed.
    """

    cycle = models.OneToOneField(
        "awards.Cycle",
        verbose_name=_("届次"),
        on_delete=models.CASCADE,
        related_name="results_settings",
    )
    method = models.CharField(
        _("合成方法"),
        max_length=20,
        choices=ResultsMethod.choices,
        default=ResultsMethod.TRIMMED_MEAN,
        help_text=_("去掉最高分和最低分仅在同一条款至少有 5 个评分时生效，否则取算术平均。"),
    )
    fallback_method = models.CharField(
        _("无共识时的合成方法"),
        max_length=20,
        choices=FallbackMethod.choices,
        default=FallbackMethod.MEAN,
        help_text=_("合成方法为“评审组共识分”时，未形成共识的条款按此方法合成。"),
    )
    mode = models.CharField(
        _("阶段合成方式"), max_length=20, choices=StageMode.choices, default=StageMode.WEIGHTED
    )
    tie_break = models.JSONField(
        _("并列处理规则"),
        default=default_tie_break,
        help_text=_("依次比较的依据，须以总分（total）开始。"),
    )
    feedback_min_group = models.PositiveSmallIntegerField(
        _("反馈报告比较所需的最少单位数"),
        default=FEEDBACK_MIN_GROUP_DEFAULT,
        validators=[MinValueValidator(FEEDBACK_MIN_GROUP_FLOOR)],
        help_text=_(
            "反馈报告只有在完成同一评审阶段的申报单位不少于此数时才显示平均值和四分位数，"
            "不得少于 3 家。"
        ),
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
        verbose_name = _("评审结果计算设置")
        verbose_name_plural = _("评审结果计算设置")

    def __str__(self) -> str:
        return _("%(cycle)s 结果计算设置") % {"cycle": self.cycle}
