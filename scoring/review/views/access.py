"""Who may use the reviewer's pages, declared once.

Only active reviewers (``user.is_reviewer``) use /review/; anyone else signed in gets 404 and
anonymous visitors go to the login page. Objects the reviewer may not see (another reviewer's
assignment, a panel they do not sit on, an application they are conflicted with) answer 404.
Before the commitment is accepted and ties declared for a cycle, every page of that cycle's
applications sends the reviewer to the commitment page instead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from awards.models import Cycle
from awards.permissions.rules import is_reviewer
from awards.views.methods import methods
from scoring.review.models import Assignment, Panel
from scoring.review.queries.reviewer import (
    commitment_for,
    is_cleared,
    reviewer_cycles,
    visible_assignment,
    visible_panel,
)


def reviewer_required(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_reviewer(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def cycle_or_404(request: HttpRequest, pk: int) -> Cycle:
    cycle = reviewer_cycles(request.user).filter(pk=pk).first()
    if cycle is None:
        raise Http404
    return cycle


def assignment_or_404(request: HttpRequest, pk: int) -> Assignment:
    assignment = visible_assignment(reviewer=request.user, pk=pk)
    if assignment is None:
        raise Http404
    return assignment


def panel_or_404(request: HttpRequest, pk: int) -> Panel:
    panel = visible_panel(reviewer=request.user, pk=pk)
    if panel is None:
        raise Http404
    return panel


def commitment_redirect(request: HttpRequest, cycle: Cycle) -> HttpResponse | None:
    """Send the reviewer to sign and declare first; None when they already have."""
    if is_cleared(commitment_for(reviewer=request.user, cycle=cycle)):
        return None
    messages.info(request, _("查看本届申报材料前，请先签署保密承诺并申报利益冲突（回避）情况。"))
    return redirect("scoring:commitment", cycle_pk=cycle.pk)


def _answer_first(request: HttpRequest, cycle: Cycle, allowed: tuple[str, ...]):
    """405 for another method, else the commitment page while the reviewer has not signed;
    None to go on (checked after the 404s, so that neither leaks what exists)."""
    answer = methods(request, *allowed)
    return answer if answer is not None else commitment_redirect(request, cycle)


def open_assignment(
    request: HttpRequest, pk: int, *allowed: str
) -> tuple[Assignment, HttpResponse | None]:
    """The reviewer's assignment (404 for anyone else) and the answer to give instead of the
    page, if any (``_answer_first``); None to go on."""
    assignment = assignment_or_404(request, pk)
    return assignment, _answer_first(request, assignment.panel.stage.cycle, allowed)


def open_panel(
    request: HttpRequest, pk: int, *allowed: str, kind: str | None = None
) -> tuple[Panel, HttpResponse | None]:
    """The reviewer's panel (404 for anyone else, and for a panel of another stage ``kind``
    when one is given) and the answer to give instead of the page, if any
    (``_answer_first``); None to go on."""
    panel = panel_or_404(request, pk)
    if kind is not None and panel.stage.kind != kind:
        raise Http404
    return panel, _answer_first(request, panel.stage.cycle, allowed)
