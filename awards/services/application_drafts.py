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
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.application_content import STEP_EVIDENCE, normalize_text, self_assessment_step
from awards.enums import EDITABLE_APPLICATION_STATUSES, CycleStatus
from awards.models import Application, CriteriaItem, Cycle, ItemResponse
from awards.permissions.rules import may_edit_application
from awards.services.versioning import StaleVersion, bump_version, parts_written_after

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
    """Only people of the applying organization change its application, or, for one that a
    recommending body filed (``filed_by_body``), only that body's staff."""
    if may_edit_application(by, application):
        return
    if application.filed_by_body_id is not None:
        raise PermissionDenied(_("本申报由推荐单位代为填报，只有该推荐单位的工作人员可以修改。"))
    raise PermissionDenied(_("只有申报单位的用户可以修改本申报。"))


def claim_steps(
    *,
    application: Application,
    steps: Iterable[str],
    expected_version: int,
    current_step: str | None = None,
    draft: Mapping[str, dict] | None = None,
) -> None:
    """Lock the application, check the version of each step in ``steps``, write; or raise.

    Call inside the transaction that writes the changes. Each step is locked on its own
    (``Application.step_versions``): the page of a step sends back the version the step had
    when it was loaded, so two tabs on different steps both save, and of two tabs on the same
    step only the first save wins. A step never saved accepts any version. The first statement
    is an UPDATE of the row (moving ``version`` on), which locks it until the transaction ends
    on PostgreSQL and SQLite alike; the step versions are then read under that lock, so a
    concurrent save of the same step waits and finds its version gone. ``draft`` maps step →
    its values, merged into the saved draft (other steps' drafts are kept as saved).
    """
    reason = editing_closed_reason(application)
    if reason:
        raise EditingClosed(reason, code="editing_closed")
    steps = list(steps)
    changes: dict = {"updated_at": timezone.now()}
    if current_step:
        changes["current_step"] = current_step
    editable = Application.objects.filter(
        pk=application.pk, status__in=EDITABLE_APPLICATION_STATUSES
    )
    with transaction.atomic():
        if not bump_version(editable, expected=None, **changes):
            fresh = Application.objects.select_related("cycle__programme").get(pk=application.pk)
            raise EditingClosed(
                editing_closed_reason(fresh) or stale_message(), code="editing_closed"
            )
        fresh = Application.objects.only("version", "draft", "step_versions").get(pk=application.pk)
        versions = dict(fresh.step_versions or {})
        if parts_written_after(versions, dict.fromkeys(steps, expected_version)):
            raise StaleDraft(stale_message(), code="stale")
        for step in steps:
            versions[step] = fresh.version
        written: dict = {"step_versions": versions}
        if draft is not None:
            written["draft"] = {**(fresh.draft or {}), **draft}
        Application.objects.filter(pk=application.pk).update(**written)
    for name, value in {**changes, **written}.items():
        setattr(application, name, value)
    application.version = fresh.version


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
    values = {name: normalize_text(str(value)) for name, value in values.items()}
    with transaction.atomic():
        claim_steps(
            application=application,
            steps=[step],
            expected_version=expected_version,
            current_step=next_step,
            draft={step: values},
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
    known = dict(
        CriteriaItem.objects.filter(
            framework_id=application.cycle.framework_id_for(application.track), pk__in=item_ids
        ).values_list("pk", "code")
    )
    if set(known) != item_ids:
        raise ValidationError(_("自评条款不属于本届次的评价准则。"))
    for percent in percents.values():
        if percent is not None and (percent % 5 or not 0 <= percent <= 100):
            raise ValidationError(_("自评得分率须为 0 至 100 之间 5 的整数倍。"))
    now = timezone.now()
    with transaction.atomic():
        claim_steps(
            application=application,
            steps=sorted({self_assessment_step(code.rsplit(".", 1)[0]) for code in known.values()}),
            expected_version=expected_version,
            current_step=next_step,
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
    *,
    application: Application,
    expected_version: int,
    next_step: str,
    by,
    step: str = STEP_EVIDENCE,
) -> Application:
    """A step without fields of its own (evidence) still records where the applicant went."""
    check_applicant(application, by)
    with transaction.atomic():
        claim_steps(
            application=application,
            steps=[step],
            expected_version=expected_version,
            current_step=next_step,
        )
    return application


def remember_step(*, application: Application, step: str) -> None:
    """Where to resume: set when a step is opened. Not a content change, so no new version."""
    if application.current_step != step:
        Application.objects.filter(pk=application.pk).update(current_step=step)
        application.current_step = step
