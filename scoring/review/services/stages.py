"""Review stages of a cycle: the default pair, edits by officials, and advancement.

Advancement reads only SUBMITTED scorecards and, where the panel's consensus is final, the agreed
percentages (the pure results core decides per item: consensus where recorded, else the mean).
Organizations and individuals (个人奖) are ranked apart, each on its own track's framework and
under its own track's rule (``advancement_rule``). Those who advance get a panel in the next
stage, which is what makes them "advanced": the next stage's automatic assignment serves exactly
the applications that have a panel there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.enums import ApplicationStatus, Track
from awards.models import Application, Cycle, User
from awards.permissions.rules import require_authority
from awards.services.audit import record
from scoring.aggregation import ItemDef, ResultsConfig, ScoreRow, compute_results, round2
from scoring.aggregation.types import CONSENSUS
from scoring.enums import ConsensusStatus, ScorecardStatus, StageKind
from scoring.review.models import ConsensusItem, ItemScore, Panel, ReviewStage

DEFAULT_PANEL_SIZE = 5
#: (kind, order, weight): document review 30 %, on-site review 70 % (domain.md).
DEFAULT_STAGES = (
    (StageKind.DOCUMENT, 1, Decimal("0.300")),
    (StageKind.ONSITE, 2, Decimal("0.700")),
)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=timezone.get_default_timezone())


def _day_end(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=timezone.get_default_timezone())


def default_window(cycle: Cycle, kind: str) -> tuple[dt.datetime, dt.datetime]:
    """Document review runs from the day after screening to its deadline; on-site review from
    the day after document review to the on-site deadline (whole days, Asia/Shanghai)."""
    if kind == StageKind.ONSITE:
        start = cycle.document_review_deadline + dt.timedelta(days=1)
        return _day_start(start), _day_end(cycle.onsite_review_deadline)
    start = cycle.screening_deadline + dt.timedelta(days=1)
    return _day_start(start), _day_end(cycle.document_review_deadline)


@transaction.atomic
def ensure_default_stages(*, cycle: Cycle, by: User | None) -> list[ReviewStage]:
    """Create document and on-site review where missing; existing stages are left alone."""
    require_authority(by, cycle.programme.authority_id)
    existing = {stage.kind: stage for stage in ReviewStage.objects.filter(cycle=cycle)}
    used_orders = {stage.order for stage in existing.values()}
    created = []
    for kind, order, weight in DEFAULT_STAGES:
        if kind in existing:
            continue
        while order in used_orders:
            order += 1
        opens_at, closes_at = default_window(cycle, kind)
        stage = ReviewStage.objects.create(
            cycle=cycle,
            kind=kind,
            order=order,
            opens_at=opens_at,
            closes_at=closes_at,
            panel_size=DEFAULT_PANEL_SIZE,
            weight=weight,
        )
        used_orders.add(order)
        created.append(stage.kind)
    if created:
        record(actor=by, action=AuditAction.CREATE_REVIEW_STAGES, target=cycle, stages=created)
    return list(ReviewStage.objects.filter(cycle=cycle).order_by("order"))


def is_first_stage(stage: ReviewStage) -> bool:
    return not ReviewStage.objects.filter(cycle_id=stage.cycle_id, order__lt=stage.order).exists()


def next_stage(stage: ReviewStage) -> ReviewStage | None:
    return (
        ReviewStage.objects.filter(cycle_id=stage.cycle_id, order__gt=stage.order)
        .order_by("order")
        .first()
    )


def stage_applications(stage: ReviewStage) -> QuerySet[Application]:
    """Who is reviewed in this stage: every eligible application in the first stage; in later
    stages those that advanced (they have a panel there)."""
    queryset = Application.objects.filter(
        cycle_id=stage.cycle_id, status=ApplicationStatus.ELIGIBLE
    )
    if not is_first_stage(stage):
        queryset = queryset.filter(panels__stage=stage)
    return queryset.order_by("pk")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One application's standing in its track in a stage and whether (and why) it advances."""

    application_id: int
    label: str
    total: Decimal | None
    rank: int | None
    advances: bool
    reason: str
    track: str = Track.ORGANIZATION


@dataclass(frozen=True, slots=True)
class AdvancementRule:
    """One track's rule in a stage. ``min_total`` is on the track's framework's scale;
    ``shared_top_n``: the track has no rule of its own and takes the stage's top N, counted
    within the track."""

    min_total: Decimal | None
    top_n: int | None
    shared_top_n: bool = False


@dataclass(frozen=True, slots=True)
class TrackAdvancement:
    """A track's applications in a stage, ranked among themselves under the track's rule."""

    track: str
    rule: AdvancementRule | None
    outcomes: list[Outcome]

    @property
    def label(self) -> str:
        return str(Track(self.track).label)

    @property
    def is_individual(self) -> bool:
        return self.track == Track.INDIVIDUAL


#: Tracks in the order pages list them.
TRACK_ORDER = (Track.ORGANIZATION, Track.INDIVIDUAL)


def _stage_totals(
    stage: ReviewStage, application_ids: list[int], *, track: str = Track.ORGANIZATION
) -> dict[int, tuple[Decimal, int]]:
    """Application id → (rounded stage total, rank among ``application_ids``) from submitted
    scorecards (and consensus), against the framework of ``track``: callers pass one track's
    applications, since organizations and individuals are never ranked together."""
    framework = stage.cycle.framework_for(track)
    if framework is None or not application_ids:
        return {}
    items = list(framework.items.order_by("sort_order", "code"))
    definitions = [ItemDef(item.code, item.category_code, float(item.points)) for item in items]
    rows = [
        ScoreRow(str(app_id), str(reviewer_id), stage.kind, code, float(percent))
        for app_id, reviewer_id, code, percent in ItemScore.objects.filter(
            scorecard__status=ScorecardStatus.SUBMITTED,
            scorecard__assignment__panel__stage=stage,
            scorecard__assignment__panel__application_id__in=application_ids,
            percent__isnull=False,
        ).values_list(
            "scorecard__assignment__panel__application_id",
            "scorecard__assignment__reviewer_id",
            "item__code",
            "percent",
        )
    ]
    consensus = {
        (str(app_id), stage.kind, code): float(percent)
        for app_id, code, percent in ConsensusItem.objects.filter(
            consensus__status=ConsensusStatus.FINAL,
            consensus__panel__stage=stage,
            consensus__panel__application_id__in=application_ids,
            percent__isnull=False,
        ).values_list("consensus__panel__application_id", "item__code", "percent")
    }
    if not rows and not consensus:
        return {}
    config = ResultsConfig(
        method=CONSENSUS,
        stage_weights={stage.kind: 1.0},
        stage_order=(stage.kind,),
        tie_break=("total",),
    )
    result = compute_results(rows, config, items=definitions, consensus=consensus, explain=False)
    return {int(row.application): (round2(row.total), row.rank) for row in result.rows}


def _quantized(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def advancement_rule(stage: ReviewStage, track: str) -> AdvancementRule | None:
    """The rule ``track``'s applications advance by in ``stage``, or None when it has none.

    Organizations follow the stage's minimum and top N. Individuals follow their own minimum
    and top N; with neither set, the stage's top N, counted among individuals (the minimum is
    not shared: it is on the organization framework's scale of 1000 points)."""
    if track == Track.INDIVIDUAL:
        own = (stage.individual_advance_min_total, stage.individual_advance_top_n)
        if own != (None, None):
            return AdvancementRule(_quantized(own[0]), own[1])
        if stage.advance_top_n is not None:
            return AdvancementRule(None, stage.advance_top_n, shared_top_n=True)
        return None
    if stage.advance_min_total is None and stage.advance_top_n is None:
        return None
    return AdvancementRule(_minimum(stage), stage.advance_top_n)


def _track_outcome(
    app: Application, totals: dict, rule: AdvancementRule, *, track: str, named: bool
) -> Outcome:
    label = app.display_name
    if app.pk not in totals:
        return Outcome(app.pk, label, None, None, False, _("没有已提交的评分表"), track)
    total, rank = totals[app.pk]
    minimum, top_n = rule.min_total, rule.top_n
    track_label = str(Track(track).label)
    failures, met = [], []
    if minimum is not None:
        if total < minimum:
            failures.append(_("低于最低总分 %(min)s") % {"min": minimum})
        else:
            met.append(_("达到最低总分 %(min)s") % {"min": minimum})
    if top_n is not None:
        if rank > top_n and named:
            failures.append(_("未进入%(track)s前 %(n)d 名") % {"track": track_label, "n": top_n})
        elif rank > top_n:
            failures.append(_("未进入前 %(n)d 名") % {"n": top_n})
        elif named:
            met.append(_("在%(track)s前 %(n)d 名内") % {"track": track_label, "n": top_n})
        else:
            met.append(_("在前 %(n)d 名内") % {"n": top_n})
    if named:
        reason = _("总分 %(total)s，%(track)s第 %(rank)d 名：") % {
            "total": total,
            "track": track_label,
            "rank": rank,
        }
    else:
        reason = _("总分 %(total)s，第 %(rank)d 名：") % {"total": total, "rank": rank}
    reason += "；".join(failures or met)
    return Outcome(app.pk, label, total, rank, not failures, reason, track)


def advancement_by_track(*, stage: ReviewStage) -> list[TrackAdvancement]:
    """Each track's applications in the stage, ranked among themselves under the track's rule,
    best first; nothing is written. Raises ``ValidationError`` when the stage has no rule, or a
    track with applications in the stage has none."""
    if not any(advancement_rule(stage, track) for track in TRACK_ORDER):
        raise ValidationError(_("请先为该阶段设置晋级规则（最低总分和/或前 N 名）。"))
    applications = list(stage_applications(stage).select_related("organization", "candidate"))
    by_track: dict[str, list[Application]] = {}
    for app in applications:
        by_track.setdefault(app.track, []).append(app)
    tracks = [track for track in TRACK_ORDER if track in by_track] or [Track.ORGANIZATION]
    rules = {track: advancement_rule(stage, track) for track in tracks}
    missing = [track for track in tracks if by_track.get(track) and rules[track] is None]
    if missing:
        raise ValidationError(
            [
                _("请先为该阶段设置%(track)s的晋级规则（最低总分和/或前 N 名）。")
                % {"track": Track(track).label}
                for track in missing
            ]
        )
    # Name the track in the reasons wherever the cycle has one besides organizations.
    named = bool(stage.cycle.individual_framework_id) or Track.INDIVIDUAL in by_track
    groups = []
    for track in tracks:
        members = by_track.get(track, [])
        totals = _stage_totals(stage, [app.pk for app in members], track=track)
        outcomes = [
            _track_outcome(app, totals, rules[track], track=track, named=named) for app in members
        ]
        outcomes.sort(key=lambda o: (o.rank is None, o.rank or 0, o.application_id))
        groups.append(TrackAdvancement(track, rules[track], outcomes))
    return groups


def advancement_outcomes(*, stage: ReviewStage) -> list[Outcome]:
    """Who would advance under the stage's rules, track by track (organizations first), best
    first within each track; nothing is written."""
    return [outcome for group in advancement_by_track(stage=stage) for outcome in group.outcomes]


def _minimum(stage: ReviewStage) -> Decimal | None:
    return _quantized(stage.advance_min_total)


@dataclass(frozen=True, slots=True)
class AdvancementResult:
    next_stage: ReviewStage
    outcomes: list[Outcome]
    created_panels: int
    removed_panels: int
    kept_with_members: list[int]


def _rule_details(rule: AdvancementRule | None) -> dict | None:
    if rule is None:
        return None
    return {
        "min_total": None if rule.min_total is None else str(rule.min_total),
        "top_n": rule.top_n,
        "shared_top_n": rule.shared_top_n,
    }


@transaction.atomic
def apply_advancement(*, stage: ReviewStage, by: User) -> AdvancementResult:
    """Give every advancing application a panel in the next stage, and withdraw the (empty)
    next-stage panels of those that no longer advance; panels with members are kept and named."""
    require_authority(by, stage.cycle.programme.authority_id)
    ReviewStage.objects.select_for_update().filter(pk=stage.pk).first()
    following = next_stage(stage)
    if following is None:
        raise ValidationError(_("这是最后一个评审阶段，没有可晋级的下一阶段。"))
    groups = advancement_by_track(stage=stage)
    outcomes = [outcome for group in groups for outcome in group.outcomes]
    advancing = {o.application_id for o in outcomes if o.advances}
    existing = dict(Panel.objects.filter(stage=following).values_list("application_id", "pk"))
    Panel.objects.bulk_create(
        [
            Panel(stage=following, application_id=app_id)
            for app_id in sorted(advancing - existing.keys())
        ]
    )
    dropped = [app_id for app_id in existing if app_id not in advancing]
    staffed = set(
        Panel.objects.filter(
            stage=following, application_id__in=dropped, assignments__isnull=False
        ).values_list("application_id", flat=True)
    )
    Panel.objects.filter(stage=following, application_id__in=set(dropped) - staffed).delete()
    result = AdvancementResult(
        next_stage=following,
        outcomes=outcomes,
        created_panels=len(advancing - existing.keys()),
        removed_panels=len(set(dropped) - staffed),
        kept_with_members=sorted(staffed),
    )
    stage.advancement_applied_at, stage.advancement_applied_by = timezone.now(), by
    ReviewStage.objects.filter(pk=stage.pk).update(
        advancement_applied_at=stage.advancement_applied_at, advancement_applied_by=by
    )
    record(
        actor=by,
        action=AuditAction.APPLY_ADVANCEMENT,
        target=stage,
        next_stage=following.kind,
        rule={
            "min_total": None if _minimum(stage) is None else str(_minimum(stage)),
            "top_n": stage.advance_top_n,
        },
        **{
            f"{group.track}_rule": _rule_details(group.rule)
            for group in groups
            if group.track != Track.ORGANIZATION
        },
        advanced=sorted(advancing),
        outcomes=[
            {
                "application": o.application_id,
                "track": o.track,
                "total": None if o.total is None else str(o.total),
                "rank": o.rank,
                "advances": o.advances,
                "reason": o.reason,
            }
            for o in outcomes
        ],
        kept_with_members=result.kept_with_members,
    )
    return result
