"""Stage combination, ranking, tie-breaks and award levels on hand-computed cases.

Items are worth 100 points each and each application has one reviewer, so a stage total is
simply the sum of the three percentages written in each case.
"""

from decimal import Decimal

import pytest

from scoring.aggregation import (
    ItemDef,
    LevelOutcome,
    LevelRule,
    QuotaConflict,
    ResultsConfig,
    ScoreRow,
    TieGroup,
    compute_results,
)

ITEMS = (
    ItemDef("4.1.1", "4.1", 100.0),
    ItemDef("4.2.1", "4.2", 100.0),
    ItemDef("4.7.1", "4.7", 100.0),
)


def scored(application, stage, leadership, strategy, results, reviewer="R1"):
    """One reviewer's percentages for 4.1.1, 4.2.1 and 4.7.1."""
    return [
        ScoreRow(application, reviewer, stage, item.code, float(percent))
        for item, percent in zip(ITEMS, (leadership, strategy, results), strict=True)
    ]


def rank(rows, **options):
    options.setdefault("stage_weights", {"document": 1.0})
    return compute_results(rows, ResultsConfig(method="mean", **options), items=ITEMS)


def table(result):
    return [(row.rank, row.application, str(row.total_rounded), row.level) for row in result.rows]


def test_weighted_stages_combine_document_30_and_onsite_70():
    rows = (
        scored("A", "document", 50, 50, 50)  # 150
        + scored("A", "onsite", 40, 30, 30)  # 100 → 0.3 × 150 + 0.7 × 100 = 115
        + scored("B", "document", 40, 30, 30)  # 100
        + scored("B", "onsite", 40, 40, 40)  # 120 → 30 + 84 = 114
    )
    result = rank(rows, stage_weights={"document": 0.3, "onsite": 0.7})
    assert table(result) == [(1, "A", "115.00", None), (2, "B", "114.00", None)]
    a = result.by_application()["A"]
    assert (a.stages["document"].weight, a.stages["onsite"].weight) == (0.3, 0.7)
    assert (a.stages["document"].total, a.stages["onsite"].total) == (150.0, 100.0)
    # Categories are weighted like the total: 4.1 = 0.3 × 50 + 0.7 × 40.
    assert a.categories["4.1"] == 0.3 * 50 + 0.7 * 40
    assert a.separated_by is None
    assert result.by_application()["B"].separated_by == "total"


def test_replacement_lets_the_later_stage_replace_the_earlier_where_present():
    rows = (
        scored("A", "document", 50, 50, 50)
        + scored("A", "onsite", 40, 30, 30)  # 100 replaces 150
        + scored("B", "document", 40, 30, 30)
        + scored("B", "onsite", 40, 40, 40)  # 120 replaces 100
        + scored("C", "document", 35, 35, 40)  # 110, no on-site: the document stage stands
    )
    result = rank(rows, stage_weights={"document": 1.0, "onsite": 1.0}, mode="replacement")
    assert table(result) == [
        (1, "B", "120.00", None),
        (2, "C", "110.00", None),
        (3, "A", "100.00", None),
    ]
    by_app = result.by_application()
    assert (by_app["A"].stages["document"].weight, by_app["A"].stages["onsite"].weight) == (
        0.0,
        1.0,
    )
    assert by_app["C"].stages["document"].weight == 1.0
    assert [row.advanced for row in result.rows] == [True, True, True]


def test_a_stage_with_weight_0_is_ignored():
    rows = (
        scored("A", "document", 90, 90, 90)
        + scored("A", "onsite", 30, 30, 30)
        + scored("B", "document", 10, 10, 10)
        + scored("B", "onsite", 40, 40, 40)
        + scored("C", "document", 100, 100, 100)  # only the ignored stage
    )
    result = rank(rows, stage_weights={"document": 0.0, "onsite": 1.0})
    # C did not advance: it shows the total of the only stage it has, never 0 × 300.
    assert table(result) == [
        (1, "B", "120.00", None),
        (2, "A", "90.00", None),
        (3, "C", "300.00", None),
    ]
    c = result.by_application()["C"]
    assert (c.advanced, c.reached_stage, c.missing_stages) == (False, "document", ("onsite",))
    assert c.stages["document"].weight == 1.0
    assert result.by_application()["A"].reached_stage == "onsite"


def test_an_application_missing_a_weighted_stage_did_not_advance():
    rows = (
        scored("A", "document", 50, 50, 50)
        + scored("A", "onsite", 50, 50, 50)  # 150
        + scored("B", "document", 40, 40, 40)
        + scored("B", "onsite", 40, 40, 40)  # 120
        + scored("C", "document", 100, 100, 100)  # 300 in the document stage, no on-site
        + scored("D", "document", 40, 30, 30)  # 100 in the document stage
        + scored("E", "onsite", 30, 30, 20)  # 80 on site, no document: reached the later stage
    )
    levels = (LevelRule("winner", 0, 10),)
    result = rank(rows, stage_weights={"document": 0.3, "onsite": 0.7}, levels=levels)
    assert table(result) == [
        (1, "A", "150.00", "winner"),
        (2, "B", "120.00", "winner"),
        (3, "E", "80.00", None),
        (4, "C", "300.00", None),
        (5, "D", "100.00", None),
    ]
    by_app = result.by_application()
    assert [row.separated_by for row in result.rows] == [
        None,
        "total",
        "advanced",
        "reached stage",
        "total",
    ]
    assert [row.reached_stage for row in result.rows] == [
        "onsite",
        "onsite",
        "onsite",
        "document",
        "document",
    ]
    assert by_app["C"].missing_stages == ("onsite",)
    assert by_app["E"].missing_stages == ("document",)
    assert by_app["C"].tie_break_values == (
        Decimal("300.00"),
        Decimal("100.00"),
        Decimal("100.00"),
        None,
    )
    assert by_app["C"].categories == {"4.1": 100.0, "4.2": 100.0, "4.7": 100.0}
    assert (by_app["C"].stages["document"].weight, by_app["E"].stages["onsite"].weight) == (
        1.0,
        1.0,
    )


def test_non_advanced_applications_are_ordered_by_the_total_of_the_stage_they_reached():
    rows = (
        scored("A", "document", 10, 10, 10)
        + scored("A", "onsite", 10, 10, 10)  # 30, advanced
        + scored("C", "document", 100, 100, 100)  # 300 in the document stage
        + scored("D", "document", 40, 30, 30)  # 100 in the document stage
    )
    result = rank(rows, stage_weights={"document": 0.3, "onsite": 0.7})
    assert table(result) == [
        (1, "A", "30.00", None),
        (2, "C", "300.00", None),
        (3, "D", "100.00", None),
    ]
    assert [row.separated_by for row in result.rows] == [None, "advanced", "total"]


def test_results_category_breaks_a_tie_on_total():
    rows = scored("A", "document", 60, 40, 50) + scored("B", "document", 50, 40, 60)
    result = rank(rows)
    assert table(result) == [(1, "B", "150.00", None), (2, "A", "150.00", None)]
    assert result.by_application()["A"].separated_by == "category:4.7"
    assert result.ties_reported == ()


def test_leadership_breaks_a_tie_on_total_and_results():
    rows = scored("A", "document", 50, 50, 50) + scored("B", "document", 60, 40, 50)
    result = rank(rows)
    assert table(result) == [(1, "B", "150.00", None), (2, "A", "150.00", None)]
    assert result.by_application()["A"].separated_by == "category:4.1"


def test_onsite_stage_total_breaks_a_tie_on_total_results_and_leadership():
    rows = (
        scored("A", "document", 50, 60, 50)  # 160
        + scored("A", "onsite", 50, 40, 50)  # 140 → 150; 4.1 = 50, 4.7 = 50
        + scored("B", "document", 50, 40, 50)  # 140
        + scored("B", "onsite", 50, 60, 50)  # 160 → 150; 4.1 = 50, 4.7 = 50
    )
    result = rank(rows, stage_weights={"document": 0.5, "onsite": 0.5})
    assert table(result) == [(1, "B", "150.00", None), (2, "A", "150.00", None)]
    assert result.by_application()["A"].separated_by == "stage:onsite"
    assert result.by_application()["B"].tie_break_values == (
        Decimal("150.00"),
        Decimal("50.00"),
        Decimal("50.00"),
        Decimal("160.00"),
    )


def test_values_are_compared_rounded_to_2_decimals():
    # A's total 100.004 beats B's 100.000 only in the third decimal: both show 100.00, so the
    # results category decides (B 50.01 > A 50.00).
    rows = scored("A", "document", 50.004, 0, 50) + scored("B", "document", 49.99, 0, 50.01)
    result = rank(rows)
    assert table(result) == [(1, "B", "100.00", None), (2, "A", "100.00", None)]
    assert result.by_application()["A"].separated_by == "category:4.7"


def test_a_tie_the_chain_cannot_break_shares_the_rank_and_is_reported():
    rows = (
        scored("A", "document", 60, 60, 60)
        + scored("B", "document", 50, 50, 50)
        + scored("C", "document", 50, 50, 50, reviewer="R2")
        + scored("D", "document", 40, 40, 40)
    )
    result = rank(rows)
    assert table(result) == [
        (1, "A", "180.00", None),
        (2, "B", "150.00", None),
        (2, "C", "150.00", None),
        (4, "D", "120.00", None),
    ]
    assert [row.separated_by for row in result.rows] == [None, "total", "unbroken tie", "total"]
    assert result.ties_reported == (
        TieGroup(
            rank=2,
            applications=("B", "C"),
            values=(Decimal("150.00"), Decimal("50.00"), Decimal("50.00"), None),
        ),
    )


def levels_case():
    return (
        scored("A", "document", 60, 60, 50)  # 170
        + scored("B", "document", 50, 60, 50)  # 160
        + scored("C", "document", 50, 60, 50, reviewer="R2")  # 160, tied with B
        + scored("D", "document", 50, 50, 50)  # 150
        + scored("E", "document", 30, 30, 30)  # 90
    )


def test_a_tied_group_that_does_not_fit_gets_neither_place_and_is_reported():
    levels = (LevelRule("winner", 100, 2), LevelRule("nomination", 100, 3))
    result = rank(levels_case(), levels=levels)
    assert table(result) == [
        (1, "A", "170.00", "winner"),
        (2, "B", "160.00", "nomination"),
        (2, "C", "160.00", "nomination"),
        (4, "D", "150.00", "nomination"),
        (5, "E", "90.00", None),
    ]
    assert result.quota_conflicts == (
        QuotaConflict(level="winner", rank=2, applications=("B", "C"), places_left=1),
    )
    assert result.levels == (
        LevelOutcome("winner", 100, 2, ("A",), 1),
        LevelOutcome("nomination", 100, 3, ("B", "C", "D"), 0),
    )


def test_a_tied_group_that_fits_exactly_gets_the_places():
    levels = (LevelRule("winner", 100, 3), LevelRule("nomination", 100, 1))
    result = rank(levels_case(), levels=levels)
    assert [row.level for row in result.rows] == ["winner", "winner", "winner", "nomination", None]
    assert result.quota_conflicts == ()


def test_a_tied_group_after_a_full_level_is_no_conflict():
    levels = (LevelRule("winner", 100, 1), LevelRule("nomination", 100, 2))
    result = rank(levels_case(), levels=levels)
    assert [row.level for row in result.rows] == ["winner", "nomination", "nomination", None, None]
    assert result.quota_conflicts == ()


def test_a_tied_group_can_conflict_at_two_levels_in_a_row():
    levels = (LevelRule("winner", 100, 2), LevelRule("nomination", 100, 1))
    result = rank(levels_case(), levels=levels)
    assert [row.level for row in result.rows] == ["winner", None, None, None, None]
    assert result.quota_conflicts == (
        QuotaConflict("winner", 2, ("B", "C"), 1),
        QuotaConflict("nomination", 2, ("B", "C"), 1),
    )


def test_places_below_the_minimum_stay_vacant():
    levels = (LevelRule("winner", 165, 2), LevelRule("nomination", 155, 3))
    result = rank(levels_case(), levels=levels)
    assert [row.level for row in result.rows] == ["winner", "nomination", "nomination", None, None]
    assert result.levels == (
        LevelOutcome("winner", 165, 2, ("A",), 1),
        LevelOutcome("nomination", 155, 3, ("B", "C"), 1),
    )


def test_the_minimum_is_compared_with_the_rounded_total():
    rows = scored("A", "document", 59.996, 0, 0)  # 59.996 shows as 60.00
    result = rank(rows, levels=(LevelRule("winner", 60, 1),))
    assert table(result) == [(1, "A", "60.00", "winner")]


def test_without_levels_nobody_gets_one():
    result = rank(levels_case())
    assert [row.level for row in result.rows] == [None] * 5
    assert result.levels == ()


def test_a_quota_of_zero_awards_nothing():
    result = rank(levels_case(), levels=(LevelRule("winner", 0, 0), LevelRule("other", 0, 1)))
    assert [row.level for row in result.rows] == ["other", None, None, None, None]
    assert result.levels[0] == LevelOutcome("winner", 0, 0, (), 0)


def test_a_custom_tie_break_chain_is_followed():
    rows = scored("A", "document", 60, 40, 50) + scored("B", "document", 50, 50, 50)
    result = rank(rows, tie_break=("total", "category:4.2"))
    assert table(result) == [(1, "B", "150.00", None), (2, "A", "150.00", None)]
    assert result.by_application()["A"].separated_by == "category:4.2"
    assert result.tie_break == ("total", "category:4.2")


def test_the_luyu_example_shows_447_25_at_the_document_stage_not_134_18():
    """陆羽质量奖: document 0.3, on-site 0.7; an application left at the document stage with
    447.25 points showed 134.18 (0.3 × 447.25). It shows 447.25, reached the document stage."""
    items = (
        ItemDef("4.1.1", "4.1", 100.0),
        ItemDef("4.4.1", "4.4", 500.0),
        ItemDef("4.7.1", "4.7", 400.0),
    )

    def sheet(application, stage, percents):
        return [
            ScoreRow(application, "R1", stage, item.code, percent)
            for item, percent in zip(items, percents, strict=True)
        ]

    rows = (
        sheet("甲", "document", (60, 60, 60))  # 600
        + sheet("甲", "onsite", (50, 50, 50))  # 500 → 180 + 350 = 530
        + sheet("乙", "document", (45, 40.45, 50))  # 45 + 202.25 + 200 = 447.25
    )
    config = ResultsConfig(
        method="mean",
        stage_weights={"document": 0.3, "onsite": 0.7},
        levels=(LevelRule("陆羽质量奖", 0, 5),),
    )
    result = compute_results(rows, config, items=items)
    assert [
        (row.rank, row.application, str(row.total_rounded), row.level, row.reached_stage)
        for row in result.rows
    ] == [
        (1, "甲", "530.00", "陆羽质量奖", "onsite"),
        (2, "乙", "447.25", None, "document"),
    ]
    second = result.by_application()["乙"]
    assert (second.advanced, second.separated_by, second.missing_stages) == (
        False,
        "advanced",
        ("onsite",),
    )
    assert second.categories == pytest.approx({"4.1": 45.0, "4.4": 202.25, "4.7": 200.0})
    assert second.tie_break_values[0] == Decimal("447.25")
