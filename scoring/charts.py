"""Charts drawn as SVG in Python: no JavaScript, the same markup in the page and in the PDF.

Every piece of text is XML-escaped here, so the returned markup may be inserted unescaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

from scoring.bands import format_points

FONT = "'Noto Sans CJK SC', 'Noto Serif CJK SC', sans-serif"
SCORE_COLOUR = "#2f5d8a"
AVERAGE_COLOUR = "#d08a00"
TRACK_COLOUR = "#e8ebef"


@dataclass(frozen=True, slots=True)
class BarRow:
    """One bar: ``value`` and ``average`` in points out of ``maximum`` (``None`` when absent)."""

    label: str
    value: Decimal | None
    maximum: int
    average: Decimal | None = None


def _share(value: Decimal | None, maximum: int) -> Decimal | None:
    if value is None or maximum <= 0:
        return None
    return min(max(value / Decimal(maximum), Decimal(0)), Decimal(1))


def _px(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def category_bars_svg(
    rows: Sequence[BarRow],
    *,
    width: int = 680,
    label_width: int = 190,
    value_width: int = 110,
    row_height: int = 30,
    title: str | None = None,
) -> str:
    """Horizontal bars, one per category, as the share of the category's maximum.

    The bar is the application's points; a vertical tick marks the average over the cycle's
    reviewed applications. Shares rather than points make 4.1 (110) and 4.7 (400) comparable;
    the points themselves are printed at the end of each row.
    """
    title = title if title is not None else _("各类目得分率（占该类目满分的百分比）")
    track = width - label_width - value_width
    legend_height = 26
    top = legend_height + 6
    height = top + row_height * len(rows) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label={quoteattr(title)} '
        f'font-family="{FONT}" font-size="12" class="feedback-chart">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{label_width}" y="4" width="14" height="10" fill="{SCORE_COLOUR}"/>',
        f'<text x="{label_width + 20}" y="13">{escape(_("本单位得分率"))}</text>',
    ]
    if any(row.average is not None for row in rows):  # no legend for a withheld average
        parts += [
            f'<line x1="{label_width + 150}" y1="2" x2="{label_width + 150}" y2="16" '
            f'stroke="{AVERAGE_COLOUR}" stroke-width="3"/>',
            f'<text x="{label_width + 158}" y="13">{escape(_("参评单位平均得分率"))}</text>',
        ]
    for index, row in enumerate(rows):
        y = top + index * row_height
        bar_y = y + 6
        bar_height = row_height - 14
        parts.append(
            f'<text x="{label_width - 8}" y="{y + row_height / 2 + 4:.0f}" '
            f'text-anchor="end">{escape(row.label)}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{bar_y}" width="{track}" height="{bar_height}" '
            f'fill="{TRACK_COLOUR}"/>'
        )
        share = _share(row.value, row.maximum)
        if share is not None:
            parts.append(
                f'<rect x="{label_width}" y="{bar_y}" width="{_px(float(share) * track)}" '
                f'height="{bar_height}" fill="{SCORE_COLOUR}" data-share="{share:.4f}"/>'
            )
        average = _share(row.average, row.maximum)
        if average is not None:
            x = _px(label_width + float(average) * track)
            parts.append(
                f'<line x1="{x}" y1="{bar_y - 4}" x2="{x}" y2="{bar_y + bar_height + 4}" '
                f'stroke="{AVERAGE_COLOUR}" stroke-width="3" data-average="{average:.4f}"/>'
            )
        parts.append(
            f'<text x="{label_width + track + 8}" y="{y + row_height / 2 + 4:.0f}">'
            f"{escape(format_points(row.value))} / {row.maximum}</text>"
        )
    axis_y = top + row_height * len(rows) + 14
    for tick in (0, 25, 50, 75, 100):
        x = _px(label_width + track * tick / 100)
        parts.append(
            f'<text x="{x}" y="{axis_y}" text-anchor="middle" fill="#666" font-size="10">'
            f"{tick}%</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
