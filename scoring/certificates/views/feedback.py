"""The feedback report of an application, as a page and as a PDF.

``/portal/applications/<pk>/feedback/`` and ``…/feedback/pdf/``: the applicant's own organization
and officials of the awarding authority; everyone else gets a 404 whether or not the application
exists. Before the final announcement (or for an application that never reached review) the page
says so and shows nothing else, and the PDF is a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from awards.queries import viewable_applications
from awards.views.downloads import bytes_download
from scoring.certificates.services.feedback import (
    FeedbackUnavailable,
    build_feedback_report,
    feedback_context,
    render_feedback_pdf,
)


@login_required
def feedback_report(request, pk: int):
    application = get_object_or_404(viewable_applications(request.user), pk=pk)
    try:
        report = build_feedback_report(application=application)
    except FeedbackUnavailable as unavailable:
        return render(
            request,
            "scoring/feedback/unavailable.html",
            {"application": application, "availability": unavailable.availability.value},
        )
    return render(request, "scoring/feedback/report.html", feedback_context(report))


@login_required
def feedback_pdf(request, pk: int):
    application = get_object_or_404(viewable_applications(request.user), pk=pk)
    try:
        content = render_feedback_pdf(application=application)
    except FeedbackUnavailable:
        raise Http404 from None
    name = _("%(organization)s-反馈报告.pdf") % {"organization": application.display_name}
    return bytes_download(content, filename=name, content_type="application/pdf")
