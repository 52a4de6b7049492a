"""Computing, approving and comparing a cycle's results (评审结果).

The pure core (``scoring.aggregation``) does the arithmetic; this module loads what it needs in a
fixed number of queries, refuses to compute over missing scorecards unless the official accepts
partial data, and stores each computation as a new, numbered ``ResultSnapshot`` with its
configuration, inputs digest and explainable outputs. Approval freezes a snapshot; the latest
approved version is the cycle's current result. Every state change is written to the audit log.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from dataclasses import asdict, dataclass
from decimal import Decimal
from itertools import repeat

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Cycle
from awards.services.audit import record
from scoring.aggregation import (
    ScoreDataError,
    ScoreRow,
    compare_methods,
    compute_results,
    config_as_dict,
)
from scoring.aggregation.config import CONFIG_FIELDS
from scoring.aggregation.types import ConsensusKey
from scoring.enums import AssignmentStatus, ConsensusStatus, ScorecardStatus, StageKind
from scoring.models import (
    Assignment,
    ConsensusItem,
    ItemScore,
    PublicNotice,
    ResultEntry,
    ResultSnapshot,
)
from scoring.services.results_outputs import inputs_digest, result_outputs
from scoring.services.results_settings import CycleSetup, cycle_setup, problems_error


@dataclass(frozen=True, slots=True)
class MissingScorecard:
    """An active assignment in a weighted stage without a submitted scorecard."""

    application_id: int
    organization: str
    stage: str
    reviewer_id: int
    reviewer: str
    status: str  # "draft" (started, not submitted) or "none" (not started)

    @property
    def stage_label(self) -> str:
        return StageKind(self.stage).label if self.stage in StageKind.values else self.stage

    @property
    def status_label(self) -> str:
        return str(ScorecardStatus.DRAFT.label) if self.status == "draft" else _("未开始")


class MissingScorecardsError(ValidationError):
    """Refusal to compute over missing scorecards; ``missing`` lists them."""

    def __init__(self, missing: list[MissingScorecard]) -> None:
        self.missing = missing
        super().__init__(
            _("还有 %(count)s 份评分表未提交，请等待评分完成，或确认接受不完整的数据后再计算。")
            % {"count": len(missing)},
            code="missing_scorecards",
        )


def load_score_rows(*, cycle: Cycle, setup: CycleSetup | None = None) -> list[ScoreRow]:
    """Every percentage of every submitted scorecard of the cycle's active assignments.

    One query for the scores (item and stage ids are mapped to codes in Python, saving two
    joins), plus the configuration's four when no ``setup`` is given. Application and reviewer
    ids become strings, the core's names.
    """
    setup = setup or cycle_setup(cycle=cycle)
    codes = setup.item_codes
    kinds = setup.stage_kinds
    rows = ItemScore.objects.filter(
        scorecard__status=ScorecardStatus.SUBMITTED,
        scorecard__assignment__status=AssignmentStatus.ACTIVE,
        scorecard__assignment__panel__stage__cycle=cycle,
        percent__isnull=False,
    ).values_list(
        "scorecard__assignment__panel__application_id",
        "scorecard__assignment__reviewer_id",
        "scorecard__assignment__panel__stage_id",
        "item_id",
        "percent",
    )
    fetched = list(rows)  # one query; columns are mapped below, without a loop in Python
    if not fetched:
        return []
    apps, reviewers, stages, items, percents = zip(*fetched, strict=True)
    app_names = {pk: str(pk) for pk in set(apps)}
    reviewer_names = {pk: str(pk) for pk in set(reviewers)}
    # An item outside the cycle's framework gets a name the core reports as unknown.
    item_codes = {pk: codes.get(pk, f"#{pk}") for pk in set(items)}
    return score_rows(
        list(map(app_names.__getitem__, apps)),
        list(map(reviewer_names.__getitem__, reviewers)),
        list(map(kinds.__getitem__, stages)),
        list(map(item_codes.__getitem__, items)),
        list(map(float, percents)),
    )


def score_rows(*columns: list) -> list[ScoreRow]:
    """``ScoreRow``s from columns (application, reviewer, stage, item, percent), built fast.

    ``ScoreRow`` is a frozen slots dataclass whose generated ``__init__`` calls
    ``object.__setattr__`` once per field: about 7 µs a row, over two seconds for a full cycle.
    Filling each slot through its descriptor with ``map`` gives equal objects about ten times
    faster; should the class ever lose its slots, the constructor is used instead.
    """
    names = tuple(field.name for field in dataclasses.fields(ScoreRow))
    if getattr(ScoreRow, "__slots__", ()) != names or len(columns) != len(names):
        return list(map(ScoreRow, *columns))
    rows = list(map(object.__new__, repeat(ScoreRow, len(columns[0]))))
    for name, column in zip(names, columns, strict=True):
        deque(map(getattr(ScoreRow, name).__set__, rows, column), maxlen=0)
    return rows


def load_consensus(*, cycle: Cycle, setup: CycleSetup | None = None) -> dict[ConsensusKey, float]:
    """The percentages of final consensus records: (application, stage, item) → percent."""
    setup = setup or cycle_setup(cycle=cycle)
    codes = setup.item_codes
    kinds = setup.stage_kinds
    rows = ConsensusItem.objects.filter(
        consensus__status=ConsensusStatus.FINAL,
        consensus__panel__stage__cycle=cycle,
        percent__isnull=False,
    ).values_list(
        "consensus__panel__application_id", "consensus__panel__stage_id", "item_id", "percent"
    )
    return {
        (str(app), kinds[stage], codes[item]): float(percent) for app, stage, item, percent in rows
    }


def missing_scorecards(*, cycle: Cycle) -> list[MissingScorecard]:
    """Active assignments of stages that count (weight above 0) not yet submitted, in stage,
    organization and reviewer order. One query."""
    rows = (
        Assignment.objects.filter(
            panel__stage__cycle=cycle, panel__stage__weight__gt=0, status=AssignmentStatus.ACTIVE
        )
        .exclude(scorecard__status=ScorecardStatus.SUBMITTED)
        .order_by(
            "panel__stage__order", "panel__application__organization__name", "reviewer__username"
        )
        .values_list(
            "panel__application_id",
            "panel__application__organization__name",
            "panel__stage__kind",
            "reviewer_id",
            "reviewer__full_name",
            "reviewer__username",
            "scorecard__status",
        )
    )
    return [
        MissingScorecard(
            application_id=app,
            organization=organization,
            stage=stage,
            reviewer_id=reviewer,
            reviewer=full_name or username,
            status="draft" if status else "none",
        )
        for app, organization, stage, reviewer, full_name, username, status in rows
    ]


def _cycle_announced(cycle: Cycle) -> bool:
    return PublicNotice.objects.filter(snapshot__cycle=cycle, announced_at__isnull=False).exists()


def compute_cycle_results(*, cycle: Cycle, by, accept_partial: bool = False) -> ResultSnapshot:
    """Compute the cycle's results and store them as the next (unapproved) snapshot version.

    Refuses (``ValidationError``) when the configuration is inconsistent, when there are no
    scores, and (``MissingScorecardsError``) when scorecards are missing, unless
    ``accept_partial``: then the snapshot is marked partial and records what was missing.
    """
    setup = cycle_setup(cycle=cycle)
    missing = missing_scorecards(cycle=cycle)
    if missing and not accept_partial:
        raise MissingScorecardsError(missing)
    rows = load_score_rows(cycle=cycle, setup=setup)
    consensus = load_consensus(cycle=cycle, setup=setup)
    if not rows and not consensus:
        raise ValidationError(_("本届还没有已提交的评分，无法计算结果。"), code="no_scores")
    try:
        result = compute_results(rows, setup.config, items=setup.items, consensus=consensus)
        robustness = compare_methods(rows, setup.config, items=setup.items, consensus=consensus)
    except ScoreDataError as error:
        raise problems_error(error.problems) from None
    outputs = result_outputs(result, robustness, stages=setup.config.stage_order)
    digest = inputs_digest(rows, consensus)
    with transaction.atomic():
        Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
        latest = ResultSnapshot.objects.filter(cycle=cycle).aggregate(latest=Max("version"))
        snapshot = ResultSnapshot.objects.create(
            cycle=cycle,
            version=(latest["latest"] or 0) + 1,
            method=setup.config.method,
            config=config_as_dict(setup.config),
            inputs_digest=digest,
            outputs=outputs,
            partial=bool(missing),
            missing=[asdict(entry) for entry in missing],
            created_by=by,
        )
        ResultEntry.objects.bulk_create(
            ResultEntry(
                snapshot=snapshot,
                application_id=int(row.application),
                rank=row.rank,
                total=row.total_rounded,
                level=row.level or "",
                advanced=row.advanced,
                categories=dict(row.categories),
            )
            for row in result.rows
        )
        record(
            actor=by,
            action="compute_results",
            target=snapshot,
            version=snapshot.version,
            method=snapshot.method,
            inputs_digest=digest,
            applications=len(result.rows),
            partial=snapshot.partial,
            missing=len(missing),
        )
    return snapshot


def current_snapshot(*, cycle: Cycle) -> ResultSnapshot | None:
    """The cycle's current result: its approved snapshot of the highest version."""
    return (
        ResultSnapshot.objects.filter(cycle=cycle, approved_at__isnull=False)
        .defer("outputs")
        .order_by("-version")
        .first()
    )


@transaction.atomic
def approve_snapshot(*, snapshot: ResultSnapshot, by) -> ResultSnapshot:
    """Freeze ``snapshot`` as the cycle's current result.

    Refused when it is already approved, when a later version is approved, when the cycle's
    awards were already announced, or when the scores changed since it was computed (its inputs
    digest no longer matches): approving must never bless numbers that are out of date.
    """
    snapshot = (
        ResultSnapshot.objects.select_for_update()
        .select_related("cycle")
        .defer("outputs")
        .get(pk=snapshot.pk)
    )
    cycle = snapshot.cycle
    if snapshot.approved_at is not None:
        raise ValidationError(
            _("第 %(version)s 版评审结果已经批准。") % {"version": snapshot.version},
            code="already_approved",
        )
    current = current_snapshot(cycle=cycle)
    if current is not None and current.version > snapshot.version:
        raise ValidationError(
            _("已批准更新的第 %(current)s 版，不能再批准第 %(version)s 版。")
            % {"current": current.version, "version": snapshot.version},
            code="superseded",
        )
    if _cycle_announced(cycle):
        raise ValidationError(_("本届已发布表彰决定，不能再批准评审结果。"), code="announced")
    setup = cycle_setup(cycle=cycle)
    digest = inputs_digest(
        load_score_rows(cycle=cycle, setup=setup), load_consensus(cycle=cycle, setup=setup)
    )
    if digest != snapshot.inputs_digest:
        raise ValidationError(
            _("第 %(version)s 版计算后评分数据已有变化，请重新计算后再批准。")
            % {"version": snapshot.version},
            code="inputs_changed",
        )
    snapshot.approved_by = by
    snapshot.approved_at = timezone.now()
    snapshot.save(update_fields=["approved_by", "approved_at"])
    record(
        actor=by,
        action="approve_results",
        target=snapshot,
        version=snapshot.version,
        inputs_digest=snapshot.inputs_digest,
        replaces=current.version if current else None,
    )
    return snapshot


@dataclass(frozen=True, slots=True)
class EntryChange:
    """One application's line in two versions; ``None`` where it is absent from one."""

    application_id: int
    organization: str
    old_rank: int | None
    new_rank: int | None
    old_total: Decimal | None
    new_total: Decimal | None
    old_level: str | None
    new_level: str | None

    @property
    def kind(self) -> str:
        if self.old_rank is None:
            return "added"
        if self.new_rank is None:
            return "removed"
        return "changed"


@dataclass(frozen=True, slots=True)
class SnapshotChanges:
    old_version: int
    new_version: int
    inputs_changed: bool
    config_changes: tuple[tuple[str, object, object], ...]
    changed: tuple[EntryChange, ...]
    added: tuple[EntryChange, ...]
    removed: tuple[EntryChange, ...]

    @property
    def unchanged(self) -> bool:
        return not (self.config_changes or self.changed or self.added or self.removed)


def _entries(snapshot: ResultSnapshot) -> dict[int, tuple[int, Decimal, str, str]]:
    rows = ResultEntry.objects.filter(snapshot=snapshot).values_list(
        "application_id", "rank", "total", "level", "application__organization__name"
    )
    return {app: (rank, total, level, name) for app, rank, total, level, name in rows}


def snapshot_changes(*, old: ResultSnapshot, new: ResultSnapshot) -> SnapshotChanges:
    """What differs between two versions of a cycle's result: per application rank, total
    and level, applications added or removed, configuration keys changed, and whether the
    inputs differ. Rows are in the new version's rank order (removed ones in the old's)."""
    if old.cycle_id != new.cycle_id:
        raise ValidationError(_("只能比较同一届次的评审结果。"), code="other_cycle")
    before, after = _entries(old), _entries(new)
    config_changes = tuple(
        (key, old.config.get(key), new.config.get(key))
        for key in dict.fromkeys([*CONFIG_FIELDS, *sorted({*old.config, *new.config})])
        if old.config.get(key) != new.config.get(key)
    )
    changed, added, removed = [], [], []
    for app, (rank, total, level, name) in sorted(after.items(), key=lambda kv: (kv[1][0], kv[0])):
        if app not in before:
            added.append(EntryChange(app, name, None, rank, None, total, None, level))
            continue
        old_rank, old_total, old_level, _name = before[app]
        if (old_rank, old_total, old_level) != (rank, total, level):
            changed.append(
                EntryChange(app, name, old_rank, rank, old_total, total, old_level, level)
            )
    for app, (rank, total, level, name) in sorted(before.items(), key=lambda kv: (kv[1][0], kv[0])):
        if app not in after:
            removed.append(EntryChange(app, name, rank, None, total, None, level, None))
    return SnapshotChanges(
        old_version=old.version,
        new_version=new.version,
        inputs_changed=old.inputs_digest != new.inputs_digest,
        config_changes=config_changes,
        changed=tuple(changed),
        added=tuple(added),
        removed=tuple(removed),
    )
