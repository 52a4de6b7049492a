"""Configuration validation: every mistake reported at once, in Chinese and in English."""

import pytest

from scoring.aggregation import (
    ConfigError,
    LevelRule,
    ResultsConfig,
    ScoreDataError,
    ScoreRow,
    check_config,
    compute_results,
    config_as_dict,
    config_from_dict,
    default_items,
    validate_config,
)

ITEMS = default_items()


def codes(config):
    return [problem.code for problem in validate_config(config, ITEMS)]


def test_the_default_configuration_is_valid():
    assert validate_config(ResultsConfig(), ITEMS) == []


def test_unknown_method_in_chinese_and_english():
    [problem] = validate_config(ResultsConfig(method="average"), ITEMS)
    assert problem.code == "unknown_method"
    assert problem.text("zh-hans") == (
        "未知的汇总方法“average”（可选：mean, trimmed_mean, median, normalized, consensus）"
    )
    assert problem.text("en") == (
        'unknown method "average" (choose one of mean, trimmed_mean, median, normalized, consensus)'
    )


def test_weights_must_sum_to_1_in_weighted_mode():
    [problem] = validate_config(
        ResultsConfig(stage_weights={"document": 0.3, "onsite": 0.6}), ITEMS
    )
    assert problem.code == "weights_sum"
    assert problem.text("en") == "stage weights sum to 0.9, not 1"
    assert problem.text("zh-hans") == "各阶段权重之和为 0.9，应为 1"


def test_weights_sum_tolerance_is_1e_9():
    assert codes(ResultsConfig(stage_weights={"document": 0.1 + 0.2, "onsite": 0.7})) == []
    assert codes(ResultsConfig(stage_weights={"document": 0.3 + 5e-10, "onsite": 0.7})) == []
    assert codes(ResultsConfig(stage_weights={"document": 0.3 + 2e-9, "onsite": 0.7})) == [
        "weights_sum"
    ]


def test_replacement_mode_needs_no_sum_of_1():
    config = ResultsConfig(stage_weights={"document": 1, "onsite": 1}, mode="replacement")
    assert codes(config) == []


def test_negative_weight_and_unknown_stage():
    config = ResultsConfig(stage_weights={"document": 1.2, "onsite": -0.2, "site": 0})
    problems = validate_config(config, ITEMS)
    assert [problem.text("en") for problem in problems] == [
        'weight -0.2 of stage "onsite" is negative',
        'unknown stage "site" in the weights (choose one of document, onsite)',
    ]
    assert problems[0].text("zh-hans") == "阶段“onsite”的权重 -0.2 为负数"


def test_no_stage_with_a_positive_weight():
    assert codes(ResultsConfig(stage_weights={"document": 0, "onsite": 0})) == [
        "no_positive_weight"
    ]


def test_negative_quota_and_negative_min_total():
    levels = (LevelRule("winner", -1, 2), LevelRule("nomination", -5, -1))
    problems = validate_config(ResultsConfig(levels=levels), ITEMS)
    assert [problem.text("en") for problem in problems] == [
        'minimum total -1 of level "winner" is negative',
        'quota -1 of level "nomination" is negative',
        'minimum total -5 of level "nomination" is negative',
    ]
    assert problems[1].text("zh-hans") == "奖项等级“nomination”的名额 -1 为负数"
    assert problems[2].text("zh-hans") == "奖项等级“nomination”的最低分 -5 为负数"


def test_levels_must_go_from_the_highest_minimum_down():
    levels = (LevelRule("nomination", 550, 3), LevelRule("winner", 600, 2))
    [problem] = validate_config(ResultsConfig(levels=levels), ITEMS)
    assert problem.code == "levels_not_descending"
    assert problem.text("en") == (
        'minimum total 600 of level "winner" is above 550 of the level before it '
        '("nomination"); levels must go from the highest minimum down'
    )


def test_equal_minimums_and_empty_levels_are_allowed():
    levels = (LevelRule("winner", 600, 1), LevelRule("nomination", 600, 3))
    assert codes(ResultsConfig(levels=levels)) == []
    assert codes(ResultsConfig(levels=())) == []


def test_duplicate_and_nameless_levels():
    levels = (LevelRule("winner", 600, 1), LevelRule("winner", 500, 1), LevelRule("", 400, 1))
    assert codes(ResultsConfig(levels=levels)) == ["duplicate_level", "level_name_empty"]


def test_min_total_must_be_a_number():
    config = config_from_dict(
        {
            "method": "mean",
            "stages": {"document": 1},
            "levels": [{"name": "winner", "min_total": "600", "quota": 1}],
        }
    )
    [problem] = validate_config(config, ITEMS)
    assert problem.text("en") == 'minimum total 600 of level "winner" is not a number'


def test_quota_must_be_a_whole_number():
    assert codes(ResultsConfig(levels=(LevelRule("winner", 600, 1.5),))) == ["quota_not_integer"]


def test_tie_break_chain_must_start_with_total_and_name_known_criteria():
    config = ResultsConfig(tie_break=("category:4.7", "category:9.9", "stage:site", "speed"))
    assert codes(config) == [
        "tie_break_first",
        "unknown_tie_break",
        "unknown_tie_break",
        "unknown_tie_break",
    ]
    assert codes(ResultsConfig(tie_break=())) == ["tie_break_empty"]


def test_unknown_mode_and_fallback_method():
    config = ResultsConfig(mode="average", fallback_method="consensus")
    assert codes(config) == ["unknown_fallback_method", "unknown_mode"]


def test_every_problem_is_reported_at_once():
    config = ResultsConfig(
        method="avg",
        stage_weights={"document": 0.5, "onsite": 0.6},
        levels=(LevelRule("winner", 500, -1), LevelRule("nomination", 600, 2)),
    )
    with pytest.raises(ConfigError) as caught:
        check_config(config, ITEMS)
    assert caught.value.codes == (
        "unknown_method",
        "weights_sum",
        "negative_quota",
        "levels_not_descending",
    )
    assert caught.value.messages("en")[1] == "stage weights sum to 1.1, not 1"


def test_compute_results_refuses_an_invalid_configuration():
    with pytest.raises(ConfigError) as caught:
        compute_results([], ResultsConfig(method="avg"))
    assert caught.value.codes == ("unknown_method",)


def test_compute_results_refuses_unknown_items_stages_and_bad_percentages():
    rows = [
        ScoreRow("A", "R1", "document", "4.1.1", 50.0),
        ScoreRow("A", "R1", "site", "4.1.1", 50.0),
        ScoreRow("A", "R1", "document", "9.9.9", 50.0),
        ScoreRow("A", "R1", "onsite", "4.1.1", 120.0),
        ScoreRow("A", "R1", "onsite", "4.1.2", float("nan")),
    ]
    with pytest.raises(ScoreDataError) as caught:
        compute_results(rows, ResultsConfig())
    assert caught.value.messages("en") == [
        'stage "site" is unknown (choose one of document, onsite)',
        'item "9.9.9" is not in the criteria',
        'percent "nan" is not a number',
        "percent 120 is outside 0..100",
    ]


def test_compute_results_refuses_a_repeated_score():
    rows = [
        ScoreRow("A", "R1", "document", "4.1.1", 50.0),
        ScoreRow("A", "R1", "document", "4.1.1", 60.0),
    ]
    with pytest.raises(ScoreDataError) as caught:
        compute_results(rows, ResultsConfig())
    assert caught.value.messages("en") == [
        "duplicate score for application A, reviewer R1, stage document, item 4.1.1"
    ]


def test_config_from_dict_reads_the_json_form():
    config = config_from_dict(
        {
            "method": "trimmed_mean",
            "stages": {"document": 0.3, "onsite": 0.7},
            "levels": [
                {"name": "winner", "min_total": 600, "quota": 2},
                {"name": "nomination", "min_total": 550, "quota": 3},
            ],
        }
    )
    assert config == ResultsConfig(
        method="trimmed_mean",
        stage_weights={"document": 0.3, "onsite": 0.7},
        levels=(LevelRule("winner", 600, 2), LevelRule("nomination", 550, 3)),
    )
    assert config_from_dict(config_as_dict(config)) == config


def test_config_from_dict_reports_shape_problems():
    with pytest.raises(ConfigError) as caught:
        config_from_dict(
            {"method": 3, "stage": {"document": 1}, "levels": [{"name": "winner", "quota": 1}]}
        )
    assert caught.value.messages("en") == [
        'unknown configuration field "stage"',
        'missing configuration field "stages"',
        'configuration field "method" must be text',
        'missing configuration field "levels[1].min_total"',
    ]
    assert caught.value.messages("zh-hans")[2] == "配置项“method”应为文本"
    with pytest.raises(ConfigError) as caught:
        config_from_dict([1, 2])
    assert caught.value.codes == ("config_not_object",)
