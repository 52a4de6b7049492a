"""Reading score sheets and configurations from files, writing the ranking as CSV.

Files come from officials' spreadsheets, so every problem is reported with its file and line
(``SCORES.csv:7: percent 33 is not on the 5 % grid``) and all problems are listed in one go.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import TextIO

from .config import check_config, config_from_dict, without_missing_categories
from .messages import ConfigError, Problem, render
from .types import ConsensusKey, ItemDef, RankingResult, ResultsConfig, ScoreRow

SCORES_HEADER = ("application", "reviewer", "stage", "item", "percent")
CONSENSUS_HEADER = ("application", "stage", "item", "percent")
RANKING_HEADER = ("rank", "application", "total", "level")
PERCENT_GRID = 5
MAX_REPORTED = 100


@dataclass(frozen=True, slots=True)
class FileProblem:
    file: str
    line: int | None
    problem: Problem

    def text(self, language: str | None = None) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.problem.text(language)}"


class InputFileError(ValueError):
    """A file could not be used; ``lines()`` gives one message per problem."""

    def __init__(self, problems: Sequence[FileProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.problems)

    def lines(self, language: str | None = None) -> list[str]:
        shown = [problem.text(language) for problem in self.problems[:MAX_REPORTED]]
        hidden = len(self.problems) - MAX_REPORTED
        if hidden > 0:
            shown.append(render("too_many_problems", {"count": hidden}, language))
        return shown

    def __str__(self) -> str:
        return "\n".join(self.lines())


def parse_percent(text: str) -> tuple[float | None, Problem | None]:
    """A percentage on the 5 % grid within 0..100, or the reason it is not one."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or "_" in text:
        return None, Problem("percent_not_number", {"value": text})
    if not 0 <= value <= 100:
        return None, Problem("percent_out_of_range", {"value": text})
    if value % PERCENT_GRID != 0:
        return None, Problem("percent_off_grid", {"value": text})
    return float(value), None


def _records(stream: TextIO, name: str, header: Sequence[str], problems: list[FileProblem]):
    """Yield (line number, stripped fields) of every non-blank data record with the right width."""
    reader = csv.reader(stream)
    expected = ",".join(header)
    first = next(reader, None)
    if first is None:
        problems.append(FileProblem(name, 1, Problem("empty_file", {"expected": expected})))
        return
    actual = [field.strip().lstrip("\ufeff") for field in first]
    if actual != list(header):
        problems.append(
            FileProblem(
                name, 1, Problem("bad_header", {"expected": expected, "actual": ",".join(first)})
            )
        )
        return
    for record in reader:
        if not record or all(not field.strip() for field in record):
            continue
        if len(record) != len(header):
            problems.append(
                FileProblem(
                    name,
                    reader.line_num,
                    Problem("field_count", {"expected": len(header), "actual": len(record)}),
                )
            )
            continue
        yield reader.line_num, [field.strip() for field in record]


def _check_fields(
    fields: dict[str, str], stages: Sequence[str], item_codes: set[str]
) -> list[Problem]:
    problems = [
        Problem("empty_field", {"field": key}) for key, value in fields.items() if not value
    ]
    if fields["stage"] and fields["stage"] not in stages:
        problems.append(
            Problem("unknown_score_stage", {"value": fields["stage"], "choices": ", ".join(stages)})
        )
    if fields["item"] and fields["item"] not in item_codes:
        problems.append(Problem("unknown_item", {"value": fields["item"]}))
    return problems


def read_scores_csv(
    stream: TextIO, *, name: str, items: Sequence[ItemDef], stages: Sequence[str]
) -> list[ScoreRow]:
    """Score rows from ``application,reviewer,stage,item,percent``; raises ``InputFileError``."""
    problems: list[FileProblem] = []
    item_codes = {item.code for item in items}
    first_line: dict[tuple[str, str, str, str], int] = {}
    rows: list[ScoreRow] = []
    for line, values in _records(stream, name, SCORES_HEADER, problems):
        fields = dict(zip(SCORES_HEADER, values, strict=True))
        found = _check_fields(fields, stages, item_codes)
        percent, percent_problem = parse_percent(fields["percent"])
        if percent_problem is not None:
            found.append(percent_problem)
        key = (fields["application"], fields["reviewer"], fields["stage"], fields["item"])
        if key in first_line:
            found.append(_duplicate("duplicate_score_line", key, first_line[key]))
        else:
            first_line[key] = line
        problems += [FileProblem(name, line, problem) for problem in found]
        if not found and percent is not None:
            rows.append(ScoreRow(*key, percent))
    if problems:
        raise InputFileError(problems)
    return rows


def read_consensus_csv(
    stream: TextIO, *, name: str, items: Sequence[ItemDef], stages: Sequence[str]
) -> dict[ConsensusKey, float]:
    """Consensus percentages from ``application,stage,item,percent``."""
    problems: list[FileProblem] = []
    item_codes = {item.code for item in items}
    first_line: dict[ConsensusKey, int] = {}
    consensus: dict[ConsensusKey, float] = {}
    for line, values in _records(stream, name, CONSENSUS_HEADER, problems):
        fields = dict(zip(CONSENSUS_HEADER, values, strict=True))
        found = _check_fields(fields, stages, item_codes)
        percent, percent_problem = parse_percent(fields["percent"])
        if percent_problem is not None:
            found.append(percent_problem)
        key = (fields["application"], fields["stage"], fields["item"])
        if key in first_line:
            found.append(_duplicate("duplicate_consensus_line", key, first_line[key]))
        else:
            first_line[key] = line
        problems += [FileProblem(name, line, problem) for problem in found]
        if not found and percent is not None:
            consensus[key] = percent
    if problems:
        raise InputFileError(problems)
    return consensus


def _duplicate(code: str, key: tuple[str, ...], first: int) -> Problem:
    names = ("application", "reviewer", "stage", "item") if len(key) == 4 else CONSENSUS_HEADER
    params: dict[str, object] = dict(zip(names, key, strict=False))
    return Problem(code, {**params, "first": first})


def read_config_json(
    text: str, *, name: str, items: Sequence[ItemDef], shared_tie_break: bool = False
) -> ResultsConfig:
    """A checked configuration from JSON text; raises ``InputFileError``. With
    ``shared_tie_break`` (a track other than organizations) the tie-break chain's category
    criteria that ``items`` do not have are left out before checking, as the portal does."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputFileError(
            [FileProblem(name, error.lineno, Problem("bad_json", {"detail": error.msg}))]
        ) from None
    try:
        config = config_from_dict(data)
        if shared_tie_break:
            config = replace(config, tie_break=without_missing_categories(config.tie_break, items))
        check_config(config, items)
    except ConfigError as error:
        raise InputFileError(
            [FileProblem(name, None, problem) for problem in error.problems]
        ) from None
    return config


def ranking_csv(result: RankingResult) -> str:
    """``rank,application,total,level``, sorted by rank then application."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RANKING_HEADER)
    for row in sorted(result.rows, key=lambda row: (row.rank, row.application)):
        writer.writerow([row.rank, row.application, f"{row.total_rounded:.2f}", row.level or ""])
    return out.getvalue()


def result_notes(result: RankingResult) -> list[Problem]:
    """What officials must decide: unbroken ties and tied groups that did not fit a quota."""
    notes = [
        Problem("note_tie", {"rank": tie.rank, "applications": ", ".join(tie.applications)})
        for tie in result.ties_reported
    ]
    notes += [
        Problem(
            "note_quota_conflict",
            {
                "level": conflict.level,
                "rank": conflict.rank,
                "applications": ", ".join(conflict.applications),
                "places_left": conflict.places_left,
            },
        )
        for conflict in result.quota_conflicts
    ]
    return notes
