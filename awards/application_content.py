"""What an application must contain: its steps, the fields of each step, and the limits.

Both the wizard's forms and the submission service read these specs, so a rule is written once:
forms build their fields from ``FieldSpec.formfield()``, and ``draft_field_errors`` cleans a saved
draft with the very same fields. Drafts keep what the applicant typed (strings), so nothing typed
is lost; whether it is acceptable is decided here, when a step is saved and again at submission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.enums import Declaration
from awards.models import Cycle
from awards.models.applications import SELF_PERCENT_CHOICES

STEP_BASIC = "basic"
STEP_ELIGIBILITY = "eligibility"
STEP_OVERVIEW = "overview"
STEP_EVIDENCE = "evidence"
STEP_REVIEW = "review"
STEP_CANDIDATE = "candidate"
SELF_ASSESSMENT_PREFIX = "sa-"

REQUIRED_MESSAGE = gettext_lazy("请填写此项。")


def self_assessment_step(category_code: str) -> str:
    """The wizard step (and URL segment) of a criteria category: 4.1 → ``sa-4-1``."""
    return SELF_ASSESSMENT_PREFIX + category_code.replace(".", "-")


def step_title(step: str) -> str:
    """The heading of one of the fixed steps (a category's step: ``self_assessment_title``)."""
    return {
        STEP_BASIC: _("申报表"),
        STEP_ELIGIBILITY: _("资格条件声明"),
        STEP_OVERVIEW: _("组织概述"),
        STEP_EVIDENCE: _("证明材料"),
        STEP_REVIEW: _("确认提交"),
        STEP_CANDIDATE: _("候选人信息"),
    }[step]


def self_assessment_title(category_label: str) -> str:
    """The heading of a category's self-assessment step, e.g. "自评报告：4.1 领导"."""
    return _("自评报告：%(category)s") % {"category": category_label}


def count_chars(text: str) -> int:
    """Characters as the applicant sees them: a line break is one character (as in the browser)."""
    return len(normalize_text(text))


def normalize_text(text: str) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def over_limit_message(length: int, limit: int) -> str | None:
    if length <= limit:
        return None
    return _("超出 %(over)d 个字符（上限 %(limit)d 个字符，当前 %(length)d 个字符），请删减。") % {
        "over": length - limit,
        "limit": limit,
        "length": length,
    }


@dataclass(frozen=True)
class FieldSpec:
    """One field of a step: enough to build the form field and to check a saved draft."""

    name: str
    label: str | Promise
    kind: str = "text"
    required: bool = True
    max_length: int | None = None
    help_text: str | Promise = ""
    extra: dict = field(default_factory=dict)

    def formfield(self) -> forms.Field:
        common = {
            "label": self.label,
            "required": self.required,
            "help_text": self.help_text,
            "error_messages": {"required": REQUIRED_MESSAGE},
        }
        if self.kind == "email":
            return forms.EmailField(max_length=254, **common)
        if self.kind == "int":
            return forms.IntegerField(min_value=0, max_value=10_000_000, **common)
        if self.kind == "decimal":
            return forms.DecimalField(
                max_digits=14,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.01"}),
                **common,
            )
        if self.kind == "date":
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        if self.kind == "year":
            return forms.IntegerField(min_value=1980, max_value=self.extra["max_year"], **common)
        if self.kind == "declaration":
            return forms.ChoiceField(
                choices=Declaration.choices, widget=forms.RadioSelect, **common
            )
        if self.kind == "textarea":
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 14}), strip=False, **common)
        return forms.CharField(max_length=self.max_length, **common)


def basic_fields(cycle: Cycle) -> list[FieldSpec]:
    """申报表: organization details, contacts, size, three years of figures, certifications."""
    years = [cycle.year - 3, cycle.year - 2, cycle.year - 1]
    figures = [
        FieldSpec(f"revenue_{index}", _("%(year)d 年营业收入（万元）") % {"year": year}, "decimal")
        for index, year in enumerate(years, start=1)
    ] + [
        FieldSpec(f"profit_{index}", _("%(year)d 年利润总额（万元）") % {"year": year}, "decimal")
        for index, year in enumerate(years, start=1)
    ]
    return [
        FieldSpec("organization_name", gettext_lazy("单位名称"), max_length=200),
        FieldSpec("address", gettext_lazy("通讯地址"), max_length=200),
        FieldSpec("legal_representative", gettext_lazy("法定代表人"), max_length=50),
        FieldSpec("contact_person", gettext_lazy("联系人"), max_length=50),
        FieldSpec("contact_phone", gettext_lazy("联系电话"), max_length=30),
        FieldSpec("contact_email", gettext_lazy("联系人电子邮箱"), "email"),
        FieldSpec("employees", gettext_lazy("从业人员数（人）"), "int"),
        *figures,
        FieldSpec(
            "iso9001_date",
            gettext_lazy("ISO 9001 质量管理体系首次获证日期"),
            "date",
            required=False,
        ),
        FieldSpec(
            "other_qms_name",
            gettext_lazy("其他质量管理体系认证"),
            required=False,
            max_length=100,
            help_text=gettext_lazy("行业质量管理体系，如 IATF 16949、GJB 9001C；没有可不填。"),
        ),
        FieldSpec("other_qms_date", gettext_lazy("该体系首次获证日期"), "date", required=False),
        FieldSpec(
            "other_certifications",
            gettext_lazy("其他管理体系认证"),
            required=False,
            max_length=300,
            help_text=gettext_lazy("如 ISO 14001 环境、ISO 45001 职业健康安全管理体系，可列多项。"),
        ),
        FieldSpec(
            "excellence_model_year",
            gettext_lazy("导入卓越绩效模式的年份"),
            "year",
            extra={"max_year": cycle.year},
        ),
    ]


DECLARATIONS: tuple[tuple[str, Promise], ...] = (
    ("major_accident", gettext_lazy("重大质量、安全或环境事故")),
    ("failed_inspection", gettext_lazy("产品质量监督抽查不合格")),
    ("serious_complaint", gettext_lazy("严重的质量投诉")),
    ("tax_social_violation", gettext_lazy("税收或社会保险违法行为")),
)


def eligibility_fields(cycle: Cycle) -> list[FieldSpec]:
    years = cycle.lookback_years
    specs = [
        FieldSpec(
            code,
            _("近 %(years)d 年内是否发生过%(what)s") % {"years": years, "what": what},
            "declaration",
        )
        for code, what in DECLARATIONS
    ]
    return specs


def overview_fields(cycle: Cycle) -> list[FieldSpec]:
    return [
        FieldSpec(
            "overview",
            gettext_lazy("组织概述"),
            "textarea",
            help_text=_("简要介绍组织的基本情况、面临的环境、关系和挑战，不超过 %(limit)d 个字符。")
            % {"limit": cycle.overview_char_limit},
            extra={"char_limit": cycle.overview_char_limit},
        )
    ]


def fields_for_step(step: str, cycle: Cycle) -> list[FieldSpec]:
    return {
        STEP_BASIC: basic_fields,
        STEP_ELIGIBILITY: eligibility_fields,
        STEP_OVERVIEW: overview_fields,
    }[step](cycle)


def cross_field_errors(step: str, cleaned: Mapping[str, object]) -> dict[str, str]:
    """Rules that involve two fields of a step (field name → message)."""
    rule = CROSS_FIELD_RULES.get(step)
    return rule(cleaned) if rule else {}


def certification_pair_errors(cleaned: Mapping[str, object]) -> dict[str, str]:
    """申报表: another quality system is named together with the date it was first certified."""
    errors = {}
    if cleaned.get("other_qms_date") and not cleaned.get("other_qms_name"):
        errors["other_qms_name"] = _("填写了首次获证日期，请同时填写该体系的名称。")
    if cleaned.get("other_qms_name") and not cleaned.get("other_qms_date"):
        errors["other_qms_date"] = _("请填写该体系的首次获证日期。")
    return errors


CROSS_FIELD_RULES: dict[str, Callable[[Mapping[str, object]], dict[str, str]]] = {
    STEP_BASIC: certification_pair_errors,
}


def draft_field_errors(step: str, cycle: Cycle, values: Mapping[str, str]) -> dict[str, str]:
    """Clean a saved draft with the step's own fields; field name → first error message."""
    errors: dict[str, str] = {}
    cleaned: dict[str, object] = {}
    for spec in fields_for_step(step, cycle):
        formfield = spec.formfield()
        raw = values.get(spec.name, "")
        try:
            cleaned[spec.name] = formfield.clean(raw)
        except ValidationError as error:
            errors[spec.name] = error.messages[0]
            continue
        limit = spec.extra.get("char_limit")
        if limit is not None:
            message = over_limit_message(count_chars(str(raw)), limit)
            if message:
                errors[spec.name] = message
    for name, message in cross_field_errors(step, cleaned).items():
        errors.setdefault(name, message)
    return errors


def parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def parse_int(value: str | None) -> int | None:
    try:
        return int(str(value or "").strip())
    except ValueError:
        return None


def self_percent_choices() -> list[tuple[str, str]]:
    return [("", _("不自评"))] + [(str(value), f"{value}%") for value in SELF_PERCENT_CHOICES]
