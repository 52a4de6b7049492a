"""Forms of the consensus page: the leader's per-item consensus and the members' comments."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import CriteriaItem
from scoring.review.forms.reviewer import PercentField, text_area
from scoring.review.services.consensus import COMMENT_MAX_LENGTH, ConsensusEntry

NOT_AGREED = _("未确定")


class ConsensusItemForm(forms.Form):
    """One item of the consensus; prefixed with the item code (``c-4.1.1-percent``)."""

    percent = PercentField(label=_("共识百分比"), empty_label=NOT_AGREED)
    rationale = text_area(_("理由"), rows=2)
    strengths = text_area(_("综合优势"), rows=3)
    improvements = text_area(_("综合改进机会"), rows=3)

    def __init__(self, *args, item: CriteriaItem, **kwargs) -> None:
        kwargs.setdefault("prefix", f"c-{item.code}")
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["percent"].widget.attrs.update(
            {"data-points": str(item.points), "data-percent-select": ""}
        )

    def entry(self) -> ConsensusEntry:
        data = self.cleaned_data
        return ConsensusEntry(
            percent=data["percent"],
            rationale=data["rationale"],
            strengths=data["strengths"],
            improvements=data["improvements"],
        )


def consensus_initial(agreed) -> dict:
    if agreed is None:
        return {}
    return {
        "percent": agreed.percent,
        "rationale": agreed.rationale,
        "strengths": agreed.strengths,
        "improvements": agreed.improvements,
    }


class ConsensusCommentForm(forms.Form):
    item = forms.ChoiceField(label=_("针对条款"), required=False)
    text = forms.CharField(
        label=_("意见"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写意见。")},
    )

    def __init__(self, *args, items: list[CriteriaItem], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items_by_code = {item.code: item for item in items}
        self.fields["item"].choices = [("", _("整体意见"))] + [
            (item.code, f"{item.code} {item.name}") for item in items
        ]

    def selected_item(self) -> CriteriaItem | None:
        return self.items_by_code.get(self.cleaned_data.get("item") or "")
