"""The officials' certificate pages (证书颁发) under /admin/certificates/.

Per cycle: the "generate certificates" button, the progress of the background batch (the page
polls a small JSON endpoint), every certificate with its own download, and a ZIP of all. Only
officials of the cycle's authority reach a cycle or a certificate; anyone else gets a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from awards.forms.errors import message_validation_error
from awards.permissions.views import OfficialMenuItem, OfficialOnlyMixin
from awards.views.downloads import file_download, streamed_download
from scoring.certificates.models import CertificateBatch
from scoring.certificates.queries import certificate_cycles_for, certificates_for, latest_batch
from scoring.certificates.services.certificates import certificates_of
from scoring.certificates.services.documents import certificate_download_name, zip_certificates
from scoring.certificates.services.issuing import issue_certificates


def batch_progress(batch: CertificateBatch | None) -> dict:
    """What the progress bar shows, for the page and the JSON endpoint alike."""
    if batch is None:
        return {"started": False, "total": 0, "done": 0, "percent": 0, "finished": True}
    percent = 100 if batch.total == 0 else round(100 * batch.done / batch.total)
    return {
        "started": True,
        "total": batch.total,
        "done": batch.done,
        "percent": percent,
        "finished": batch.finished_at is not None or bool(batch.error),
        "failed": bool(batch.error),
    }


class CertificateIndexView(OfficialOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "scoring/admin/certificates_index.html"
    page_title = gettext_lazy("证书颁发")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cycles"] = list(certificate_cycles_for(self.request.user))
        return context


class CycleCertificatesView(OfficialOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: the batch's progress and the certificates; POST: issue the cycle's certificates."""

    template_name = "scoring/admin/certificates_cycle.html"
    scope = staticmethod(certificate_cycles_for)
    header_icon = "doc-full"

    def get_page_title(self):
        return _("证书颁发")

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("certificates:index"), "label": _("证书颁发")},
            {"url": "", "label": str(self.object)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = latest_batch(self.object)
        certificates = list(certificates_of(self.object))
        context.update(
            cycle=self.object,
            batch=batch,
            progress=batch_progress(batch),
            certificates=certificates,
            printed=sum(1 for c in certificates if c.pdf and c.award.revoked_at is None),
        )
        return context

    def post(self, request, pk):
        try:
            batch = issue_certificates(cycle=self.object, by=request.user)
        except ValidationError as error:
            message_validation_error(request, error)
        else:
            messages.success(
                request,
                _("已开始生成证书，共 %(total)s 份；生成进度见下方。") % {"total": batch.total},
            )
        return redirect("certificates:cycle", pk=self.object.pk)


class BatchProgressView(OfficialOnlyMixin, View):
    scope = staticmethod(certificate_cycles_for)

    def get(self, request, pk):
        response = JsonResponse(batch_progress(latest_batch(self.object)))
        response["Cache-Control"] = "no-store"
        return response


class CertificateZipView(OfficialOnlyMixin, View):
    scope = staticmethod(certificate_cycles_for)

    def get(self, request, pk):
        certificates = list(
            certificates_of(self.object).exclude(pdf="").filter(award__revoked_at__isnull=True)
        )
        if not certificates:
            raise Http404
        return streamed_download(
            zip_certificates(certificates),
            filename=_("%(cycle)s-证书.zip") % {"cycle": self.object},
            content_type="application/zip",
        )


class CertificateDownloadView(OfficialOnlyMixin, View):
    scope = staticmethod(certificates_for)

    def get(self, request, pk):
        certificate = self.object
        return file_download(certificate.pdf, filename=certificate_download_name(certificate))


def menu_item() -> OfficialMenuItem:
    return OfficialMenuItem(
        gettext_lazy("证书颁发"), reverse("certificates:index"), icon_name="doc-full", order=180
    )


urlpatterns = [
    path("", CertificateIndexView.as_view(), name="index"),
    path("cycles/<int:pk>/", CycleCertificatesView.as_view(), name="cycle"),
    path("cycles/<int:pk>/progress/", BatchProgressView.as_view(), name="progress"),
    path("cycles/<int:pk>/zip/", CertificateZipView.as_view(), name="zip"),
    path("<int:pk>/download/", CertificateDownloadView.as_view(), name="download"),
]


def admin_urls() -> list:
    return [path("certificates/", include((urlpatterns, "certificates"), namespace="certificates"))]
