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

from awards.enums import Track
from awards.forms.choices import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from awards.models import User
from scoring.results.models.committee import Vote
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
    track = forms.ChoiceField(
        label=gettext_lazy("类别"), choices=Track.choices, initial=Track.ORGANIZATION
    )
    accept_partial = forms.BooleanField(
        label=gettext_lazy("接受不完整的数据（缺失的评分表不计入）"), required=False
    )

    def __init__(self, *args, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cycle is None or not cycle.takes_individuals:
            self.fields["track"].choices = [(Track.ORGANIZATION.value, Track.ORGANIZATION.label)]


class CommitteeForm(forms.Form):
    """The cycle's committee: members among the authority's officials and experts, a chair."""

    members = BoundedModelMultipleChoiceField(
        label=gettext_lazy("委员"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("从本授奖机关的工作人员和评审专家中选择。"),
    )
    chair = BoundedModelChoiceField(label=gettext_lazy("主任委员"), queryset=None, required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates
        self.fields["chair"].queryset = candidates
        self.fields["members"].label_from_instance = _person_label
        self.fields["chair"].label_from_instance = _person_label


def _person_label(user) -> str:
    return f"{user}（{user.get_role_display()}）"


VOTE_PREFIX = "vote"
RATIONALE_PREFIX = "rationale"


class DecisionForm(forms.Form):
    """The meeting as the secretary records it: date, attendance, each present member's vote on
    each proposed award (absent members' choices stay empty), a rationale per open question, and
    the minutes. The service judges the whole (``record_committee_decision``)."""

    held_on = forms.DateField(
        label=gettext_lazy("会议日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    present = forms.ModelMultipleChoiceField(
        label=gettext_lazy("出席委员"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    minutes = forms.CharField(
        label=gettext_lazy("会议纪要"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
    )

    def __init__(self, *args, members, entries, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        self.entries = list(entries)
        self.questions = list(questions)
        self.fields["present"].queryset = _members_queryset(self.members)
        vote_choices = [("", "—"), *Vote.choices]
        for entry in self.entries:
            for member in self.members:
                self.fields[self.vote_name(entry.application_id, member.pk)] = forms.ChoiceField(
                    label=f"{entry.application.display_name} · {member}",
                    choices=vote_choices,
                    required=False,
                )
        for index, question in enumerate(self.questions):
            self.fields[f"{RATIONALE_PREFIX}_{index}"] = forms.CharField(
                label=question.subject,
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=5000,
            )

    @staticmethod
    def vote_name(application_id: int, member_id: int) -> str:
        return f"{VOTE_PREFIX}_{application_id}_{member_id}"

    def vote_rows(self):
        """(entry, [bound vote field per member]) for the template's table."""
        return [
            (
                entry,
                [self[self.vote_name(entry.application_id, member.pk)] for member in self.members],
            )
            for entry in self.entries
        ]

    def meeting_fields(self):
        return [self["held_on"], self["present"]]

    def rationale_fields(self):
        return [self[f"{RATIONALE_PREFIX}_{index}"] for index in range(len(self.questions))]

    def votes(self) -> dict[tuple[int, int], str]:
        return {
            (entry.application_id, member.pk): value
            for entry in self.entries
            for member in self.members
            if (value := self.cleaned_data.get(self.vote_name(entry.application_id, member.pk)))
        }

    def rationales(self) -> dict[str, str]:
        return {
            question.key: self.cleaned_data.get(f"{RATIONALE_PREFIX}_{index}", "")
            for index, question in enumerate(self.questions)
        }


def _members_queryset(members):
    return User.objects.filter(pk__in=[member.pk for member in members]).order_by(
        "role", "full_name", "username"
    )
