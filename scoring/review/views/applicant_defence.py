"""The applicant's side of the defence stage: the questions sent, the answers, their files.

Only the applicant's own application is found (anything else is a 404); only sent rounds show.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from awards.forms.errors import add_validation_error
from awards.views.downloads import file_download
from scoring.review.forms.defence import AnswerForm
from scoring.review.models import DefenceQuestion
from scoring.review.queries.defence import (
    answer_file_for_application,
    applicant_rounds,
    own_application,
)
from scoring.review.services.defence import answer_question, answering_refusal
from scoring.review.views.access import methods


def _application(request: HttpRequest, pk: int):
    application = own_application(request.user, pk)
    if application is None:
        raise Http404
    return application


def _render(request: HttpRequest, application, *, bound: dict | None = None) -> HttpResponse:
    rounds = applicant_rounds(application)
    forms = {}
    for round in rounds:
        round.refusal = answering_refusal(round)
        if round.refusal:
            continue
        for question in round.questions.all():
            forms[question.pk] = (bound or {}).get(question.pk) or AnswerForm(
                initial={"text": question.answer}, prefix=f"q{question.pk}"
            )
    return render(
        request,
        "scoring/defence/application.html",
        {"application": application, "rounds": rounds, "answer_forms": forms},
    )


@login_required
def application_defence(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not_allowed := methods(request, "GET"):
        return not_allowed
    return _render(request, application)


@login_required
def answer_view(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not_allowed := methods(request, "POST"):
        return not_allowed
    question = (
        DefenceQuestion.objects.filter(
            pk=question_pk,
            round__panel__application=application,
            round__sent_at__isnull=False,
        )
        .select_related("round__panel__application")
        .first()
    )
    if question is None:
        raise Http404
    form = AnswerForm(request.POST, request.FILES, prefix=f"q{question.pk}")
    if form.is_valid():
        try:
            answer_question(
                question=question,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
                by=request.user,
            )
        except ValidationError as error:
            refusal = answering_refusal(question.round)
            if refusal:
                messages.error(request, refusal)
                return redirect("defence:application", pk=application.pk)
            add_validation_error(form, error)
        else:
            messages.success(request, _("答复已提交，评审组将收到通知。"))
            return redirect("defence:application", pk=application.pk)
    return _render(request, application, bound={question.pk: form})


@login_required
def answer_file_view(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not_allowed := methods(request, "GET"):
        return not_allowed
    answer_file = answer_file_for_application(application, file_pk)
    if answer_file is None:
        raise Http404
    return file_download(
        answer_file.file, filename=answer_file.original_name, content_type=answer_file.content_type
    )
