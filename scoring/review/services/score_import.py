"""Importing paper scores (on-site reviews are often scored on paper) from a CSV file.

The file has a header and one row per score::

    申报编号,专家用户名,评审阶段,条款编号,百分比,评语[,改进机会]
    application,reviewer,stage,item,percent,comment[,improvements]

* 申报编号 / application: the application's number as the portal shows it on the panels and
  progress pages (the ``Application`` primary key); the downloadable template is pre-filled.
* 评审阶段 / stage: ``document``, ``defence``, ``onsite`` or the Chinese name (资料评审 …).
* 百分比 / percent: an integer 0–100 on the 5 % grid (a trailing ``%`` is accepted).
* 评语 / comment is stored as the item's strengths (优势); the optional seventh column as its
  opportunities for improvement (改进机会). A comment is required, as on the scoring page.

Every (application, reviewer, stage) in the file must score every item of the framework of the
application's track, since imported scorecards are submitted: organizations the cycle's framework
(GB/T 19580), individual candidates (个人奖) the cycle's individual framework. A file may mix
both tracks; an item of the other track's framework is refused, naming the line and the code. The whole file is checked first; it is imported in one
transaction or not at all, with one Chinese message per problem, each naming its line.
Files may be UTF-8 (with or without BOM) or GB18030 (what Excel saves in China).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.enums import Track
from awards.exports import from_spreadsheet
from awards.models import Application, CriteriaItem, Cycle, User
from awards.permissions.rules import require_authority
from awards.services.audit import record
from awards.services.versioning import bump_version
from scoring.enums import AssignmentStatus, ScorecardStatus, StageKind
from scoring.review.models import Assignment, ItemScore, ReviewStage, Scorecard

PERCENT_STEP = 5
HEADER_ZH = ("申报编号", "专家用户名", "评审阶段", "条款编号", "百分比", "评语")
HEADER_EN = ("application", "reviewer", "stage", "item", "percent", "comment")
OPTIONAL_ZH, OPTIONAL_EN = "改进机会", "improvements"
_INTEGER = re.compile(r"^\d{1,3}$")


@dataclass(frozen=True, slots=True)
class ParsedRow:
    line: int
    application: str
    reviewer: str
    stage: str
    item: str
    percent: str
    comment: str
    improvements: str


@dataclass(frozen=True, slots=True)
class Lookups:
    """What the rows are checked against, loaded by the service (the checks stay ORM-free)."""

    #: Application id → its track.
    applications: Mapping[int, str]
    reviewers: Mapping[str, int]
    stages: Mapping[str, str]
    #: Track → item code → item id, of the framework each track is scored against.
    items: Mapping[str, Mapping[str, int]]
    assignments: Mapping[tuple[int, int, str], int]
    submitted: frozenset[int]


@dataclass(frozen=True, slots=True)
class GoodRow:
    line: int
    assignment_id: int
    item_id: int
    percent: int
    strengths: str
    improvements: str


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    scorecards: int = 0
    scores: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _line(number: int, text: str) -> str:
    return _("第 %(line)d 行：%(text)s") % {"line": number, "text": text}


def decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


type Numbered = list[tuple[int, str]]


def parse_csv(data: bytes) -> tuple[list[ParsedRow], Numbered, bool]:
    """Rows, format errors (line, message) and whether the rows can be checked at all (a bad
    encoding, header or CSV syntax stops there; a wrong column count only loses that line)."""
    text = decode(data)
    if text is None:
        message = _("文件无法按 UTF-8 或 GB18030 编码读取，请另存为 CSV（UTF-8）。")
        return [], [(1, _line(1, message))], False
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[ParsedRow] = []
    errors: Numbered = []
    start, width = 1, None
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            # The template is written spreadsheet-safe: a username like "-li" comes back as "'-li".
            cells = [from_spreadsheet(cell.strip()) for cell in cells]
            if not any(cells):
                continue
            if width is None:
                width = _header_width(cells)
                if width is None:
                    text = _("表头应为“%(header)s”（可加第七列“改进机会”）。") % {
                        "header": ",".join(HEADER_ZH)
                    }
                    return [], [(line, _line(line, text))], False
                continue
            if len(cells) != width:
                text = _("应有 %(expected)d 列，实际 %(actual)d 列。") % {
                    "expected": width,
                    "actual": len(cells),
                }
                errors.append((line, _line(line, text)))
                continue
            rows.append(ParsedRow(line, *cells[:6], cells[6] if width == 7 else ""))
    except csv.Error as error:
        text = _("CSV 格式错误（%(error)s）。") % {"error": error}
        return [], [(start, _line(start, text))], False
    if width is None:
        return [], [(1, _line(1, _("文件是空的。")))], False
    if not rows and not errors:
        return [], [(2, _line(2, _("文件中没有评分数据。")))], False
    return rows, errors, True


def _header_width(cells: list[str]) -> int | None:
    lowered = [cell.lower() for cell in cells]
    for header, optional in ((HEADER_ZH, OPTIONAL_ZH), (HEADER_EN, OPTIONAL_EN)):
        if tuple(lowered) == header:
            return 6
        if tuple(lowered[:6]) == header and lowered[6:] == [optional]:
            return 7
    return None


def _percent_error(text: str) -> tuple[int | None, str | None]:
    value = text.removesuffix("%").strip()
    if not _INTEGER.match(value):
        return None, _("百分比“%(value)s”不是 0–100 的整数。") % {"value": text}
    percent = int(value)
    if percent > 100:
        return None, _("百分比 %(value)d 超出 0–100 的范围。") % {"value": percent}
    if percent % PERCENT_STEP:
        return None, _("百分比 %(value)d 不在 5%% 的刻度上。") % {"value": percent}
    return percent, None


def check_rows(rows: list[ParsedRow], lookups: Lookups) -> tuple[list[GoodRow], Numbered]:
    """Every problem of every row (line, message); the good rows only matter without errors."""
    errors: Numbered = []
    reported_submitted: set[int] = set()
    good: list[GoodRow] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    groups: dict[int, list[GoodRow]] = defaultdict(list)
    broken: set[int] = set()
    labels: dict[int, ParsedRow] = {}
    for row in rows:
        problems = []
        app_id = int(row.application) if row.application.isdigit() else None
        if app_id is None or app_id not in lookups.applications:
            problems.append(_("申报编号“%(value)s”不属于本届次。") % {"value": row.application})
        reviewer_id = lookups.reviewers.get(row.reviewer)
        if reviewer_id is None:
            problems.append(_("专家用户名“%(value)s”不存在。") % {"value": row.reviewer})
        stage = lookups.stages.get(row.stage.lower())
        if stage is None:
            problems.append(_("评审阶段“%(value)s”不是本届次的评审阶段。") % {"value": row.stage})
        item_id, item_problem = _item(row, app_id, lookups)
        if item_problem:
            problems.append(item_problem)
        percent, percent_problem = _percent_error(row.percent)
        if percent_problem:
            problems.append(percent_problem)
        if not row.comment:
            problems.append(_("评语不能为空。"))
        assignment_id = None
        if app_id in lookups.applications and reviewer_id is not None and stage is not None:
            assignment_id = lookups.assignments.get((app_id, reviewer_id, stage))
            if assignment_id is None:
                problems.append(
                    _("专家“%(reviewer)s”不是申报 %(application)s 在“%(stage)s”的评审组成员。")
                    % {
                        "reviewer": row.reviewer,
                        "application": app_id,
                        "stage": StageKind(stage).label,
                    }
                )
            elif assignment_id in lookups.submitted and assignment_id not in reported_submitted:
                reported_submitted.add(assignment_id)
                problems.append(
                    _(
                        "专家“%(reviewer)s”对申报 %(application)s 的评分表已提交，不能再导入（如需修改请先退回）。"
                    )
                    % {"reviewer": row.reviewer, "application": app_id}
                )
        key = (row.application, row.reviewer, stage or row.stage.lower(), row.item)
        if key in seen:
            problems.append(
                _("与第 %(line)d 行重复（同一申报、专家、阶段和条款）。") % {"line": seen[key]}
            )
        else:
            seen[key] = row.line
        errors.extend((row.line, _line(row.line, problem)) for problem in problems)
        if assignment_id is None:
            continue
        labels.setdefault(assignment_id, row)
        if problems:
            broken.add(assignment_id)
            continue
        good_row = GoodRow(row.line, assignment_id, item_id, percent, row.comment, row.improvements)
        groups[assignment_id].append(good_row)
        good.append(good_row)
    for assignment_id, group in groups.items():
        if assignment_id in broken:
            continue
        first = labels[assignment_id]
        track = lookups.applications[int(first.application)]
        codes = {item_id: code for code, item_id in lookups.items.get(track, {}).items()}
        missing = sorted(set(codes) - {row.item_id for row in group}, key=lambda i: codes[i])
        if missing:
            errors.append(
                (
                    first.line,
                    _line(
                        first.line,
                        _(
                            "专家“%(reviewer)s”对申报 %(application)s 的评分不完整，缺少条款 %(items)s。"
                        )
                        % {
                            "reviewer": first.reviewer,
                            "application": first.application,
                            "items": "、".join(codes[i] for i in missing),
                        },
                    ),
                )
            )
    return good, errors


def _item(row: ParsedRow, app_id: int | None, lookups: Lookups) -> tuple[int | None, str | None]:
    """The row's item in the framework of its application's track, or why it is not there (an
    item of the other track's framework is named as such)."""
    track = lookups.applications.get(app_id) if app_id is not None else None
    if track is None:
        known = any(row.item in codes for codes in lookups.items.values())
        if known:
            return None, None
        return None, _("条款编号“%(value)s”不在本届次的评价准则中。") % {"value": row.item}
    item_id = lookups.items.get(track, {}).get(row.item)
    if item_id is not None:
        return item_id, None
    other = next(
        (other for other, codes in lookups.items.items() if other != track and row.item in codes),
        None,
    )
    if other is None:
        return None, _("条款编号“%(value)s”不在本届次的评价准则中。") % {"value": row.item}
    return None, _(
        "条款编号“%(value)s”属于%(other)s评价准则，申报 %(application)s 是%(track)s申报，"
        "应按%(track)s评价准则的条款评分。"
    ) % {
        "value": row.item,
        "other": Track(other).label,
        "application": app_id,
        "track": Track(track).label,
    }


def track_item_codes(cycle: Cycle) -> dict[str, dict[str, int]]:
    """Track → item code → item id of the framework each track of ``cycle`` is scored against
    (a track without a framework is left out)."""
    frameworks = {
        track: cycle.framework_id_for(track)
        for track in Track.values
        if cycle.framework_id_for(track) is not None
    }
    items: dict[str, dict[str, int]] = {track: {} for track in frameworks}
    rows = CriteriaItem.objects.filter(framework_id__in=set(frameworks.values())).order_by(
        "sort_order", "code"
    )
    for framework_id, code, pk in rows.values_list("framework_id", "code", "pk"):
        for track, track_framework in frameworks.items():
            if track_framework == framework_id:
                items[track][code] = pk
    return items


def _lookups(cycle: Cycle, rows: list[ParsedRow]) -> Lookups:
    stages = {}
    for kind in ReviewStage.objects.filter(cycle=cycle).values_list("kind", flat=True):
        stages[kind] = kind
        stages[str(StageKind(kind).label).lower()] = kind
    assignments = {
        (app_id, reviewer_id, kind): pk
        for pk, app_id, reviewer_id, kind in Assignment.objects.filter(
            panel__stage__cycle=cycle, status=AssignmentStatus.ACTIVE
        ).values_list("pk", "panel__application_id", "reviewer_id", "panel__stage__kind")
    }
    submitted = Scorecard.objects.select_for_update().filter(
        assignment_id__in=assignments.values(), status=ScorecardStatus.SUBMITTED
    )
    return Lookups(
        applications=dict(Application.objects.filter(cycle=cycle).values_list("pk", "track")),
        reviewers=dict(
            User.objects.filter(username__in={row.reviewer for row in rows}).values_list(
                "username", "pk"
            )
        ),
        stages=stages,
        items=track_item_codes(cycle),
        assignments=assignments,
        submitted=frozenset(submitted.values_list("assignment_id", flat=True)),
    )


@transaction.atomic
def import_scores(*, cycle: Cycle, data: bytes, by: User) -> ImportResult:
    """Validate the whole file, then import it completely (submitting each scorecard) or not
    at all."""
    require_authority(by, cycle.programme.authority_id)
    rows, errors, checkable = parse_csv(data)
    good: list[GoodRow] = []
    if checkable:
        good, row_errors = check_rows(rows, _lookups(cycle, rows))
        errors += row_errors
    if errors:
        # sorted() is stable: several problems of one line keep their order.
        return ImportResult(errors=[text for _n, text in sorted(errors, key=lambda e: e[0])])
    assignment_ids = sorted({row.assignment_id for row in good})
    existing = set(
        Scorecard.objects.filter(assignment_id__in=assignment_ids).values_list(
            "assignment_id", flat=True
        )
    )
    Scorecard.objects.bulk_create(
        [Scorecard(assignment_id=a) for a in assignment_ids if a not in existing]
    )
    cards = dict(
        Scorecard.objects.filter(assignment_id__in=assignment_ids).values_list(
            "assignment_id", "pk"
        )
    )
    ItemScore.objects.filter(scorecard_id__in=cards.values()).delete()
    ItemScore.objects.bulk_create(
        [
            ItemScore(
                scorecard_id=cards[row.assignment_id],
                item_id=row.item_id,
                percent=row.percent,
                strengths=row.strengths,
                improvements=row.improvements,
            )
            for row in good
        ]
    )
    bump_version(
        Scorecard.objects.filter(pk__in=cards.values()),
        expected=None,
        status=ScorecardStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    record(
        actor=by,
        action=AuditAction.IMPORT_SCORES,
        target=cycle,
        scorecards=sorted(cards.values()),
        scores=len(good),
    )
    return ImportResult(scorecards=len(cards), scores=len(good))


def template_rows(*, stage: ReviewStage) -> list[list[str]]:
    """A pre-filled template: one row per (member, item of the application's track's framework)
    of the stage's panels, percent and comment left blank for the office to type in from the
    paper forms."""
    items = {track: list(codes) for track, codes in track_item_codes(stage.cycle).items()}
    rows = [list(HEADER_ZH) + [OPTIONAL_ZH]]
    members = (
        Assignment.objects.filter(panel__stage=stage, status=AssignmentStatus.ACTIVE)
        .order_by("panel__application_id", "reviewer__username")
        .values_list("panel__application_id", "panel__application__track", "reviewer__username")
    )
    label = str(stage.get_kind_display())
    for app_id, track, username in members:
        rows.extend(
            [str(app_id), username, label, code, "", "", ""] for code in items.get(track, [])
        )
    return rows
