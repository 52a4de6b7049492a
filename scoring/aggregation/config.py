"""Validating a results configuration and reading one from plain JSON-like data.

A cycle's configuration is data an official edits, so every mistake is reported at once, with a
stable code and a bilingual message, before any score is touched.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from awards.criteria_data import GB_T_19580_2012, FrameworkSpec

from .messages import ConfigError, Problem
from .types import (
    DEFAULT_STAGE_ORDER,
    DEFAULT_TIE_BREAK,
    METHODS,
    MODES,
    REVIEWER_METHODS,
    WEIGHTED,
    ItemDef,
    LevelRule,
    ResultsConfig,
)

WEIGHT_TOLERANCE = 1e-9
CONFIG_FIELDS = (
    "method",
    "stages",
    "mode",
    "stage_order",
    "levels",
    "tie_break",
    "fallback_method",
)


def items_from_framework(framework: FrameworkSpec) -> tuple[ItemDef, ...]:
    return tuple(
        ItemDef(item.code, category.code, float(item.points))
        for category in framework.categories
        for item in category.items
    )


def without_missing_categories(chain: Sequence[str], items: Sequence[ItemDef]) -> tuple[str, ...]:
    """The tie-break chain without the category criteria ``items`` do not have. A cycle's chain
    is set for the organization framework (GB/T 19580) and shared by its individual track,
    whose categories differ; the individual ranking leaves those criteria out."""
    categories = {item.category for item in items}
    return tuple(
        criterion
        for criterion in chain
        if not criterion.startswith("category:") or criterion.partition(":")[2] in categories
    )


def default_items() -> tuple[ItemDef, ...]:
    """The GB/T 19580-2012 items, used when a caller gives no framework of its own."""
    return items_from_framework(GB_T_19580_2012)


def number_text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def _is_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _check_stages(config: ResultsConfig) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for stage in config.stage_order:
        if stage in seen:
            problems.append(Problem("duplicate_stage", {"value": stage}))
        seen.add(stage)
    choices = ", ".join(config.stage_order)
    valid_weights: list[float] = []
    for stage, weight in config.stage_weights.items():
        if stage not in seen:
            problems.append(Problem("unknown_stage", {"value": stage, "choices": choices}))
        if not _is_number(weight):
            problems.append(
                Problem("weight_not_number", {"stage": stage, "value": number_text(weight)})
            )
        elif weight < 0:
            problems.append(
                Problem("negative_weight", {"stage": stage, "value": number_text(weight)})
            )
        else:
            valid_weights.append(float(weight))
    if not any(weight > 0 for weight in valid_weights):
        problems.append(Problem("no_positive_weight"))
    elif config.mode == WEIGHTED and len(valid_weights) == len(config.stage_weights):
        total = math.fsum(valid_weights)
        if abs(total - 1.0) > WEIGHT_TOLERANCE:
            problems.append(Problem("weights_sum", {"total": number_text(total)}))
    return problems


def _check_levels(levels: Sequence[LevelRule]) -> list[Problem]:
    problems: list[Problem] = []
    names: set[str] = set()
    previous: LevelRule | None = None
    for position, level in enumerate(levels, start=1):
        if not level.name:
            problems.append(Problem("level_name_empty", {"position": position}))
        elif level.name in names:
            problems.append(Problem("duplicate_level", {"name": level.name}))
        names.add(level.name)
        if not isinstance(level.quota, int) or isinstance(level.quota, bool):
            problems.append(
                Problem("quota_not_integer", {"name": level.name, "value": level.quota})
            )
        elif level.quota < 0:
            problems.append(Problem("negative_quota", {"name": level.name, "value": level.quota}))
        value = number_text(level.min_total)
        if not _is_number(level.min_total):
            problems.append(Problem("min_total_not_number", {"name": level.name, "value": value}))
            continue
        if level.min_total < 0:
            problems.append(Problem("negative_min_total", {"name": level.name, "value": value}))
        if previous is not None and level.min_total > previous.min_total:
            problems.append(
                Problem(
                    "levels_not_descending",
                    {
                        "name": level.name,
                        "value": value,
                        "previous": previous.name,
                        "previous_value": number_text(previous.min_total),
                    },
                )
            )
        previous = level
    return problems


def _check_tie_break(config: ResultsConfig, items: Sequence[ItemDef]) -> list[Problem]:
    if not config.tie_break:
        return [Problem("tie_break_empty")]
    problems: list[Problem] = []
    if config.tie_break[0] != "total":
        problems.append(Problem("tie_break_first", {"value": config.tie_break[0]}))
    categories = {item.category for item in items}
    for criterion in config.tie_break:
        kind, _, name = criterion.partition(":")
        known = (
            criterion == "total"
            or (kind == "category" and name in categories)
            or (kind == "stage" and name in config.stage_order)
        )
        if not known:
            problems.append(Problem("unknown_tie_break", {"value": criterion}))
    return problems


def validate_config(config: ResultsConfig, items: Sequence[ItemDef]) -> list[Problem]:
    """Every problem of ``config`` for this item list; empty when it can be used.

    Levels may be empty (a cycle can rank without awarding). Equal minimum totals are accepted:
    a higher level can share its threshold with the next one and differ only by quota.
    """
    problems: list[Problem] = []
    if config.method not in METHODS:
        problems.append(
            Problem("unknown_method", {"value": config.method, "choices": ", ".join(METHODS)})
        )
    if config.fallback_method not in REVIEWER_METHODS:
        problems.append(
            Problem(
                "unknown_fallback_method",
                {"value": config.fallback_method, "choices": ", ".join(REVIEWER_METHODS)},
            )
        )
    if config.mode not in MODES:
        problems.append(
            Problem("unknown_mode", {"value": config.mode, "choices": ", ".join(MODES)})
        )
    problems += _check_stages(config)
    problems += _check_levels(config.levels)
    problems += _check_tie_break(config, items)
    return problems


def check_config(config: ResultsConfig, items: Sequence[ItemDef]) -> None:
    """Raise ``ConfigError`` with every problem, or return quietly."""
    problems = validate_config(config, items)
    if problems:
        raise ConfigError(problems)


def _type_problem(field: str, expected_zh: str, expected_en: str) -> Problem:
    return Problem(
        "config_field_type",
        {"field": field, "expected_zh": expected_zh, "expected_en": expected_en},
    )


def _read_levels(raw: Any, problems: list[Problem]) -> tuple[LevelRule, ...]:
    if not isinstance(raw, list):
        problems.append(_type_problem("levels", "列表", "a list"))
        return ()
    levels: list[LevelRule] = []
    for position, entry in enumerate(raw, start=1):
        where = f"levels[{position}]"
        if not isinstance(entry, dict):
            problems.append(_type_problem(where, "对象", "an object"))
            continue
        missing = [key for key in ("name", "min_total", "quota") if key not in entry]
        for key in missing:
            problems.append(Problem("config_missing_field", {"field": f"{where}.{key}"}))
        for key in entry:
            if key not in ("name", "min_total", "quota"):
                problems.append(Problem("config_unknown_field", {"field": f"{where}.{key}"}))
        if missing:
            continue
        if not isinstance(entry["name"], str):
            problems.append(_type_problem(f"{where}.name", "文本", "text"))
            continue
        quota = entry["quota"]
        if isinstance(quota, float) and quota.is_integer():
            quota = int(quota)
        levels.append(LevelRule(entry["name"], entry["min_total"], quota))
    return tuple(levels)


def _read_text_list(raw: Any, field: str, problems: list[Problem]) -> tuple[str, ...] | None:
    if not isinstance(raw, list) or not all(isinstance(value, str) for value in raw):
        problems.append(_type_problem(field, "文本列表", "a list of text"))
        return None
    return tuple(raw)


def config_from_dict(data: Any) -> ResultsConfig:
    """Build and validate a configuration from JSON-like data (a cycle field or a file).

    ``stages`` maps stage names to weights; ``stage_order`` defaults to document, onsite.
    Raises ``ConfigError`` listing every problem of shape; range checks follow in
    ``check_config``, which the caller runs with its item list.
    """
    if not isinstance(data, dict):
        raise ConfigError([Problem("config_not_object")])
    problems: list[Problem] = [
        Problem("config_unknown_field", {"field": key}) for key in data if key not in CONFIG_FIELDS
    ]
    if "method" not in data:
        problems.append(Problem("config_missing_field", {"field": "method"}))
    if "stages" not in data:
        problems.append(Problem("config_missing_field", {"field": "stages"}))
    options: dict[str, Any] = {}
    for key in ("method", "mode", "fallback_method"):
        if key in data:
            if isinstance(data[key], str):
                options[key] = data[key]
            else:
                problems.append(_type_problem(key, "文本", "text"))
    if "stages" in data:
        if isinstance(data["stages"], dict):
            options["stage_weights"] = dict(data["stages"])
        else:
            problems.append(_type_problem("stages", "从阶段名到权重的对象", "an object of weights"))
    options["stage_order"] = DEFAULT_STAGE_ORDER
    if "stage_order" in data:
        order = _read_text_list(data["stage_order"], "stage_order", problems)
        if order is not None:
            options["stage_order"] = order
    options["tie_break"] = DEFAULT_TIE_BREAK
    if "tie_break" in data:
        chain = _read_text_list(data["tie_break"], "tie_break", problems)
        if chain is not None:
            options["tie_break"] = chain
    if "levels" in data:
        options["levels"] = _read_levels(data["levels"], problems)
    if problems:
        raise ConfigError(problems)
    return ResultsConfig(**options)


def config_as_dict(config: ResultsConfig) -> dict[str, Any]:
    """The JSON-ready form that ``config_from_dict`` reads back (for snapshots)."""
    return {
        "method": config.method,
        "stages": dict(config.stage_weights),
        "mode": config.mode,
        "stage_order": list(config.stage_order),
        "levels": [
            {"name": level.name, "min_total": level.min_total, "quota": level.quota}
            for level in config.levels
        ],
        "tie_break": list(config.tie_break),
        "fallback_method": config.fallback_method,
    }
