"""The one URL fetcher of every PDF the portal prints (application, certificate, feedback report).

WeasyPrint fetches what a document links to: stylesheets, images, fonts. A URL that slipped into
a template or into text typed by a user must never make the server read a local file (``file:``
anywhere on the disk) or call out to a remote address. Allowed: ``data:`` URLs, and ``file:``
URLs inside the portal's own static files (``static/``), where every PDF stylesheet and emblem
lives. Anything else is refused; WeasyPrint then leaves the resource out.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings


def static_dir() -> Path:
    return Path(settings.BASE_DIR) / "static"


def may_fetch(url: str) -> bool:
    """Whether a PDF may load ``url``: a ``data:`` URL or a portal static file."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return True
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return path.is_relative_to(static_dir().resolve()) and path.is_file()


class StaticFilesFetcher(weasyprint.URLFetcher):
    """WeasyPrint's fetcher, restricted by :func:`may_fetch`."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=("file", "data"), **kwargs)

    def fetch(self, url, headers=None):
        if not may_fetch(url):
            raise ValueError(f"PDF resource refused (not a portal static file): {url[:200]}")
        return super().fetch(url, headers)
