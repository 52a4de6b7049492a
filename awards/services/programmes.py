"""Authorities, programmes and cycles come into being here, validated and audited."""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.enums import ApplicationStatus, AuthorityKind, Track
from awards.models import AwardingAuthority, AwardLevel, AwardProgramme, CriteriaFramework, Cycle
from awards.permissions.rules import require_authority, require_platform_admin
from awards.services.application_attachments import ensure_attachment_requirements
from awards.services.audit import record
from awards.services.cycles import level_errors, validate_timetable


@transaction.atomic
def create_authority(
    *,
    name: str,
    office_name: str,
    region_code: str,
    region_name: str,
    region_prefix: str,
    by,
    parent: AwardingAuthority | None = None,
    kind: str = AuthorityKind.GOVERNMENT,
) -> AwardingAuthority:
    """An authority of the tree; ``parent`` (a province for a city, a city for its districts
    and departments) must hold the new authority's jurisdiction in its own."""
    require_platform_admin(by)
    if not region_code.startswith(region_prefix):
        raise ValidationError({"region_prefix": _("辖区代码前缀必须是行政区划代码的开头部分。")})
    if parent is not None and not region_prefix.startswith(parent.region_prefix):
        raise ValidationError({"parent": _("下级机关的辖区必须在上级机关的辖区之内。")})
    authority = AwardingAuthority(
        name=name,
        office_name=office_name,
        region_code=region_code,
        region_name=region_name,
        region_prefix=region_prefix,
        parent=parent,
        kind=kind,
    )
    authority.full_clean()
    authority.save()
    record(actor=by, action=AuditAction.CREATE_AUTHORITY, target=authority)
    return authority


@transaction.atomic
def create_programme(*, authority: AwardingAuthority, by, **fields) -> AwardProgramme:
    require_authority(by, authority.pk)
    programme = AwardProgramme(authority=authority, **fields)
    programme.full_clean()
    programme.save()
    record(actor=by, action=AuditAction.CREATE_PROGRAMME, target=programme)
    return programme


@transaction.atomic
def create_cycle(
    *,
    programme: AwardProgramme,
    edition: int,
    year: int,
    framework: CriteriaFramework,
    timetable: dict[str, dt.date | dt.datetime],
    levels: Sequence[tuple[str, float, int]],
    by,
    **rules,
) -> Cycle:
    """A new cycle in draft, with its award levels (name, minimum total, quota) in order."""
    require_authority(by, programme.authority_id)
    cycle = Cycle(
        programme=programme, edition=edition, year=year, framework=framework, **timetable, **rules
    )
    cycle.full_clean()
    validate_timetable(cycle)
    errors = level_errors(list(levels))
    if errors:
        raise ValidationError(errors)
    cycle.save()
    AwardLevel.objects.bulk_create(
        AwardLevel(cycle=cycle, name=name, min_total=minimum, quota=quota, sort_order=index)
        for index, (name, minimum, quota) in enumerate(levels)
    )
    ensure_attachment_requirements(cycle=cycle, by=by)
    record(actor=by, action=AuditAction.CREATE_CYCLE, target=cycle)
    return cycle


@transaction.atomic
def set_individual_track(
    *,
    cycle: Cycle,
    framework: CriteriaFramework,
    levels: Sequence[tuple[str, float, int]],
    by,
    min_years_quality_work: int | None = None,
) -> Cycle:
    """Give ``cycle`` an individual track: its criteria framework and its own levels and quotas
    (replacing the individual levels it had). Refused for a programme without individual awards
    and once individual applications were submitted."""
    require_authority(by, cycle.programme.authority_id)
    if not cycle.programme.has_individual_track:
        raise ValidationError(_("“%(programme)s”未设个人奖。") % {"programme": cycle.programme})
    if (
        cycle.applications.filter(track=Track.INDIVIDUAL)
        .exclude(status=ApplicationStatus.DRAFT)
        .exists()
    ):
        raise ValidationError(_("本届已有提交的个人奖申报，不能再更改个人奖设置。"))
    errors = level_errors(list(levels))
    if errors:
        raise ValidationError(errors)
    cycle.individual_framework = framework
    fields = ["individual_framework"]
    if min_years_quality_work is not None:
        cycle.min_years_quality_work = min_years_quality_work
        fields.append("min_years_quality_work")
    cycle.save(update_fields=fields)
    AwardLevel.objects.filter(cycle=cycle, track=Track.INDIVIDUAL).delete()
    start = AwardLevel.objects.filter(cycle=cycle).count()
    AwardLevel.objects.bulk_create(
        AwardLevel(
            cycle=cycle,
            track=Track.INDIVIDUAL,
            name=name,
            min_total=minimum,
            quota=quota,
            sort_order=start + index,
        )
        for index, (name, minimum, quota) in enumerate(levels)
    )
    ensure_attachment_requirements(cycle=cycle, by=by)
    record(
        actor=by,
        action=AuditAction.SET_INDIVIDUAL_TRACK,
        target=cycle,
        framework=f"{framework.code}-{framework.version}",
        levels=[[name, str(minimum), quota] for name, minimum, quota in levels],
    )
    return cycle
