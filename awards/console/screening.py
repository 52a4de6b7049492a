"""Eligibility screening queue (资格审查) in the officials' console.

The queue lists what applicants submitted to the official's own authority's cycles (for a
programme that requires recommendation, only what a recommending body recommended); the decision
page shows the application's summary, computed eligibility, attachments and PDF, and records a
decision through ``screen_application``. Anything outside the official's authority is a 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views import View

from awards.enums import ApplicationStatus, ScreeningDecision
from awards.forms.errors import add_validation_error
from awards.permissions.views import OfficialOnlyMixin
from awards.queries import applications_for, cycles_for, timeline_prefetch
from awards.services.eligibility import eligibility_for
from awards.services.recommendations import recommended_filter
from awards.services.screening import screen_application
from awards.validators import parse_id

QUEUE_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.INELIGIBLE,
)


class ScreeningDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审查结论"), choices=ScreeningDecision.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("理由或修改要求"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("不通过时请写明理由；退回修改时请写明需要修改的内容。申报单位会收到邮件。"),
    )


class ScreeningQueueView(OfficialOnlyMixin, View):
    template_name = "awards/console/screening_queue.html"
    page_size = 50

    def get(self, request):
        cycles = list(cycles_for(request.user).order_by("programme__name", "-edition"))
        queryset = (
            applications_for(request.user)
            .filter(recommended_filter(), status__in=QUEUE_STATUSES)
            .select_related("recommendation__body", "candidate")
            .order_by("submitted_at", "pk")
        )
        status = request.GET.get("status", ApplicationStatus.SUBMITTED)
        if status in QUEUE_STATUSES:
            queryset = queryset.filter(status=status)
        cycle_id = request.GET.get("cycle", "")
        if cycle_id:
            # A number too large for the database names no cycle, like any unknown one.
            cycle = parse_id(cycle_id)
            queryset = queryset.filter(cycle_id=cycle) if cycle else queryset.none()
        page = Paginator(queryset, self.page_size).get_page(request.GET.get("p"))
        return TemplateResponse(
            request,
            self.template_name,
            {
                "page": page,
                "applications": page.object_list,
                "cycles": cycles,
                "statuses": [ApplicationStatus(value) for value in QUEUE_STATUSES],
                "selected_status": status,
                "selected_cycle": cycle_id,
            },
        )


def screening_applications(user):
    """The applications in the user's screening queue, with what the decision page shows: only
    recommended ones when the programme requires recommendation."""
    return (
        applications_for(user)
        .filter(recommended_filter(), status__in=QUEUE_STATUSES)
        .select_related(
            "cycle__framework",
            "cycle__individual_framework",
            "candidate",
            "recommendation__body",
            "recommendation__decided_by",
        )
        .prefetch_related("attachments", timeline_prefetch())
    )


class ScreeningDecisionView(OfficialOnlyMixin, View):
    template_name = "awards/console/screening_decision.html"
    scope = staticmethod(screening_applications)

    def render(self, request, application, form):
        return TemplateResponse(
            request,
            self.template_name,
            {
                "application": application,
                "eligibility": eligibility_for(application),
                "form": form,
                "can_decide": application.status == ApplicationStatus.SUBMITTED,
            },
        )

    def get(self, request, pk: int):
        return self.render(request, self.object, ScreeningDecisionForm())

    def post(self, request, pk: int):
        application = self.object
        form = ScreeningDecisionForm(request.POST)
        if not form.is_valid():
            return self.render(request, application, form)
        try:
            screen_application(
                application=application,
                decision=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
                by=request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.render(request, application, form)
        messages.success(
            request,
            _("已记录“%(organization)s”的资格审查结论：%(decision)s。")
            % {
                "organization": application.display_name,
                "decision": ScreeningDecision(form.cleaned_data["decision"]).label,
            },
        )
        return redirect("screening_queue")
