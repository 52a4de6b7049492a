"""Saving an application's draft, step by step, without ever overwriting a newer save.

Every save claims the next ``version`` with one conditional UPDATE
(``WHERE pk = … AND version = <the version the form was loaded with>``). Two tabs (or two
devices) that loaded the same version cannot both win: the database lets exactly one UPDATE match,
and the other save is refused with ``StaleDraft`` before anything is written. Drafts keep what the
applicant typed, valid or not, so leaving a step never loses input; validity is judged when the
step is shown and again at submission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.application_content import normalize_text
from awards.enums import EDITABLE_APPLICATION_STATUSES, CycleStatus
from awards.models import Application, CriteriaItem, Cycle, ItemResponse
from awards.services.versioning import StaleVersion, bump_version

SHANGHAI = ZoneInfo("Asia/Shanghai")


def stale_message() -> str:
    return _("该申报已在其他窗口或设备上修改，请刷新后再编辑；您本次输入的内容未保存。")


class StaleDraft(StaleVersion):
    """The form was loaded from an older version than the one now saved."""


class EditingClosed(ValidationError):
    """The application may not be changed now: submitted, cycle not open, or deadline passed."""


def format_deadline(moment: dt.datetime) -> str:
    return timezone.localtime(moment, SHANGHAI).strftime("%Y-%m-%d %H:%M")


def cycle_closed_reason(cycle: Cycle, *, now: dt.datetime | None = None) -> str | None:
    """Why nobody may start or change an application to ``cycle`` now; None while it is open."""
    now = now or timezone.now()
    if cycle.status != CycleStatus.OPEN:
        return _("“%(cycle)s”目前不受理申报（届次状态：%(status)s）。") % {
            "cycle": cycle,
            "status": cycle.get_status_display(),
        }
    if now > cycle.effective_deadline:
        return _("“%(cycle)s”已于 %(deadline)s（北京时间）截止申报，不能再填写、修改或提交。") % {
            "cycle": cycle,
            "deadline": format_deadline(cycle.effective_deadline),
        }
    return None


def editing_closed_reason(
    application: Application, *, now: dt.datetime | None = None
) -> str | None:
    """Why this application may not be edited now; None when it may."""
    if application.status not in EDITABLE_APPLICATION_STATUSES:
        return _("该申报当前状态为“%(status)s”，不能再修改。") % {
            "status": application.get_status_display()
        }
    return cycle_closed_reason(application.cycle, now=now)


def check_applicant(application: Application, by) -> None:
    """Only people of the applying organization change its application."""
    if getattr(by, "organization_id", None) != application.organization_id:
        raise PermissionDenied(_("只有申报单位的用户可以修改本申报。"))


def claim_version(
    *,
    application: Application,
    expected_version: int,
    current_step: str | None = None,
    draft: dict | None = None,
) -> None:
    """Take the next version or raise; call inside the transaction that writes the changes.

    The UPDATE also locks the row until the transaction ends, so a concurrent save of the same
    version waits and then finds the version gone.
    """
    reason = editing_closed_reason(application)
    if reason:
        raise EditingClosed(reason, code="editing_closed")
    if application.version != expected_version:
        raise StaleDraft(stale_message(), code="stale")
    changes: dict = {"updated_at": timezone.now()}
    if current_step:
        changes["current_step"] = current_step
    if draft is not None:
        changes["draft"] = draft
    editable = Application.objects.filter(
        pk=application.pk, status__in=EDITABLE_APPLICATION_STATUSES
    )
    if not bump_version(editable, expected=expected_version, **changes):
        fresh = Application.objects.select_related("cycle__programme").get(pk=application.pk)
        reason = editing_closed_reason(fresh)
        if reason:
            raise EditingClosed(reason, code="editing_closed")
        raise StaleDraft(stale_message(), code="stale")
    for name, value in changes.items():
        setattr(application, name, value)
    application.version = expected_version + 1


def save_step_draft(
    *,
    application: Application,
    step: str,
    values: Mapping[str, str],
    expected_version: int,
    next_step: str,
    by,
) -> Application:
    """Keep a form step's input exactly as typed (line breaks normalized) and move on."""
    check_applicant(application, by)
    draft = dict(application.draft or {})
    draft[step] = {name: normalize_text(str(value)) for name, value in values.items()}
    with transaction.atomic():
        claim_version(
            application=application,
            expected_version=expected_version,
            current_step=next_step,
            draft=draft,
        )
    return application


def save_self_assessment(
    *,
    application: Application,
    texts: Mapping[int, str],
    percents: Mapping[int, int | None],
    expected_version: int,
    next_step: str,
    by,
) -> Application:
    """Store one category's item texts and self-scores.

    ``texts`` maps item id → text (always stored: typed text is never lost). ``percents`` holds
    only the self-scores that passed validation; an item missing from it keeps its saved score,
    so a rejected value changes nothing already saved.
    """
    check_applicant(application, by)
    item_ids = set(texts) | set(percents)
    known = set(
        CriteriaItem.objects.filter(
            framework_id=application.cycle.framework_id, pk__in=item_ids
        ).values_list("pk", flat=True)
    )
    if known != item_ids:
        raise ValidationError(_("自评条款不属于本届次的评价准则。"))
    for percent in percents.values():
        if percent is not None and (percent % 5 or not 0 <= percent <= 100):
            raise ValidationError(_("自评得分率须为 0 至 100 之间 5 的整数倍。"))
    now = timezone.now()
    with transaction.atomic():
        claim_version(
            application=application, expected_version=expected_version, current_step=next_step
        )
        saved = {
            response.item_id: response.self_percent
            for response in ItemResponse.objects.filter(application=application, item_id__in=texts)
        }
        rows = [
            ItemResponse(
                application=application,
                item_id=item_id,
                text=normalize_text(text),
                self_percent=percents[item_id] if item_id in percents else saved.get(item_id),
                updated_at=now,
            )
            for item_id, text in texts.items()
        ]
        ItemResponse.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["application", "item"],
            update_fields=["text", "self_percent", "updated_at"],
        )
    return application


def leave_step(
    *, application: Application, expected_version: int, next_step: str, by
) -> Application:
    """A step without fields of its own (evidence) still records where the applicant went."""
    check_applicant(application, by)
    with transaction.atomic():
        claim_version(
            application=application, expected_version=expected_version, current_step=next_step
        )
    return application


def remember_step(*, application: Application, step: str) -> None:
    """Where to resume: set when a step is opened. Not a content change, so no new version."""
    if application.current_step != step:
        Application.objects.filter(pk=application.pk).update(current_step=step)
        application.current_step = step
