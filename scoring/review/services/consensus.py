"""The panel's consensus after independent scoring, recorded by its group leader (组长).

Nothing of the members' scores is read before every active member has submitted: until then
``consensus_table`` returns no rows at all. The spread of an item is the highest minus the lowest
member percentage; items whose spread exceeds the stage's threshold are flagged for discussion
and need a written rationale before the consensus can be finalized.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import CriteriaItem, User
from awards.services.audit import record
from awards.services.versioning import bump_version
from scoring.bands import percent_error
from scoring.enums import AssignmentStatus, ConsensusStatus, ScorecardStatus
from scoring.review.models import (
    Assignment,
    Consensus,
    ConsensusComment,
    ConsensusItem,
    ItemScore,
    Panel,
)
from scoring.review.services.conflicts import is_conflicted
from scoring.review.services.scorecards import StaleVersion, framework_items

TEXT_MAX_LENGTH = 5000
#: A consensus the leader may still change and confirm: a draft, or a stale one (final once,
#: then a member's scorecard was reopened); confirming either makes it final.
OPEN_STATUSES = (ConsensusStatus.DRAFT, ConsensusStatus.STALE)
COMMENT_MAX_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class ConsensusEntry:
    percent: int | None
    rationale: str = ""
    strengths: str = ""
    improvements: str = ""


@dataclass(frozen=True, slots=True)
class MemberScore:
    percent: int | None
    strengths: str
    improvements: str


@dataclass(frozen=True, slots=True)
class ConsensusRow:
    item: CriteriaItem
    scores: tuple[MemberScore | None, ...]
    spread: int | None
    flagged: bool
    mean: Decimal | None
    agreed: ConsensusItem | None


@dataclass(frozen=True, slots=True)
class ConsensusTable:
    panel: Panel
    members: tuple[User, ...]
    submitted_count: int
    threshold: int
    rows: tuple[ConsensusRow, ...]
    consensus: Consensus | None
    comments: tuple[ConsensusComment, ...]

    @property
    def ready(self) -> bool:
        return bool(self.members) and self.submitted_count == len(self.members)

    @property
    def flagged_count(self) -> int:
        return sum(row.flagged for row in self.rows)

    @property
    def is_final(self) -> bool:
        return self.consensus is not None and self.consensus.status == ConsensusStatus.FINAL

    @property
    def is_stale(self) -> bool:
        """Final once, then a member's scorecard was reopened: to be confirmed again."""
        return self.consensus is not None and self.consensus.status == ConsensusStatus.STALE

    @property
    def version(self) -> int:
        return self.consensus.version if self.consensus is not None else 0


@dataclass(frozen=True, slots=True)
class MissingConsensus:
    code: str
    name: str
    reasons: tuple[str, ...]


class IncompleteConsensus(ValidationError):
    def __init__(self, missing: list[MissingConsensus], *, current_version: int) -> None:
        super().__init__(_("共识尚未完成，不能确定。"))
        self.missing = missing
        self.current_version = current_version


class ConsensusLocked(ValidationError):
    """The consensus is final."""


# Pure core -------------------------------------------------------------------------------


def spread_of(percents: Iterable[int | None]) -> int | None:
    values = [value for value in percents if value is not None]
    return max(values) - min(values) if values else None


def mean_of(percents: Iterable[int | None]) -> Decimal | None:
    values = [value for value in percents if value is not None]
    return Decimal(sum(values)) / Decimal(len(values)) if values else None


def is_flagged(spread: int | None, threshold: int) -> bool:
    """Flagged for discussion when the spread exceeds (is greater than) the threshold."""
    return spread is not None and spread > threshold


def build_rows(
    *,
    items: Sequence[CriteriaItem],
    member_scorecards: Sequence[int],
    scores: Mapping[tuple[int, int], MemberScore],
    agreed: Mapping[int, ConsensusItem],
    threshold: int,
) -> tuple[ConsensusRow, ...]:
    """One row per item; ``scores`` is keyed by (scorecard id, item id)."""
    rows = []
    for item in items:
        member = tuple(scores.get((scorecard_id, item.pk)) for scorecard_id in member_scorecards)
        percents = [score.percent if score else None for score in member]
        spread = spread_of(percents)
        rows.append(
            ConsensusRow(
                item=item,
                scores=member,
                spread=spread,
                flagged=is_flagged(spread, threshold),
                mean=mean_of(percents),
                agreed=agreed.get(item.pk),
            )
        )
    return tuple(rows)


# Reading ---------------------------------------------------------------------------------


def consensus_table(*, panel: Panel) -> ConsensusTable:
    """Members, their percentages, spreads and flags, the draft and its comments.

    A fixed number of queries: assignments with scorecards; then, once all have submitted,
    items, item scores, the consensus, its items and its comments. ``panel`` should come with
    ``stage`` and ``application__cycle`` loaded.
    """
    assignments = list(
        Assignment.objects.filter(panel=panel, status=AssignmentStatus.ACTIVE)
        .select_related("reviewer", "scorecard")
        .order_by("pk")
    )
    members = tuple(assignment.reviewer for assignment in assignments)
    scorecards = [getattr(assignment, "scorecard", None) for assignment in assignments]
    submitted = [sc for sc in scorecards if sc and sc.status == ScorecardStatus.SUBMITTED]
    threshold = panel.stage.spread_threshold
    consensus = Consensus.objects.filter(panel=panel).first()
    if not members or len(submitted) < len(members):
        # Only the consensus' state is shown meanwhile (a stale one says so), nothing of it.
        return ConsensusTable(panel, members, len(submitted), threshold, (), consensus, ())
    items = framework_items(panel.application)
    scores = {
        (score.scorecard_id, score.item_id): MemberScore(
            score.percent, score.strengths, score.improvements
        )
        for score in ItemScore.objects.filter(scorecard__in=submitted)
    }
    agreed: dict[int, ConsensusItem] = {}
    comments: tuple[ConsensusComment, ...] = ()
    if consensus is not None:
        agreed = {entry.item_id: entry for entry in consensus.items.all()}
        comments = tuple(consensus.comments.select_related("author", "item"))
    rows = build_rows(
        items=items,
        member_scorecards=[sc.pk for sc in submitted],
        scores=scores,
        agreed=agreed,
        threshold=threshold,
    )
    return ConsensusTable(panel, members, len(submitted), threshold, rows, consensus, comments)


def missing_for_final(table: ConsensusTable) -> list[MissingConsensus]:
    missing = []
    for row in table.rows:
        reasons = []
        if row.agreed is None or row.agreed.percent is None:
            reasons.append(_("未填写共识百分比"))
        if row.flagged and (row.agreed is None or not row.agreed.rationale.strip()):
            reasons.append(
                _("各专家评分相差 %(spread)d 个百分点，超过 %(threshold)d，须填写理由")
                % {"spread": row.spread, "threshold": table.threshold}
            )
        if reasons:
            missing.append(MissingConsensus(row.item.code, row.item.name, tuple(reasons)))
    return missing


# Changing --------------------------------------------------------------------------------


def _check_member(*, panel: Panel, user: User) -> None:
    is_member = Assignment.objects.filter(
        panel=panel, reviewer=user, status=AssignmentStatus.ACTIVE
    ).exists()
    if not is_member or is_conflicted(
        reviewer=user, application=panel.application, stage=panel.stage
    ):
        raise PermissionDenied(_("只有本评审组的专家可以参与共识。"))


def _check_ready(panel: Panel) -> None:
    active = Assignment.objects.filter(panel=panel, status=AssignmentStatus.ACTIVE)
    if not active.exists() or active.exclude(scorecard__status=ScorecardStatus.SUBMITTED).exists():
        raise ValidationError(_("评审组还有专家未提交评分表，全部提交后才能形成共识。"))


def _check_leader(*, panel: Panel, user: User) -> None:
    if panel.leader_id != user.pk:
        raise PermissionDenied(_("只有评审组组长可以记录共识。"))
    _check_member(panel=panel, user=user)


def consensus_stale_message(current_version: int) -> str:
    return _(
        "共识已在其他窗口保存过（当前为第 %(version)d 版），本次修改未保存，"
        "已保存的内容没有被覆盖。请核对后重新保存。"
    ) % {"version": current_version}


def consensus_locked_message() -> str:
    return _("共识已确定，不能再修改。")


def _entry_errors(entries: Mapping[str, ConsensusEntry], items: Iterable[CriteriaItem]) -> dict:
    known = {item.code for item in items}
    errors: dict[str, str] = {}
    for code, entry in entries.items():
        if code not in known:
            errors[code] = _("没有编号为 %(code)s 的评分条款。") % {"code": code}
            continue
        texts = (entry.rationale, entry.strengths, entry.improvements)
        message = percent_error(entry.percent)
        if message is None and max(len(text) for text in texts) > TEXT_MAX_LENGTH:
            message = _("每项文字不能超过 %(limit)d 个字符。") % {"limit": TEXT_MAX_LENGTH}
        if message:
            errors[code] = message
    return errors


def save_consensus(
    *, panel: Panel, expected_version: int, entries: Mapping[str, ConsensusEntry], by: User
) -> Consensus:
    """The leader saves a draft of the consensus (some or all items) if nobody saved between."""
    _check_leader(panel=panel, user=by)
    _check_ready(panel)
    items = framework_items(panel.application)
    errors = _entry_errors(entries, items)
    if errors:
        raise ValidationError(errors)
    by_code = {item.code: item for item in items}
    with transaction.atomic():
        consensus, _created = Consensus.objects.get_or_create(panel=panel)
        draft = Consensus.objects.filter(pk=consensus.pk, status__in=OPEN_STATUSES)
        if not bump_version(draft, expected=expected_version, updated_at=timezone.now()):
            consensus.refresh_from_db()
            if consensus.status == ConsensusStatus.FINAL:
                raise ConsensusLocked(consensus_locked_message())
            raise StaleVersion(
                consensus_stale_message(consensus.version), current_version=consensus.version
            )
        existing = {
            entry.item_id: entry
            for entry in ConsensusItem.objects.filter(
                consensus=consensus, item_id__in=[by_code[c].pk for c in entries]
            )
        }
        fields = ("percent", "rationale", "strengths", "improvements")
        new_rows, changed = [], []
        for code, entry in entries.items():
            values = {
                "percent": entry.percent,
                "rationale": entry.rationale.strip(),
                "strengths": entry.strengths.strip(),
                "improvements": entry.improvements.strip(),
            }
            row = existing.get(by_code[code].pk)
            if row is None:
                if values["percent"] is None and not any(values[name] for name in fields[1:]):
                    continue
                new_rows.append(ConsensusItem(consensus=consensus, item=by_code[code], **values))
            elif any(getattr(row, name) != values[name] for name in fields):
                for name in fields:
                    setattr(row, name, values[name])
                changed.append(row)
        ConsensusItem.objects.bulk_create(new_rows)
        ConsensusItem.objects.bulk_update(changed, list(fields))
        consensus.refresh_from_db()
        record(
            actor=by,
            action=AuditAction.SAVE_CONSENSUS,
            target=consensus,
            version=consensus.version,
            items={code: entries[code].percent for code in sorted(entries)},
        )
    return consensus


def finalize_consensus(
    *,
    panel: Panel,
    expected_version: int,
    by: User,
    entries: Mapping[str, ConsensusEntry] | None = None,
) -> Consensus:
    """Save ``entries`` (if given), then lock the consensus once it is complete.

    Every item needs a percentage and every flagged item a rationale; otherwise the draft stays
    saved and ``IncompleteConsensus`` lists exactly what is missing. Finalizing twice is harmless.
    """
    _check_leader(panel=panel, user=by)
    current = Consensus.objects.filter(panel=panel).first()
    if current is not None and current.status == ConsensusStatus.FINAL:
        return current
    if entries is not None:
        current = save_consensus(
            panel=panel, expected_version=expected_version, entries=entries, by=by
        )
        expected_version = current.version
    _check_ready(panel)
    table = consensus_table(panel=panel)
    version = table.version
    missing = missing_for_final(table)
    if missing:
        raise IncompleteConsensus(missing, current_version=version)
    with transaction.atomic():
        now = timezone.now()
        updated = bump_version(
            Consensus.objects.filter(panel=panel, status__in=OPEN_STATUSES),
            expected=expected_version,
            status=ConsensusStatus.FINAL,
            finalized_at=now,
            updated_at=now,
        )
        consensus = Consensus.objects.get(panel=panel)
        if not updated:
            if consensus.status == ConsensusStatus.FINAL:
                return consensus
            raise StaleVersion(
                consensus_stale_message(consensus.version), current_version=consensus.version
            )
        record(
            actor=by,
            action=AuditAction.FINALIZE_CONSENSUS,
            target=consensus,
            version=consensus.version,
            items={row.item.code: row.agreed.percent for row in table.rows},
        )
    return consensus


def comment_on_consensus(
    *, panel: Panel, author: User, text: str, item: CriteriaItem | None = None
) -> ConsensusComment:
    """A member (or the leader) comments on the consensus draft, on one item or on the whole."""
    _check_member(panel=panel, user=author)
    _check_ready(panel)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写意见。")})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"text": _("意见不能超过 %(limit)d 个字符。") % {"limit": COMMENT_MAX_LENGTH}}
        )
    application = panel.application
    if item is not None and item.framework_id not in {
        application.framework_id,
        application.cycle.framework_id_for(application.track),
    }:
        raise ValidationError({"item": _("请选择本评价准则中的条款。")})
    with transaction.atomic():
        consensus, _created = Consensus.objects.get_or_create(panel=panel)
        if consensus.status == ConsensusStatus.FINAL:
            raise ConsensusLocked(_("共识已确定，不能再发表意见。"))
        comment = ConsensusComment.objects.create(
            consensus=consensus, author=author, item=item, text=text
        )
        record(
            actor=author,
            action=AuditAction.COMMENT_ON_CONSENSUS,
            target=consensus,
            item=item.code if item else "",
            comment=comment.pk,
        )
    return comment
