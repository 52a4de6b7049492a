"""Cells of every CSV or XLSX file the portal writes.

A spreadsheet runs a cell as a formula when its text starts with ``=``, ``+``, ``-`` or ``@`` (and
some also after a leading tab or carriage return). Text typed by users reaches exports (names,
comments, reasons), so every text cell passes through :func:`spreadsheet_safe` first: such a value
is prefixed with an apostrophe, which spreadsheets show as text. Numbers, dates and empty values
are returned unchanged.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Return ``value`` so that no spreadsheet can run it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def from_spreadsheet(value: str) -> str:
    """Undo :func:`spreadsheet_safe` for a cell read back from a file the portal wrote (a filled
    template): the apostrophe in front of a formula trigger is removed."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value
