"""The background save of one scorecard item: the item page's script posts its form here.

The same service as the page's buttons (``save_scores`` locked on the item alone, so another
tab on another item never refuses it), answered in JSON like the application wizard's
background save (``awards.views.application_autosave``): the item's new version and the time
saved, or the refusal with its message (409 for a stale tab, a submitted scorecard or a closed
window, 400 for bad input, 401 once the session has ended), so the page keeps the typed text.
Who may use it is the item page's rule: the assigned reviewer only, anyone else gets 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.permissions.rules import is_reviewer
from awards.views.application_autosave import refusal, session_ended_message
from scoring.review.forms.reviewer import ItemScoreForm, VersionForm
from scoring.review.queries.reviewer import commitment_for, is_cleared, scoring_sheet
from scoring.review.services.scorecards import (
    ScorecardLocked,
    ScoringClosed,
    StaleVersion,
    item_version,
    save_scores,
)
from scoring.review.views.access import assignment_or_404, methods


def first_error(form) -> str:
    return next(iter(form.errors.values()))[0]


def item_autosave_view(request: HttpRequest, pk: int, item_code: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return refusal(session_ended_message(), 401, session_ended=True)
    if not is_reviewer(request.user):
        raise Http404
    assignment = assignment_or_404(request, pk)
    entry = scoring_sheet(assignment).entry(item_code)
    if entry is None:
        raise Http404
    if not_allowed := methods(request, "POST"):
        return not_allowed
    if not is_cleared(commitment_for(reviewer=request.user, cycle=assignment.panel.stage.cycle)):
        message = _("查看本届申报材料前，请先签署保密承诺并申报利益冲突（回避）情况。")
        return refusal(message, 403)
    form = ItemScoreForm(request.POST, item=entry.item)
    version_form = VersionForm(request.POST)
    if not version_form.is_valid():
        return refusal(_("页面信息不完整，请刷新后重试。"), 400)
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
    except StaleVersion as error:
        return refusal(error.messages[0], 409, stale=True)
    except (ScorecardLocked, ScoringClosed) as error:
        return refusal(error.messages[0], 409, stale=False)
    except PermissionDenied as error:
        return refusal(str(error), 403)
    except ValidationError as error:
        return refusal(error.messages[0], 400)
    score = form.entry()
    return JsonResponse(
        {
            "ok": True,
            "version": item_version(scorecard, item_code),
            "saved_at": timezone.localtime().strftime("%H:%M:%S"),
            "item": {
                "code": item_code,
                "percent": score.percent,
                "done": score.percent is not None
                and bool(score.strengths.strip() or score.improvements.strip()),
            },
        }
    )
