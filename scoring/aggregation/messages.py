"""Bilingual problem messages of the results core.

Problems carry a stable ``code`` (for callers and tests) and parameters; the text is rendered in
Chinese or English at the moment it is shown. The texts live here rather than in a ``.po``
catalogue so that the core stays usable without Django settings (the offline command, pure tests)
and English is never missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

MESSAGES: Mapping[str, tuple[str, str]] = {
    # configuration
    "unknown_method": (
        "未知的汇总方法“{value}”（可选：{choices}）",
        'unknown method "{value}" (choose one of {choices})',
    ),
    "unknown_fallback_method": (
        "未知的共识缺省方法“{value}”（可选：{choices}）",
        'unknown fallback method "{value}" (choose one of {choices})',
    ),
    "unknown_mode": (
        "未知的阶段合成方式“{value}”（可选：{choices}）",
        'unknown stage mode "{value}" (choose one of {choices})',
    ),
    "unknown_stage": (
        "权重中的评审阶段“{value}”不存在（可选：{choices}）",
        'unknown stage "{value}" in the weights (choose one of {choices})',
    ),
    "duplicate_stage": (
        "评审阶段“{value}”重复出现",
        'stage "{value}" appears more than once',
    ),
    "weight_not_number": (
        "阶段“{stage}”的权重 {value} 不是有效数字",
        'weight {value} of stage "{stage}" is not a number',
    ),
    "negative_weight": (
        "阶段“{stage}”的权重 {value} 为负数",
        'weight {value} of stage "{stage}" is negative',
    ),
    "weights_sum": (
        "各阶段权重之和为 {total}，应为 1",
        "stage weights sum to {total}, not 1",
    ),
    "no_positive_weight": (
        "至少一个评审阶段的权重应大于 0",
        "at least one stage needs a weight above 0",
    ),
    "level_name_empty": (
        "第 {position} 个奖项等级缺少名称",
        "award level {position} has no name",
    ),
    "duplicate_level": (
        "奖项等级“{name}”重复出现",
        'award level "{name}" appears more than once',
    ),
    "min_total_not_number": (
        "奖项等级“{name}”的最低分 {value} 不是有效数字",
        'minimum total {value} of level "{name}" is not a number',
    ),
    "negative_min_total": (
        "奖项等级“{name}”的最低分 {value} 为负数",
        'minimum total {value} of level "{name}" is negative',
    ),
    "quota_not_integer": (
        "奖项等级“{name}”的名额 {value} 不是整数",
        'quota {value} of level "{name}" is not a whole number',
    ),
    "negative_quota": (
        "奖项等级“{name}”的名额 {value} 为负数",
        'quota {value} of level "{name}" is negative',
    ),
    "levels_not_descending": (
        "奖项等级“{name}”的最低分 {value} 高于上一等级“{previous}”的 {previous_value}，"
        "等级须按最低分从高到低排列",
        'minimum total {value} of level "{name}" is above {previous_value} of the level '
        'before it ("{previous}"); levels must go from the highest minimum down',
    ),
    "tie_break_empty": (
        "并列处理规则不能为空，且须以总分开始",
        "the tie-break chain must not be empty and must start with total",
    ),
    "tie_break_first": (
        "并列处理规则须以总分（total）开始，而不是“{value}”",
        'the tie-break chain must start with total, not "{value}"',
    ),
    "unknown_tie_break": (
        "未知的并列处理依据“{value}”（可用：total、category:<类目>、stage:<阶段>）",
        'unknown tie-break criterion "{value}" (use total, category:<code> or stage:<name>)',
    ),
    "config_not_object": (
        "配置应为 JSON 对象",
        "the configuration must be a JSON object",
    ),
    "config_field_type": (
        "配置项“{field}”应为{expected_zh}",
        'configuration field "{field}" must be {expected_en}',
    ),
    "config_unknown_field": (
        "未知的配置项“{field}”",
        'unknown configuration field "{field}"',
    ),
    "config_missing_field": (
        "缺少配置项“{field}”",
        'missing configuration field "{field}"',
    ),
    # score data
    "unknown_item": (
        "评分条款“{value}”不在评价准则中",
        'item "{value}" is not in the criteria',
    ),
    "unknown_score_stage": (
        "评审阶段“{value}”未知（可选：{choices}）",
        'stage "{value}" is unknown (choose one of {choices})',
    ),
    "percent_not_number": (
        "得分率“{value}”不是数字",
        'percent "{value}" is not a number',
    ),
    "percent_out_of_range": (
        "得分率 {value} 超出 0–100 范围",
        "percent {value} is outside 0..100",
    ),
    "percent_off_grid": (
        "得分率 {value} 不是 5% 的整数倍",
        "percent {value} is not on the 5 % grid",
    ),
    "duplicate_score": (
        "重复的评分：申报单位 {application}、专家 {reviewer}、阶段 {stage}、条款 {item}",
        "duplicate score for application {application}, reviewer {reviewer}, stage {stage}, "
        "item {item}",
    ),
    "duplicate_score_line": (
        "重复的评分：申报单位 {application}、专家 {reviewer}、阶段 {stage}、条款 {item}"
        "（首次出现在第 {first} 行）",
        "duplicate score for application {application}, reviewer {reviewer}, stage {stage}, "
        "item {item} (first on line {first})",
    ),
    "duplicate_consensus_line": (
        "重复的共识得分：申报单位 {application}、阶段 {stage}、条款 {item}"
        "（首次出现在第 {first} 行）",
        "duplicate consensus for application {application}, stage {stage}, item {item} "
        "(first on line {first})",
    ),
    "empty_field": (
        "字段“{field}”为空",
        'field "{field}" is empty',
    ),
    "bad_header": (
        "表头应为“{expected}”，实际为“{actual}”",
        'header must be "{expected}", not "{actual}"',
    ),
    "empty_file": (
        "文件为空，缺少表头“{expected}”",
        'the file is empty; expected the header "{expected}"',
    ),
    "field_count": (
        "应有 {expected} 个字段，实际 {actual} 个",
        "expected {expected} fields, got {actual}",
    ),
    "bad_json": (
        "JSON 格式错误：{detail}",
        "bad JSON: {detail}",
    ),
    "too_many_problems": (
        "另有 {count} 处错误未列出",
        "{count} more problems not listed",
    ),
    "unreadable_file": (
        "无法读取文件：{detail}",
        "cannot read the file: {detail}",
    ),
    "items_of_other_track": (
        "这些评分条款属于评价准则 {framework}，请加参数 --track {track} 计算",
        "these items belong to the criteria {framework}: run with --track {track}",
    ),
    # notes on a valid result
    "note_tie": (
        "提示：第 {rank} 名并列无法区分：{applications}",
        "note: unbroken tie at rank {rank}: {applications}",
    ),
    "note_quota_conflict": (
        "提示：并列的 {applications}（第 {rank} 名）超出“{level}”剩余名额 {places_left} 个，"
        "均未获该等级，请审定",
        "note: tied applications {applications} (rank {rank}) do not fit the {places_left} "
        'place(s) left in "{level}"; none got it, for the officials to decide',
    ),
}


def current_language() -> str:
    """The active Django language, or Chinese where Django settings are not configured."""
    try:
        return translation.get_language() or "zh-hans"
    except ImproperlyConfigured:
        return "zh-hans"


def render(code: str, params: Mapping[str, object], language: str | None = None) -> str:
    chinese, english = MESSAGES[code]
    language = language or current_language()
    template = english if language.lower().startswith("en") else chinese
    return template.format(**params)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a configuration or with score data."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, language: str | None = None) -> str:
        return render(self.code, self.params, language)

    def __str__(self) -> str:
        return self.text()


class ResultsError(ValueError):
    """Raised with every problem found, so an official can fix them all in one go."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.problems)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(problem.code for problem in self.problems)

    def messages(self, language: str | None = None) -> list[str]:
        return [problem.text(language) for problem in self.problems]

    def __str__(self) -> str:
        return "; ".join(self.messages())


class ConfigError(ResultsError):
    """The results configuration is invalid."""


class ScoreDataError(ResultsError):
    """The score rows or consensus percentages handed to the core are invalid."""
