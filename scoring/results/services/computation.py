"""Computing, approving and comparing a cycle's results (评审结果).

The pure core (``scoring.aggregation``) does the arithmetic; this module loads what it needs in a
fixed number of queries, refuses to compute over missing scorecards unless the official accepts
partial data, and stores each computation as a new, numbered ``ResultSnapshot`` with its
configuration, inputs digest and explainable outputs. Approval freezes a snapshot; the latest
approved version is the cycle's current result. Every state change is written to the audit log.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.enums import Track
from awards.models import Cycle
from awards.models.applications import display_name_expression
from awards.permissions.rules import require_authority
from awards.services.audit import record
from scoring.aggregation import RankingResult, ResultsError, check_config, config_as_dict
from scoring.aggregation.config import CONFIG_FIELDS
from scoring.aggregation.engine import rank_with_trace
from scoring.aggregation.robustness import compare_prepared
from scoring.aggregation.scores import PreparedScores, prepare_columns
from scoring.aggregation.trace_store import scores_digest, trace_to_bytes
from scoring.enums import AssignmentStatus, ConsensusStatus, ScorecardStatus, StageKind
from scoring.results.models import ComputationStep, ResultEntry, ResultSnapshot, ResultTrace
from scoring.results.services.committee import approval_problems
from scoring.results.services.inputs import load_consensus, load_score_columns
from scoring.results.services.outputs import result_outputs
from scoring.results.services.settings import CycleSetup, cycle_setup, problems_error
from scoring.review.models import Assignment, Consensus

#: The status of a missing scorecard that was never started, as snapshots store it.
NOT_STARTED = "none"


@dataclass(frozen=True, slots=True)
class MissingScorecard:
    """An active assignment in a weighted stage without a submitted scorecard."""

    application_id: int
    organization: str
    stage: str
    reviewer_id: int
    reviewer: str
    status: str  # ScorecardStatus.DRAFT (started, not submitted) or NOT_STARTED

    @property
    def stage_label(self) -> str:
        return StageKind(self.stage).label if self.stage in StageKind.values else self.stage

    @property
    def status_label(self) -> str:
        return (
            str(ScorecardStatus.DRAFT.label)
            if self.status == ScorecardStatus.DRAFT
            else _("未开始")
        )


class MissingScorecardsError(ValidationError):
    """Refusal to compute over missing scorecards; ``missing`` lists them."""

    def __init__(self, missing: list[MissingScorecard]) -> None:
        self.missing = missing
        super().__init__(
            _("还有 %(count)s 份评分表未提交，请等待评分完成，或确认接受不完整的数据后再计算。")
            % {"count": len(missing)},
            code="missing_scorecards",
        )


def missing_scorecards(*, cycle: Cycle, track: str = Track.ORGANIZATION) -> list[MissingScorecard]:
    """Active assignments of the track's applications in stages that count (weight above 0)
    not yet submitted, in stage, organization and reviewer order. One query."""
    rows = (
        Assignment.objects.filter(
            panel__stage__cycle=cycle,
            panel__stage__weight__gt=0,
            status=AssignmentStatus.ACTIVE,
            panel__application__track=track,
        )
        .exclude(scorecard__status=ScorecardStatus.SUBMITTED)
        .order_by(
            "panel__stage__order", "panel__application__organization__name", "reviewer__username"
        )
        .values_list(
            "panel__application_id",
            display_name_expression("panel__application__"),
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
            status=ScorecardStatus.DRAFT if status else NOT_STARTED,
        )
        for app, organization, stage, reviewer, full_name, username, status in rows
    ]


class StaleConsensusError(ValidationError):
    """Refusal to compute while a panel's consensus awaits confirmation again (a member's
    scorecard was reopened after it was final); ``stale`` names them (organization · stage)."""

    def __init__(self, stale: list[str]) -> None:
        self.stale = stale
        super().__init__(
            _("以下评审组共识因评分表被退回而待重新确认，确认后才能计算结果：%(list)s。")
            % {"list": "；".join(stale)},
            code="stale_consensus",
        )


def stale_consensuses(*, cycle: Cycle, track: str = Track.ORGANIZATION) -> list[str]:
    """The track's stale consensuses as "organization · stage", in stage and name order."""
    rows = (
        Consensus.objects.filter(
            panel__stage__cycle=cycle,
            status=ConsensusStatus.STALE,
            panel__application__track=track,
        )
        .order_by("panel__stage__order", "panel__application__organization__name", "pk")
        .values_list(display_name_expression("panel__application__"), "panel__stage__kind")
    )
    return [
        f"{name} · {StageKind(kind).label if kind in StageKind.values else kind}"
        for name, kind in rows
    ]


def check_no_stale_consensus(*, cycle: Cycle, track: str = Track.ORGANIZATION) -> None:
    stale = stale_consensuses(cycle=cycle, track=track)
    if stale:
        raise StaleConsensusError(stale)


def _track_announced(cycle: Cycle, track: str) -> bool:
    """Whether the award decision of the cycle's ``track`` is announced (each track is
    published on its own, as ``publication.services.notices`` does)."""
    # Through the snapshot's reverse relation: results do not depend on the publication feature.
    return ResultSnapshot.objects.filter(
        cycle=cycle, track=track, notice__announced_at__isnull=False
    ).exists()


def _prepared_scores(*, cycle: Cycle, setup: CycleSetup) -> PreparedScores:
    """The cycle's submitted scores and final consensus percentages, indexed for the core."""
    try:
        check_config(setup.config, setup.items)
        columns = load_score_columns(cycle=cycle, setup=setup)
        consensus = load_consensus(cycle=cycle, setup=setup)
        if not len(columns) and not consensus:
            raise ValidationError(_("本届还没有已提交的评分，无法计算结果。"), code="no_scores")
        return prepare_columns(
            columns, stages=setup.config.stage_order, items=setup.items, consensus=consensus
        )
    except ResultsError as error:
        raise problems_error(error.problems) from None


def _no_progress(step: str, percent: int) -> None:
    """The default ``progress`` callback: computing in the foreground reports nothing."""


def compute_cycle_results(
    *,
    cycle: Cycle,
    by,
    accept_partial: bool = False,
    progress: Callable[[str, int], None] = _no_progress,
    track: str = Track.ORGANIZATION,
) -> ResultSnapshot:
    """Compute one track's results and store them as the cycle's next (unapproved) snapshot.

    Organizations and individuals are never ranked together: each track is computed on its
    own applications, against its own framework, with its own levels and quotas.

    Refuses (``ValidationError``) when the configuration is inconsistent, when there are no
    scores, and (``MissingScorecardsError``) when scorecards are missing, unless
    ``accept_partial``: then the snapshot is marked partial and records what was missing.
    ``progress(step, percent)`` is told each ``ComputationStep`` as it starts. Refuses
    (``PermissionDenied``) anyone who does not act for the cycle's authority.
    """
    require_authority(by, cycle.programme.authority_id)
    with collector_paused():
        return _compute(
            cycle=cycle, by=by, accept_partial=accept_partial, progress=progress, track=track
        )


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused for the length of a computation.

    A computation allocates tens of thousands of small objects without reference cycles; left
    on, the collector walks the whole process heap (Django's objects included) several times
    during one computation, a tenth of a second or more each time on a cycle of 1,000
    applications. Nothing it could free is created meanwhile, and it runs again afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _compute(
    *, cycle: Cycle, by, accept_partial: bool, progress: Callable[[str, int], None], track: str
) -> ResultSnapshot:
    progress(ComputationStep.LOADING, 5)
    setup = cycle_setup(cycle=cycle, track=track)
    check_no_stale_consensus(cycle=cycle, track=track)
    missing = missing_scorecards(cycle=cycle, track=track)
    if missing and not accept_partial:
        raise MissingScorecardsError(missing)
    prepared = _prepared_scores(cycle=cycle, setup=setup)
    progress(ComputationStep.COMPUTING, 40)
    result, trace = rank_with_trace(prepared, setup.config)
    progress(ComputationStep.ROBUSTNESS, 60)
    robustness = compare_prepared(prepared, setup.config, configured=result)
    progress(ComputationStep.STORING, 85)
    digest = scores_digest(prepared)
    with transaction.atomic():
        Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
        latest = ResultSnapshot.objects.filter(cycle=cycle).aggregate(latest=Max("version"))
        snapshot = ResultSnapshot.objects.create(
            cycle=cycle,
            version=(latest["latest"] or 0) + 1,
            track=track,
            method=setup.config.method,
            config=config_as_dict(setup.config),
            inputs_digest=digest,
            outputs=result_outputs(result, robustness, stages=setup.config.stage_order),
            partial=bool(missing),
            missing=[asdict(entry) for entry in missing],
            created_by=by,
        )
        ResultTrace.objects.create(snapshot=snapshot, data=trace_to_bytes(trace))
        _insert_entries(snapshot, result)
        record(
            actor=by,
            action=AuditAction.COMPUTE_RESULTS,
            target=snapshot,
            version=snapshot.version,
            method=snapshot.method,
            inputs_digest=digest,
            applications=len(result.rows),
            track=track,
            partial=snapshot.partial,
            missing=len(missing),
        )
    return snapshot


_ENTRY_FIELDS = (
    "snapshot",
    "application",
    "rank",
    "total",
    "level",
    "advanced",
    "categories",
    "reached_stage",
    "stage_categories",
)


def _insert_entries(snapshot: ResultSnapshot, result: RankingResult) -> None:
    """The snapshot's ranking lines in one ``executemany``: the values go through the same field
    conversions as ``bulk_create``, without its per-object work (a third of a full computation
    for 1,000 applications)."""
    fields = [ResultEntry._meta.get_field(name) for name in _ENTRY_FIELDS]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(ResultEntry._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    total, categories = fields[3], fields[6]
    rows = [
        (
            snapshot.pk,
            int(row.application),
            row.rank,
            total.get_db_prep_save(row.total_rounded, connection),
            row.level or "",
            row.advanced,
            categories.get_db_prep_save(dict(row.categories), connection),
            row.reached_stage or "",
            categories.get_db_prep_save(
                {stage: dict(done.categories) for stage, done in row.stages.items()},
                connection,
            ),
        )
        for row in result.rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def current_inputs_digest(*, cycle: Cycle, track: str = Track.ORGANIZATION) -> str:
    """The digest the track's scores would have in a computation made now."""
    setup = cycle_setup(cycle=cycle, track=track)
    return scores_digest(_prepared_scores(cycle=cycle, setup=setup))


def current_snapshot(*, cycle: Cycle, track: str = Track.ORGANIZATION) -> ResultSnapshot | None:
    """The track's current result: its approved snapshot of the highest version."""
    return (
        ResultSnapshot.objects.filter(cycle=cycle, track=track, approved_at__isnull=False)
        .defer("outputs")
        .order_by("-version")
        .first()
    )


@transaction.atomic
def approve_snapshot(*, snapshot: ResultSnapshot, by) -> ResultSnapshot:
    """Freeze ``snapshot`` as the cycle's current result.

    Refused when it is already approved, when a later version is approved, when the cycle's
    awards were already announced, or when the scores changed since it was computed (its inputs
    digest no longer matches): approving must never bless numbers that are out of date. Refused
    too without a recorded committee decision (审定) meeting the programme's quorum and majority
    rules, and, under the authority's four-eyes rule, when ``by`` computed the snapshot. Refuses
    (``PermissionDenied``) anyone who does not act for the cycle's authority.
    """
    snapshot = (
        ResultSnapshot.objects.select_for_update(of=("self", "cycle"))
        .select_related("cycle__programme__authority")
        .defer("outputs")
        .get(pk=snapshot.pk)
    )
    cycle = snapshot.cycle
    require_authority(by, cycle.programme.authority_id)
    if snapshot.approved_at is not None:
        raise ValidationError(
            _("第 %(version)s 版评审结果已经批准。") % {"version": snapshot.version},
            code="already_approved",
        )
    current = current_snapshot(cycle=cycle, track=snapshot.track)
    if current is not None and current.version > snapshot.version:
        raise ValidationError(
            _("已批准更新的第 %(current)s 版，不能再批准第 %(version)s 版。")
            % {"current": current.version, "version": snapshot.version},
            code="superseded",
        )
    if _track_announced(cycle, snapshot.track):
        raise ValidationError(_("本届已发布表彰决定，不能再批准评审结果。"), code="announced")
    if cycle.programme.authority.four_eyes and snapshot.created_by_id == getattr(by, "pk", None):
        raise ValidationError(
            _(
                "第 %(version)s 版评审结果是您计算的。按双人复核规则，须由另一名工作人员批准，"
                "计算人不能独自批准。"
            )
            % {"version": snapshot.version},
            code="four_eyes",
        )
    problems = approval_problems(snapshot)
    if problems:
        raise ValidationError(problems, code="committee")
    if current_inputs_digest(cycle=cycle, track=snapshot.track) != snapshot.inputs_digest:
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
        action=AuditAction.APPROVE_RESULTS,
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
        "application_id", "rank", "total", "level", display_name_expression("application__")
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
