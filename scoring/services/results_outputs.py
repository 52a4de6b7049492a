"""The frozen form of a computed result: its inputs digest and its JSON outputs.

``outputs`` keeps everything needed to explain the ranking later without recomputing:

* ``summary``: method, tie-break chain, stage order, reported ties, quota conflicts, how each
  level was filled, and the robustness check (rank and level under every other method);
* ``index``: application id → position in ``applications``, so one application's explanation
  can be read with a JSON array lookup instead of loading the whole document;
* ``applications``: in rank order, each with its totals, categories, tie-break values and the
  step that separated it from its neighbour, and per stage and item the combined percentage,
  points, method applied, and every reviewer's score as ``[reviewer, percent, used, normalized]``.

Numbers keep full precision (floats); rounded values are strings, as the officials saw them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from scoring.aggregation import (
    ApplicationResult,
    RankingResult,
    RobustnessReport,
    ScoreRow,
    StageResult,
)
from scoring.aggregation.types import ConsensusKey

OUTPUTS_FORMAT = 1


def inputs_digest(rows: Iterable[ScoreRow], consensus: Mapping[ConsensusKey, float]) -> str:
    """SHA-256 over the sorted lines ``score,app,reviewer,stage,item,percent`` and
    ``consensus,app,stage,item,percent``: the same data gives the same digest in any order."""
    lines = [
        f"score,{row.application},{row.reviewer},{row.stage},{row.item},{row.percent!r}\n"
        for row in rows
    ]
    lines += [
        f"consensus,{app},{stage},{item},{float(percent)!r}\n"
        for (app, stage, item), percent in consensus.items()
    ]
    lines.sort()
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def _text(value) -> str | None:
    return None if value is None else str(value)


def _stage(stage: StageResult) -> dict[str, Any]:
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
                "scores": item.scores,
            }
            for item in stage.items.values()
        ],
    }


def _application(row: ApplicationResult) -> dict[str, Any]:
    return {
        "application": row.application,
        "rank": row.rank,
        "level": row.level,
        "advanced": row.advanced,
        "total": row.total,
        "total_rounded": str(row.total_rounded),
        "categories": dict(row.categories),
        "missing_stages": list(row.missing_stages),
        "tie_break_values": [_text(value) for value in row.tie_break_values],
        "separated_by": row.separated_by,
        "stages": [_stage(stage) for stage in row.stages.values()],
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
