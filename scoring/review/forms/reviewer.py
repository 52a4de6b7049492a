"""Forms of the reviewer's side: commitment, declared ties, recusal and item scores."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awards.models import CriteriaItem, Organization
from scoring.bands import PERCENT_CHOICES, percent_error
from scoring.enums import ConflictRelation
from scoring.review.queries.reviewer import Sheet
from scoring.review.services.commitments import NOTE_MAX_LENGTH
from scoring.review.services.recusal import REASON_MAX_LENGTH
from scoring.review.services.scorecards import TEXT_MAX_LENGTH, ItemEntry, SheetRow

NOT_SCORED = _("未评分")


class PercentField(forms.Field):
    """A percentage chosen on the 5 % grid; empty means "not scored yet".

    The select offers only grid values, but a tampered request is checked with the same
    messages the services use.
    """

    def __init__(self, *, empty_label=NOT_SCORED, **kwargs) -> None:
        kwargs.setdefault("required", False)
        choices = [("", empty_label)] + [(str(value), f"{value}%") for value in PERCENT_CHOICES]
        super().__init__(widget=forms.Select(choices=choices), **kwargs)

    def to_python(self, value) -> int | None:
        if value in (None, ""):
            return None
        try:
            return int(str(value).strip())
        except ValueError:
            raise ValidationError(_("得分百分比须为整数。"), code="invalid") from None

    def validate(self, value) -> None:
        super().validate(value)
        message = percent_error(value)
        if message:
            raise ValidationError(message, code="grid")

    def prepare_value(self, value):
        return "" if value is None else str(value)


def text_area(label, rows: int = 4, max_length: int = TEXT_MAX_LENGTH) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class VersionForm(forms.Form):
    """The version of the scorecard or consensus the page was built from."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class CommitmentForm(forms.Form):
    accept = forms.BooleanField(
        label=_("我已阅读上述保密承诺，并承诺遵守。"),
        error_messages={"required": _("请勾选“我已阅读上述保密承诺，并承诺遵守”。")},
    )


class OrganizationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("单位名称或统一社会信用代码"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("输入单位名称或信用代码")}
        ),
    )


class ConflictDeclarationForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("只能申报本授奖机关辖区内的单位。")},
    )
    relation = forms.ChoiceField(
        label=_("与该单位的关系"),
        choices=[("", _("请选择"))] + list(ConflictRelation.choices),
        error_messages={"required": _("请选择与该单位的关系。")},
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("说明（可不填）")}),
    )

    def __init__(self, *args, region_prefix: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            region_code__startswith=region_prefix
        )


class RecusalForm(forms.Form):
    reason = forms.CharField(
        label=_("回避理由"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写回避理由。")},
    )


class ItemScoreForm(forms.Form):
    """One item of the scorecard; prefixed with the item code (``4.1.1-percent``)."""

    percent = PercentField(label=_("得分百分比"))
    strengths = text_area(_("优势"))
    improvements = text_area(_("改进机会"))

    def __init__(self, *args, item: CriteriaItem, **kwargs) -> None:
        kwargs.setdefault("prefix", item.code)
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["percent"].widget.attrs.update(
            {"data-points": str(item.points), "data-percent-select": ""}
        )

    def entry(self) -> ItemEntry:
        data = self.cleaned_data
        return ItemEntry(
            percent=data["percent"],
            strengths=data["strengths"],
            improvements=data["improvements"],
        )


class SheetRowForm(ItemScoreForm):
    """One row of the whole sheet: the item's fields and, hidden, the item's version and
    fingerprint as the page last had them from the server (``SheetRow``), so that a save writes
    only the rows changed on the page, each locked on its own item."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    seen = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def row(self) -> SheetRow:
        data = self.cleaned_data
        return SheetRow(self.entry(), version=data["version"], seen=data["seen"])

    @property
    def page_incomplete(self) -> bool:
        """The page did not send the row's version (an old or tampered page)."""
        return "version" in self.errors or "seen" in self.errors

    def state(self, version: int, seen: str) -> dict[str, str]:
        """The posted names and values of the row's hidden fields, for an answer or a redraw."""
        return {self.add_prefix("version"): str(version), self.add_prefix("seen"): seen}


def sheet_forms(sheet: Sheet, data=None) -> dict[str, SheetRowForm]:
    """The sheet's rows by item code, built from the saved scorecard (and ``data`` if posted)."""
    return {
        entry.item.code: SheetRowForm(
            data,
            item=entry.item,
            initial={**item_initial(entry.score), **sheet_row_state(sheet, entry.item.code)},
        )
        for entry in sheet.items
    }


def sheet_row_state(sheet: Sheet, code: str) -> dict:
    """The hidden fields' values of a row as saved now: the item's version and fingerprint."""
    return {
        "version": sheet.item_version(code),
        "seen": ItemEntry.of(sheet.entry(code).score).fingerprint(),
    }


def item_initial(score) -> dict:
    if score is None:
        return {}
    return {
        "percent": score.percent,
        "strengths": score.strengths,
        "improvements": score.improvements,
    }
