"""Forms of the officials' results pages: the cycle's results settings and the compute action.

The settings form only collects input; the whole configuration is judged by
``save_results_settings`` (the core's ``validate_config``), whose messages the view shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.results.models.settings import (
    FallbackMethod,
    ResultsMethod,
    ResultsSettings,
    StageMode,
)
from scoring.results.services.settings import CategoryInfo, StageWeight

WEIGHT_PREFIX = "weight_"


def tie_break_choices(stages: Sequence[StageWeight], categories: Sequence[CategoryInfo]):
    """(criterion, label) pairs an official may put in the chain, for the help text."""
    return [
        ("total", _("总分")),
        *(
            (
                f"category:{c.code}",
                _("类目 %(code)s %(name)s 得分") % {"code": c.code, "name": c.name},
            )
            for c in categories
        ),
        *((f"stage:{s.kind}", _("%(stage)s阶段总分") % {"stage": s.label}) for s in stages),
    ]


class ResultsSettingsForm(forms.Form):
    method = forms.ChoiceField(label=gettext_lazy("合成方法"), choices=ResultsMethod.choices)
    fallback_method = forms.ChoiceField(
        label=gettext_lazy("无共识时的合成方法"),
        choices=FallbackMethod.choices,
        help_text=gettext_lazy("合成方法为“评审组共识分”时，未形成共识的条款按此方法合成。"),
    )
    mode = forms.ChoiceField(label=gettext_lazy("阶段合成方式"), choices=StageMode.choices)
    tie_break = forms.CharField(
        label=gettext_lazy("并列处理规则"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("每行一项，依次比较（保留两位小数），第一项须为 total。"),
    )
    feedback_min_group = forms.IntegerField(
        label=gettext_lazy("反馈报告比较所需的最少单位数"),
        required=False,
        help_text=gettext_lazy(
            "完成同一评审阶段的申报单位不少于此数时，反馈报告才显示平均值和四分位数；"
            "不得少于 3 家，默认 5 家。"
        ),
    )

    def __init__(self, *args, settings: ResultsSettings, stages: Sequence[StageWeight], **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "method": settings.method,
                "fallback_method": settings.fallback_method,
                "mode": settings.mode,
                "tie_break": "\n".join(settings.tie_break or ()),
                "feedback_min_group": settings.feedback_min_group,
                **{WEIGHT_PREFIX + stage.kind: stage.weight for stage in stages},
            },
        )
        super().__init__(*args, **kwargs)
        self.stages = list(stages)
        for stage in self.stages:
            self.fields[WEIGHT_PREFIX + stage.kind] = forms.DecimalField(
                label=_("%(stage)s权重") % {"stage": stage.label},
                max_digits=4,
                decimal_places=3,
                help_text=_("加权合成时各阶段权重合计应为 1；替代方式下大于 0 表示计入该阶段。"),
            )

    def clean_tie_break(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["tie_break"].splitlines() if line.strip()
        ]

    def weights(self) -> dict[str, Decimal]:
        return {stage.kind: self.cleaned_data[WEIGHT_PREFIX + stage.kind] for stage in self.stages}


class ComputeForm(forms.Form):
    accept_partial = forms.BooleanField(
        label=gettext_lazy("接受不完整的数据（缺失的评分表不计入）"), required=False
    )
