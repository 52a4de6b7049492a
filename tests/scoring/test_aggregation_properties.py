"""Properties that must hold for any score sheet, checked on generated ones (hypothesis)."""

from collections import defaultdict
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.aggregation import (
    METHODS,
    UNBROKEN_TIE,
    ItemDef,
    LevelRule,
    ResultsConfig,
    ScoreRow,
    compute_results,
)

ITEMS = (
    ItemDef("4.1.1", "4.1", 100.0),
    ItemDef("4.2.1", "4.2", 50.0),
    ItemDef("4.7.1", "4.7", 100.0),
)
CODES = [item.code for item in ITEMS]
STAGES = ("document", "onsite")
LEVELS = (LevelRule("winner", 120, 1), LevelRule("nomination", 60, 2))


@st.composite
def score_sheets(draw):
    """Up to 6 applications and 6 reviewers, any subset of cells, percentages on the 5 % grid."""
    applications = draw(st.integers(1, 6))
    reviewers = draw(st.integers(1, 6))
    keys = draw(
        st.lists(
            st.tuples(
                st.integers(0, applications - 1),
                st.integers(0, reviewers - 1),
                st.sampled_from(STAGES),
                st.sampled_from(CODES),
            ),
            min_size=1,
            max_size=90,
            unique=True,
        )
    )
    percents = draw(st.lists(st.integers(0, 20), min_size=len(keys), max_size=len(keys)))
    return [
        ScoreRow(f"A{app}", f"R{reviewer}", stage, item, 5.0 * step)
        for (app, reviewer, stage, item), step in zip(keys, percents, strict=True)
    ]


configs = st.builds(
    ResultsConfig,
    method=st.sampled_from(METHODS),
    stage_weights=st.sampled_from(
        [{"document": 0.3, "onsite": 0.7}, {"document": 0.5, "onsite": 0.5}, {"onsite": 1.0}]
    ),
    levels=st.just(LEVELS),
)


@settings(max_examples=150, deadline=None)
@given(
    sheet=score_sheets(),
    config=configs,
    mode=st.sampled_from(["weighted", "replacement"]),
    data=st.data(),
)
def test_results_do_not_depend_on_the_order_of_the_rows(sheet, config, mode, data):
    config = replace(config, mode=mode)
    shuffled = data.draw(st.permutations(sheet))
    consensus = {(row.application, row.stage, row.item): 55.0 for row in sheet[::3]}
    first = compute_results(sheet, config, items=ITEMS, consensus=consensus)
    second = compute_results(
        shuffled, config, items=ITEMS, consensus=dict(reversed(consensus.items()))
    )
    assert second == first


@settings(max_examples=150, deadline=None)
@given(sheet=score_sheets())
def test_the_mean_method_is_the_plain_average(sheet):
    config = ResultsConfig(method="mean", stage_weights={"document": 0.3, "onsite": 0.7})
    result = compute_results(sheet, config, items=ITEMS).by_application()
    percents = defaultdict(list)
    for row in sheet:
        percents[row.application, row.stage, row.item].append(row.percent)
    for (application, stage, item), values in percents.items():
        combined = result[application].stages[stage].items[item]
        # Equal up to float rounding: the core adds in sorted order, Python in input order.
        assert combined.percent == pytest.approx(sum(values) / len(values), rel=1e-12, abs=1e-12)
    for outcome in result.values():
        for stage in outcome.stages.values():
            total = sum(item.points for item in stage.items.values())
            assert stage.total == pytest.approx(total, rel=1e-12, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(sheet=score_sheets())
def test_each_method_stays_within_the_scores_it_combines(sheet):
    config = ResultsConfig(stage_weights={"document": 0.3, "onsite": 0.7})
    mean = compute_results(sheet, config, items=ITEMS).by_application()
    for method in ("trimmed_mean", "median", "normalized"):
        result = compute_results(sheet, replace(config, method=method), items=ITEMS)
        for row in result.rows:
            for stage in row.stages.values():
                for item in stage.items.values():
                    raw = [score.percent for score in item.scores]
                    if method == "normalized":
                        assert all(0.0 <= score.normalized <= 100.0 for score in item.scores)
                        assert 0.0 <= item.percent <= 100.0
                        continue
                    assert min(raw) <= item.percent <= max(raw)
                    if method == "trimmed_mean" and len(raw) < 5:
                        plain = mean[row.application].stages[stage.stage].items[item.item]
                        assert item.percent == plain.percent


def _independent_key(row):
    # Applications with all weighted stages first; among the others, the later stage reached
    # first; then by the chain, a missing value lowest.
    depth = 0 if row.advanced else STAGES.index(row.reached_stage)
    return (
        row.advanced,
        depth,
        tuple((value is not None, value or 0) for value in row.tie_break_values),
    )


@settings(max_examples=150, deadline=None)
@given(sheet=score_sheets(), config=configs)
def test_ranks_are_competition_ranks_and_levels_follow_rank(sheet, config):
    result = compute_results(sheet, config, items=ITEMS)
    rows = result.rows
    for row in rows:
        better = sum(1 for other in rows if _independent_key(other) > _independent_key(row))
        assert row.rank == better + 1
    for above, below in zip(rows, rows[1:], strict=False):
        assert (below.separated_by == UNBROKEN_TIE) == (below.rank == above.rank)
    level_order = {level.name: position for position, level in enumerate(LEVELS)}
    for level in LEVELS:
        holders = [row for row in rows if row.level == level.name]
        assert len(holders) <= level.quota
        assert all(row.advanced and row.total_rounded >= level.min_total for row in holders)
    awarded = [row for row in rows if row.level is not None]
    for better, worse in zip(awarded, awarded[1:], strict=False):
        assert level_order[better.level] <= level_order[worse.level]
    tied = {name for tie in result.ties_reported for name in tie.applications}
    assert tied == {row.application for row in rows if row.separated_by == UNBROKEN_TIE} | {
        above.application
        for above, below in zip(rows, rows[1:], strict=False)
        if below.separated_by == UNBROKEN_TIE
    }


@st.composite
def mixed_cycles(draw):
    """A cycle of 2–8 applications, each scored in the document stage only (not advanced),
    in both stages (advanced) or, rarely, on site only; 1–4 reviewers per application score
    every item of every stage it has, on the 5 % grid."""
    sheet = []
    for app in range(draw(st.integers(2, 8))):
        stages = draw(st.sampled_from([("document",), ("document", "onsite"), ("onsite",)]))
        for reviewer in range(draw(st.integers(1, 4))):
            for stage in stages:
                for code in CODES:
                    percent = 5.0 * draw(st.integers(0, 20))
                    sheet.append(ScoreRow(f"A{app}", f"R{reviewer}", stage, code, percent))
    return sheet


def _oracle(sheet, weights):
    """Totals computed independently from the rows with plain Python (the mean method): an
    application with every weighted stage shows the weighted total; any other shows the plain
    total of the last weighted stage it has (the last stage it has when it has no weighted one),
    never a weighted total with zeros for the stages it lacks."""
    maximum = {item.code: item.max_points for item in ITEMS}
    category = {item.code: item.category for item in ITEMS}
    percents = defaultdict(list)
    for row in sheet:
        percents[row.application, row.stage, row.item].append(row.percent)
    stage_categories = defaultdict(lambda: defaultdict(float))
    for (app, stage, item), values in percents.items():
        points = maximum[item] * (sum(values) / len(values)) / 100
        stage_categories[app, stage][category[item]] += points
    expected = {}
    for app in {row.application for row in sheet}:
        present = [stage for stage in STAGES if (app, stage) in stage_categories]
        weighted = [stage for stage in present if weights.get(stage, 0) > 0]
        advanced = all((app, stage) in stage_categories for stage, w in weights.items() if w > 0)
        codes = sorted({item.category for item in ITEMS})
        if advanced:
            categories = {
                code: sum(
                    weights.get(stage, 0) * stage_categories[app, stage][code] for stage in present
                )
                for code in codes
            }
            reached = weighted[-1]
        else:
            reached = (weighted or present)[-1]
            categories = {code: stage_categories[app, reached][code] for code in codes}
        expected[app] = (advanced, reached, sum(categories.values()), categories)
    return expected


@settings(max_examples=150, deadline=None)
@given(
    sheet=mixed_cycles(),
    weights=st.sampled_from([{"document": 0.3, "onsite": 0.7}, {"document": 0.5, "onsite": 0.5}]),
)
def test_not_advanced_applications_show_the_stage_they_reached_in_mixed_cycles(sheet, weights):
    config = ResultsConfig(method="mean", stage_weights=weights, levels=LEVELS)
    result = compute_results(sheet, config, items=ITEMS)
    expected = _oracle(sheet, weights)
    assert {row.application for row in result.rows} == set(expected)
    for row in result.rows:
        advanced, reached, total, categories = expected[row.application]
        assert (row.advanced, row.reached_stage) == (advanced, reached)
        assert row.total == pytest.approx(total, rel=1e-12, abs=1e-9)
        assert row.categories == pytest.approx(categories, rel=1e-12, abs=1e-9)
        if not advanced:
            # Exactly the reached stage's own numbers, counted at 100 %.
            assert row.total == row.stages[reached].total
            assert row.level is None
            assert {stage.stage: stage.weight for stage in row.stages.values()} == {
                stage: (1.0 if stage == reached else 0.0) for stage in row.stages
            }
    # Every advanced application above every other; among the others, on-site before document.
    flags = [(row.advanced, row.advanced or row.reached_stage == "onsite") for row in result.rows]
    assert flags == sorted(flags, reverse=True)
    for row in result.rows:
        assert row.rank == 1 + sum(
            1 for other in result.rows if _independent_key(other) > _independent_key(row)
        )
