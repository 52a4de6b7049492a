"""Officials' defence pages: a defence stage's panels, one panel's questions and answers (an
official may ask and send too), and the answer files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.forms.errors import add_validation_error
from awards.views.downloads import file_download
from scoring.enums import StageKind
from scoring.review.admin_views.base import OfficialView, StageView
from scoring.review.forms.defence import QuestionForm, SendRoundForm
from scoring.review.queries import officials as queries
from scoring.review.queries.defence import (
    answer_files_for,
    panel_rounds,
    stage_defence_rows,
)
from scoring.review.services.defence import ask_question, send_questions


class StageDefenceView(StageView):
    template_name = "scoring/admin/defence_stage.html"
    page_title = gettext_lazy("问询答辩")

    def get_context_data(self, **kwargs):
        if self.stage.kind != StageKind.DEFENCE:
            raise Http404
        context = super().get_context_data(**kwargs)
        context["panels"] = stage_defence_rows(self.stage)
        return context


class PanelDefenceView(OfficialView):
    """One panel's rounds; the official may add questions and send the open round."""

    template_name = "scoring/admin/defence_panel.html"
    scope = staticmethod(queries.panels_for)
    page_title = gettext_lazy("问询答辩")

    @property
    def panel(self):
        return self.object

    def get_page_subtitle(self):
        return f"{self.panel.application.display_name} · {self.panel.stage.cycle}"

    def extra_breadcrumbs(self) -> list[dict]:
        return [
            {
                "url": reverse("review:defence", args=[self.panel.stage_id]),
                "label": str(self.panel.stage),
            }
        ]

    def get_context_data(self, **kwargs):
        if self.panel.stage.kind != StageKind.DEFENCE:
            raise Http404
        context = super().get_context_data(**kwargs)
        rounds = panel_rounds(self.panel)
        context.update(
            panel=self.panel,
            rounds=rounds,
            open_round=next((r for r in rounds if not r.is_sent), None),
        )
        context.setdefault("question_form", QuestionForm())
        context.setdefault("send_form", SendRoundForm())
        return context

    def post(self, request, pk):
        if self.panel.stage.kind != StageKind.DEFENCE:
            raise Http404
        if request.POST.get("action") == "send":
            form = SendRoundForm(request.POST)
            open_round = self.panel.question_rounds.filter(sent_at__isnull=True).first()
            if form.is_valid():
                try:
                    if open_round is None:
                        raise ValidationError(_("没有待发出的问题。"))
                    send_questions(round=open_round, by=request.user, **form.cleaned_data)
                except ValidationError as error:
                    add_validation_error(form, error)
                else:
                    messages.success(request, _("问题已发给申报单位。"))
                    return redirect("review:defence_panel", pk=self.panel.pk)
            return self.render_to_response(self.get_context_data(send_form=form))
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                ask_question(panel=self.panel, text=form.cleaned_data["text"], by=request.user)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("问题已加入待发出的问询。"))
                return redirect("review:defence_panel", pk=self.panel.pk)
        return self.render_to_response(self.get_context_data(question_form=form))


class AnswerFileView(OfficialView):
    scope = staticmethod(answer_files_for)
    http_method_names = ["get"]

    def get(self, request, pk):
        answer_file = self.object
        return file_download(
            answer_file.file,
            filename=answer_file.original_name,
            content_type=answer_file.content_type,
        )
