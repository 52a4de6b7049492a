"""Validators for identifiers that arrive from users.

The unified social credit code (统一社会信用代码) follows GB 32100-2015: 18 characters from a
31-character alphabet that leaves out I, O, S, V and Z, the 18th being a check character computed
from the first 17 with fixed weights modulo 31.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_LENGTH = 18
FORBIDDEN_CREDIT_CODE_LETTERS = frozenset("IOSVZ")
_DIVISION_CODE = re.compile(r"^\d{6}$")


#: The largest primary key the databases store (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def parse_id(value: str) -> int | None:
    """The primary key a query parameter names, or None when it is not one (not ASCII digits,
    or too large for the database: such a number would crash the query, not miss)."""
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def credit_code_check_character(first_17: str) -> str:
    """The 18th character for the given first 17 (all from the alphabet)."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first_17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = normalize_credit_code(value)
    if len(code) != CREDIT_CODE_LENGTH:
        raise ValidationError(
            _("统一社会信用代码应为 18 位，当前为 %(length)d 位。") % {"length": len(code)},
            code="credit_code_length",
        )
    forbidden = sorted(set(code) & FORBIDDEN_CREDIT_CODE_LETTERS)
    if forbidden:
        raise ValidationError(
            _("统一社会信用代码不能包含字母 %(letters)s（I、O、S、V、Z 不用于代码）。")
            % {"letters": "、".join(forbidden)},
            code="credit_code_forbidden_letter",
        )
    invalid = sorted({char for char in code if char not in CREDIT_CODE_ALPHABET})
    if invalid:
        raise ValidationError(
            _("统一社会信用代码含有无效字符：%(chars)s。") % {"chars": " ".join(invalid)},
            code="credit_code_invalid_character",
        )
    if not _DIVISION_CODE.match(code[2:8]):
        raise ValidationError(
            _("统一社会信用代码第 3–8 位应为 6 位数字的登记管理机关行政区划码。"),
            code="credit_code_division",
        )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：第 18 位应为 %(expected)s，而不是 %(actual)s。")
            % {"expected": expected, "actual": code[17]},
            code="credit_code_check_character",
        )


def validate_division_code(value: str) -> None:
    if not _DIVISION_CODE.match(value or ""):
        raise ValidationError(_("行政区划代码应为 6 位数字。"), code="division_code")
