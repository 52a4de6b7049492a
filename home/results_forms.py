"""The public objection form of a results notice page. It parses; ``submit_objection`` decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import Application
from awards.uploads import ACCEPT_ATTRIBUTE


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
