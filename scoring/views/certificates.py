"""An awarded organization downloads its certificate; officials of the authority may too.

``/portal/awards/<pk>/certificate/``: the applicant of the award's organization (while the award
is not revoked) and officials of the awarding authority; everyone else, and any award without a
printed certificate, gets a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from awards.uploads import sanitize_filename
from scoring.queries.certificates import certificates_for
from scoring.services.certificate_documents import certificate_download_name


def download_response(
    field_file: FieldFile, filename: str, content_type: str = "application/pdf"
) -> FileResponse:
    """Stream a private file as a download with a safe name; a missing file is a 404."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=sanitize_filename(filename), content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def award_certificate(request, pk: int):
    certificate = get_object_or_404(certificates_for(request.user), award_id=pk)
    return download_response(certificate.pdf, certificate_download_name(certificate))
