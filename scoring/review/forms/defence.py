"""Forms of the defence stage: a question, sending a round, and the applicant's answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.forms.application_steps import MultipleFileField
from scoring.review.services.defence import ANSWER_MAX_LENGTH, QUESTION_MAX_LENGTH

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=False,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("问题"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写问题。")},
    )


class SendRoundForm(forms.Form):
    """Written answers by a deadline, or a hearing at a date and place (one of the two)."""

    answer_deadline = _datetime_field(
        _("书面答复截止时间"), _("北京时间；截止后申报单位不能再答复。")
    )
    hearing_at = _datetime_field(_("或：现场答辩时间"))
    hearing_place = forms.CharField(label=_("现场答辩地点"), required=False, max_length=200)


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("答复"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写答复。")},
    )
    files = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_("可选，最多 5 个；PDF、JPEG、PNG、DOCX 或 XLSX，按文件内容检查。"),
    )
