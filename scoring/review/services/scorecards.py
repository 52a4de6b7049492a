"""A reviewer's independent scorecard: draft saves with a version check, then submission.

Every save is a conditional UPDATE on ``(pk, status=draft[, version=expected])``: a second tab
holding an older version is refused and nothing of the newer save is overwritten; a submitted
scorecard refuses every save. The pages lock item by item (``Scorecard.item_versions``): an
item's page on its own item (``save_scores(per_item=True)``), the whole sheet on each row it
changed (``save_sheet``), so tabs on different items do not refuse each other; a caller without
a page (``per_item=False``) locks the whole scorecard. Submission is the same kind of UPDATE, so
two submissions at once result in exactly one submitted scorecard and one audit entry;
submitting again is harmless.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import Application, CriteriaItem, User
from awards.services.audit import record
from awards.services.versioning import StaleVersion, bump_version, parts_written_after
from scoring.bands import percent_error
from scoring.enums import AssignmentStatus, ScorecardStatus
from scoring.review.models import Assignment, ItemScore, ReviewStage, Scorecard
from scoring.review.services import messages
from scoring.review.services.conflicts import is_conflicted

TEXT_MAX_LENGTH = 5000


@dataclass(frozen=True, slots=True)
class ItemEntry:
    """What a reviewer typed for one item."""

    percent: int | None
    strengths: str = ""
    improvements: str = ""

    @classmethod
    def of(cls, score: ItemScore | None) -> ItemEntry:
        """What is saved for an item (nothing yet: an empty entry)."""
        if score is None:
            return cls(None)
        return cls(score.percent, score.strengths, score.improvements)

    def fingerprint(self) -> str:
        """A digest of the content, as saved (outer spaces and the browser's line ends aside).

        The whole sheet sends it back with each row, as the row was when the page had it from
        the server, so that a save tells the rows changed on that page from those it only shows.
        """
        texts = [
            text.replace("\r\n", "\n").replace("\r", "\n").strip()
            for text in (self.strengths, self.improvements)
        ]
        content = json.dumps([self.percent, *texts], ensure_ascii=False)
        return hashlib.blake2b(content.encode(), digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One row of the whole sheet as posted: what is typed now, and the item's version and
    fingerprint (``ItemEntry.fingerprint``) from when the page last had the item from the server."""

    entry: ItemEntry
    version: int
    seen: str = ""

    @property
    def changed(self) -> bool:
        """Typed on the page since then (an unknown ``seen`` counts as changed)."""
        return self.entry.fingerprint() != self.seen


@dataclass(frozen=True, slots=True)
class SheetSave:
    """What a save of the whole sheet did: the changed rows it wrote (``versions``: each item's
    version now) and the changed rows it left because another tab saved them in between."""

    saved: tuple[str, ...] = ()
    versions: Mapping[str, int] = field(default_factory=dict)
    stale: tuple[str, ...] = ()

    def stale_message(self) -> str:
        return item_stale_message(self.stale)


@dataclass(frozen=True, slots=True)
class MissingItem:
    code: str
    name: str
    reasons: tuple[str, ...]


class ScoringClosed(ValidationError):
    """The stage's scoring window is not open."""


class ScorecardLocked(ValidationError):
    """The scorecard is submitted; only an official can reopen it."""


class IncompleteScorecard(ValidationError):
    def __init__(self, missing: list[MissingItem]) -> None:
        super().__init__(_("评分表尚未完成，不能提交。"))
        self.missing = missing


def framework_id_of(application: Application) -> int | None:
    """Score against the framework recorded at submission, else the cycle's for the
    application's track (an individual candidate's is the cycle's individual framework)."""
    return application.framework_id or application.cycle.framework_id_for(application.track)


def framework_total_points(application: Application) -> int:
    """The full marks of the framework the application is scored against (1000 for GB/T
    19580, the individual framework's own total for a candidate)."""
    framework = application.framework or application.cycle.framework_for(application.track)
    return framework.total_points if framework is not None else 0


def framework_items(application: Application) -> list[CriteriaItem]:
    return list(
        CriteriaItem.objects.filter(framework_id=framework_id_of(application)).order_by(
            "sort_order", "code"
        )
    )


def window_is_open(stage: ReviewStage, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return stage.opens_at <= now <= stage.closes_at


def closed_message(stage: ReviewStage) -> str:
    opens = timezone.localtime(stage.opens_at).strftime("%Y-%m-%d %H:%M")
    closes = timezone.localtime(stage.closes_at).strftime("%Y-%m-%d %H:%M")
    return _("本阶段评分时间为 %(opens)s 至 %(closes)s（北京时间），当前不在评分时间内。") % {
        "opens": opens,
        "closes": closes,
    }


def locked_message() -> str:
    return _("评分表已提交并锁定；如需修改，请联系质量奖办公室退回。")


def stale_message(current_version: int) -> str:
    return _(
        "此评分表已在其他窗口保存过（当前为第 %(version)d 版），本次修改未保存，"
        "已保存的内容没有被覆盖。请核对后重新保存。"
    ) % {"version": current_version}


def item_stale_message(codes: Iterable[str]) -> str:
    return _(
        "条款 %(codes)s 已在其他窗口保存过，本次修改未保存，已保存的内容没有被覆盖。"
        "请核对后重新保存。"
    ) % {"codes": "、".join(codes)}


def _check_can_score(*, assignment: Assignment, by: User) -> None:
    if assignment.reviewer_id != by.pk or assignment.status != AssignmentStatus.ACTIVE:
        raise PermissionDenied(_("只有被分配的评审专家本人可以评分。"))
    if is_conflicted(
        reviewer=by, application=assignment.panel.application, stage=assignment.panel.stage
    ):
        raise PermissionDenied(_("您与该申报单位存在利益冲突，不能评分。"))
    stage = assignment.panel.stage
    if not window_is_open(stage):
        raise ScoringClosed(closed_message(stage))


def entry_errors(entries: Mapping[str, ItemEntry], items: Iterable[CriteriaItem]) -> dict:
    """Field errors keyed by item code: unknown item, percent off the grid, text too long."""
    known = {item.code for item in items}
    errors: dict[str, str] = {}
    for code, entry in entries.items():
        if code not in known:
            errors[code] = _("没有编号为 %(code)s 的评分条款。") % {"code": code}
            continue
        message = percent_error(entry.percent)
        if message is None and max(len(entry.strengths), len(entry.improvements)) > TEXT_MAX_LENGTH:
            message = _("优势和改进机会各不能超过 %(limit)d 个字符。") % {"limit": TEXT_MAX_LENGTH}
        if message:
            errors[code] = message
    return errors


def save_scores(
    *,
    assignment: Assignment,
    expected_version: int,
    entries: Mapping[str, ItemEntry],
    by: User,
    per_item: bool = False,
) -> Scorecard:
    """Save a draft of some or all items (keyed by item code) if nobody saved in between.

    An item's own page (``per_item=True``: its buttons and its background save) is refused only
    when one of ``entries`` was changed after ``expected_version`` (``Scorecard.item_versions``),
    so two tabs on different items of one scorecard both save, and the same item in two tabs
    keeps the first save. Without a page (``per_item=False``: demo data, tests) any save since
    ``expected_version`` refuses. Either way the refusal writes nothing. The whole sheet saves
    with ``save_sheet``.
    """
    _check_can_score(assignment=assignment, by=by)
    by_code = checked_items(assignment, entries)
    with transaction.atomic():
        scorecard = _moved_on_draft(assignment, expected=None if per_item else expected_version)
        if per_item:
            stale = parts_written_after(
                scorecard.item_versions, dict.fromkeys(entries, expected_version)
            )
            if stale:
                raise _items_stale(scorecard, stale)
        _write_entries(scorecard, entries, by_code=by_code, by=by)
    return scorecard


def save_sheet(*, assignment: Assignment, rows: Mapping[str, SheetRow], by: User) -> SheetSave:
    """Save the rows of the whole sheet (keyed by item code) that were changed on the page,
    each locked on its own item.

    A changed row is written unless its item was saved (in another tab of the sheet or on the
    item's page) after the version the row carries: such rows are left as saved there and
    named in ``stale``, the other changed rows are saved all the same, so a sheet and an item
    page on different items both save and the same item keeps the first save. A row not
    changed on the page is not written, even when its item was saved elsewhere since. Bad input
    in any row: ``ValidationError`` keyed by item code, nothing written; every changed row
    stale: nothing written at all (not even a new version).
    """
    _check_can_score(assignment=assignment, by=by)
    by_code = checked_items(assignment, {code: row.entry for code, row in rows.items()})
    changed = {code: row for code, row in rows.items() if row.changed}
    if not changed:
        if Scorecard.objects.filter(
            assignment=assignment, status=ScorecardStatus.SUBMITTED
        ).exists():
            raise ScorecardLocked(locked_message())
        return SheetSave()
    with transaction.atomic():
        scorecard = _moved_on_draft(assignment, expected=None)
        stale = parts_written_after(
            scorecard.item_versions, {code: row.version for code, row in changed.items()}
        )
        fresh = {code: row.entry for code, row in changed.items() if code not in stale}
        if fresh:
            _write_entries(scorecard, fresh, by_code=by_code, by=by)
        else:
            transaction.set_rollback(True)  # nothing to write: the version stays as it was
    versions = {code: item_version(scorecard, code) for code in fresh}
    return SheetSave(saved=tuple(fresh), versions=versions, stale=tuple(stale))


def checked_items(
    assignment: Assignment, entries: Mapping[str, ItemEntry]
) -> dict[str, CriteriaItem]:
    """The framework's items by code, once ``entries`` are all valid (else a ValidationError
    keyed by item code)."""
    items = framework_items(assignment.panel.application)
    errors = entry_errors(entries, items)
    if errors:
        raise ValidationError(errors)
    return {item.code: item for item in items}


def _moved_on_draft(assignment: Assignment, *, expected: int | None) -> Scorecard:
    """The draft scorecard, its version moved on (if still ``expected``), read back.

    The UPDATE locks the row until the end of the transaction: the item versions read after it
    cannot change under the caller, and a concurrent save of the same scorecard waits.
    """
    scorecard, _created = Scorecard.objects.get_or_create(assignment=assignment)
    draft = Scorecard.objects.filter(pk=scorecard.pk, status=ScorecardStatus.DRAFT)
    if not bump_version(draft, expected=expected, updated_at=timezone.now()):
        scorecard.refresh_from_db()
        if scorecard.status == ScorecardStatus.SUBMITTED:
            raise ScorecardLocked(locked_message())
        raise StaleVersion(stale_message(scorecard.version), current_version=scorecard.version)
    scorecard.refresh_from_db()
    scorecard.item_versions = dict(scorecard.item_versions or {})
    return scorecard


def _items_stale(scorecard: Scorecard, stale: list[str]) -> StaleVersion:
    current = max(int(scorecard.item_versions[code]) for code in stale)
    return StaleVersion(item_stale_message(stale), current_version=current)


def _write_entries(
    scorecard: Scorecard,
    entries: Mapping[str, ItemEntry],
    *,
    by_code: Mapping[str, CriteriaItem],
    by: User,
) -> None:
    """Write the entries that differ from what is saved, mark their items with the scorecard's
    (new) version, and audit the save."""
    existing = {
        score.item_id: score
        for score in ItemScore.objects.filter(
            scorecard=scorecard, item_id__in=[by_code[c].pk for c in entries]
        )
    }
    new_rows, changed, changed_codes = [], [], []
    for code, entry in entries.items():
        item = by_code[code]
        score = existing.get(item.pk)
        values = (entry.percent, entry.strengths.strip(), entry.improvements.strip())
        if score is None:
            if values == (None, "", ""):
                continue
            new_rows.append(
                ItemScore(
                    scorecard=scorecard,
                    item=item,
                    percent=values[0],
                    strengths=values[1],
                    improvements=values[2],
                )
            )
        elif (score.percent, score.strengths, score.improvements) != values:
            score.percent, score.strengths, score.improvements = values
            changed.append(score)
        else:
            continue
        changed_codes.append(code)
    ItemScore.objects.bulk_create(new_rows)
    ItemScore.objects.bulk_update(changed, ["percent", "strengths", "improvements"])
    if changed_codes:
        scorecard.item_versions.update(dict.fromkeys(changed_codes, scorecard.version))
        Scorecard.objects.filter(pk=scorecard.pk).update(item_versions=scorecard.item_versions)
    record(
        actor=by,
        action=AuditAction.SAVE_SCORECARD,
        target=scorecard,
        version=scorecard.version,
        items={code: entries[code].percent for code in sorted(entries)},
    )


def item_version(scorecard: Scorecard | None, code: str) -> int:
    """The version an item's page sends back: the scorecard's when the item last changed."""
    return int((scorecard.item_versions or {}).get(code, 0)) if scorecard else 0


def missing_items(
    items: Iterable[CriteriaItem], scores: Mapping[int, ItemScore]
) -> list[MissingItem]:
    """Items that are not scored, or carry neither strengths nor improvements."""
    missing = []
    for item in items:
        score = scores.get(item.pk)
        reasons = []
        if score is None or score.percent is None:
            reasons.append(_("未选择得分百分比"))
        if score is None or not (score.strengths.strip() or score.improvements.strip()):
            reasons.append(_("未填写优势或改进机会"))
        if reasons:
            missing.append(MissingItem(item.code, item.name, tuple(reasons)))
    return missing


def submit_scorecard(
    *, scorecard: Scorecard, by: User, expected_version: int | None = None
) -> Scorecard:
    """Lock a complete scorecard. Already submitted: returned as it is (idempotent).

    The completeness check and the UPDATE use the same version, so a save from another tab in
    between makes the UPDATE miss instead of locking content that was never checked.
    """
    current = Scorecard.objects.select_related(
        "assignment__panel__stage", "assignment__panel__application__cycle"
    ).get(pk=scorecard.pk)
    assignment = current.assignment
    if assignment.reviewer_id != by.pk or assignment.status != AssignmentStatus.ACTIVE:
        raise PermissionDenied(_("只有被分配的评审专家本人可以提交评分表。"))
    if current.status == ScorecardStatus.SUBMITTED:
        return current
    _check_can_score(assignment=assignment, by=by)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(stale_message(current.version), current_version=current.version)
    scores = {score.item_id: score for score in current.item_scores.all()}
    missing = missing_items(framework_items(assignment.panel.application), scores)
    if missing:
        raise IncompleteScorecard(missing)
    now = timezone.now()
    with transaction.atomic():
        updated = bump_version(
            Scorecard.objects.filter(pk=current.pk, status=ScorecardStatus.DRAFT),
            expected=current.version,
            status=ScorecardStatus.SUBMITTED,
            submitted_at=now,
            updated_at=now,
        )
        current.refresh_from_db()
        if not updated:
            if current.status == ScorecardStatus.SUBMITTED:
                return current
            raise StaleVersion(stale_message(current.version), current_version=current.version)
        record(
            actor=by,
            action=AuditAction.SUBMIT_SCORECARD,
            target=current,
            version=current.version,
            total_items=len(scores),
        )
        messages.consensus_needed_if_complete(current.assignment.panel)
    return current
