"""The certificate as a document: its printed text, the QR code, the PDF and the ZIP of a cycle.

The PDF is always printed in Chinese (the portal's default language), whatever language the
official browsed in: it is the document the authority hands over. WeasyPrint and segno are
imported inside the functions that use them.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import translation

from awards.uploads import sanitize_filename
from scoring.certificates.models import Certificate

CERTIFICATE_TEMPLATE = "pdf/certificate.html"
_DIGITS = "〇一二三四五六七八九"


def chinese_year(year: int) -> str:
    """2026 → 二〇二六, digit by digit as on official documents."""
    return "".join(_DIGITS[int(digit)] for digit in str(year))


def chinese_number(value: int) -> str:
    """1–99 as written in dates and editions: 5 → 五, 11 → 十一, 21 → 二十一, 30 → 三十."""
    if not 0 < value < 100:
        return str(value)
    tens, ones = divmod(value, 10)
    if tens == 0:
        return _DIGITS[ones]
    prefix = ("" if tens == 1 else _DIGITS[tens]) + "十"
    return prefix + (_DIGITS[ones] if ones else "")


def chinese_date(day: date) -> str:
    """The date as printed on a certificate: 二〇二六年十一月二十一日."""
    return f"{chinese_year(day.year)}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def edition_text(edition: int) -> str:
    """5 → 第五届."""
    return f"第{chinese_number(edition)}届"


def edition_label(edition: int) -> str:
    """The edition for a page in the reader's language: 第五届 in Chinese, "Edition 5" in
    English (the certificate itself is always Chinese and uses :func:`edition_text`)."""
    from django.utils import translation
    from django.utils.translation import gettext

    if (translation.get_language() or "zh").startswith("zh"):
        return edition_text(edition)
    return gettext("第%(number)s届") % {"number": edition}


def award_title(programme_name: str, level: str) -> str:
    """ "三峡质量奖" + "提名奖" → "三峡质量奖提名奖"; a level the name already ends with adds
    nothing ("陆羽质量奖" + "质量奖" → "陆羽质量奖")."""
    level = (level or "").strip()
    if not level or programme_name.endswith(level):
        return programme_name
    return programme_name + level


def verification_url(serial: str) -> str:
    """The public verification page of ``serial`` under ``PORTAL_BASE_URL``."""
    base = getattr(settings, "PORTAL_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return f"{base.rstrip('/')}/verify/{serial}/"


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG, scaled by CSS (no fixed size), medium error level."""
    import segno

    return segno.make(url, error="m").svg_inline(omitsize=True, border=0, dark="#111")


def certificate_context(certificate: Certificate) -> dict[str, Any]:
    """Everything the certificate template prints, as plain values (no queries in the template).

    ``certificate`` must come with its award, application, organization, snapshot, cycle,
    programme and authority loaded (``certificates_of`` does that).
    """
    award = certificate.award
    cycle = award.snapshot.cycle
    programme = cycle.programme
    url = verification_url(certificate.serial)
    application = award.application
    candidate = getattr(application, "candidate", None) if application.is_individual else None
    return {
        "organization": application.organization.name,
        # An individual award names the person and their employer (never the identity number
        # or the date of birth).
        "candidate": candidate.name if candidate else "",
        "programme": programme.name,
        "award_title": award_title(programme.name, award.level),
        "level": award.level,
        "edition": cycle.edition,
        "edition_text": edition_text(cycle.edition),
        "year": cycle.year,
        "authority": programme.authority.name,
        "issued_on": certificate.issued_on,
        "issued_on_text": chinese_date(certificate.issued_on),
        "valid_until": award.valid_until,
        "serial": certificate.serial,
        "verification_url": url,
        "qr_svg": qr_svg(url),
    }


def render_certificate_pdf(*, certificate: Certificate) -> bytes:
    """The certificate PDF (A4 landscape, Chinese)."""
    from awards.pdf.render import render_pdf_from_template

    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf_from_template(CERTIFICATE_TEMPLATE, certificate_context(certificate))


def certificate_file_name(certificate: Certificate) -> str:
    """ "LUYU-5-2026-….pdf": the serial only, so stored names never carry typed text."""
    return f"{certificate.serial}.pdf"


def certificate_download_name(certificate: Certificate) -> str:
    """A readable, safe name for downloads and ZIP entries: "<serial>-<organization>.pdf"."""
    organization = re.sub(r"[/\\]+", "_", certificate.award.application.display_name)
    return sanitize_filename(f"{certificate.serial}-{organization}.pdf")


class _Chunks:
    """A write-only, unseekable file that hands what was written to a generator."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> Iterator[bytes]:
        parts, self._parts = self._parts, []
        yield from parts


def zip_certificates(certificates: Iterable[Certificate]) -> Iterator[bytes]:
    """A ZIP of the printed certificates, produced piece by piece for a streaming response.

    One entry per certificate that has a PDF, named by ``certificate_download_name`` (unique,
    because serials are); nothing is held in memory beyond one copy buffer.
    """
    sink = _Chunks()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            if not certificate.pdf:
                continue
            info = zipfile.ZipInfo(
                certificate_download_name(certificate),
                date_time=certificate.issued_on.timetuple()[:6],
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            with certificate.pdf.open("rb") as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target, 64 * 1024)
                yield from sink.drain()
            yield from sink.drain()
    yield from sink.drain()
