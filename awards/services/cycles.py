"""Cycles (届): timetable rules and status transitions."""

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.enums import EDITABLE_APPLICATION_STATUSES, CycleStatus
from awards.models import ApplicationEvent, AuditEntry, Cycle
from awards.models.cycles import TIMETABLE_FIELDS
from awards.permissions.rules import require_authority
from awards.services.audit import record

#: Which status may follow which. A cycle moves forward only; closing is always possible.
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    CycleStatus.DRAFT: (CycleStatus.OPEN, CycleStatus.CLOSED),
    CycleStatus.OPEN: (CycleStatus.SCREENING, CycleStatus.CLOSED),
    CycleStatus.SCREENING: (CycleStatus.REVIEW, CycleStatus.CLOSED),
    CycleStatus.REVIEW: (CycleStatus.NOTICE, CycleStatus.CLOSED),
    CycleStatus.NOTICE: (CycleStatus.ANNOUNCED, CycleStatus.CLOSED),
    CycleStatus.ANNOUNCED: (CycleStatus.CLOSED,),
    CycleStatus.CLOSED: (),
}


def _as_local_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def timetable_errors(values: Mapping[str, dt.date | dt.datetime | None]) -> dict[str, str]:
    """Field → message for every milestone that falls before the one preceding it."""
    errors: dict[str, str] = {}
    previous_field, previous_date = None, None
    for field in TIMETABLE_FIELDS:
        value = values.get(field)
        if value is None:
            continue
        current = _as_local_date(value)
        if previous_date is not None and current < previous_date:
            errors[field] = _(
                "“%(field)s”（%(date)s）不能早于“%(previous)s”（%(previous_date)s）。"
            ) % {
                "field": Cycle._meta.get_field(field).verbose_name,
                "date": current.isoformat(),
                "previous": Cycle._meta.get_field(previous_field).verbose_name,
                "previous_date": previous_date.isoformat(),
            }
        else:
            previous_field, previous_date = field, current
    extended = values.get("deadline_extended_until")
    deadline = values.get("application_deadline")
    if extended and deadline and extended <= deadline:
        errors["deadline_extended_until"] = _("延长后的截止时间必须晚于原申报截止时间。")
    return errors


def validate_timetable(cycle: Cycle) -> None:
    errors = timetable_errors(
        {field: getattr(cycle, field) for field in (*TIMETABLE_FIELDS, "deadline_extended_until")}
    )
    if errors:
        raise ValidationError(errors)


def level_errors(levels: list[tuple[str, float, int]]) -> list[str]:
    """Award levels must be ordered from the highest minimum total down."""
    errors = []
    for (name, minimum, _quota), (next_name, next_minimum, _next_quota) in zip(
        levels, levels[1:], strict=False
    ):
        if next_minimum > minimum:
            errors.append(
                _(
                    "奖项等级“%(next)s”的最低总分（%(next_min)s）高于排在其前的“%(name)s”（%(min)s）。"
                )
                % {"next": next_name, "next_min": next_minimum, "name": name, "min": minimum}
            )
    return errors


@transaction.atomic
def change_cycle_status(*, cycle: Cycle, to: str, by) -> Cycle:
    cycle = Cycle.objects.select_for_update().select_related("programme").get(pk=cycle.pk)
    require_authority(by, cycle.programme.authority_id)
    if to not in ALLOWED_TRANSITIONS[cycle.status]:
        raise ValidationError(
            _("届次状态不能从“%(current)s”变为“%(target)s”。")
            % {"current": cycle.get_status_display(), "target": CycleStatus(to).label}
        )
    previous = cycle.status
    cycle.status = to
    cycle.save(update_fields=["status"])
    record(
        actor=by,
        action=AuditAction.CHANGE_CYCLE_STATUS,
        target=cycle,
        **{"from": previous, "to": to},
    )
    return cycle


def early_change_effect(*, cycle: Cycle, to: str, now: dt.datetime | None = None) -> str | None:
    """What moving ``cycle`` to ``to`` does before its (extended) deadline, for the official to
    confirm; None when the change is not early (the cycle is not taking applications)."""
    if not cycle.taking_applications(now=now) or to not in ALLOWED_TRANSITIONS[cycle.status]:
        return None
    drafts = cycle.applications.filter(status__in=EDITABLE_APPLICATION_STATUSES).count()
    deadline = timezone.localtime(cycle.effective_deadline, ZoneInfo("Asia/Shanghai")).strftime(
        "%Y-%m-%d %H:%M"
    )
    return _(
        "申报截止时间为 %(deadline)s（北京时间），现在改为“%(target)s”将提前结束申报："
        "%(count)s 份草稿将不能再提交。"
    ) % {"deadline": deadline, "target": CycleStatus(to).label, "count": drafts}


def _last_status_change(cycle: Cycle) -> AuditEntry | None:
    return (
        AuditEntry.objects.filter(
            action=AuditAction.CHANGE_CYCLE_STATUS,
            target_type=Cycle._meta.label_lower,
            target_id=str(cycle.pk),
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def undoable_status_change(cycle: Cycle) -> AuditEntry | None:
    """The cycle's last status change while it may still be undone: the status is still the one
    it set, it was not itself an undo, and nothing has happened to any application of the cycle
    since (no screening decision, no submission, no return)."""
    entry = _last_status_change(cycle)
    if entry is None or entry.details.get("undo") or entry.details.get("to") != cycle.status:
        return None
    if ApplicationEvent.objects.filter(application__cycle=cycle, at__gte=entry.created_at).exists():
        return None
    return entry


@transaction.atomic
def undo_cycle_status(*, cycle: Cycle, by) -> Cycle:
    """Put the cycle back in the status before its last change (audited as a status change
    marked ``undo``); refused once anything has happened since."""
    cycle = Cycle.objects.select_for_update().select_related("programme").get(pk=cycle.pk)
    require_authority(by, cycle.programme.authority_id)
    entry = undoable_status_change(cycle)
    if entry is None:
        raise ValidationError(
            _(
                "该状态变更已不能撤销：此后已有申报发生了新的进展（如资格审查决定），或没有可撤销的变更。"
            )
        )
    previous, cycle.status = cycle.status, entry.details["from"]
    cycle.save(update_fields=["status"])
    record(
        actor=by,
        action=AuditAction.CHANGE_CYCLE_STATUS,
        target=cycle,
        undo=True,
        **{"from": previous, "to": cycle.status},
    )
    return cycle
