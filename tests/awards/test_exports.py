"""The one rule for spreadsheet cells: text that a spreadsheet would run is neutralized."""

import datetime
from decimal import Decimal

import pytest

from awards.exports import spreadsheet_safe


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("湖北某某公司", "湖北某某公司"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_text_that_would_run_as_a_formula_is_prefixed(value, expected):
    assert spreadsheet_safe(value) == expected


@pytest.mark.parametrize("value", [-3, Decimal("-1.5"), -0.25, None, datetime.date(2026, 1, 2)])
def test_values_that_are_not_text_are_unchanged(value):
    assert spreadsheet_safe(value) is value
