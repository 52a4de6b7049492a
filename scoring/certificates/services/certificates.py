"""Certificates (证书): signed serial numbers, public verification and issuing for a cycle.

A serial reads ``LUYU-5-2026-7K2M-9QXD-4F8H-B3TN``: the programme's slug, the edition and the
year, then 80 bits of an HMAC-SHA256 over the award's identity (award id, level, the
organization's unified social credit code and that readable prefix), written in Crockford's
base-32 alphabet (no I, L, O or U, so it can be read out and typed). Without the portal's key
nobody can compute the code of an award, and the codes are not a sequence to guess.

Verification looks the serial up in one query and recomputes the code from what the database
says about the award, so a row whose level or organization was changed after issuing no longer
verifies. A serial of the right shape that matches no certificate (one character altered, or
made up) is reported as forged; text that is not shaped like a serial at all as unknown.

The key is the certificates' own, ``CERTIFICATE_SIGNING_KEY``, not Django's ``SECRET_KEY``:
rotating ``SECRET_KEY`` (sessions, password-reset links) never touches a printed certificate.
Codes made under a key listed in ``CERTIFICATE_SIGNING_KEY_FALLBACKS`` still verify, so that
key too is rotated by moving the old one to the fallbacks.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from awards.models import Cycle
from scoring.certificates.models import Certificate
from scoring.publication.models import Award

__all__ = [
    "Verification",
    "VerificationStatus",
    "certificate_serial",
    "certificates_of",
    "verify_serial",
]

SERIAL_KEY_SALT = "scoring.certificates.serial"
CODE_GROUPS = 4
CODE_GROUP_LENGTH = 4
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: Crockford's reading rules: letters that look like digits are read as those digits.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
#: Any letter or digit counts as "shaped like a serial", so an altered character reads as forged.
_CODE_GROUP = f"[0-9A-Z]{{{CODE_GROUP_LENGTH}}}"
SERIAL_SHAPE = re.compile(
    r"^(?P<prefix>[A-Z0-9]+(?:-[A-Z0-9]+)*-\d{1,3}-\d{4})"
    rf"-(?P<code>{_CODE_GROUP}(?:-{_CODE_GROUP}){{{CODE_GROUPS - 1}}})$"
)
#: Longest text worth looking at; anything longer is not a serial (and is not echoed back).
MAX_SERIAL_INPUT = 120
_DASHES = str.maketrans({"－": "-", "—": "-", "–": "-", "‐": "-", "_": "-"})


class VerificationStatus(StrEnum):
    GENUINE_VALID = "genuine_valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    UNKNOWN = "unknown"
    FORGED = "forged"


def verification_message(status: VerificationStatus) -> str:
    """The sentence the public verification page shows for each outcome."""
    return {
        VerificationStatus.GENUINE_VALID: _("该证书由授奖机关颁发，真实有效。"),
        VerificationStatus.REVOKED: _("该证书由授奖机关颁发，但所获奖项已被撤销，证书已失效。"),
        VerificationStatus.EXPIRED: _("该证书由授奖机关颁发，但已超过有效期，证书已失效。"),
        VerificationStatus.UNKNOWN: _("未查到该证书编号，请核对后重新输入。"),
        VerificationStatus.FORGED: _(
            "证书编号校验未通过：该编号不是授奖机关颁发的证书编号，可能被篡改或伪造。"
        ),
    }[status]


@dataclass(frozen=True, slots=True)
class Verification:
    """What the public learns about a serial. Details are filled only for a genuine serial.

    ``serial`` is the normalized text that was checked (empty when the input was too long to be
    a serial); ``edition`` the cycle's edition number (第 N 届); ``award`` the programme name;
    ``revocation_reason`` only when revoked.
    """

    status: VerificationStatus
    message: str
    serial: str
    organization: str = ""
    credit_code: str = ""
    award: str = ""
    level: str = ""
    edition: int | None = None
    year: int | None = None
    authority: str = ""
    issued_on: date | None = None
    valid_until: date | None = None
    revoked_at: datetime | None = None
    revocation_reason: str = ""
    #: An individual award: ``organization`` is "candidate（employer）".
    individual: bool = False

    @property
    def genuine(self) -> bool:
        """Issued by the authority (whether or not still valid)."""
        return self.status in (
            VerificationStatus.GENUINE_VALID,
            VerificationStatus.REVOKED,
            VerificationStatus.EXPIRED,
        )

    @property
    def valid(self) -> bool:
        return self.status == VerificationStatus.GENUINE_VALID


def normalize_serial(text: str) -> str:
    """Upper case, no spaces, any dash as ``-``; the code part read with Crockford's rules."""
    cleaned = re.sub(r"\s+", "", str(text or "")).translate(_DASHES).upper()
    read = _with_code_read(cleaned)
    return read if SERIAL_SHAPE.match(read) else cleaned


def _with_code_read(cleaned: str) -> str:
    """Apply O→0, I/L→1 to the last four groups only: the slug may contain those letters."""
    parts = cleaned.rsplit("-", CODE_GROUPS)
    if len(parts) != CODE_GROUPS + 1:
        return cleaned
    return "-".join([parts[0], *(part.translate(_READ_AS) for part in parts[1:])])


def serial_prefix(*, slug: str, edition: int, year: int) -> str:
    readable = re.sub(r"[^A-Z0-9]+", "-", slug.upper()).strip("-") or "AWARD"
    return f"{readable}-{edition}-{year}"


def _code(*, prefix: str, award_id: int, level: str, credit_code: str, secret: str) -> str:
    message = f"{prefix}|{award_id}|{level}|{credit_code.strip().upper()}"
    digest = salted_hmac(SERIAL_KEY_SALT, message, secret=secret, algorithm="sha256").digest()
    number = int.from_bytes(digest[:10], "big")
    symbols = "".join(
        CROCKFORD[(number >> shift) & 31] for shift in range(75, -1, -5)
    )  # 80 bits → 16 symbols
    return "-".join(
        symbols[i : i + CODE_GROUP_LENGTH] for i in range(0, len(symbols), CODE_GROUP_LENGTH)
    )


def _serial_for(
    *, slug: str, edition: int, year: int, award_id: int, level: str, credit_code: str, secret
) -> str:
    prefix = serial_prefix(slug=slug, edition=edition, year=year)
    code = _code(
        prefix=prefix, award_id=award_id, level=level, credit_code=credit_code, secret=secret
    )
    return f"{prefix}-{code}"


def certificate_serial(*, award: Award) -> str:
    """The serial of ``award``'s certificate under the current key (deterministic)."""
    cycle = award.snapshot.cycle
    return _serial_for(
        slug=cycle.programme.slug,
        edition=cycle.edition,
        year=cycle.year,
        award_id=award.pk,
        level=award.level,
        credit_code=award.application.organization.credit_code,
        secret=settings.CERTIFICATE_SIGNING_KEY,
    )


def _signed_by_us(serial: str, award: Award) -> bool:
    """True when ``serial`` is the code of this award under the key or a fallback key."""
    cycle = award.snapshot.cycle
    for secret in [settings.CERTIFICATE_SIGNING_KEY, *settings.CERTIFICATE_SIGNING_KEY_FALLBACKS]:
        expected = _serial_for(
            slug=cycle.programme.slug,
            edition=cycle.edition,
            year=cycle.year,
            award_id=award.pk,
            level=award.level,
            credit_code=award.application.organization.credit_code,
            secret=secret,
        )
        if hmac.compare_digest(expected.encode(), serial.encode()):
            return True
    return False


def _certificate_with_details():
    return Certificate.objects.select_related(
        "award__application__organization",
        "award__application__candidate",
        "award__snapshot__cycle__programme__authority",
    )


def verify_serial(serial: str, *, today: date | None = None) -> Verification:
    """Whether ``serial`` belongs to a certificate the authority issued, and if it is valid.

    Never raises for any text. One query when the text is shaped like a serial, none otherwise.
    ``today`` (Asia/Shanghai by default) decides expiry.
    """
    text = str(serial or "")
    if len(text) > MAX_SERIAL_INPUT:
        return _outcome(VerificationStatus.UNKNOWN, "")
    normalized = normalize_serial(text)
    if not SERIAL_SHAPE.match(normalized):
        return _outcome(VerificationStatus.UNKNOWN, normalized)
    certificate = _certificate_with_details().filter(serial=normalized).first()
    if certificate is None or not _signed_by_us(normalized, certificate.award):
        return _outcome(VerificationStatus.FORGED, normalized)
    award = certificate.award
    today = today or timezone.localdate()
    if award.revoked_at is not None:
        status = VerificationStatus.REVOKED
    elif award.valid_until is not None and award.valid_until < today:
        status = VerificationStatus.EXPIRED
    else:
        status = VerificationStatus.GENUINE_VALID
    cycle = award.snapshot.cycle
    organization = award.application.organization
    return Verification(
        status=status,
        message=verification_message(status),
        serial=normalized,
        organization=award.application.display_name,
        credit_code=organization.credit_code,
        award=cycle.programme.name,
        level=award.level,
        edition=cycle.edition,
        year=cycle.year,
        authority=cycle.programme.authority.name,
        issued_on=certificate.issued_on,
        valid_until=award.valid_until,
        revoked_at=award.revoked_at,
        revocation_reason=award.revocation_reason if award.revoked_at else "",
        individual=award.application.is_individual,
    )


def _outcome(status: VerificationStatus, serial: str) -> Verification:
    return Verification(status=status, message=verification_message(status), serial=serial)


def certificates_of(cycle: Cycle):
    """The cycle's certificates with everything the PDF and the listing print, in serial order."""
    return _certificate_with_details().filter(award__snapshot__cycle=cycle).order_by("serial")
