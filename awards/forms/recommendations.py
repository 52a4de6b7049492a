"""The recommender's forms: a decision on a pending application, and withdrawing a recommendation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from awards.uploads import ACCEPT_ATTRIBUTE

RECOMMEND = "recommend"
RETURN = "return"
DECLINE = "decline"


class RecommendationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("推荐结论"),
        choices=[
            (RECOMMEND, gettext_lazy("推荐")),
            (RETURN, gettext_lazy("退回修改")),
            (DECLINE, gettext_lazy("不予推荐")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择推荐结论。")},
    )
    text = forms.CharField(
        label=gettext_lazy("推荐意见或理由"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "推荐时填写推荐意见（授奖机关资格审查时可见）；退回修改或不予推荐时写明理由（申报单位可见，并会收到邮件）。"
        ),
    )
    scan = forms.FileField(
        label=gettext_lazy("盖章推荐意见扫描件（可选）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=gettext_lazy("PDF 或图片，推荐时上传。"),
    )


class WithdrawRecommendationForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("撤销推荐的理由"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("请填写撤销推荐的理由。")},
    )
