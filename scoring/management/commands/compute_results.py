"""``manage.py compute_results``: rank a cycle offline from a score sheet, without a database.

Lets officials (and auditors) recompute a published result from exported files alone. The
command therefore imports no model and runs no system checks; it only reads the files, calls
the pure core and prints the ranking as CSV. Bad input is listed line by line on standard error
with exit status 2; ties and quota conflicts that need a decision are noted there too.

One run ranks one track, as the portal's results do (one snapshot, configuration and set of
levels per track): organizations on GB/T 19580-2012 (the default), individual candidates
(``--track individual``) on the individual award criteria. Organizations and individuals are
never ranked together; a score sheet whose items are all the other track's is answered with
a hint to the right ``--track``.
"""

from __future__ import annotations

import io
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from awards.criteria_data import GB_T_19580_2012, INDIVIDUAL_QUALITY_2023, FrameworkSpec
from awards.enums import Track
from scoring.aggregation import ItemDef, RankingResult, ScoreDataError, compute_results
from scoring.aggregation.config import items_from_framework
from scoring.aggregation.csv_io import (
    FileProblem,
    InputFileError,
    ranking_csv,
    read_config_json,
    read_consensus_csv,
    read_scores_csv,
    result_notes,
)
from scoring.aggregation.messages import Problem

INPUT_ERROR_STATUS = 2
#: The criteria each track is ranked on offline: the national texts the portal starts from.
TRACK_FRAMEWORKS: dict[str, FrameworkSpec] = {
    Track.ORGANIZATION: GB_T_19580_2012,
    Track.INDIVIDUAL: INDIVIDUAL_QUALITY_2023,
}


class Command(BaseCommand):
    help = "从评分表和配置文件离线计算排名，以 CSV 输出 / Compute the ranking offline as CSV."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scores", required=True, help="CSV: application,reviewer,stage,item,percent"
        )
        parser.add_argument("--config", required=True, help="JSON: method, stages, levels, …")
        parser.add_argument("--consensus", help="CSV: application,stage,item,percent")
        parser.add_argument("--lang", choices=["zh-hans", "en"], help="language of the messages")
        parser.add_argument(
            "--track",
            choices=[str(track) for track in TRACK_FRAMEWORKS],
            default=Track.ORGANIZATION,
            help="organization (GB/T 19580-2012, default) or individual (个人奖 criteria); "
            "one track per run",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        language = options.get("lang")
        with translation.override(language) if language else nullcontext():
            try:
                result = _compute(
                    options["scores"],
                    options["config"],
                    options.get("consensus"),
                    track=options.get("track") or Track.ORGANIZATION,
                )
            except InputFileError as error:
                for line in error.lines():
                    self.stderr.write(line)
                sys.exit(INPUT_ERROR_STATUS)
            self.stdout.write(ranking_csv(result), ending="")
            for note in result_notes(result):
                self.stderr.write(note.text())


def track_items(track: str) -> tuple[ItemDef, ...]:
    return items_from_framework(TRACK_FRAMEWORKS[track])


def _compute(
    scores_name: str, config_name: str, consensus_name: str | None, *, track: str
) -> RankingResult:
    items = track_items(track)
    config = read_config_json(
        _read(config_name),
        name=config_name,
        items=items,
        shared_tie_break=track != Track.ORGANIZATION,
    )
    try:
        rows = read_scores_csv(
            _stream(scores_name), name=scores_name, items=items, stages=config.stage_order
        )
    except InputFileError as error:
        raise _with_track_hint(error, scores_name, track) from None
    consensus = None
    if consensus_name:
        consensus = read_consensus_csv(
            _stream(consensus_name), name=consensus_name, items=items, stages=config.stage_order
        )
    try:
        return compute_results(rows, config, items=items, consensus=consensus)
    except ScoreDataError as error:  # the readers check everything; kept as a safety net
        raise InputFileError(
            [FileProblem(scores_name, None, problem) for problem in error.problems]
        ) from None


def _with_track_hint(error: InputFileError, name: str, track: str) -> InputFileError:
    """``error``, plus a hint when every unknown item is an item of another track's criteria
    (a sheet of candidates ranked as organizations, or the other way round)."""
    unknown = {
        str(problem.problem.params["value"])
        for problem in error.problems
        if problem.problem.code == "unknown_item"
    }
    for other, spec in TRACK_FRAMEWORKS.items():
        codes = {item.code for item in items_from_framework(spec)}
        if other != track and unknown and unknown <= codes:
            hint = Problem(
                "items_of_other_track", {"framework": f"{spec.code}-{spec.version}", "track": other}
            )
            return InputFileError([*error.problems, FileProblem(name, None, hint)])
    return error


def _read(name: str) -> str:
    try:
        return Path(name).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise _unreadable(name, error) from None


def _stream(name: str) -> io.StringIO:
    """The file's text as a stream (read whole: score sheets are a few megabytes at most)."""
    return io.StringIO(_read(name), newline="")


def _unreadable(name: str, error: Exception) -> InputFileError:
    detail = error.strerror if isinstance(error, OSError) else str(error)
    return InputFileError([FileProblem(name, None, Problem("unreadable_file", {"detail": detail}))])
