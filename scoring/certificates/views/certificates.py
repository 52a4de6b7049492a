"""An awarded organization downloads its certificate; officials of the authority may too.

``/portal/awards/<pk>/certificate/``: the applicant of the award's organization (while the award
is not revoked) and officials of the awarding authority; everyone else, and any award without a
printed certificate, gets a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from awards.views.downloads import file_download
from scoring.certificates.queries import certificates_for
from scoring.certificates.services.documents import certificate_download_name


@login_required
def award_certificate(request, pk: int):
    certificate = get_object_or_404(certificates_for(request.user), award_id=pk)
    return file_download(certificate.pdf, filename=certificate_download_name(certificate))
