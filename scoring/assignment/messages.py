"""Human explanations of shortfalls, rendered in the active language at call time.

The plan stores reason codes only, so a stored plan can be explained again later in whatever
language the reader uses. Chinese is the source language (msgids), as everywhere in the
portal; English comes from the ``en`` catalogue.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from .types import Shortfall, ShortfallReason


def describe_shortfall(shortfall: Shortfall) -> str:
    """One sentence an official can act on: what is missing and what to change."""
    values = {
        "missing": shortfall.missing,
        "eligible": shortfall.eligible_reviewers,
        "size": shortfall.panel_size,
    }
    match shortfall.reason:
        case ShortfallReason.TOO_FEW_ELIGIBLE:
            text = ngettext(
                "评审组需要 %(size)d 名专家，但只有 %(eligible)d 名专家与该申报无利益冲突，"
                "缺 %(missing)d 名。请扩充专家库。",
                "评审组需要 %(size)d 名专家，但只有 %(eligible)d 名专家与该申报无利益冲突，"
                "缺 %(missing)d 名。请扩充专家库。",
                shortfall.missing,
            )
        case ShortfallReason.ELIGIBLE_AT_CAPACITY:
            text = ngettext(
                "缺 %(missing)d 名专家：%(eligible)d 名无利益冲突的专家中，"
                "未入组的均已达到最大评审量。请提高评审量上限或增加专家。",
                "缺 %(missing)d 名专家：%(eligible)d 名无利益冲突的专家中，"
                "未入组的均已达到最大评审量。请提高评审量上限或增加专家。",
                shortfall.missing,
            )
        case ShortfallReason.NO_ELIGIBLE_LEADER:
            text = gettext("没有可担任组长且与该申报无利益冲突的专家，评审组没有组长。")
        case ShortfallReason.LEADERS_AT_CAPACITY:
            text = gettext(
                "%(eligible)d 名可担任组长的无冲突专家均已达到最大评审量，评审组没有组长。"
            )
        case ShortfallReason.FULL_WITHOUT_LEADER:
            text = gettext("评审组已由人工指派的专家坐满，其中没有可担任组长的专家。")
        case _:
            raise ValueError(f"unknown shortfall reason {shortfall.reason!r}")
    return text % values
