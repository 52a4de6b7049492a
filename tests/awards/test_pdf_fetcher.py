"""The PDF renderer fetches nothing but the portal's static files and ``data:`` URLs: no other
local file, no remote address (application PDF, certificates and feedback reports share it)."""

from pathlib import Path

import pytest
import weasyprint

from awards.pdf.fetcher import may_fetch, static_dir
from awards.pdf.render import html_to_pdf

STATIC_CSS = (static_dir() / "css/pdf/base.css").as_uri()


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        (STATIC_CSS, True),
        ("data:text/css,body{color:red}", True),
        ("file:///etc/passwd", False),
        (STATIC_CSS.replace("css/pdf/base.css", "../pyproject.toml"), False),
        (STATIC_CSS.replace("css/pdf/base.css", "css/pdf/missing.css"), False),
        (STATIC_CSS.replace("file://", "file://evil.example"), False),
        ("http://127.0.0.1:8000/static/css/pdf/base.css", False),
        ("https://evil.example/x.png", False),
        ("ftp://evil.example/x.png", False),
    ],
)
def test_what_a_pdf_may_fetch(url, allowed):
    assert may_fetch(url) is allowed


def test_a_pdf_never_reaches_for_a_local_file_or_a_remote_url(monkeypatch, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for the pdf")
    reached = []
    original = weasyprint.URLFetcher.fetch

    def spy(self, url, headers=None):
        reached.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(weasyprint.URLFetcher, "fetch", spy)
    html = (
        f'<img src="{secret.as_uri()}"><img src="http://127.0.0.1:9/x.png">'
        '<img src="file:///etc/hostname"><link rel="stylesheet" href="css/pdf/base.css">'
        "<p>内容</p>"
    )
    pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF")
    # Only the relative stylesheet (inside the static files) was read.
    assert reached == [(static_dir() / "css/pdf/base.css").as_uri()]
    assert Path(static_dir()).is_dir()
