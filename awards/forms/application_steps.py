"""The application wizard's step forms.

Field definitions come from ``awards.application_content`` so that the submission
service checks a saved draft with exactly the rules the form applied. Each form can hand back
what the applicant typed (``draft_values``, ``texts``) even when it is not valid: the wizard saves
that as the draft, so leaving a step never loses input.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.application_content import (
    STEP_BASIC,
    STEP_ELIGIBILITY,
    STEP_OVERVIEW,
    count_chars,
    cross_field_errors,
    fields_for_step,
    over_limit_message,
    self_percent_choices,
)
from awards.enums import Gender, RecommendationStatus
from awards.id_numbers import normalize_id_number, validate_id_number
from awards.models import (
    Application,
    AttachmentRequirement,
    CriteriaCategory,
    CriteriaItem,
    Recommendation,
)
from awards.services.recommendations import allowed_recommending_bodies, body_quota_used
from awards.uploads import ACCEPT_ATTRIBUTE


class DraftStepForm(forms.Form):
    """A step whose fields are ``FieldSpec``s; saved as typed into ``Application.draft``."""

    step: str = ""

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.specs = fields_for_step(self.step, application.cycle)
        for spec in self.specs:
            field = spec.formfield()
            limit = spec.extra.get("char_limit")
            if limit is not None:
                field.widget.attrs["data-char-limit"] = limit
            self.fields[spec.name] = field

    def clean(self):
        cleaned = super().clean()
        for spec in self.specs:
            limit = spec.extra.get("char_limit")
            if limit is None or spec.name in self.errors:
                continue
            message = over_limit_message(count_chars(self.raw_value(spec.name)), limit)
            if message:
                self.add_error(spec.name, message)
        for name, message in cross_field_errors(self.step, cleaned).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def raw_value(self, name: str) -> str:
        return str(self.data.get(self.add_prefix(name), "") or "")

    def draft_values(self) -> dict[str, str]:
        """What the applicant typed into this step, field by field, valid or not."""
        return {spec.name: self.raw_value(spec.name) for spec in self.specs}


class BasicStepForm(DraftStepForm):
    step = STEP_BASIC


class EligibilityStepForm(DraftStepForm):
    step = STEP_ELIGIBILITY


class OverviewStepForm(DraftStepForm):
    step = STEP_OVERVIEW


class SelfAssessmentStepForm(forms.Form):
    """One criteria category: per item a text (its guidance shown) and an optional self-score.

    The whole report has one character limit, so the form is told how many characters the
    other categories already hold.
    """

    def __init__(
        self,
        *args,
        application: Application,
        category: CriteriaCategory,
        items: list[CriteriaItem],
        other_chars: int,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.application = application
        self.category = category
        self.items = items
        self.other_chars = other_chars
        self.limit = application.cycle.self_assessment_char_limit
        for item in items:
            self.fields[f"text_{item.pk}"] = forms.CharField(
                label=f"{item.code} {item.name}",
                required=True,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 10, "data-counts-toward-total": "true"}),
                error_messages={"required": _("请填写本条款的自评内容。")},
            )
            self.fields[f"percent_{item.pk}"] = forms.TypedChoiceField(
                label=_("自评得分率"),
                choices=self_percent_choices(),
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={
                    "invalid_choice": _(
                        "自评得分率须为 0 至 100 之间 5 的整数倍，“%(value)s”不符合要求。"
                    )
                },
            )

    def clean(self):
        cleaned = super().clean()
        message = over_limit_message(self.total_chars(), self.limit)
        if message:
            self.add_error(None, _("自评报告全文%(message)s") % {"message": message})
        return cleaned

    def total_chars(self) -> int:
        return self.other_chars + sum(count_chars(text) for text in self.texts().values())

    def texts(self) -> dict[int, str]:
        return {
            item.pk: str(self.data.get(self.add_prefix(f"text_{item.pk}"), "") or "")
            for item in self.items
        }

    def valid_percents(self) -> dict[int, int | None]:
        """Self-scores that passed validation; call after ``is_valid()``."""
        return {
            item.pk: self.cleaned_data[f"percent_{item.pk}"]
            for item in self.items
            if f"percent_{item.pk}" in self.cleaned_data
        }

    def rows(self) -> list[tuple[CriteriaItem, forms.BoundField, forms.BoundField]]:
        return [(item, self[f"text_{item.pk}"], self[f"percent_{item.pk}"]) for item in self.items]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files of one type in one go; content checks happen in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(part, initial) for part in data]
        return [single(data, initial)] if data else []


class EvidenceStepForm(forms.Form):
    """A file input per attachment type of the cycle."""

    def __init__(
        self, *args, application: Application, requirements: list[AttachmentRequirement], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.application = application
        self.requirements = requirements
        for requirement in requirements:
            self.fields[f"file_{requirement.code}"] = MultipleFileField(
                label=requirement.name, required=False, help_text=requirement.help
            )

    def uploads(self) -> list[tuple[str, object]]:
        """(requirement code, uploaded file) for every file sent, valid or not."""
        if not self.files:
            return []
        return [
            (requirement.code, uploaded)
            for requirement in self.requirements
            for uploaded in self.files.getlist(self.add_prefix(f"file_{requirement.code}"))
        ]


#: The commitment when a recommending body files the application itself (代为填报).
BODY_COMMITMENT = gettext_lazy(
    "本推荐单位承诺：已核实所填报的申报材料真实、准确、完整，符合申报条件，并已取得候选人签字的"
    "同意书；如有虚假，自愿承担取消申报资格或撤销奖励等责任。"
)


class ReviewStepForm(forms.Form):
    commitment = forms.BooleanField(
        label=gettext_lazy(
            "本单位承诺：所填报的申报材料真实、准确、完整，符合申报条件；如有虚假，"
            "自愿承担取消申报资格或撤销奖励等责任。"
        ),
        required=True,
        error_messages={"required": gettext_lazy("提交前请阅读并勾选承诺。")},
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.recommending_body = None
        #: The body that filed the application itself: its submission is the body's
        #: recommendation, with the opinion asked for here (``recommend_on_submission``).
        self.filed_by_body = application.filed_by_body if application.filed_by_body_id else None
        self.quota = self.quota_used = None
        if self.filed_by_body is not None:
            # The body, not the employer, vouches for what it filed.
            self.fields["commitment"].label = BODY_COMMITMENT
        if application.cycle.programme.requires_recommendation:
            existing = Recommendation.objects.filter(application=application).first()
            if self.filed_by_body is not None:
                self.recommending_body = self.filed_by_body
                # Not yet recommended (or the body took it back and returned it to itself):
                # submitting recommends it, with an opinion.
                if existing is None or existing.status != RecommendationStatus.RECOMMENDED:
                    self._ask_for_opinion()
            elif existing is not None:
                # A returned application goes back to the body that returned it.
                self.recommending_body = existing.body
            else:
                self.fields["recommending_body"] = forms.ModelChoiceField(
                    label=gettext_lazy("推荐单位"),
                    queryset=allowed_recommending_bodies(
                        application.cycle.programme, application.organization
                    ),
                    empty_label=gettext_lazy("请选择"),
                    help_text=gettext_lazy(
                        "本奖项须经推荐单位推荐。提交后申报先送所选推荐单位审核，"
                        "推荐后才进入授奖机关的资格审查。只列出可以推荐贵单位的机关。"
                    ),
                    error_messages={
                        "required": gettext_lazy("请选择推荐单位。"),
                        "invalid_choice": gettext_lazy("请在列出的推荐单位中选择。"),
                    },
                )
                self.order_fields(["recommending_body", "commitment"])

    def _ask_for_opinion(self) -> None:
        application = self.application
        self.quota = application.cycle.programme.recommendation_quota
        self.quota_used = body_quota_used(self.filed_by_body.pk, application.cycle_id)
        self.fields["opinion"] = forms.CharField(
            label=gettext_lazy("推荐意见"),
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 6}),
            help_text=gettext_lazy(
                "本申报由本单位代为填报，提交即由本单位推荐：推荐意见在授奖机关资格审查时可见，"
                "并占用本单位本届的推荐名额。"
            ),
            error_messages={"required": gettext_lazy("请填写推荐意见。")},
        )
        self.order_fields(["opinion", "commitment"])

    def opinion(self) -> str:
        """The filing body's recommendation opinion (empty when none is asked for)."""
        return self.cleaned_data.get("opinion", "")

    def chosen_body(self):
        """The body the application goes to: chosen here, or the one it already has."""
        if self.recommending_body is not None:
            return self.recommending_body
        return self.cleaned_data.get("recommending_body")


class CandidateStepForm(forms.Form):
    """候选人信息 (individual track): the person, employed by the filing organization.

    The identity number is never shown back: the field stays empty, and left empty it keeps the
    number already stored (its masked form is shown as the help text).
    """

    name = forms.CharField(label=gettext_lazy("候选人姓名"), max_length=50)
    gender = forms.ChoiceField(label=gettext_lazy("性别"), choices=Gender.choices)
    birth_date = forms.DateField(
        label=gettext_lazy("出生日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    id_number = forms.CharField(
        label=gettext_lazy("身份证号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    position = forms.CharField(
        label=gettext_lazy("职务"),
        max_length=60,
        help_text=gettext_lazy("如首席质量官、总工程师。"),
    )
    years_in_quality_work = forms.IntegerField(
        label=gettext_lazy("从事质量工作年限"), min_value=0, max_value=70
    )
    education = forms.CharField(label=gettext_lazy("学历"), max_length=40)
    achievements = forms.CharField(
        label=gettext_lazy("主要业绩"), widget=forms.Textarea(attrs={"rows": 8})
    )
    honours = forms.CharField(
        label=gettext_lazy("所获荣誉"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        candidate = getattr(application, "candidate", None) if application.pk else None
        if candidate is not None:
            self.fields["id_number"].help_text = _("已保存：%(masked)s；如需更改请重新填写。") % {
                "masked": candidate.masked_id_number
            }
        else:
            self.fields["id_number"].required = True
            self.fields["id_number"].error_messages["required"] = _("请填写此项。")

    def clean_id_number(self):
        number = normalize_id_number(self.cleaned_data.get("id_number", ""))
        if number:
            validate_id_number(number)
        return number
