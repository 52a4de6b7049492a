"""The document panel's leader lists the issues for the on-site team, from the consensus page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from awards.forms.errors import message_validation_error
from scoring.review.services.site_issues import save_site_issues
from scoring.review.views.access import open_panel, reviewer_required


@reviewer_required
def site_issues_view(request: HttpRequest, pk: int) -> HttpResponse:
    panel, answer = open_panel(request, pk, "POST")
    if answer is not None:
        return answer
    if panel.leader_id != request.user.pk:
        raise Http404
    try:
        save_site_issues(panel=panel, text=request.POST.get("site_issues", ""), by=request.user)
    except ValidationError as error:
        message_validation_error(request, error)
    else:
        messages.success(request, _("现场待核实问题已保存。"))
    return redirect("scoring:consensus", pk=panel.pk)
