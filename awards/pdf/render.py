"""Rendering PDFs with WeasyPrint: one place for fonts, page furniture and resource loading.

Every PDF of the portal (application, certificate, feedback report) goes through
``html_to_pdf`` so that all of them get the same Chinese font stack from
``static/css/pdf/base.css``, the same footer, and the same restriction on what the renderer may
fetch (``awards.pdf.fetcher``: the portal's static files and ``data:`` URLs only, so a URL that
slipped into a template can neither read another local file nor make the server call out). Each PDF template links its own stylesheet from ``static/css/pdf/`` with a
relative address, which resolves against the static directory (``_base_url``).
WeasyPrint is imported inside the functions: it is heavy, and most requests never print.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from awards.pdf.document import ApplicationDocument, CategoryEntry
from awards.uploads import format_size

BASE_CSS = "css/pdf/base.css"  # inside the static directory
APPLICATION_TEMPLATE = "pdf/application.html"


def html_to_pdf(html: str, *, stylesheets: Sequence[str] = ()) -> bytes:
    """The single WeasyPrint call.

    ``base.css`` and the footer are given to WeasyPrint as user stylesheets, which rank below the
    template's own stylesheet: they are defaults (fonts, A4 portrait, page numbers) that a
    certificate can override with its own ``@page`` without fighting specificity.
    """
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from awards.pdf.fetcher import StaticFilesFetcher

    font_config = FontConfiguration()
    fetcher = StaticFilesFetcher()
    css = [(_static_dir() / BASE_CSS).read_text(encoding="utf-8"), page_footer_css(), *stylesheets]
    return weasyprint.HTML(string=html, base_url=_base_url(), url_fetcher=fetcher).write_pdf(
        stylesheets=[
            weasyprint.CSS(string=sheet, font_config=font_config, url_fetcher=fetcher)
            for sheet in css
        ],
        font_config=font_config,
    )


def render_pdf_from_template(template_name: str, context: Mapping[str, Any]) -> bytes:
    """Render a Django template (autoescaped, so typed text stays text) and print it."""
    return html_to_pdf(render_to_string(template_name, dict(context)))


def render_application_pdf(document: ApplicationDocument) -> bytes:
    """The application PDF (申报书).

    Always printed in the portal's default language (Chinese): it is the document filed with a
    Chinese authority, whatever language the applicant browsed in.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf_from_template(APPLICATION_TEMPLATE, application_context(document))


def page_footer_css() -> str:
    """ "第 N 页 / 共 M 页" as a CSS ``content`` value, built from one translatable sentence."""
    sentence = _("第 %(page)s 页 / 共 %(pages)s 页")
    parts: list[str] = []
    for piece in re.split(r"(%\(pages?\)s)", sentence):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    content = " ".join(parts)
    return f"@page {{ @bottom-center {{ content: {content}; }} }}"


def _static_dir() -> Path:
    from awards.pdf.fetcher import static_dir

    return static_dir()


def _base_url() -> str:
    """Relative URLs in PDF templates (their stylesheet, a programme's emblem) resolve into the
    static files."""
    from weasyprint.urls import path2url

    return path2url(str(_static_dir()) + "/")


def format_points(value: Decimal | None) -> str:
    """Scores printed with one decimal, half up (612.45 → 612.5); ``None`` as a dash."""
    if value is None:
        return "—"
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def format_amount(value: Decimal | None) -> str:
    """Money in 万元 with thousands separators and two decimals; blank as a dash."""
    if value is None:
        return "—"
    return f"{value:,.2f}"


def application_context(document: ApplicationDocument) -> dict[str, Any]:
    """What the template needs beyond the document: the numbers, already formatted.

    Formatting here rather than in template filters keeps the arithmetic in Python (exact
    decimals, one rounding rule) and the template free of logic.
    """
    return {
        "doc": document,
        "organization": document.organization,
        "financial_rows": [
            {
                "year": row.year,
                "revenue": format_amount(row.revenue),
                "profit": format_amount(row.profit),
            }
            for row in document.basic.financials
        ],
        "score_categories": [_score_category(category) for category in document.categories],
        "self_score_total": format_points(document.self_score),
        "unscored_items": document.unscored_items,
        "attachment_rows": [
            {"type_name": row.type_name, "file_name": row.file_name, "size": format_size(row.size)}
            for row in document.attachments
        ],
    }


def _score_category(category: CategoryEntry) -> dict[str, Any]:
    return {
        "code": category.code,
        "name": category.name,
        "points": category.points,
        "self_score": format_points(category.self_score),
        "items": [
            {
                "code": item.code,
                "name": item.name,
                "points": item.points,
                "kind": item.kind,
                "percent": "—" if item.self_percent is None else f"{item.self_percent}%",
                "self_score": format_points(item.self_score),
            }
            for item in category.items
        ],
    }
