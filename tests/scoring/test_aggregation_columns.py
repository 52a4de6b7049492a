"""The fast paths of the results core give exactly what the plain ones give.

Columns of integer ids (how a cycle is read from the database) rank like rows of names, whole
cents like ``round2``, counting like sorting, and a stored score trace explains every
application exactly as a computation that built all explanations at once.
"""

from dataclasses import replace
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.aggregation import (
    METHODS,
    ResultsConfig,
    ScoreDataError,
    ScoreRow,
    compute_results,
    round2,
    trace_store,
)
from scoring.aggregation.engine import rank_with_trace
from scoring.aggregation.explain import stage_results
from scoring.aggregation.ranking import cents, from_cents
from scoring.aggregation.scores import (
    ScoreColumns,
    _duplicates,
    _id_names_and_codes,
    _sorted_order,
    prepare_columns,
    prepare_scores,
)
from scoring.aggregation.trace_store import scores_digest, trace_from_bytes, trace_to_bytes
from tests.scoring.test_aggregation_properties import CODES, ITEMS, LEVELS, STAGES, score_sheets


@st.composite
def id_sheets(draw, grid=5.0):
    """``score_sheets`` whose application and reviewer names are 3-digit ids (so that sorting
    them as text and as numbers agrees), on a 5 % or finer grid."""
    sheet = draw(score_sheets())
    fine = draw(st.lists(st.booleans(), min_size=len(sheet), max_size=len(sheet)))
    return [
        ScoreRow(
            str(100 + 7 * int(row.application[1:])),
            str(500 + 3 * int(row.reviewer[1:])),
            row.stage,
            row.item,
            row.percent - (grid if finer and row.percent >= grid else 0.0),
        )
        for row, finer in zip(sheet, fine, strict=True)
    ]


def columns_of(rows):
    return ScoreColumns(
        application=np.array([int(row.application) for row in rows]),
        reviewer=np.array([int(row.reviewer) for row in rows]),
        stage=np.array([STAGES.index(row.stage) for row in rows]),
        item=np.array([CODES.index(row.item) for row in rows]),
        percent=np.array([row.percent for row in rows], dtype=float),
    )


configs = st.builds(
    ResultsConfig,
    method=st.sampled_from(METHODS),
    stage_weights=st.sampled_from([{"document": 0.3, "onsite": 0.7}, {"onsite": 1.0}]),
    mode=st.sampled_from(["weighted", "replacement"]),
    levels=st.just(LEVELS),
)


@settings(max_examples=120, deadline=None)
@given(sheet=id_sheets(), config=configs)
def test_columns_of_ids_rank_exactly_like_rows_of_names(sheet, config):
    consensus = {(row.application, row.stage, row.item): 55.0 for row in sheet[::4]}
    expected = compute_results(sheet, config, items=ITEMS, consensus=consensus)
    prepared = prepare_columns(columns_of(sheet), stages=STAGES, items=ITEMS, consensus=consensus)
    result, trace = rank_with_trace(prepared, config)
    assert result.rows == tuple(
        replace(
            row,
            stages={
                stage: replace(value, items={}, missing_items=())
                for stage, value in row.stages.items()
            },
        )
        for row in expected.rows
    )
    assert (result.ties_reported, result.levels) == (expected.ties_reported, expected.levels)
    stored = trace_from_bytes(trace_to_bytes(trace))
    for row in expected.rows:
        assert stage_results(stored, stored.application_index(row.application)) == row.stages


@settings(max_examples=60, deadline=None)
@given(sheet=id_sheets(grid=2.5), config=configs)
def test_finer_percentages_take_the_three_key_sort_and_agree(sheet, config):
    expected = compute_results(sheet, config, items=ITEMS)
    prepared = prepare_columns(columns_of(sheet), stages=STAGES, items=ITEMS)
    ranked = rank_with_trace(prepared, config)[0].rows
    assert [(row.application, row.rank, row.level, row.total) for row in ranked] == [
        (row.application, row.rank, row.level, row.total) for row in expected.rows
    ]
    for index in range(len(prepared.starts)):  # rows of a cell ascend by percentage
        start, count = prepared.starts[index], prepared.counts[index]
        cell_percents = prepared.row_percent[start : start + count]
        assert (np.diff(cell_percents) >= 0).all()


def test_an_application_with_only_consensus_is_indexed_among_the_others():
    rows = [ScoreRow("105", "501", "onsite", "4.1.1", 60.0)]
    consensus = {("103", "onsite", "4.1.1"): 80.0}
    prepared = prepare_columns(columns_of(rows), stages=STAGES, items=ITEMS, consensus=consensus)
    assert prepared.applications == ("103", "105")
    config = ResultsConfig(method="consensus", stage_weights={"onsite": 1.0})
    result, _trace = rank_with_trace(prepared, config)
    assert [(row.application, row.total_rounded) for row in result.rows] == [
        ("103", Decimal("80.00")),
        ("105", Decimal("60.00")),
    ]


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(
        st.one_of(
            st.floats(-2000, 2000, allow_nan=False),
            # Half cents and their float neighbours: where rounding is delicate.
            st.builds(
                lambda k, n: k * 0.005 + n * 1e-12,
                st.integers(-400_000, 400_000),
                st.integers(-3, 3),
            ),
            st.builds(lambda k: k / 3 * 0.3, st.integers(0, 30_000)),
        ),
        min_size=1,
        max_size=50,
    )
)
def test_whole_cents_are_round2_exactly(values):
    assert cents(np.array(values)).tolist() == [int(round2(v) * 100) for v in values]
    assert [from_cents(c) for c in cents(np.array(values)).tolist()] == [round2(v) for v in values]


def test_cents_of_tricky_values():
    values = [635.005, 635.00499999999999, 0.125, 2.675, -1.005, 0.0, 1e-10]
    assert cents(np.array(values)).tolist() == [63501, 63501, 13, 268, -101, 0, 0]
    assert str(from_cents(0)) == "0.00" and from_cents(None) is None


@settings(max_examples=100, deadline=None)
@given(keys=st.lists(st.integers(0, 60), max_size=80))
def test_repeated_keys_are_found_alike_by_counting_and_by_sorting(keys):
    keys = np.array(keys, dtype=np.int64)
    counted = _duplicates(keys, 61)
    sorted_ = _duplicates(keys, 10**12)  # above the counting limit: sorts
    assert sorted(counted.tolist()) == sorted(sorted_.tolist())
    assert len(counted) == len(keys) - len(set(keys.tolist()))


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 20), st.integers(0, 5)),
        min_size=1,
        max_size=80,
        unique_by=lambda row: (row[0], row[2]),  # one score per reviewer and cell, as checked
    )
)
def test_the_folded_sort_is_the_three_key_sort(rows):
    cell, step, reviewer = (np.array(column, dtype=np.int64) for column in zip(*rows, strict=True))
    percent = 5.0 * step
    folded = _sorted_order(cell, percent, reviewer, 6)
    assert folded.tolist() == np.lexsort((reviewer, percent, cell)).tolist()


@settings(max_examples=100, deadline=None)
@given(ids=st.lists(st.integers(1, 10**15), min_size=1, max_size=40), small=st.booleans())
def test_ids_are_named_and_coded_in_numeric_order(ids, small):
    ids = np.array([i % 5000 if small else i for i in ids], dtype=np.int64)
    names, codes = _id_names_and_codes(ids)
    distinct = sorted(set(ids.tolist()))
    assert names == tuple(str(i) for i in distinct)
    assert codes.tolist() == [distinct.index(i) for i in ids.tolist()]


def test_repeated_scores_in_columns_are_reported_by_name():
    rows = [ScoreRow("101", "501", "document", "4.1.1", 60.0)] * 2
    with pytest.raises(ScoreDataError) as error:
        prepare_columns(columns_of(rows), stages=STAGES, items=ITEMS)
    assert [problem.code for problem in error.value.problems] == ["duplicate_score"]
    assert error.value.problems[0].params == {
        "application": "101",
        "reviewer": "501",
        "stage": "document",
        "item": "4.1.1",
    }


@settings(max_examples=60, deadline=None)
@given(sheet=id_sheets(), data=st.data())
def test_the_digest_is_the_data_not_its_order(sheet, data):
    consensus = {(row.application, row.stage, row.item): 55.0 for row in sheet[::3]}
    digest = scores_digest(prepare_scores(sheet, stages=STAGES, items=ITEMS, consensus=consensus))
    shuffled = data.draw(st.permutations(sheet))
    reordered = dict(reversed(consensus.items()))
    assert digest == scores_digest(
        prepare_scores(shuffled, stages=STAGES, items=ITEMS, consensus=reordered)
    )
    changed = [replace(sheet[0], percent=(sheet[0].percent + 5) % 105), *sheet[1:]]
    assert digest != scores_digest(
        prepare_scores(changed, stages=STAGES, items=ITEMS, consensus=consensus)
    )
    assert digest != scores_digest(prepare_scores(sheet, stages=STAGES, items=ITEMS))
    renamed = [replace(row, reviewer="R" + row.reviewer) for row in sheet]
    assert digest != scores_digest(
        prepare_scores(renamed, stages=STAGES, items=ITEMS, consensus=consensus)
    )


def test_a_stored_trace_is_compact_and_reads_back_equal():
    rows = [
        ScoreRow(str(100 + app), str(500 + reviewer), stage, item, 5.0 * ((app + reviewer) % 21))
        for app in range(40)
        for reviewer in range(5)
        for stage in STAGES
        for item in CODES
    ]
    for method in ("mean", "normalized"):
        prepared = prepare_scores(rows, stages=STAGES, items=ITEMS)
        _result, trace = rank_with_trace(prepared, ResultsConfig(method=method))
        data = trace_to_bytes(trace)
        stored = trace_from_bytes(data)
        for field in trace.__dataclass_fields__:
            original, read = getattr(trace, field), getattr(stored, field)
            if isinstance(original, np.ndarray):
                assert np.array_equal(original, read, equal_nan=original.dtype.kind == "f")
            else:
                assert original == read
        assert data[:2] == b"PK"  # a zip of .npy arrays, never a pickle
        # 1,200 whole percentages in a byte each; normalized values need full floats.
        assert (stored.row_normalized is None) == (method == "mean")


def test_a_trace_of_another_format_is_refused(monkeypatch):
    prepared = prepare_scores(
        [ScoreRow("101", "501", "document", "4.1.1", 60.0)], stages=STAGES, items=ITEMS
    )
    trace = rank_with_trace(prepared, ResultsConfig())[1]
    monkeypatch.setattr(trace_store, "TRACE_FORMAT", 9)
    data = trace_to_bytes(trace)
    monkeypatch.undo()
    with pytest.raises(ValueError, match="unknown score trace format 9"):
        trace_from_bytes(data)
