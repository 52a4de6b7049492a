"""The officials' list of a cycle's review stages: edit, add, remove and reorder in one go.

Every change is checked against the whole list as it would be afterwards, and nothing is saved
when anything is wrong. Weights are judged by the results core's ``validate_config`` under the
cycle's stage mode (weighted: they add up to 1; replacement: at least one is above 0), the
same rule the results settings page applies, so the two pages can never disagree. The results
settings are read through the database relation (``results_settings``): ``review`` lies below
``results`` and never imports it.

A stage that already holds work (an assignment, hence any scorecard, a consensus or a defence
question round) is never removed, and the stages before it stay the same: its applications and
its advancement depend on what comes before it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import Cycle, User
from awards.permissions.rules import require_authority
from awards.services.audit import record
from scoring.aggregation import ResultsConfig, validate_config
from scoring.aggregation.types import WEIGHTED
from scoring.enums import StageKind
from scoring.review.models import Panel, ReviewStage

#: Fields an official edits on the stages page; the audit records their old and new values.
EDITABLE_FIELDS = (
    "order",
    "opens_at",
    "closes_at",
    "panel_size",
    "spread_threshold",
    "advance_min_total",
    "advance_top_n",
    "individual_advance_min_total",
    "individual_advance_top_n",
    "weight",
)
#: The core's problems that are about the stage list (the rest belong to the results page).
STAGE_PROBLEMS = {
    "duplicate_stage",
    "unknown_stage",
    "weight_not_number",
    "negative_weight",
    "no_positive_weight",
    "weights_sum",
}
#: Orders are moved out of the way first so that a swap never meets the unique constraint.
ORDER_OFFSET = 10_000


def _label(kind: str) -> str:
    return StageKind(kind).label if kind in StageKind.values else kind


def _results_rules(cycle: Cycle) -> tuple[str, list[str] | None]:
    """The cycle's stage mode and saved tie-break chain (None: no saved settings)."""
    row = (
        Cycle.objects.filter(pk=cycle.pk, results_settings__isnull=False)
        .values_list("results_settings__mode", "results_settings__tie_break")
        .first()
    )
    if row is None:
        return WEIGHTED, None
    return row[0], list(row[1] or [])


def weight_errors(rows: Sequence[Mapping[str, Any]], *, mode: str) -> list[str]:
    """The results core's verdict on the stages' weights under ``mode``."""
    ordered = sorted(rows, key=lambda row: row["order"] or 0)
    config = ResultsConfig(
        mode=mode,
        stage_order=tuple(row["kind"] for row in ordered),
        stage_weights={row["kind"]: float(Decimal(row["weight"] or 0)) for row in ordered},
        tie_break=("total",),
    )
    return [
        problem.text() for problem in validate_config(config, ()) if problem.code in STAGE_PROBLEMS
    ]


def stage_errors(rows: Sequence[Mapping[str, Any]], *, mode: str = WEIGHTED) -> list[str]:
    """Rules across a cycle's stages: windows, distinct kinds and orders, weights."""
    errors = []
    kinds = [row["kind"] for row in rows]
    orders = [row["order"] for row in rows]
    if len(set(kinds)) != len(kinds):
        errors.append(_("同一届次中每种评审阶段只能设置一次。"))
    if len(set(orders)) != len(orders):
        errors.append(_("评审阶段的顺序不能重复。"))
    for row in rows:
        label = _label(row["kind"])
        if not row["order"]:
            errors.append(_("“%(stage)s”的顺序至少为 1。") % {"stage": label})
        if row["opens_at"] and row["closes_at"] and row["closes_at"] <= row["opens_at"]:
            errors.append(_("“%(stage)s”的评分截止时间必须晚于开始时间。") % {"stage": label})
        if not row["panel_size"]:
            errors.append(_("“%(stage)s”的评审组人数至少为 1。") % {"stage": label})
        if row.get("advance_top_n") == 0:
            errors.append(_("“%(stage)s”的晋级名额不能为 0。") % {"stage": label})
        if row.get("individual_advance_top_n") == 0:
            errors.append(_("“%(stage)s”的个人奖晋级名额不能为 0。") % {"stage": label})
    if rows:
        errors += weight_errors(rows, mode=mode)
    return errors


def stages_with_work(stage_ids: Collection[int]) -> set[int]:
    """Stages with an assignment (so perhaps scores), a consensus or a defence question round."""
    return set(
        Panel.objects.filter(stage_id__in=stage_ids)
        .filter(
            Q(assignments__isnull=False)
            | Q(consensus__isnull=False)
            | Q(question_rounds__isnull=False)
        )
        .values_list("stage_id", flat=True)
    )


def _before(rows: Sequence[Mapping[str, Any]], kind: str) -> set[str]:
    order = next(row["order"] for row in rows if row["kind"] == kind)
    return {row["kind"] for row in rows if row["order"] < order}


def _structure_errors(
    stages: Sequence[ReviewStage],
    old_rows: Sequence[Mapping[str, Any]],
    new_rows: Sequence[Mapping[str, Any]],
    removed: set[int],
    tie_break: list[str] | None,
) -> list[str]:
    errors = []
    busy = stages_with_work([stage.pk for stage in stages])
    removed_kinds = {stage.kind for stage in stages if stage.pk in removed}
    for stage in stages:
        if stage.pk in removed and stage.pk in busy:
            errors.append(
                _("“%(stage)s”已有评审分配、评分、共识或问询，不能删除。")
                % {"stage": stage.get_kind_display()}
            )
    if errors:
        return errors
    for stage in stages:
        if stage.pk in busy and _before(new_rows, stage.kind) != (
            _before(old_rows, stage.kind) - removed_kinds
        ):
            errors.append(
                _(
                    "“%(stage)s”已有评审分配、评分、共识或问询，它之前的评审阶段不能增加、删除或调换。"
                )
                % {"stage": stage.get_kind_display()}
            )
    for kind in sorted(removed_kinds):
        if tie_break and f"stage:{kind}" in tie_break:
            errors.append(
                _("结果设置的并列处理依据用到了“%(stage)s”，请先在结果设置中修改后再删除。")
                % {"stage": _label(kind)}
            )
    return errors


@transaction.atomic
def save_stages(
    *,
    cycle: Cycle,
    changes: Mapping[int, Mapping[str, Any]],
    by: User,
    added: Sequence[Mapping[str, Any]] = (),
    removed: Collection[int] = (),
) -> list[ReviewStage]:
    """Apply an official's edits (stage id → new values), new stages (``kind`` and the editable
    fields) and removals (stage ids) after checking the whole resulting list."""
    require_authority(by, cycle.programme.authority_id)
    stages = list(ReviewStage.objects.select_for_update().filter(cycle=cycle).order_by("order"))
    known = {stage.pk for stage in stages}
    removed = set(removed)
    if (set(changes) | removed) - known:
        raise ValidationError(_("所提交的评审阶段不属于该届次，请刷新页面后重试。"))
    old_rows, new_rows, kept = [], [], []
    for stage in stages:
        values = {field: getattr(stage, field) for field in ("kind", *EDITABLE_FIELDS)}
        old_rows.append(values)
        if stage.pk in removed:
            continue
        values = {**values, **changes.get(stage.pk, {})}
        new_rows.append(values)
        kept.append((stage, values))
    new_rows += [
        {"kind": row["kind"], **{field: row.get(field) for field in EDITABLE_FIELDS}}
        for row in added
    ]
    mode, tie_break = _results_rules(cycle)
    errors = stage_errors(new_rows, mode=mode)
    if not errors:
        errors = _structure_errors(stages, old_rows, new_rows, removed, tie_break)
    if not errors and not new_rows and stages:
        errors = [_("至少保留一个评审阶段。")]
    if errors:
        raise ValidationError(errors)
    for stage in stages:
        if stage.pk in removed:
            record(
                actor=by,
                action=AuditAction.REMOVE_REVIEW_STAGE,
                target=stage,
                kind=stage.kind,
                order=stage.order,
            )
    ReviewStage.objects.filter(pk__in=removed).delete()
    _apply_changes(kept, by)
    for row in added:
        stage = ReviewStage.objects.create(
            cycle=cycle,
            kind=row["kind"],
            **{field: row[field] for field in EDITABLE_FIELDS if row.get(field) is not None},
        )
        record(
            actor=by,
            action=AuditAction.ADD_REVIEW_STAGE,
            target=stage,
            kind=stage.kind,
            values={field: str(getattr(stage, field)) for field in EDITABLE_FIELDS},
        )
    return list(ReviewStage.objects.filter(cycle=cycle).order_by("order"))


def _apply_changes(kept: Sequence[tuple[ReviewStage, Mapping[str, Any]]], by: User) -> None:
    moving = [stage.pk for stage, values in kept if stage.order != values["order"]]
    ReviewStage.objects.filter(pk__in=moving).update(order=F("order") + ORDER_OFFSET)
    for stage, values in kept:
        changed = {
            field: [str(getattr(stage, field)), str(values[field])]
            for field in EDITABLE_FIELDS
            if getattr(stage, field) != values[field]
        }
        if not changed:
            continue
        for field in EDITABLE_FIELDS:
            setattr(stage, field, values[field])
        stage.save(update_fields=list(EDITABLE_FIELDS))
        record(actor=by, action=AuditAction.CHANGE_REVIEW_STAGE, target=stage, changes=changed)
