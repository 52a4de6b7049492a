"""The robustness check: which award levels depend on the choice of method."""

from scoring.aggregation import (
    ItemDef,
    LevelRule,
    MethodOutcome,
    ResultsConfig,
    ScoreRow,
    compare_methods,
)

ITEMS = (ItemDef("4.1.1", "4.1", 100.0), ItemDef("4.7.1", "4.7", 100.0))


def rows():
    """Five reviewers; R1 is harsh on A.

    A: 0, 80, 80, 80, 80 → mean 64, trimmed mean 80, median 80.
    B: 70 from everyone → 70 under every reviewer-based method.
    C: 10 from everyone → last whatever the method.
    Normalized (stage mean 48, population std √(16040 / 15) = 32.70; every reviewer's std is
    √(2866.67 / 3) = 30.91): R1's 0 for A has z = −0.863 ↦ 19.79 and R2–R5's 80 has z = +0.863 ↦
    76.21, so A = (19.79 + 4 × 76.21) / 5 = 64.93; B = (93.84 + 4 × 65.63) / 5 = 71.27;
    C = (30.37 + 4 × 2.16) / 5 = 7.80. Normalization thus agrees with the mean here.
    """
    scores = {"A": [0, 80, 80, 80, 80], "B": [70] * 5, "C": [10] * 5}
    return [
        ScoreRow(application, f"R{number}", "document", "4.1.1", float(percent))
        for application, percents in scores.items()
        for number, percent in enumerate(percents, start=1)
    ]


CONFIG = ResultsConfig(
    method="mean",
    stage_weights={"document": 1.0},
    levels=(LevelRule("winner", 60, 1), LevelRule("nomination", 50, 1)),
)


def test_levels_that_change_with_the_method_are_flagged():
    report = compare_methods(rows(), CONFIG, items=ITEMS)
    assert report.configured_method == "mean"
    assert report.methods == ("mean", "trimmed_mean", "median", "normalized")
    assert [row.application for row in report.rows] == ["B", "A", "C"]
    by_app = {row.application: row for row in report.rows}
    assert by_app["B"].outcomes == {
        "mean": MethodOutcome(1, "winner"),
        "trimmed_mean": MethodOutcome(2, "nomination"),
        "median": MethodOutcome(2, "nomination"),
        "normalized": MethodOutcome(1, "winner"),
    }
    assert by_app["A"].outcomes == {
        "mean": MethodOutcome(2, "nomination"),
        "trimmed_mean": MethodOutcome(1, "winner"),
        "median": MethodOutcome(1, "winner"),
        "normalized": MethodOutcome(2, "nomination"),
    }
    assert by_app["A"].level_changed_under == ("trimmed_mean", "median")
    assert by_app["B"].level_changed_under == ("trimmed_mean", "median")
    assert by_app["C"].outcomes["normalized"] == MethodOutcome(3, None)
    assert by_app["C"].level_changed_under == ()
    assert report.flagged() == ("B", "A")


def test_a_consensus_configuration_is_compared_with_the_four_methods():
    consensus = {("C", "document", "4.1.1"): 100.0}
    config = ResultsConfig(
        method="consensus", stage_weights={"document": 1.0}, levels=CONFIG.levels
    )
    report = compare_methods(rows(), config, items=ITEMS, consensus=consensus)
    assert report.methods == ("consensus", "mean", "trimmed_mean", "median", "normalized")
    assert [row.application for row in report.rows] == ["C", "B", "A"]
    by_app = {row.application: row for row in report.rows}
    assert by_app["C"].outcomes["consensus"] == MethodOutcome(1, "winner")
    assert by_app["C"].level_changed_under == ("mean", "trimmed_mean", "median", "normalized")
    assert by_app["B"].outcomes["consensus"] == MethodOutcome(2, "nomination")
    assert by_app["B"].level_changed_under == ("mean", "normalized")
    assert by_app["A"].outcomes["consensus"] == MethodOutcome(3, None)
    assert by_app["A"].level_changed_under == ("mean", "trimmed_mean", "median", "normalized")
