"""``manage.py compute_results``: rank a cycle offline from a score sheet, without a database.

Lets officials (and auditors) recompute a published result from exported files alone. The
command therefore imports no model and runs no system checks; it only reads the files, calls
the pure core and prints the ranking as CSV. Bad input is listed line by line on standard error
with exit status 2; ties and quota conflicts that need a decision are noted there too.
"""

from __future__ import annotations

import io
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from scoring.aggregation import RankingResult, ScoreDataError, compute_results, default_items
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

    def handle(self, *args: Any, **options: Any) -> None:
        language = options.get("lang")
        with translation.override(language) if language else nullcontext():
            try:
                result = _compute(options["scores"], options["config"], options.get("consensus"))
            except InputFileError as error:
                for line in error.lines():
                    self.stderr.write(line)
                sys.exit(INPUT_ERROR_STATUS)
            self.stdout.write(ranking_csv(result), ending="")
            for note in result_notes(result):
                self.stderr.write(note.text())


def _compute(scores_name: str, config_name: str, consensus_name: str | None) -> RankingResult:
    items = default_items()
    config = read_config_json(_read(config_name), name=config_name, items=items)
    rows = read_scores_csv(
        _stream(scores_name), name=scores_name, items=items, stages=config.stage_order
    )
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
