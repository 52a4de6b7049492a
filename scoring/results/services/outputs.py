"""The frozen form of a computed result: its JSON outputs.

``outputs`` keeps what the ranking and its explanation pages show, without recomputing:

* ``summary``: method, tie-break chain, stage order, reported ties, quota conflicts, how each
  level was filled, and the robustness check (rank and level under every other method);
* ``index``: application id → position in ``applications``, so one application's explanation
  can be read with a JSON array lookup instead of loading the whole document;
* ``applications``: in rank order, each with its total, level, the stage it reached (whose own
  total is its total when it did not advance), tie-break values and the step that separated it
  from its neighbour (category points are in the snapshot's entries).

Per stage and item (stage totals and weights, percentages, points, method applied, every
reviewer's score used or dropped, normalized values) the snapshot's ``ResultTrace`` holds the
arrays (format 2; format 1 kept all of it here, and ``scoring.queries.results`` reads both).

Numbers keep full precision (floats); rounded values are strings, as the officials saw them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scoring.aggregation import (
    ApplicationResult,
    RankingResult,
    RobustnessReport,
    StageResult,
)

OUTPUTS_FORMAT = 2


def _text(value) -> str | None:
    return None if value is None else str(value)


def _application(row: ApplicationResult) -> dict[str, Any]:
    return {
        "application": row.application,
        "rank": row.rank,
        "level": row.level,
        "advanced": row.advanced,
        "reached_stage": row.reached_stage,
        "total": row.total,
        "total_rounded": str(row.total_rounded),
        "missing_stages": list(row.missing_stages),
        "tie_break_values": [_text(value) for value in row.tie_break_values],
        "separated_by": row.separated_by,
    }


def _robustness(report: RobustnessReport) -> dict[str, Any]:
    return {
        row.application: {
            "outcomes": {
                method: [outcome.rank, outcome.level] for method, outcome in row.outcomes.items()
            },
            "level_changed_under": list(row.level_changed_under),
        }
        for row in report.rows
    }


def result_outputs(
    result: RankingResult, robustness: RobustnessReport, *, stages: Iterable[str]
) -> dict[str, Any]:
    summary = {
        "method": result.method,
        "tie_break": list(result.tie_break),
        "stages": list(stages),
        "ties": [
            {
                "rank": tie.rank,
                "applications": list(tie.applications),
                "values": [_text(value) for value in tie.values],
            }
            for tie in result.ties_reported
        ],
        "quota_conflicts": [
            {
                "level": conflict.level,
                "rank": conflict.rank,
                "applications": list(conflict.applications),
                "places_left": conflict.places_left,
            }
            for conflict in result.quota_conflicts
        ],
        "levels": [
            {
                "level": outcome.level,
                "min_total": outcome.min_total,
                "quota": outcome.quota,
                "awarded": list(outcome.awarded),
                "places_left": outcome.places_left,
            }
            for outcome in result.levels
        ],
        "robustness_methods": list(robustness.methods),
        "robustness": _robustness(robustness),
    }
    return {
        "format": OUTPUTS_FORMAT,
        "summary": summary,
        "index": {row.application: position for position, row in enumerate(result.rows)},
        "applications": [_application(row) for row in result.rows],
    }


def stage_payload(stage: StageResult) -> dict[str, Any]:
    """One stage of an explanation in JSON shape (built from a ``ResultTrace`` when shown)."""
    return {
        "stage": stage.stage,
        "weight": stage.weight,
        "total": stage.total,
        "categories": dict(stage.categories),
        "missing_items": list(stage.missing_items),
        "items": [
            {
                "item": item.item,
                "percent": item.percent,
                "points": item.points,
                "source": item.source,
                # (reviewer, percent, used, normalized) named tuples: JSON arrays as they are.
                "scores": [list(score) for score in item.scores],
            }
            for item in stage.items.values()
        ],
    }
