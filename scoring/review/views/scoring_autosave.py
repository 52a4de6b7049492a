"""The background saves of a scorecard: an item's page posts its form here, the whole sheet its
rows.

The same services as the pages' buttons (``save_scores`` locked on the item alone, ``save_sheet``
on each row changed on the sheet, so another tab on another item never refuses them), answered
in JSON like the application wizard's background save (``awards.views.application_autosave``):
the new versions and the time saved, or the refusal with its message (409 for a stale tab, a
submitted scorecard or a closed window, 400 for bad input, 401 once the session has ended), so
the page keeps the typed text. Who may use them is the pages' rule: the assigned reviewer only,
anyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.permissions.rules import is_reviewer
from awards.views.application_autosave import refusal, session_ended_message
from scoring.review.forms.reviewer import ItemScoreForm, VersionForm, sheet_forms
from scoring.review.models import Assignment
from scoring.review.queries.reviewer import commitment_for, is_cleared, scoring_sheet
from scoring.review.services.scorecards import (
    ScorecardLocked,
    ScoringClosed,
    StaleVersion,
    item_version,
    save_scores,
    save_sheet,
)
from scoring.review.views.access import assignment_or_404, methods


def first_error(form) -> str:
    return next(iter(form.errors.values()))[0]


def incomplete_page_message() -> str:
    return _("页面信息不完整，请刷新后重试。")


def row_error(code: str, message: str) -> str:
    return _("条款 %(code)s：%(message)s") % {"code": code, "message": message}


def autosave_endpoint(view: Callable) -> Callable:
    """401 once the session has ended (the page keeps the text), 404 for anyone but the
    assignment's own reviewer; the view gets the assignment."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return refusal(session_ended_message(), 401, session_ended=True)
        if not is_reviewer(request.user):
            raise Http404
        return view(request, assignment_or_404(request, pk), **kwargs)

    return wrapper


def refused_before_saving(request: HttpRequest, assignment: Assignment) -> HttpResponse | None:
    """405 for anything but a POST; 403 before the reviewer has signed and declared."""
    if not_allowed := methods(request, "POST"):
        return not_allowed
    if not is_cleared(commitment_for(reviewer=request.user, cycle=assignment.panel.stage.cycle)):
        message = _("查看本届申报材料前，请先签署保密承诺并申报利益冲突（回避）情况。")
        return refusal(message, 403)
    return None


def saving_refused(error: ValidationError | PermissionDenied) -> JsonResponse:
    if isinstance(error, StaleVersion):
        return refusal(error.messages[0], 409, stale=True)
    if isinstance(error, ScorecardLocked | ScoringClosed):
        return refusal(error.messages[0], 409, stale=False)
    if isinstance(error, PermissionDenied):
        return refusal(str(error), 403)
    return refusal(error.messages[0], 400)


def saved_now() -> str:
    return timezone.localtime().strftime("%H:%M:%S")


@autosave_endpoint
def item_autosave_view(request: HttpRequest, assignment: Assignment, item_code: str):
    entry = scoring_sheet(assignment).entry(item_code)
    if entry is None:
        raise Http404
    if refused := refused_before_saving(request, assignment):
        return refused
    form = ItemScoreForm(request.POST, item=entry.item)
    version_form = VersionForm(request.POST)
    if not version_form.is_valid():
        return refusal(incomplete_page_message(), 400)
    if not form.is_valid():
        return refusal(first_error(form), 400)
    try:
        scorecard = save_scores(
            assignment=assignment,
            expected_version=version_form.cleaned_data["version"],
            entries={item_code: form.entry()},
            by=request.user,
            per_item=True,
        )
    except (PermissionDenied, ValidationError) as error:
        return saving_refused(error)
    score = form.entry()
    return JsonResponse(
        {
            "ok": True,
            "version": item_version(scorecard, item_code),
            "saved_at": saved_now(),
            "item": {
                "code": item_code,
                "percent": score.percent,
                "done": score.percent is not None
                and bool(score.strengths.strip() or score.improvements.strip()),
            },
        }
    )


@autosave_endpoint
def sheet_autosave_view(request: HttpRequest, assignment: Assignment):
    """Every row of the sheet is posted with its version and fingerprint; the rows changed on
    the page are saved. ``fields`` gives the saved rows' new hidden values (also when another
    row is refused as stale: the rows that could be saved are)."""
    if refused := refused_before_saving(request, assignment):
        return refused
    forms = sheet_forms(scoring_sheet(assignment), request.POST)
    invalid = {code: form for code, form in forms.items() if not form.is_valid()}
    if any(form.page_incomplete for form in invalid.values()):
        return refusal(incomplete_page_message(), 400)
    if invalid:
        code, form = next(iter(invalid.items()))
        return refusal(row_error(code, first_error(form)), 400)
    rows = {code: form.row() for code, form in forms.items()}
    try:
        result = save_sheet(assignment=assignment, rows=rows, by=request.user)
    except (PermissionDenied, ValidationError) as error:
        return saving_refused(error)
    fields: dict[str, str] = {}
    for code in result.saved:
        fields.update(forms[code].state(result.versions[code], rows[code].entry.fingerprint()))
    answer = {"saved": list(result.saved), "fields": fields}
    if result.stale:
        return refusal(result.stale_message(), 409, stale=True, **answer)
    return JsonResponse({"ok": True, "saved_at": saved_now(), **answer})
