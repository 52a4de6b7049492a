"""Notes kept as a code and parameters, worded in the reader's language when shown.

The application timeline (``ApplicationEvent``) and the audit log (``AuditEntry``) used to store a
note as finished text, in the language of whoever acted: an English-speaking applicant's
"Started the application" stayed English for the Chinese official reading it. A note is now
stored as a code from :data:`NOTES` and a dict of parameters, and worded with gettext when a
page shows it, in the viewer's active language. Rows written before keep their plain text and
show it as it is.

Parameters are plain values (what a person typed, a number); they are put into the worded
message as text, and templates escape the result like any other text.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

#: Every note code and its message. Stored codes never change; add a code for a new message.
NOTES = {
    "application_started": _("开始填写申报材料"),
    "individual_application_started": _("开始填写个人奖申报材料"),
    "individual_application_filed": _("%(body)s代为开始填写个人奖申报材料"),
    "application_submitted": _("提交申报"),
    "application_resubmitted": _("修改后重新提交申报"),
    "screening_reasons": _("审查意见：%(reasons)s"),
    "computation_abandoned": _("计算超过 %(minutes)s 分钟仍未完成，已视为中断。"),
    "recommended": _("%(body)s推荐：%(opinion)s"),
    "recommendation_returned": _("%(body)s退回修改：%(reason)s"),
    "recommendation_declined": _("%(body)s不予推荐：%(reason)s"),
    "recommendation_withdrawn": _("%(body)s撤销推荐：%(reason)s"),
}


def note(code: str, **params) -> dict:
    """The stored form of a note: ``{"code": ..., "params": {...}}`` (checked here, so a
    misspelt code fails where it is written, not where it is read)."""
    if code not in NOTES:
        raise ValueError(f"unknown note code {code!r}: add it to awards.notes.NOTES")
    return {"code": code, "params": params}


def render_note(code: str, params: dict | None, fallback: str = "") -> str:
    """The note worded in the active language; ``fallback`` (the plain text of an old row)
    when there is no code. An unknown code or missing parameter shows the code rather than
    breaking the page."""
    if not code:
        return fallback
    message = NOTES.get(code)
    if message is None:
        return code
    text = str(message)  # lazy: worded now, in the active language
    if not params:
        return text
    try:
        return text % params
    except (KeyError, TypeError, ValueError):
        return text
