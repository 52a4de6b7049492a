"""The panel's defence page: questions to the applicant, the answers, and sending a round.

Members of the panel write questions; the group leader sends a round with an answer deadline or
a hearing. Answers and their files are read here; scoring stays on the ordinary scorecard.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from awards.forms.errors import add_validation_error
from awards.views.downloads import file_download
from scoring.enums import AssignmentStatus, StageKind
from scoring.review.forms.defence import QuestionForm, SendRoundForm
from scoring.review.models import Assignment, Panel
from scoring.review.queries.defence import answer_file_for_panel, panel_rounds
from scoring.review.services.defence import ask_question, may_send, send_questions
from scoring.review.views.access import open_panel, reviewer_required


def _render(
    request: HttpRequest,
    panel: Panel,
    *,
    question_form: QuestionForm | None = None,
    send_form: SendRoundForm | None = None,
) -> HttpResponse:
    rounds = panel_rounds(panel)
    assignment = Assignment.objects.filter(
        panel=panel, reviewer=request.user, status=AssignmentStatus.ACTIVE
    ).first()
    return render(
        request,
        "scoring/reviewer/defence.html",
        {
            "panel": panel,
            "stage": panel.stage,
            "cycle": panel.stage.cycle,
            "application_name": panel.application.display_name,
            "rounds": rounds,
            "open_round": next((r for r in rounds if not r.is_sent), None),
            "question_form": question_form or QuestionForm(),
            "send_form": send_form or SendRoundForm(),
            "may_send": may_send(panel, request.user),
            "assignment": assignment,
        },
    )


@reviewer_required
def defence_view(request: HttpRequest, pk: int) -> HttpResponse:
    panel, early = open_panel(request, pk, "GET", kind=StageKind.DEFENCE)
    return early or _render(request, panel)


@reviewer_required
def ask_view(request: HttpRequest, pk: int) -> HttpResponse:
    panel, early = open_panel(request, pk, "POST", kind=StageKind.DEFENCE)
    if early:
        return early
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            ask_question(panel=panel, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("问题已加入待发出的问询。"))
            return redirect("scoring:defence", pk=panel.pk)
    return _render(request, panel, question_form=form)


@reviewer_required
def send_view(request: HttpRequest, pk: int) -> HttpResponse:
    panel, early = open_panel(request, pk, "POST", kind=StageKind.DEFENCE)
    if early:
        return early
    if not may_send(panel, request.user):
        raise Http404
    form = SendRoundForm(request.POST)
    open_round = panel.question_rounds.filter(sent_at__isnull=True).first()
    if form.is_valid():
        try:
            if open_round is None:
                raise ValidationError(_("没有待发出的问题。"))
            send_questions(round=open_round, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("问题已发给申报单位。"))
            return redirect("scoring:defence", pk=panel.pk)
    return _render(request, panel, send_form=form)


@reviewer_required
def answer_file_view(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    panel, early = open_panel(request, pk, "GET", kind=StageKind.DEFENCE)
    if early:
        return early
    answer_file = answer_file_for_panel(panel, file_pk)
    if answer_file is None:
        raise Http404
    return file_download(
        answer_file.file, filename=answer_file.original_name, content_type=answer_file.content_type
    )
