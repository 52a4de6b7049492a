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
    YearCalendar,
    fixed_date_holidays,
    parse_holidays,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _dates(value: str) -> list:
    lines = [line for line in value.split() if line.strip()]
    try:
        return parse_holidays(lines)
    except ValidationError as error:
        raise forms.ValidationError(error.messages) from None


class OpenNoticeForm(forms.Form):
    """The notice's start and length; the end date is previewed before it opens. When the period
    reaches into a year chinesecalendar does not know, the year's holidays are asked for
    (prefilled with the fixed-date ones) and confirmed here (``confirm_*`` fields)."""

    starts_on = forms.DateField(label=_("公示开始日期"), widget=DATE_INPUT)
    working_days = forms.IntegerField(
        label=_("公示期（工作日）"),
        min_value=1,
        max_value=MAX_WORKING_DAYS,
        initial=DEFAULT_WORKING_DAYS,
        help_text=_("按国家法定工作日计算：周末和法定节假日不计入，调休上班的周末计入。"),
    )
    holidays = forms.CharField(
        label=_("其他不计入的日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "2026-10-01"}),
        help_text=_(
            "法定节假日已自动扣除；如有其他不计入公示期的日期，每行一个，格式如 2026-10-01。"
        ),
    )
    confirm_year = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confirm_holidays = forms.CharField(
        label=_("该年的法定节假日"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "已预填元旦、劳动节、国庆节等固定日期的假日；请按国务院办公厅公布的安排核对，"
            "并补充春节、清明节、端午节、中秋节等农历节日的放假日期。每行一个日期。"
        ),
    )
    confirm_workdays = forms.CharField(
        label=_("该年的调休上班日"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("周六或周日调休上班的日期，每行一个。"),
    )
    confirm = forms.BooleanField(
        label=_("我已按国务院办公厅公布的安排核对该年的节假日"), required=False
    )

    def __init__(self, *args, ask_year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ask_year = ask_year
        if ask_year is None and not (self.is_bound and self.data.get("confirm_year")):
            for name in ("confirm_holidays", "confirm_workdays", "confirm"):
                del self.fields[name]

    @property
    def asks_confirmation(self) -> bool:
        """Whether the form shows the fields confirming a year's holidays."""
        return "confirm_holidays" in self.fields

    @property
    def confirming_year(self):
        return self.ask_year or self.data.get("confirm_year")

    @classmethod
    def asking(cls, data, year: int) -> "OpenNoticeForm":
        """The same form bound again, asking for ``year`` with its fixed-date holidays
        prefilled (unless the official already typed this year's)."""
        data = data.copy()
        if str(data.get("confirm_year", "")) != str(year):
            data["confirm_year"] = str(year)
            data["confirm_holidays"] = "\n".join(d.isoformat() for d in fixed_date_holidays(year))
            data["confirm_workdays"] = ""
            data.pop("confirm", None)
        return cls(data, ask_year=year)

    def clean_holidays(self):
        return _dates(self.cleaned_data["holidays"])

    def clean_confirm_holidays(self):
        return _dates(self.cleaned_data.get("confirm_holidays") or "")

    def clean_confirm_workdays(self):
        return _dates(self.cleaned_data.get("confirm_workdays") or "")

    def confirmation(self) -> YearCalendar | None:
        """The year the official confirmed with this submission, if any."""
        data = self.cleaned_data
        if not (data.get("confirm") and data.get("confirm_year")):
            return None
        return YearCalendar(
            data["confirm_year"],
            frozenset(data.get("confirm_holidays") or ()),
            frozenset(data.get("confirm_workdays") or ()),
        )

    def typed_year(self) -> YearCalendar | None:
        """The year being confirmed as typed so far (for the preview), confirmed or not."""
        data = self.cleaned_data
        if not data.get("confirm_year") or not data.get("confirm_holidays"):
            return None
        return YearCalendar(
            data["confirm_year"],
            frozenset(data["confirm_holidays"]),
            frozenset(data.get("confirm_workdays") or ()),
        )


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
        # Public: the organization, or the candidate's name with the employer; nothing else.
        return obj.display_name


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
            .select_related("organization", "candidate")
            .order_by("organization__name", "candidate__name", "pk")
        )
