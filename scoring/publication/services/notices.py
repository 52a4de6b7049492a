"""Public notice (公示), objections, the final announcement (表彰) and revocation.

The procedure (domain.md §3): an approved result is published for a fixed period, by default five
working days (Saturdays, Sundays and the listed holidays do not count); anyone may object in
writing, with a real name, a contact and evidence, only within the period; every objection is
resolved before the final announcement; an award may later be revoked with a reason.

What an upheld objection (异议成立) means: the proposed list is wrong. That list is then never
announced; the official recomputes and approves a new snapshot and opens a new notice for it, so
the public may object to the corrected list in turn. Only the notice of the cycle's latest
approved snapshot can be announced. An objection judged partly upheld (部分成立) or rejected
leaves the list as it is; it must still carry a written resolution.

Pages are not this module's business (``scoring`` never imports ``home``): the officials' admin
views run the ``after_open_public_notice`` and ``after_announce_results`` Wagtail hooks, with
which ``home`` creates the notice and winners pages.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.enums import CycleStatus
from awards.models import Application, Cycle
from awards.permissions.rules import require_authority
from awards.services.audit import record
from awards.services.cycles import change_cycle_status
from awards.uploads import MB, UploadRejected, inspect_upload
from scoring.publication.models import (
    Award,
    HolidayYear,
    Objection,
    ObjectionOutcome,
    PublicNotice,
)
from scoring.publication.services import messages
from scoring.publication.services.period import (
    DEFAULT_WORKING_DAYS,
    SHANGHAI,
    YearCalendar,
    chinese_calendar_knows,
    days_off_within,
    local_today,
    notice_period,
    objection_period_message,
    parse_holidays,
    period_text,
)
from scoring.results.models import ResultSnapshot

OBJECTION_EVIDENCE_MAX_BYTES = 20 * MB
MAX_REAL_NAME_CHARS = 50
MAX_CONTACT_CHARS = 100
MAX_OBJECTION_CHARS = 5000
MAX_REASON_CHARS = 2000
#: Wagtail hooks the officials' admin views run after these changes, inside their transaction,
#: with ``(request, notice)``; ``home`` registers the ones that create the pages.
AFTER_OPEN_PUBLIC_NOTICE_HOOK = "after_open_public_notice"
AFTER_ANNOUNCE_RESULTS_HOOK = "after_announce_results"


def _latest_approved(cycle: Cycle, track: str) -> ResultSnapshot | None:
    """The track's latest approved snapshot: each track has its notice and announcement."""
    return (
        ResultSnapshot.objects.filter(cycle=cycle, track=track, approved_at__isnull=False)
        .order_by("-version")
        .first()
    )


def _cycle_announced(cycle_id: int, track: str) -> bool:
    return PublicNotice.objects.filter(
        snapshot__cycle_id=cycle_id, snapshot__track=track, announced_at__isnull=False
    ).exists()


def confirmed_years() -> dict[int, YearCalendar]:
    """Every confirmed holiday year, as the period arithmetic reads them."""
    return {
        row.year: YearCalendar(
            row.year,
            frozenset(parse_holidays(row.holidays)),
            frozenset(parse_holidays(row.workdays)),
        )
        for row in HolidayYear.objects.all()
    }


def preview_notice_end(
    *,
    starts_on: dt.date,
    working_days: int = DEFAULT_WORKING_DAYS,
    holidays: Iterable[dt.date | str] = (),
    confirmation: YearCalendar | None = None,
) -> dt.date:
    """The end date a notice opened with these values would get (read only). Raises
    ``UnconfirmedHolidayYear`` (a ``ValidationError``) when the period reaches into a year whose
    holidays nobody has confirmed; ``confirmation`` is a year about to be confirmed."""
    calendars = confirmed_years()
    if confirmation is not None:
        calendars.setdefault(confirmation.year, confirmation)
    return notice_period(
        starts_on=starts_on, working_days=working_days, holidays=holidays, confirmed=calendars
    )


def _confirm_holiday_year(confirmation: YearCalendar, *, by) -> YearCalendar:
    """Store an official's confirmation of a year chinesecalendar does not know; a year already
    confirmed (or known) keeps its arrangement. Returns the arrangement in force."""
    year = confirmation.year
    if chinese_calendar_knows(year):
        raise ValidationError(
            _("%(year)s 年的节假日安排已由国务院公布并内置于系统，无需确认。") % {"year": year},
            code="known_year",
        )
    # Keyed by the open-notice form's fields, so each message lands where the date was typed.
    for field, days in (
        ("confirm_holidays", confirmation.holidays),
        ("confirm_workdays", confirmation.workdays),
    ):
        outside = sorted(day for day in days if day.year != year)
        if outside:
            raise ValidationError(
                {
                    field: _("日期 %(date)s 不在 %(year)s 年内。")
                    % {"date": outside[0].isoformat(), "year": year}
                },
                code="holiday_year",
            )
    not_weekend = sorted(day for day in confirmation.workdays if day.weekday() < 5)
    if not_weekend:
        raise ValidationError(
            {
                "confirm_workdays": _("调休上班日 %(date)s 不是周六或周日。")
                % {"date": not_weekend[0].isoformat()}
            },
            code="holiday_year",
        )
    both = sorted(confirmation.holidays & confirmation.workdays)
    if both:
        raise ValidationError(
            {
                "confirm_workdays": _("%(date)s 不能既是节假日又是调休上班日。")
                % {"date": both[0].isoformat()}
            },
            code="holiday_year",
        )
    if not confirmation.holidays:
        raise ValidationError(
            {"confirm_holidays": _("请填写 %(year)s 年的法定节假日。") % {"year": year}},
            code="holiday_year",
        )
    row, created = HolidayYear.objects.get_or_create(
        year=year,
        defaults={
            "holidays": [day.isoformat() for day in sorted(confirmation.holidays)],
            "workdays": [day.isoformat() for day in sorted(confirmation.workdays)],
            "confirmed_by": by,
        },
    )
    if created:
        record(
            actor=by,
            action=AuditAction.CONFIRM_HOLIDAY_YEAR,
            target=row,
            year=year,
            holidays=row.holidays,
            workdays=row.workdays,
        )
    return YearCalendar(
        year, frozenset(parse_holidays(row.holidays)), frozenset(parse_holidays(row.workdays))
    )


@transaction.atomic
def open_public_notice(
    *,
    snapshot: ResultSnapshot,
    starts_on: dt.date,
    working_days: int = DEFAULT_WORKING_DAYS,
    holidays: Iterable[dt.date | str] = (),
    confirm_year: YearCalendar | None = None,
    by,
    now: dt.datetime | None = None,
) -> PublicNotice:
    """Open the public notice of an approved snapshot: the latest approved one of its cycle,
    with at least one proposed award, never twice, and never starting in the past (a backdated
    period could end before anyone saw the list). A cycle under review moves to 公示中.

    The period counts China's official working days (``period.notice_period``). When it reaches
    into a year chinesecalendar does not know and nobody has confirmed, the notice is refused
    (``UnconfirmedHolidayYear``) unless the official confirms that year here (``confirm_year``),
    which is stored for every later notice."""
    snapshot = (
        ResultSnapshot.objects.select_for_update()
        .select_related("cycle__programme")
        .get(pk=snapshot.pk)
    )
    require_authority(by, snapshot.cycle.programme.authority_id)
    if snapshot.approved_at is None:
        raise ValidationError(
            _("只能公示已批准的评审结果；第 %(version)s 版尚未批准。")
            % {"version": snapshot.version},
            code="not_approved",
        )
    if PublicNotice.objects.filter(snapshot=snapshot).exists():
        raise ValidationError(
            _("第 %(version)s 版评审结果已经公示，不能重复公示。") % {"version": snapshot.version},
            code="already_noticed",
        )
    if _cycle_announced(snapshot.cycle_id, snapshot.track):
        raise ValidationError(_("本届已发布表彰决定，不能再公示评审结果。"), code="announced")
    latest = _latest_approved(snapshot.cycle, snapshot.track)
    if latest is not None and latest.pk != snapshot.pk:
        raise ValidationError(
            _("本届已有更新的批准结果（第 %(version)s 版），只能公示最新批准的结果。")
            % {"version": latest.version},
            code="superseded",
        )
    if not snapshot.entries.exclude(level="").exists():
        raise ValidationError(
            _("第 %(version)s 版评审结果中没有拟表彰的申报单位，无需公示。")
            % {"version": snapshot.version},
            code="empty",
        )
    today = local_today(now)
    if starts_on < today:
        raise ValidationError(
            _("公示开始日期（%(date)s）不能早于今天（%(today)s）。")
            % {"date": starts_on.isoformat(), "today": today.isoformat()},
            code="backdated",
        )
    extra_days_off = parse_holidays(holidays)
    calendars = confirmed_years()
    if confirm_year is not None and confirm_year.year not in calendars:
        calendars[confirm_year.year] = _confirm_holiday_year(confirm_year, by=by)
    ends_on = notice_period(
        starts_on=starts_on,
        working_days=working_days,
        holidays=extra_days_off,
        confirmed=calendars,
    )
    days_off = set(days_off_within(starts_on, ends_on, calendars))
    days_off.update(
        day for day in extra_days_off if starts_on <= day <= ends_on and day.weekday() < 5
    )
    notice = PublicNotice.objects.create(
        snapshot=snapshot,
        starts_on=starts_on,
        working_days=working_days,
        holidays=[day.isoformat() for day in sorted(days_off)],
        ends_on=ends_on,
        created_by=by,
    )
    if snapshot.cycle.status == CycleStatus.REVIEW:
        change_cycle_status(cycle=snapshot.cycle, to=CycleStatus.NOTICE, by=by)
    record(
        actor=by,
        action=AuditAction.OPEN_PUBLIC_NOTICE,
        target=notice,
        snapshot=snapshot.pk,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
        working_days=working_days,
        holidays=notice.holidays,
    )
    messages.notice_opened(notice)
    return notice


def record_evidence_download(*, objection: Objection, by) -> None:
    """Audit an official's download of an objector's evidence (it may name people and hold
    their personal data). Call it once the file is open, so a missing file leaves no entry."""
    record(
        actor=by,
        action=AuditAction.DOWNLOAD_OBJECTION_EVIDENCE,
        target=objection,
        notice=objection.notice_id,
        name=objection.evidence_name,
    )


def _required_text(value: str | None, *, label: str, limit: int) -> tuple[str, str]:
    """(cleaned value, error message or "")."""
    cleaned = (value or "").strip()
    if not cleaned:
        return cleaned, _("请填写%(label)s。") % {"label": label}
    if len(cleaned) > limit:
        return cleaned, _("%(label)s不能超过 %(limit)d 个字（现为 %(count)d 个字）。") % {
            "label": label,
            "limit": limit,
            "count": len(cleaned),
        }
    return cleaned, ""


def submit_objection(
    *,
    notice: PublicNotice,
    real_name: str,
    contact: str,
    text: str,
    evidence_file: File | None,
    application: Application | None = None,
    now: dt.datetime | None = None,
    address: str = "",
) -> Objection:
    """Receive a written, real-name objection with evidence, only within the notice period
    (Beijing dates, first and last day included). Outside it, or with any field missing or
    evidence whose content is not an accepted document, nothing is saved.

    The evidence is stored in the private storage under a random name with the extension of its
    real content; the sanitized name the objector gave is kept for display and download.

    ``address`` is the client's: at most ``OBJECTIONS_PER_ADDRESS_PER_HOUR`` objections are
    received from one address in an hour, and the same text to the same notice from the same
    address is not stored twice.
    """
    message = objection_period_message(notice, today=local_today(now))
    if message:
        raise ValidationError(message, code="outside_period")
    from_address = Objection.objects.filter(submitted_from=address or None)
    limit = settings.OBJECTIONS_PER_ADDRESS_PER_HOUR
    since = timezone.now() - dt.timedelta(hours=1)
    if address and from_address.filter(submitted_at__gte=since).count() >= limit:
        raise ValidationError(
            _("同一网络地址一小时内最多提交 %(limit)s 条异议，请稍后再试。") % {"limit": limit},
            code="rate_limited",
        )
    errors: dict[str, list[str]] = {}
    real_name, error = _required_text(real_name, label=_("真实姓名"), limit=MAX_REAL_NAME_CHARS)
    if error:
        errors["real_name"] = [error]
    contact, error = _required_text(contact, label=_("联系方式"), limit=MAX_CONTACT_CHARS)
    if error:
        errors["contact"] = [error]
    text, error = _required_text(text, label=_("异议内容"), limit=MAX_OBJECTION_CHARS)
    if error:
        errors["text"] = [error]
    listed = notice.snapshot.entries.exclude(level="")
    if application is not None and not listed.filter(application=application).exists():
        errors["application"] = [_("所选申报单位不在本次公示的名单中。")]
    detected = None
    if not evidence_file:
        errors["evidence"] = [_("请上传证明材料（PDF、JPEG、PNG、DOCX 或 XLSX 文件）。")]
    else:
        try:
            detected = inspect_upload(evidence_file, max_bytes=OBJECTION_EVIDENCE_MAX_BYTES)
        except UploadRejected as rejected:
            errors["evidence"] = rejected.messages
    if errors:
        raise ValidationError(errors)
    if address and from_address.filter(notice=notice, text=text).exists():
        raise ValidationError(
            _("内容相同的异议已经提交过，无需重复提交；质量奖办公室会处理已收到的异议。"),
            code="duplicate",
        )
    objection = Objection(
        notice=notice,
        application=application,
        real_name=real_name,
        contact=contact,
        text=text,
        evidence_name=detected.safe_name,
        submitted_from=address or None,
    )
    objection.evidence.save(
        f"{secrets.token_hex(16)}{detected.extension}", evidence_file, save=False
    )
    try:
        with transaction.atomic():
            objection.save()
            record(
                actor=None,
                action=AuditAction.SUBMIT_OBJECTION,
                target=objection,
                notice=notice.pk,
                application=application.pk if application else None,
                evidence=detected.safe_name,
                evidence_bytes=detected.size,
            )
            messages.objection_received(objection)
    except Exception:
        objection.evidence.delete(save=False)
        raise
    return objection


@transaction.atomic
def resolve_objection(
    *,
    objection: Objection,
    outcome: str,
    resolution: str,
    by,
    now: dt.datetime | None = None,
) -> Objection:
    """Record (or, until the announcement, revise) the official's conclusion on an objection."""
    objection = (
        Objection.objects.select_for_update(of=("self", "notice", "notice__snapshot"))
        .select_related("notice__snapshot__cycle__programme")
        .get(pk=objection.pk)
    )
    require_authority(by, objection.notice.snapshot.cycle.programme.authority_id)
    if _cycle_announced(objection.notice.snapshot.cycle_id, objection.notice.snapshot.track):
        raise ValidationError(_("本届已发布表彰决定，异议的处理结论不能再更改。"), code="announced")
    errors: dict[str, list[str]] = {}
    if outcome not in ObjectionOutcome.values:
        errors["outcome"] = [_("请选择处理结论。")]
    resolution, error = _required_text(resolution, label=_("处理意见"), limit=MAX_REASON_CHARS)
    if error:
        errors["resolution"] = [error]
    if errors:
        raise ValidationError(errors)
    previous = objection.outcome
    objection.outcome = outcome
    objection.resolution = resolution
    objection.resolved_by = by
    objection.resolved_at = now or timezone.now()
    objection.save(update_fields=["outcome", "resolution", "resolved_by", "resolved_at"])
    record(
        actor=by,
        action=AuditAction.RESOLVE_OBJECTION,
        target=objection,
        outcome=outcome,
        previous_outcome=previous or None,
    )
    messages.objection_resolved(objection)
    return objection


def _objection_label(objection: Objection) -> str:
    submitted = timezone.localtime(objection.submitted_at, SHANGHAI).date().isoformat()
    return _("%(name)s %(date)s 提交的异议") % {"name": objection.real_name, "date": submitted}


def announcement_problems(*, notice: PublicNotice, today: dt.date) -> list[str]:
    """Everything that stands in the way of announcing ``notice``'s list; empty when nothing."""
    if notice.announced_at is not None:
        return [
            _("本次公示的名单已于 %(date)s 发布表彰决定，不能重复发布。")
            % {"date": local_today(notice.announced_at).isoformat()}
        ]
    cycle = notice.snapshot.cycle
    problems = []
    if today <= notice.ends_on:
        problems.append(
            _("%(period)s，公示期满后（%(after)s 起）才能发布表彰决定。")
            % {
                "period": period_text(notice),
                "after": (notice.ends_on + dt.timedelta(days=1)).isoformat(),
            }
        )
    latest = _latest_approved(cycle, notice.snapshot.track)
    if latest is not None and latest.pk != notice.snapshot_id:
        problems.append(
            _("本届已有更新的批准结果（第 %(version)s 版），请对新版结果公示后再发布表彰决定。")
            % {"version": latest.version}
        )
    unresolved = list(
        Objection.objects.filter(
            notice__snapshot__cycle=cycle, notice__snapshot__track=notice.snapshot.track, outcome=""
        ).order_by("submitted_at", "pk")
    )
    if unresolved:
        problems.append(
            _("以下异议尚未处理，全部处理后才能发布表彰决定：%(list)s。")
            % {"list": "；".join(_objection_label(o) for o in unresolved)}
        )
    upheld = list(
        Objection.objects.filter(notice=notice, outcome=ObjectionOutcome.UPHELD)
        .select_related("application__organization")
        .order_by("submitted_at", "pk")
    )
    if upheld:
        problems.append(
            _(
                "以下异议经核实成立，本次公示的名单不能发布表彰：%(list)s。"
                "请重新计算并批准新版结果，再对新版结果进行公示。"
            )
            % {"list": "；".join(_objection_label(o) for o in upheld)}
        )
    return problems


@transaction.atomic
def announce_results(
    *,
    notice: PublicNotice,
    by,
    valid_until: dt.date | None = None,
    now: dt.datetime | None = None,
) -> list[Award]:
    """The final announcement: one ``Award`` per proposed award of the notice's snapshot.

    Allowed only after the period has ended, with every objection of the cycle resolved, none
    of this notice upheld, and the notice's snapshot still the latest approved one. Otherwise a
    ``ValidationError`` lists every obstacle and nothing changes. A cycle in 公示中 moves to
    已表彰.
    """
    now = now or timezone.now()
    notice = (
        PublicNotice.objects.select_for_update()
        .select_related("snapshot__cycle__programme")
        .get(pk=notice.pk)
    )
    require_authority(by, notice.snapshot.cycle.programme.authority_id)
    today = local_today(now)
    problems = announcement_problems(notice=notice, today=today)
    if valid_until is not None and valid_until <= today:
        problems.append(
            _("有效期截止日期（%(date)s）必须晚于今天。") % {"date": valid_until.isoformat()}
        )
    if problems:
        raise ValidationError(problems, code="announcement_refused")
    entries = notice.snapshot.entries.exclude(level="").order_by("rank", "application_id")
    awards = [
        Award.objects.create(
            snapshot=notice.snapshot,
            application_id=entry.application_id,
            level=entry.level,
            announced_at=now,
            valid_until=valid_until,
        )
        for entry in entries
    ]
    notice.announced_at = now
    notice.save(update_fields=["announced_at"])
    cycle = notice.snapshot.cycle
    if cycle.status == CycleStatus.NOTICE:
        change_cycle_status(cycle=cycle, to=CycleStatus.ANNOUNCED, by=by)
    record(
        actor=by,
        action=AuditAction.ANNOUNCE_RESULTS,
        target=notice,
        snapshot=notice.snapshot_id,
        awards=[award.pk for award in awards],
        valid_until=valid_until.isoformat() if valid_until else None,
    )
    messages.results_announced(notice, awards)
    return awards


@transaction.atomic
def revoke_award(*, award: Award, reason: str, by, now: dt.datetime | None = None) -> Award:
    """Revoke an award, with the reason the public pages and certificate verification show."""
    award = (
        Award.objects.select_for_update(of=("self",))
        .select_related("snapshot__cycle__programme")
        .get(pk=award.pk)
    )
    require_authority(by, award.snapshot.cycle.programme.authority_id)
    if award.revoked_at is not None:
        raise ValidationError(
            _("该奖项已于 %(date)s 撤销，不能重复撤销。")
            % {"date": local_today(award.revoked_at).isoformat()},
            code="already_revoked",
        )
    reason, error = _required_text(reason, label=_("撤销理由"), limit=MAX_REASON_CHARS)
    if error:
        raise ValidationError({"reason": [error]})
    award.revoked_at = now or timezone.now()
    award.revocation_reason = reason
    award.revoked_by = by
    award.save(update_fields=["revoked_at", "revocation_reason", "revoked_by"])
    record(actor=by, action=AuditAction.REVOKE_AWARD, target=award, reason=reason)
    messages.award_revoked(award)
    return award
