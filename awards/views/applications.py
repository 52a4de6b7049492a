"""Starting an application, its page, and the checked downloads of its files.

Who may see what: an applicant sees their own organization's applications; an official those
sent to their authority's cycles; everyone else gets 404, whether or not the id exists.
Files are never served from a public URL: these views check, then stream from the private
storage as a download with a safe file name.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from awards.enums import CycleStatus, Track
from awards.models import Application, Cycle, Recommendation
from awards.permissions.rules import is_applicant, may_edit_application
from awards.queries import timeline_prefetch, viewable_applications
from awards.services.application_attachments import record_attachment_download
from awards.services.application_drafts import cycle_closed_reason, editing_closed_reason
from awards.services.applications import start_application
from awards.services.downloads import (
    record_application_pdf_download,
    record_recommendation_scan_download,
)
from awards.services.individuals import start_individual_application
from awards.views.downloads import file_download
from awards.wizard.review_step import application_page_context


def _resume_url(application: Application) -> str:
    return reverse("awards:application_resume", kwargs={"pk": application.pk})


@login_required
@require_http_methods(["GET", "POST"])
def start(request, cycle_pk: int):
    """Applicants only: GET asks to confirm, POST starts (or reopens) the organization's one
    application to the cycle."""
    user = request.user
    if not is_applicant(user):
        raise Http404
    cycle = get_object_or_404(
        Cycle.objects.select_related("programme__authority").exclude(status=CycleStatus.DRAFT),
        pk=cycle_pk,
    )
    existing = Application.objects.filter(
        cycle=cycle, organization_id=user.organization_id, track=Track.ORGANIZATION
    ).first()
    if existing is not None:
        return redirect(_resume_url(existing))
    if request.method == "POST":
        try:
            application, created = start_application(
                cycle=cycle, organization=user.organization, by=user
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("awards:dashboard")
        if created:
            messages.success(request, _("已创建申报草稿，填写内容会自动保存。"))
        return redirect(_resume_url(application))
    return render(
        request,
        "awards/application/start.html",
        {"cycle": cycle, "closed_reason": cycle_closed_reason(cycle)},
    )


@login_required
@require_POST
def start_individual(request, cycle_pk: int):
    """Applicants only: start a new individual application (个人奖) for a person of their
    organization; each candidate has an application of their own."""
    user = request.user
    if not is_applicant(user):
        raise Http404
    cycle = get_object_or_404(
        Cycle.objects.select_related("programme__authority").exclude(status=CycleStatus.DRAFT),
        pk=cycle_pk,
    )
    try:
        application = start_individual_application(
            cycle=cycle, organization=user.organization, by=user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("awards:dashboard")
    messages.success(request, _("已创建个人奖申报草稿，请先填写候选人信息。"))
    return redirect(_resume_url(application))


@login_required
def detail(request, pk: int):
    """The application page: status, timeline, content, attachments and the PDF."""
    application = get_object_or_404(
        viewable_applications(request.user).prefetch_related(timeline_prefetch()), pk=pk
    )
    is_own = request.user.organization_id == application.organization_id
    context = {
        "application": application,
        "is_own": is_own,
        "may_edit": may_edit_application(request.user, application),
        "closed_reason": editing_closed_reason(application),
        **application_page_context(application),
    }
    return render(request, "awards/application/detail.html", context)


@login_required
def attachment_download(request, pk: int, attachment_pk: int, inline: bool = False):
    """The applicant's own file, or (audited) a file of an application sent to the official's
    authority; ``inline`` (the ``…/view/`` URL) shows a PDF or an image in the browser."""
    application = get_object_or_404(viewable_applications(request.user), pk=pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    response = file_download(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        inline=inline,
    )
    record_attachment_download(attachment=attachment, by=request.user, **_inline(inline))
    return response


@login_required
def application_pdf(request, pk: int, inline: bool = False):
    application = get_object_or_404(viewable_applications(request.user), pk=pk)
    name = _("%(organization)s-申报书.pdf") % {"organization": application.display_name}
    response = file_download(application.pdf, filename=name, inline=inline)
    record_application_pdf_download(application=application, by=request.user, **_inline(inline))
    return response


def _inline(inline: bool) -> dict:
    """The audit detail of a file shown in the browser (a download has none, as before)."""
    return {"inline": True} if inline else {}


@login_required
def recommendation_scan(request, pk: int):
    """The recommending body's stamped scan of its opinion: for whoever may see the application
    (the applicant, the body's recommenders, the awarding authority's officials); audited for
    everyone outside the applying organization."""
    application = get_object_or_404(viewable_applications(request.user), pk=pk)
    recommendation = Recommendation.objects.filter(application=application).first()
    if recommendation is None or not recommendation.scan:
        raise Http404
    response = file_download(
        recommendation.scan,
        filename=recommendation.scan_name,
        content_type=recommendation.scan_content_type or "application/pdf",
    )
    record_recommendation_scan_download(recommendation=recommendation, by=request.user)
    return response
