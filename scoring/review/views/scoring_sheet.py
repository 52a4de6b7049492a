"""The whole scorecard on one page: every item in a row, saved in the background
(``scoring_autosave.sheet_autosave_view``) and by its button (without JavaScript too).

Each row carries its item's version and fingerprint, so a save writes only the rows changed on
the page, each locked on its own item (``save_sheet``): another tab on another item never
refuses the sheet, and the same item changed in two tabs keeps the first save.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from awards.views.application_autosave import autosave_messages
from scoring.review.forms.reviewer import SheetRowForm, sheet_forms, sheet_row_state
from scoring.review.models import Assignment
from scoring.review.queries.reviewer import Sheet, scoring_sheet
from scoring.review.services.scorecards import ScorecardLocked, ScoringClosed, save_sheet
from scoring.review.views.access import (
    open_assignment,
    reviewer_required,
)
from scoring.review.views.scoring import base_context, lock_widgets


@dataclass(frozen=True)
class SheetOutcome:
    saved: bool
    #: Rows drawn again on what is saved now (their hidden version and fingerprint).
    move_on: tuple[str, ...] = ()
    #: Rows another tab saved in between: the page shows what it saved beside the typed text.
    stale: tuple[str, ...] = ()


def save_rows(
    request: HttpRequest, assignment: Assignment, forms: dict[str, SheetRowForm]
) -> SheetOutcome:
    """Validate the posted rows and save those changed on the page; messages say what happened."""
    invalid = [code for code, form in forms.items() if not form.is_valid()]
    incomplete = tuple(code for code in invalid if forms[code].page_incomplete)
    if incomplete:
        messages.error(request, _("页面信息不完整，请刷新后重试。"))
        return SheetOutcome(False, move_on=incomplete)
    if invalid:
        messages.error(request, _("有条款填写有误，请按提示更正后再保存；本次未保存。"))
        return SheetOutcome(False)
    rows = {code: form.row() for code, form in forms.items()}
    try:
        result = save_sheet(assignment=assignment, rows=rows, by=request.user)
    except (ScoringClosed, ScorecardLocked) as error:
        messages.error(request, error.messages[0])
        return SheetOutcome(False)
    except ValidationError as error:
        for code, errors in error.message_dict.items():
            forms[code].add_error("percent", errors)
        messages.error(request, _("有条款填写有误，请按提示更正后再保存；本次未保存。"))
        return SheetOutcome(False)
    if not result.stale:
        messages.success(request, _("已保存全部条款。"))
        return SheetOutcome(True)
    if result.saved:
        messages.success(request, _("已保存条款 %(codes)s。") % {"codes": "、".join(result.saved)})
    messages.error(request, result.stale_message())
    return SheetOutcome(False, move_on=result.saved + result.stale, stale=result.stale)


def redrawn(sheet: Sheet, posted: QueryDict, codes: tuple[str, ...]) -> dict[str, SheetRowForm]:
    """The posted rows again, those of ``codes`` now carrying the version and fingerprint of
    what is saved: saved rows go on from their save, and a refused row saved again wins."""
    data = posted.copy()
    for code, form in sheet_forms(sheet).items():
        if code in codes:
            for name, value in form.state(**sheet_row_state(sheet, code)).items():
                data[name] = value
    return sheet_forms(sheet, data)


@reviewer_required
def sheet_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every item on one page with one "save all" button, saved in the background as well."""
    assignment, answer = open_assignment(request, pk, "GET", "POST")
    if answer is not None:
        return answer
    sheet = scoring_sheet(assignment)
    forms = sheet_forms(sheet, request.POST if request.method == "POST" else None)
    stale: tuple[str, ...] = ()
    if request.method == "POST":
        outcome = save_rows(request, assignment, forms)
        if outcome.saved:
            return redirect("scoring:sheet", pk=assignment.pk)
        if outcome.move_on:
            sheet = scoring_sheet(assignment)
            forms = redrawn(sheet, request.POST, outcome.move_on)
            stale = outcome.stale
    context = base_context(assignment, sheet)
    if context["read_only_reason"]:
        lock_widgets(forms.values())
    context.update(
        {
            "rows": [
                (entry, forms[entry.item.code], entry.item.code in stale) for entry in sheet.items
            ],
            "autosave_messages": autosave_messages(),
        }
    )
    return render(request, "scoring/reviewer/sheet.html", context)
