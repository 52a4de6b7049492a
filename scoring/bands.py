"""The scoring bands of GB/Z 19579-2012 and the 5 % grid, as data.

Reviewers pick the band that fits an item best, then a value inside it in 5 % steps. The band
descriptors are shown beside every item (process items: 方法、展开、学习、整合; results items:
水平、趋势、对比、整合); the texts follow domain.md §4 and stay data so they can be reworded
without touching logic.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PERCENT_STEP = 5
PERCENT_CHOICES: tuple[int, ...] = tuple(range(0, 101, PERCENT_STEP))

PROCESS = "process"
RESULTS = "results"

#: What the reviewer weighs, per item kind.
DIMENSIONS: dict[str, Promise] = {
    PROCESS: gettext_lazy("方法、展开、学习、整合"),
    RESULTS: gettext_lazy("水平、趋势、对比、整合"),
}


@dataclass(frozen=True, slots=True)
class Band:
    low: int
    high: int
    process: Promise
    results: Promise

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}%"

    def text_for(self, kind: str) -> Promise:
        return self.results if kind == RESULTS else self.process

    def contains(self, percent: int) -> bool:
        return self.low <= percent <= self.high


BANDS: tuple[Band, ...] = (
    Band(
        0,
        5,
        gettext_lazy("没有系统的方法，只有零散的事例；问题出现后才处理，未见改进导向。"),
        gettext_lazy("没有结果或结果很差；没有趋势数据和对比数据。"),
    ),
    Band(
        10,
        25,
        gettext_lazy(
            "开始有应对基本要求的系统方法；方法展开处于早期阶段；开始从被动应对问题转向一般性改进。"
        ),
        gettext_lazy("有少量结果，部分领域开始改进；趋势数据和对比数据很少。"),
    ),
    Band(
        30,
        45,
        gettext_lazy(
            "有应对基本要求的有效、系统的方法；方法已展开，但部分领域或部门仍有差距；"
            "开始系统地评价和改进关键过程。"
        ),
        gettext_lazy("多数领域有改进或良好的绩效水平；开始有趋势数据和对比数据。"),
    ),
    Band(
        50,
        65,
        gettext_lazy(
            "有应对总体要求的有效、系统的方法；方法展开良好；基于事实进行改进，并有一定的组织学习；"
            "方法与组织的需要协调一致。"
        ),
        gettext_lazy(
            "大多数重要领域绩效水平良好或呈改进趋势；没有不利趋势的模式；部分对比结果良好。"
        ),
    ),
    Band(
        70,
        85,
        gettext_lazy(
            "有应对多方面要求的有效、系统的方法；展开良好，无明显差距；学习和创新是改进的关键工具；"
            "方法与组织的需要实现整合。"
        ),
        gettext_lazy("绩效水平良好至卓越；改进趋势得以保持；许多对比显示处于领先地位。"),
    ),
    Band(
        90,
        100,
        gettext_lazy(
            "完全应对多方面要求，方法有效、系统；全面展开，没有差距；全组织范围的学习和创新；"
            "方法与组织的需要完全整合。"
        ),
        gettext_lazy("几乎所有领域绩效卓越并持续改进；处于行业标杆的领先地位。"),
    ),
)


def band_for(percent: int | None) -> Band | None:
    if percent is None:
        return None
    return next((band for band in BANDS if band.contains(percent)), None)


def percent_error(value: int | None) -> str | None:
    """Why a percentage is not acceptable, or None. Empty (not yet scored) is acceptable."""
    if value is None:
        return None
    if value < 0 or value > 100:
        return _("得分百分比须在 0%% 到 100%% 之间，当前为 %(value)s%%。") % {"value": value}
    if value % PERCENT_STEP:
        return _("得分百分比须为 5 的倍数（0%%、5%%、10%% …… 100%%），当前为 %(value)s%%。") % {
            "value": value
        }
    return None


def item_points(points: int, percent: int | None) -> Decimal | None:
    """Item score = item points × percentage, kept exact (domain.md: round only for display)."""
    if percent is None:
        return None
    return Decimal(points) * Decimal(percent) / Decimal(100)


def format_points(value: Decimal | None) -> str:
    """ "32.5", "30", "—": at most two decimals, no trailing zeros."""
    if value is None:
        return "—"
    text = f"{value.quantize(Decimal('0.01'))}"
    return text.rstrip("0").rstrip(".") if "." in text else text
