"""Forms of the public notice: the officials' notice and announcement pages, and the public
objection form of a results notice page. They only parse; services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awards.models import Application
from awards.uploads import ACCEPT_ATTRIBUTE
from scoring.publication.models import ObjectionOutcome
from scoring.publication.services.period import (
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


class ApplicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Application) -> str:
        return obj.organization.name


class ObjectionForm(forms.Form):
    """Fields are optional here on purpose: the service reports what is missing, in the same
    words for the page and the admin; the browser still asks for them (``required``)."""

    real_name = forms.CharField(
        label=_("真实姓名"),
        required=False,
        widget=forms.TextInput(attrs={"required": True, "autocomplete": "name"}),
        help_text=_("异议须以真实姓名提出，匿名异议不予受理。"),
    )
    contact = forms.CharField(
        label=_("联系方式"),
        required=False,
        widget=forms.TextInput(attrs={"required": True, "autocomplete": "tel"}),
        help_text=_("手机号码或电子邮箱，仅供质量奖办公室核实异议时使用，不会公开。"),
    )
    application = ApplicationChoiceField(
        label=_("异议对象"),
        queryset=Application.objects.none(),
        required=False,
        empty_label=_("（不针对某一申报单位）"),
    )
    text = forms.CharField(
        label=_("异议内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "required": True}),
        help_text=_("请写明异议的事实和理由。"),
    )
    evidence = forms.FileField(
        label=_("证明材料"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"required": True, "accept": ACCEPT_ATTRIBUTE}),
        help_text=_("PDF、JPEG、PNG、DOCX 或 XLSX 文件，不超过 20 MB。"),
    )

    def __init__(self, *args, application_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = (
            Application.objects.filter(pk__in=application_ids)
            .select_related("organization")
            .order_by("organization__name")
        )
