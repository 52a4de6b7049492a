"""Forms of the officials' review pages; choices are narrowed to the official's authority."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateTimeInput

from awards.criteria_data import GB_T_19580_2012
from awards.enums import Industry, Role
from awards.models import User
from awards.permissions.rules import scope_to_authority
from awards.validators import validate_credit_code
from scoring.enums import StageKind
from scoring.review.models import ReviewStage

CATEGORY_CHOICES = [
    (category.code, f"{category.code} {category.name}") for category in GB_T_19580_2012.categories
]


def _codes(text: str) -> list[str]:
    return [code.strip().upper() for code in text.replace(",", "\n").split() if code.strip()]


class ReviewerProfileForm(WagtailAdminModelForm):
    """The pool entry of one reviewer account of the official's own authority."""

    industries = forms.MultipleChoiceField(
        label=gettext_lazy("熟悉行业"),
        choices=Industry.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("擅长的评价类目"),
        choices=CATEGORY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    former_employer_credit_codes = forms.CharField(
        label=gettext_lazy("近年曾任职单位统一社会信用代码"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("每行一个；用于自动识别利益冲突。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if "user" in self.fields:
            reviewers = User.objects.filter(role=Role.REVIEWER)
            if user is not None:
                reviewers = scope_to_authority(reviewers, user, "authority")
            if self.instance.pk:
                self.fields["user"].disabled = True
                reviewers = reviewers.filter(pk=self.instance.user_id)
            else:
                reviewers = reviewers.filter(reviewer_profile__isnull=True)
            self.fields["user"].queryset = reviewers.order_by("full_name", "username")
        if self.instance.pk:
            self.initial["former_employer_credit_codes"] = "\n".join(
                self.instance.former_employer_credit_codes or []
            )

    def clean_employer_credit_code(self):
        return (self.cleaned_data.get("employer_credit_code") or "").strip().upper()

    def clean_former_employer_credit_codes(self):
        codes = _codes(self.cleaned_data.get("former_employer_credit_codes") or "")
        errors = []
        for code in codes:
            try:
                validate_credit_code(code)
            except ValidationError:
                errors.append(_("“%(code)s”不是有效的统一社会信用代码。") % {"code": code})
        if errors:
            raise ValidationError(errors)
        return codes


class StageForm(forms.ModelForm):
    """One stage of the stages page; ``kind`` is chosen only when a stage is added. The
    individual track's advancement rule is shown only for a cycle with an individual track."""

    class Meta:
        model = ReviewStage
        fields = [
            "kind",
            "order",
            "opens_at",
            "closes_at",
            "panel_size",
            "spread_threshold",
            "advance_min_total",
            "advance_top_n",
            "individual_advance_min_total",
            "individual_advance_top_n",
            "weight",
        ]
        widgets = {"opens_at": AdminDateTimeInput, "closes_at": AdminDateTimeInput}

    def __init__(self, *args, individual_track: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if individual_track:
            # Organizations and individuals advance by separate rules: say whose rule is whose.
            self.fields["advance_min_total"].label = _("组织奖晋级最低总分")
            self.fields["advance_top_n"].label = _("组织奖晋级名额（前 N 名）")
        else:
            del self.fields["individual_advance_min_total"]
            del self.fields["individual_advance_top_n"]
        if self.instance.pk:
            self.fields["kind"].disabled = True
            self.fields["kind"].required = False
        else:
            self.fields["kind"].required = False
            self.fields["kind"].choices = [("", _("（不增加）"))] + list(StageKind.choices)
            self.fields["order"].required = False
            for name in ("opens_at", "closes_at", "panel_size", "spread_threshold", "weight"):
                self.fields[name].required = False

    def clean(self):
        data = super().clean()
        if self.instance.pk or not data.get("kind"):
            return data
        for name in ("order", "opens_at", "closes_at"):
            if data.get(name) in (None, ""):
                self.add_error(name, _("增加评审阶段时必须填写此项。"))
        return data

    @property
    def adds_stage(self) -> bool:
        return not self.instance.pk and bool(self.cleaned_data.get("kind"))


class BaseStageFormSet(forms.BaseModelFormSet):
    """Existing stages (to edit or delete) and one blank form to add a stage."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("删除此阶段")


StageFormSet = forms.modelformset_factory(
    ReviewStage,
    form=StageForm,
    formset=BaseStageFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
)


class ManualAssignForm(forms.Form):
    application = forms.TypedChoiceField(label=gettext_lazy("申报"), coerce=int)
    reviewer = forms.ModelChoiceField(label=gettext_lazy("评审专家"), queryset=User.objects.none())
    override_reason = forms.CharField(
        label=gettext_lazy("利益冲突豁免理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("仅在该专家与申报存在利益冲突且确需分配时填写，将记入操作日志。"),
    )

    def __init__(self, *args, applications, pool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [
            (app.pk, f"{app.pk} · {app.display_name}") for app in applications
        ]
        self.fields["reviewer"].queryset = User.objects.filter(
            pk__in=[profile.user_id for profile in pool]
        )
        self.fields["reviewer"].choices = [("", "---------")] + [
            (
                profile.user_id,
                _("%(name)s（本届已分配 %(load)d/%(max)d）")
                % {
                    "name": profile.user,
                    "load": profile.cycle_load,
                    "max": profile.max_load_per_cycle,
                },
            )
            for profile in pool
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("理由"), widget=forms.Textarea(attrs={"rows": 3}), strip=True
    )


class ScoreImportForm(forms.Form):
    MAX_BYTES = 5 * 1024 * 1024

    file = forms.FileField(
        label=gettext_lazy("评分 CSV 文件"),
        help_text=gettext_lazy("UTF-8 或 GB18030 编码；先整体校验，全部无误才导入。"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("文件不能超过 5 MB。"))
        return upload
