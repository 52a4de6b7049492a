"""Every file the portal hands out leaves through here, with the same safe headers.

A download carries a sanitized file name (RFC 6266, so Chinese names survive), is never cached by
a shared cache (``private, no-store``: it holds someone's private data) and is not sniffed into
another type (``nosniff``: an uploaded file named ``.pdf`` cannot run as HTML). A stored file that
is missing, or a file field that is empty, is a 404 like any object the user may not see.

``inline=True`` asks the browser to show the file in the page instead of saving it (a reviewer
reading the application): honoured for PDF and raster images only; any other type is still sent
as an attachment, and ``nosniff`` keeps the browser from treating it as anything else.
"""

from collections.abc import Iterable

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from awards.uploads import sanitize_filename

#: The only types a browser is asked to show inline: none of them can run script.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})


def may_show_inline(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() in INLINE_TYPES


def _safe(response, *, filename: str, inline: bool = False):
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=not inline, filename=sanitize_filename(filename)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def open_stored_file(field_file: FieldFile):
    """The stored file opened for reading, or a 404 when there is none."""
    if not field_file:
        raise Http404
    try:
        return field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None


def file_download(
    field_file: FieldFile,
    *,
    filename: str,
    content_type: str = "application/pdf",
    inline: bool = False,
) -> FileResponse:
    """Stream a stored (private) file as a download, or shown in the browser (``inline``) when
    its type is one that may be."""
    handle = open_stored_file(field_file)
    return _safe(
        FileResponse(handle, content_type=content_type),
        filename=filename,
        inline=inline and may_show_inline(content_type),
    )


def bytes_download(content: bytes | str, *, filename: str, content_type: str) -> HttpResponse:
    """A document made for this request (a PDF report, an export) as a download."""
    return _safe(HttpResponse(content, content_type=content_type), filename=filename)


def streamed_download(
    chunks: Iterable[bytes], *, filename: str, content_type: str
) -> StreamingHttpResponse:
    """A download produced while it is sent (a zip of many files)."""
    return _safe(StreamingHttpResponse(chunks, content_type=content_type), filename=filename)
