"""A cycle's results configuration, assembled from where each part lives, and checked whole.

The method and tie-break chain are on ``ResultsSettings``, the stage weights on
``ReviewStage.weight`` and the award levels on ``Cycle.levels``. Whatever part an official edits,
the core's ``validate_config`` judges the combination, so a configuration that cannot be used
(weights not summing to 1, a negative quota, an unknown tie-break criterion) is refused with every
reason at once and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.enums import Track
from awards.models import AwardLevel, CriteriaCategory, CriteriaItem, Cycle
from awards.permissions.rules import require_authority
from awards.services.audit import record
from scoring.aggregation import ItemDef, LevelRule, Problem, ResultsConfig, validate_config
from scoring.aggregation.config import without_missing_categories
from scoring.aggregation.types import DEFAULT_TIE_BREAK
from scoring.enums import StageKind
from scoring.results.models import ResultsSettings
from scoring.results.models.settings import FEEDBACK_MIN_GROUP_FLOOR
from scoring.review.models import ReviewStage


@dataclass(frozen=True, slots=True)
class StageWeight:
    stage_id: int
    kind: str
    weight: Decimal

    @property
    def label(self) -> str:
        return StageKind(self.kind).label if self.kind in StageKind.values else self.kind


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    code: str
    name: str
    points: int


@dataclass(frozen=True, slots=True)
class CycleSetup:
    """Everything the core needs about a cycle, loaded in a fixed number of queries."""

    settings: ResultsSettings
    stages: tuple[StageWeight, ...]
    items: tuple[ItemDef, ...]
    item_codes: Mapping[int, str]
    config: ResultsConfig
    #: The track ranked: its framework's items, its levels and only its applications.
    track: str = Track.ORGANIZATION

    @property
    def stage_kinds(self) -> dict[int, str]:
        return {stage.stage_id: stage.kind for stage in self.stages}


def problems_error(problems: Sequence[Problem]) -> ValidationError:
    """The core's problems as one Django error, one message (with its code) per problem."""
    return ValidationError(
        [ValidationError(problem.text(), code=problem.code) for problem in problems]
    )


def _items_and_codes(
    cycle: Cycle, track: str = Track.ORGANIZATION
) -> tuple[tuple[ItemDef, ...], dict[int, str]]:
    rows = list(
        CriteriaItem.objects.filter(framework_id=cycle.framework_id_for(track))
        .order_by("sort_order", "code")
        .values_list("pk", "code", "points")
    )
    items = tuple(
        ItemDef(code, code.rsplit(".", 1)[0], float(points)) for _pk, code, points in rows
    )
    return items, {pk: code for pk, code, _points in rows}


def cycle_items(*, cycle: Cycle, track: str = Track.ORGANIZATION) -> tuple[ItemDef, ...]:
    """The track's criteria items in framework order; an item's category prefixes its code."""
    return _items_and_codes(cycle, track)[0]


def cycle_categories(*, cycle: Cycle, track: str = Track.ORGANIZATION) -> tuple[CategoryInfo, ...]:
    rows = (
        CriteriaCategory.objects.filter(framework_id=cycle.framework_id_for(track))
        .order_by("sort_order", "code")
        .values_list("code", "name", "points")
    )
    return tuple(CategoryInfo(code, name, points) for code, name, points in rows)


def cycle_stages(*, cycle: Cycle) -> tuple[StageWeight, ...]:
    rows = (
        ReviewStage.objects.filter(cycle=cycle)
        .order_by("order")
        .values_list("pk", "kind", "weight")
    )
    return tuple(StageWeight(pk, kind, weight) for pk, kind, weight in rows)


def cycle_levels(*, cycle: Cycle, track: str = Track.ORGANIZATION) -> tuple[LevelRule, ...]:
    """The track's levels and quotas: each track fills its own places."""
    rows = (
        AwardLevel.objects.filter(cycle=cycle, track=track)
        .order_by("sort_order", "pk")
        .values_list("name", "min_total", "quota")
    )
    return tuple(LevelRule(name, float(minimum), quota) for name, minimum, quota in rows)


def default_tie_break(stage_kinds: Sequence[str]) -> list[str]:
    """The house chain without the stage criteria a cycle does not have."""
    return [
        criterion
        for criterion in DEFAULT_TIE_BREAK
        if not criterion.startswith("stage:") or criterion.partition(":")[2] in stage_kinds
    ]


def results_settings_for(
    *, cycle: Cycle, stages: Sequence[StageWeight] | None = None
) -> ResultsSettings:
    """The cycle's saved settings, or (unsaved) the defaults for its stages."""
    saved = ResultsSettings.objects.filter(cycle=cycle).first()
    if saved is not None:
        return saved
    stages = cycle_stages(cycle=cycle) if stages is None else stages
    return ResultsSettings(cycle=cycle, tie_break=default_tie_break([s.kind for s in stages]))


def build_config(
    *,
    settings: ResultsSettings,
    stages: Sequence[StageWeight],
    levels: Sequence[LevelRule],
    weights: Mapping[str, Decimal] | None = None,
) -> ResultsConfig:
    """The core's configuration; ``weights`` (by stage kind) replace the stored ones."""
    weights = weights or {}
    return ResultsConfig(
        method=settings.method,
        fallback_method=settings.fallback_method,
        mode=settings.mode,
        stage_order=tuple(stage.kind for stage in stages),
        stage_weights={
            stage.kind: float(weights.get(stage.kind, stage.weight)) for stage in stages
        },
        levels=tuple(levels),
        tie_break=tuple(settings.tie_break or ()),
    )


def cycle_setup(
    *,
    cycle: Cycle,
    stages: Sequence[StageWeight] | None = None,
    settings: ResultsSettings | None = None,
    track: str = Track.ORGANIZATION,
) -> CycleSetup:
    """Load and check the configuration of one track; raises ``ValidationError`` listing every
    problem. The method, chain and stage weights are the cycle's, shared by its tracks.

    ``stages`` and ``settings`` may be passed by a caller that already loaded them."""
    stages = tuple(cycle_stages(cycle=cycle) if stages is None else stages)
    settings = settings or results_settings_for(cycle=cycle, stages=stages)
    if track == Track.INDIVIDUAL and not cycle.individual_framework_id:
        raise ValidationError(_("本届未设个人奖评价准则，不能计算个人奖结果。"), code="no_track")
    items, codes = _items_and_codes(cycle, track)
    config = build_config(
        settings=settings, stages=stages, levels=cycle_levels(cycle=cycle, track=track)
    )
    if track != Track.ORGANIZATION:
        config = replace(config, tie_break=without_missing_categories(config.tie_break, items))
    problems = validate_config(config, items)
    if problems:
        raise problems_error(problems)
    return CycleSetup(
        settings=settings,
        stages=stages,
        items=items,
        item_codes=codes,
        config=config,
        track=track,
    )


@transaction.atomic
def save_results_settings(
    *,
    cycle: Cycle,
    method: str,
    fallback_method: str,
    mode: str,
    tie_break: Sequence[str],
    weights: Mapping[str, Decimal],
    by,
    feedback_min_group: int | None = None,
) -> ResultsSettings:
    """Save the method, chain and stage weights together, or nothing if any problem is found.

    ``weights`` maps stage kinds of the cycle to their new ``ReviewStage.weight``.
    ``feedback_min_group`` (None: unchanged) is how many applications must have completed a
    stage before feedback reports show its averages; fewer than 3 is refused. Refuses
    (``PermissionDenied``) anyone who does not act for the cycle's authority.
    """
    require_authority(by, cycle.programme.authority_id)
    if feedback_min_group is not None and feedback_min_group < FEEDBACK_MIN_GROUP_FLOOR:
        message = _(
            "反馈报告显示平均值所需的最少单位数不能少于 %(floor)s 家（填写的是 %(value)s），"
            "否则申报单位可以推算出其他单位的得分。"
        ) % {"floor": FEEDBACK_MIN_GROUP_FLOOR, "value": feedback_min_group}
        raise ValidationError(
            {"feedback_min_group": ValidationError(message, code="feedback_min_group_too_low")}
        )
    stages = cycle_stages(cycle=cycle)
    unknown = sorted(set(weights) - {stage.kind for stage in stages})
    if unknown:
        raise ValidationError(
            _("本届没有评审阶段“%(stage)s”。") % {"stage": "、".join(unknown)}, code="unknown_stage"
        )
    settings = results_settings_for(cycle=cycle, stages=stages)
    settings.method = method
    settings.fallback_method = fallback_method
    settings.mode = mode
    settings.tie_break = list(tie_break)
    if feedback_min_group is not None:
        settings.feedback_min_group = feedback_min_group
    config = build_config(
        settings=settings, stages=stages, levels=cycle_levels(cycle=cycle), weights=weights
    )
    problems = validate_config(config, cycle_items(cycle=cycle))
    if problems:
        raise problems_error(problems)
    settings.updated_by = by if getattr(by, "pk", None) else None
    settings.save()
    changed_weights = {}
    for stage in stages:
        new = Decimal(weights.get(stage.kind, stage.weight))
        if new != stage.weight:
            ReviewStage.objects.filter(pk=stage.stage_id).update(weight=new)
            changed_weights[stage.kind] = str(new)
    record(
        actor=by,
        action=AuditAction.CHANGE_RESULTS_SETTINGS,
        target=settings,
        method=method,
        fallback_method=fallback_method,
        mode=mode,
        tie_break=list(tie_break),
        weights={kind: str(value) for kind, value in config.stage_weights.items()},
        changed_weights=changed_weights,
        feedback_min_group=settings.feedback_min_group,
    )
    return settings
