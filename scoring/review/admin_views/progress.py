"""Scoring progress of a stage, reminders by e-mail, and reopening a submitted scorecard."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.forms.errors import message_validation_error
from scoring.review.admin_views.base import OfficialView, StageView
from scoring.review.forms.officials import ReasonForm
from scoring.review.queries import officials as queries
from scoring.review.services.progress import send_reminders as send_reminder_mails
from scoring.review.services.progress import stage_progress
from scoring.review.services.reopen import reopen_scorecard


class ProgressView(StageView):
    template_name = "scoring/admin/progress.html"
    page_title = gettext_lazy("评审进度")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["progress"] = stage_progress(stage=self.stage)
        return context


class RemindersView(StageView):
    http_method_names = ["post"]

    def post(self, request, pk):
        report = send_reminder_mails(stage=self.stage, by=request.user)
        if report.sent:
            messages.success(
                request,
                _("已向 %(count)d 位专家发送提醒邮件。") % {"count": len(report.sent)},
            )
        else:
            messages.info(request, _("没有需要提醒的专家：所有评分表均已提交。"))
        if report.without_email:
            messages.warning(
                request,
                _("以下专家没有电子邮箱，未能提醒：%(names)s。")
                % {"names": "、".join(report.without_email)},
            )
        return redirect("review:progress", pk=self.stage.pk)


class ReopenScorecardView(OfficialView):
    template_name = "scoring/admin/reopen.html"
    scope = staticmethod(queries.scorecards_for)
    page_title = gettext_lazy("退回评分表")

    @property
    def stage(self):
        return self.object.assignment.panel.stage

    def get_page_subtitle(self):
        assignment = self.object.assignment
        return f"{assignment.panel.application.display_name} · {assignment.reviewer}"

    def extra_breadcrumbs(self):
        return [
            {
                "url": reverse("review:progress", args=[self.stage.pk]),
                "label": f"{self.stage.cycle} · {self.stage.get_kind_display()}",
            }
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["scorecard"] = self.object
        context.setdefault("form", ReasonForm())
        return context

    def post(self, request, pk):
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                reopen_scorecard(
                    scorecard=self.object, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as error:
                message_validation_error(request, error)
            else:
                messages.success(request, _("评分表已退回，专家可重新修改后提交。"))
                return redirect("review:progress", pk=self.stage.pk)
        return self.render_to_response(self.get_context_data(form=form))
