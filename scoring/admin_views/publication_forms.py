"""Forms of the officials' notice and announcement pages: they only parse; services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from scoring.models import ObjectionOutcome
from scoring.services.publication_period import (
    DEFAULT_WORKING_DAYS,
    MAX_WORKING_DAYS,
    parse_holidays,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OpenNoticeForm(forms.Form):
    starts_on = forms.DateField(label=_("公示开始日期"), widget=DATE_INPUT)
    working_days = forms.IntegerField(
        label=_("公示期（工作日）"),
        min_value=1,
        max_value=MAX_WORKING_DAYS,
        initial=DEFAULT_WORKING_DAYS,
        help_text=_("周六、周日和下列节假日不计入公示期。"),
    )
    holidays = forms.CharField(
        label=_("法定节假日"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2026-10-01"}),
        help_text=_("每行一个日期，格式如 2026-10-01。"),
    )

    def clean_holidays(self):
        lines = [line for line in self.cleaned_data["holidays"].split() if line.strip()]
        try:
            return parse_holidays(lines)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


class ResolveObjectionForm(forms.Form):
    # Not required here: the service says what is missing, in the same words everywhere.
    outcome = forms.ChoiceField(
        label=_("处理结论"),
        choices=ObjectionOutcome.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"required": True}),
    )
    resolution = forms.CharField(
        label=_("处理意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "required": True}),
        help_text=_("写明核查经过和结论；异议成立的，本次公示名单不能发布表彰，须重新计算结果。"),
    )


class AnnounceForm(forms.Form):
    valid_until = forms.DateField(
        label=_("奖项有效期至"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("按本奖项管理办法填写；不填则长期有效。"),
    )


class RevokeAwardForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "required": True}),
        help_text=_("撤销理由将在获奖名单页面和证书查验结果中公开。"),
    )
