"""Hand-computed cases for each way of combining reviewers' percentages into one.

Pure tests (no database, no Django settings needed): ``pytest -p no:django`` runs them too.
"""

import math

import pytest

from scoring.aggregation import (
    ItemDef,
    ResultsConfig,
    ReviewerScore,
    ScoreRow,
    compute_results,
    default_items,
)

# Small framework: item points 50 / 40 / 80 so that points = max × percent / 100 is visible.
ITEMS = (
    ItemDef("4.1.1", "4.1", 50.0),
    ItemDef("4.2.1", "4.2", 40.0),
    ItemDef("4.7.1", "4.7", 80.0),
)
DOCUMENT_ONLY = {"document": 1.0}


def cell(application, item, percents, stage="document"):
    """Rows for one item of one application: reviewer R1, R2, … in the given order."""
    return [
        ScoreRow(application, f"R{number}", stage, item, float(percent))
        for number, percent in enumerate(percents, start=1)
    ]


def run(rows, method, *, items=ITEMS, **options):
    config = ResultsConfig(method=method, stage_weights=DOCUMENT_ONLY, **options)
    return compute_results(rows, config, items=items).by_application()


def item_of(result, application, item, stage="document"):
    return result[application].stages[stage].items[item]


def test_mean_averages_all_reviewers_and_points_follow_item_maximum():
    rows = cell("A", "4.1.1", [60, 70, 95]) + cell("A", "4.7.1", [50, 50, 80])
    result = run(rows, "mean")
    first = item_of(result, "A", "4.1.1")
    assert first.percent == 75.0
    assert first.points == 37.5  # 50 × 75 / 100
    assert first.source == "mean"
    assert first.scores == (
        ReviewerScore("R1", 60.0, True, None),
        ReviewerScore("R2", 70.0, True, None),
        ReviewerScore("R3", 95.0, True, None),
    )
    assert item_of(result, "A", "4.7.1").points == 48.0  # 80 × 60 / 100
    stage = result["A"].stages["document"]
    assert stage.total == 85.5
    assert stage.categories == {"4.1": 37.5, "4.2": 0.0, "4.7": 48.0}
    assert stage.missing_items == ("4.2.1",)
    assert stage.weight == 1.0
    assert result["A"].total == 85.5
    assert str(result["A"].total_rounded) == "85.50"


def test_trimmed_mean_with_four_reviewers_is_the_plain_mean():
    result = run(cell("A", "4.1.1", [40, 60, 70, 90]), "trimmed_mean")
    first = item_of(result, "A", "4.1.1")
    assert first.percent == 65.0
    assert [score.used for score in first.scores] == [True, True, True, True]


def test_trimmed_mean_with_five_reviewers_drops_one_highest_and_one_lowest():
    result = run(cell("A", "4.1.1", [100, 60, 40, 80, 70]), "trimmed_mean")
    first = item_of(result, "A", "4.1.1")
    assert first.percent == 70.0  # (60 + 70 + 80) / 3
    assert first.points == 35.0
    assert first.source == "trimmed_mean"
    assert first.scores == (
        ReviewerScore("R3", 40.0, False, None),
        ReviewerScore("R2", 60.0, True, None),
        ReviewerScore("R5", 70.0, True, None),
        ReviewerScore("R4", 80.0, True, None),
        ReviewerScore("R1", 100.0, False, None),
    )


def test_trimmed_mean_drops_only_one_of_equal_extremes():
    result = run(cell("A", "4.1.1", [60, 60, 70, 80, 80]), "trimmed_mean")
    first = item_of(result, "A", "4.1.1")
    assert first.percent == 70.0  # (60 + 70 + 80) / 3
    assert [(score.reviewer, score.used) for score in first.scores] == [
        ("R1", False),
        ("R2", True),
        ("R3", True),
        ("R4", True),
        ("R5", False),
    ]


def test_median_of_an_odd_count_is_the_middle_score():
    result = run(cell("A", "4.1.1", [30, 90, 50]), "median")
    first = item_of(result, "A", "4.1.1")
    assert first.percent == 50.0
    assert [(score.reviewer, score.used) for score in first.scores] == [
        ("R1", False),
        ("R3", True),
        ("R2", False),
    ]


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    result = run(cell("A", "4.1.1", [100, 30, 70, 50]), "median")
    first = item_of(result, "A", "4.1.1")
    assert first.percent == 60.0  # (50 + 70) / 2
    assert [score.percent for score in first.scores if score.used] == [50.0, 70.0]


# Normalization case, all on 100-point items so points equal percentages.
#   R1 scores A 80, 80 and B 20, 20: mean 50, population std 30 → z = +1, +1, −1, −1
#   R2 scores A 80, 60 and B 80, 60: mean 70, std 10            → z = +1, −1, +1, −1
#   R3 scores 60 everywhere: no spread, shifted by (stage mean − 60) = 0 → 60
#   Stage: 12 percentages, mean 720 / 12 = 60, population std √(4800 / 12) = 20
#   So z = +1 ↦ 80 and z = −1 ↦ 40.
NORMALIZATION_ITEMS = (ItemDef("4.1.1", "4.1", 100.0), ItemDef("4.7.1", "4.7", 100.0))


def normalization_rows(stage="document"):
    return [
        ScoreRow(application, reviewer, stage, item, float(percent))
        for application, reviewer, item, percent in [
            ("A", "R1", "4.1.1", 80),
            ("A", "R1", "4.7.1", 80),
            ("B", "R1", "4.1.1", 20),
            ("B", "R1", "4.7.1", 20),
            ("A", "R2", "4.1.1", 80),
            ("A", "R2", "4.7.1", 60),
            ("B", "R2", "4.1.1", 80),
            ("B", "R2", "4.7.1", 60),
            ("A", "R3", "4.1.1", 60),
            ("A", "R3", "4.7.1", 60),
            ("B", "R3", "4.1.1", 60),
            ("B", "R3", "4.7.1", 60),
        ]
    ]


def test_normalized_rescales_each_reviewer_to_the_stage_scale():
    result = run(normalization_rows(), "normalized", items=NORMALIZATION_ITEMS)
    a_first = item_of(result, "A", "4.1.1")
    assert [(score.reviewer, score.percent, score.normalized) for score in a_first.scores] == [
        ("R3", 60.0, 60.0),
        ("R1", 80.0, 80.0),
        ("R2", 80.0, 80.0),
    ]
    assert a_first.percent == 220 / 3  # (80 + 80 + 60) / 3
    assert a_first.source == "normalized"
    assert [score.normalized for score in item_of(result, "A", "4.7.1").scores] == [
        40.0,  # R2 60 → z = −1
        60.0,  # R3, no spread
        80.0,  # R1 80 → z = +1
    ]
    assert item_of(result, "A", "4.7.1").percent == 60.0  # (80 + 40 + 60) / 3
    assert item_of(result, "B", "4.1.1").percent == 60.0  # (40 + 80 + 60) / 3
    assert item_of(result, "B", "4.7.1").percent == 140 / 3  # (40 + 40 + 60) / 3
    assert str(result["A"].total_rounded) == "133.33"
    assert str(result["B"].total_rounded) == "106.67"
    # The plain mean of the same scores: A 73.33 + 66.67, B 53.33 + 46.67.
    plain = run(normalization_rows(), "mean", items=NORMALIZATION_ITEMS)
    assert (str(plain["A"].total_rounded), str(plain["B"].total_rounded)) == ("140.00", "100.00")


def test_normalization_uses_only_the_reviewers_scores_of_the_same_stage():
    onsite = [
        ScoreRow("A", "R1", "onsite", "4.1.1", 100.0),
        ScoreRow("A", "R1", "onsite", "4.7.1", 0.0),
    ]
    result = run(normalization_rows() + onsite, "normalized", items=NORMALIZATION_ITEMS)
    assert item_of(result, "A", "4.1.1").percent == 220 / 3
    assert str(result["A"].total_rounded) == "133.33"
    assert result["A"].stages["onsite"].weight == 0.0  # weight 0: stage ignored


def test_normalized_values_are_clipped_to_0_and_100():
    # X scores 100, 0, 0, 0 and Y 100, 100, 100, 0: stage mean 50, population std 50.
    # X: mean 25, std 25√3, so z(100) = √3 and z(0) = −1/√3; Y mirrors it.
    rows = [
        ScoreRow(application, reviewer, "document", item, float(percent))
        for application, reviewer, item, percent in [
            ("A", "X", "4.1.1", 100),
            ("A", "X", "4.7.1", 0),
            ("B", "X", "4.1.1", 0),
            ("B", "X", "4.7.1", 0),
            ("A", "Y", "4.1.1", 100),
            ("A", "Y", "4.7.1", 100),
            ("B", "Y", "4.1.1", 100),
            ("B", "Y", "4.7.1", 0),
        ]
    ]
    result = run(rows, "normalized", items=NORMALIZATION_ITEMS)
    high = 50 + 50 / math.sqrt(3)  # 78.87
    low = 50 - 50 / math.sqrt(3)  # 21.13
    a_first = item_of(result, "A", "4.1.1")
    # X's 100 maps to 50 + 50√3 = 136.6 and is clipped to 100.
    assert [(score.reviewer, score.normalized) for score in a_first.scores] == [
        ("X", 100.0),
        ("Y", pytest.approx(high, rel=1e-12)),
    ]
    b_last = item_of(result, "B", "4.7.1")
    # Y's 0 maps to 50 − 50√3 = −36.6 and is clipped to 0.
    assert [(score.reviewer, score.normalized) for score in b_last.scores] == [
        ("X", pytest.approx(low, rel=1e-12)),
        ("Y", 0.0),
    ]
    assert a_first.percent == pytest.approx((100 + high) / 2, rel=1e-12)
    assert b_last.percent == pytest.approx(low / 2, rel=1e-12)
    assert str(result["A"].total_rounded) == "139.43"  # 89.43 + 50
    assert str(result["B"].total_rounded) == "60.57"  # 50 + 10.57


def test_consensus_replaces_recorded_items_and_falls_back_to_mean_elsewhere():
    rows = cell("A", "4.1.1", [60, 70, 95]) + cell("A", "4.7.1", [50, 50, 80])
    consensus = {("A", "document", "4.1.1"): 85.0}
    config = ResultsConfig(method="consensus", stage_weights=DOCUMENT_ONLY)
    result = compute_results(rows, config, items=ITEMS, consensus=consensus).by_application()
    first = item_of(result, "A", "4.1.1")
    assert (first.percent, first.points, first.source) == (85.0, 42.5, "consensus")
    assert [score.used for score in first.scores] == [False, False, False]
    last = item_of(result, "A", "4.7.1")
    assert (last.percent, last.points, last.source) == (60.0, 48.0, "mean")
    assert result["A"].total == 90.5


def test_consensus_fallback_method_is_configurable():
    rows = cell("A", "4.1.1", [60, 70, 95]) + cell("A", "4.7.1", [50, 50, 80])
    consensus = {("A", "document", "4.1.1"): 85.0}
    config = ResultsConfig(
        method="consensus", stage_weights=DOCUMENT_ONLY, fallback_method="median"
    )
    result = compute_results(rows, config, items=ITEMS, consensus=consensus).by_application()
    last = item_of(result, "A", "4.7.1")
    assert (last.percent, last.points, last.source) == (50.0, 40.0, "median")
    assert result["A"].total == 82.5  # 42.5 + 40


def test_consensus_without_reviewer_scores_still_counts():
    rows = cell("A", "4.1.1", [60, 70, 95])
    consensus = {("A", "document", "4.2.1"): 50.0, ("Z", "document", "4.1.1"): 100.0}
    config = ResultsConfig(method="consensus", stage_weights=DOCUMENT_ONLY)
    ranking = compute_results(rows, config, items=ITEMS, consensus=consensus)
    result = ranking.by_application()
    assert item_of(result, "A", "4.2.1") == ("4.2.1", 50.0, 20.0, "consensus", ())
    assert [(row.application, row.rank, row.total) for row in ranking.rows] == [
        ("A", 1, 57.5),  # 37.5 (mean) + 20 (consensus)
        ("Z", 2, 50.0),  # consensus only
    ]


def test_default_items_are_gb_t_19580_2012_and_total_1000():
    items = default_items()
    assert len(items) == 23
    assert sum(item.max_points for item in items) == 1000.0
    assert items[0] == ItemDef("4.1.1", "4.1", 50.0)
    rows = [ScoreRow("A", "R1", "document", item.code, 100.0) for item in items]
    config = ResultsConfig(method="mean", stage_weights=DOCUMENT_ONLY)
    result = compute_results(rows, config).by_application()["A"]
    assert result.total == 1000.0
    assert result.categories == {
        "4.1": 110.0,
        "4.2": 90.0,
        "4.3": 90.0,
        "4.4": 130.0,
        "4.5": 100.0,
        "4.6": 80.0,
        "4.7": 400.0,
    }
