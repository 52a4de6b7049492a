"""Filter forms of the cycle's conflicts page and audit entries page (GET, all optional)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.audit_actions import AuditAction
from awards.models import Cycle
from scoring.review.queries.integrity import (
    KIND_CHOICES,
    AuditFilters,
    ConflictFilters,
    audit_actors_of,
    reviewers_of,
)


class _DateRangeForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("起始日期"), required=False)
    date_to = forms.DateField(label=gettext_lazy("截止日期"), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("起始日期不能晚于截止日期。"))
        return cleaned

    def valid_values(self) -> dict:
        """The values that passed validation (an invalid field filters nothing); a reversed
        date range filters by neither date."""
        self.is_valid()
        values = dict(getattr(self, "cleaned_data", {}))
        if self.non_field_errors():
            values.pop("date_from", None)
            values.pop("date_to", None)
        return values


class ConflictFilterForm(_DateRangeForm):
    stage = forms.ModelChoiceField(
        label=gettext_lazy("评审阶段"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("全部"),
    )
    reviewer = forms.ModelChoiceField(
        label=gettext_lazy("评审专家"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("全部"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("类别"), required=False)

    field_order = ["stage", "reviewer", "kind", "date_from", "date_to"]

    def __init__(self, data, *, cycle: Cycle) -> None:
        super().__init__(data)
        self.fields["stage"].queryset = cycle.stages.order_by("order")
        self.fields["stage"].label_from_instance = lambda stage: stage.get_kind_display()
        self.fields["reviewer"].queryset = reviewers_of(cycle)
        self.fields["kind"].choices = [("", _("全部")), *KIND_CHOICES]

    def filters(self) -> ConflictFilters:
        values = self.valid_values()
        return ConflictFilters(
            stage=values.get("stage"),
            reviewer=values.get("reviewer"),
            kind=values.get("kind") or "",
            date_from=values.get("date_from"),
            date_to=values.get("date_to"),
        )


class AuditFilterForm(_DateRangeForm):
    action = forms.ChoiceField(label=gettext_lazy("操作"), required=False)
    actor = forms.ModelChoiceField(
        label=gettext_lazy("操作人"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("全部"),
    )

    field_order = ["action", "actor", "date_from", "date_to"]

    def __init__(self, data, *, cycle: Cycle) -> None:
        super().__init__(data)
        self.fields["action"].choices = [("", _("全部")), *AuditAction.choices]
        self.fields["actor"].queryset = audit_actors_of(cycle)

    def filters(self) -> AuditFilters:
        values = self.valid_values()
        return AuditFilters(
            action=values.get("action") or "",
            actor=values.get("actor"),
            date_from=values.get("date_from"),
            date_to=values.get("date_to"),
        )
