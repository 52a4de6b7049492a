"""The applicant's dashboard (in ``awards``, which imports neither ``scoring`` nor ``home``) shows
where each application stands, with the links that become available on the way: the page to fix
an application the recommending body returned, the public notice page, the certificate and the
feedback report."""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from home.results_pages import ResultsNoticePage
from scoring.certificates.services.progress import Progress, Stage, applicant_progress

register = template.Library()


@dataclass(frozen=True, slots=True)
class ProgressRow:
    application: object
    progress: Progress
    fix_url: str = ""
    notice_url: str = ""
    certificate_url: str = ""
    feedback_url: str = ""
    feedback_pdf_url: str = ""


@register.simple_tag(takes_context=True)
def applications_with_progress(context, applications):
    """Each application with its progress and links, in one fixed number of queries."""
    progress = applicant_progress(applications)
    notice_ids = {row.notice_id for row in progress.values() if row.notice_id}
    notice_pages = {}
    if notice_ids:
        request = context.get("request")
        for page in ResultsNoticePage.objects.live().public().filter(notice_id__in=notice_ids):
            notice_pages[page.notice_id] = page.get_url(request) or ""
    rows = []
    for application in applications:
        row = progress[application.pk]
        rows.append(
            ProgressRow(
                application=application,
                progress=row,
                fix_url=(
                    reverse("awards:application_resume", args=[application.pk])
                    if row.stage == Stage.RETURNED_BY_RECOMMENDER
                    else ""
                ),
                notice_url=notice_pages.get(row.notice_id, "") if row.notice_id else "",
                certificate_url=(
                    reverse("results:award_certificate", args=[row.award_id])
                    if row.award_id
                    else ""
                ),
                feedback_url=(
                    reverse("results:feedback", args=[application.pk]) if row.feedback else ""
                ),
                feedback_pdf_url=(
                    reverse("results:feedback_pdf", args=[application.pk]) if row.feedback else ""
                ),
            )
        )
    return rows
