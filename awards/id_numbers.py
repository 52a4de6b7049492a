"""Identity card numbers (身份证号) of individual candidates: encrypted at rest, shown masked.

The full number is needed only to identify the person if a question arises later (an
objection, a revocation), never to display: every page, export and PDF shows the masked form
(last 4 characters). It is kept encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from the
``cryptography`` package) rather than as a keyed hash, because the awarding authority must be
able to read it back when checking an objection; a hash could only confirm a number already
known. The key is derived (HKDF-SHA256) from ``AWARDS_ID_NUMBER_KEY``, which defaults to
``SECRET_KEY``; set it on its own so that rotating the session secret keeps the numbers readable.
"""

from __future__ import annotations

import base64
import re

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
VISIBLE = 4


def normalize_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def check_character(first17: str) -> str:
    """The 18th character that GB 11643-1999 computes from the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def validate_id_number(value: str) -> None:
    """A resident identity number (GB 11643-1999): 18 characters with a valid check digit."""
    number = normalize_id_number(value)
    if not _ID_PATTERN.match(number):
        raise ValidationError(_("身份证号应为 18 位，最后一位可以是数字或 X。"), code="format")
    if check_character(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验位不正确，请核对。"), code="checksum")


def masked(last4: str) -> str:
    """The only form in which a number is ever shown: 14 stars and its last 4 characters."""
    return "*" * 14 + last4 if last4 else ""


def _fernet() -> Fernet:
    secret = getattr(settings, "AWARDS_ID_NUMBER_KEY", "") or settings.SECRET_KEY
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"awards.id_numbers", info=b"fernet-v1"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_id_number(number: str) -> str:
    return _fernet().encrypt(normalize_id_number(number).encode()).decode()


def decrypt_id_number(token: str) -> str:
    """The full number, for the authority's checks only; "" when the key no longer fits."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return ""
