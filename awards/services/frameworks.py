"""Criteria frameworks: structure rules and versioning."""

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import CriteriaCategory, CriteriaFramework, CriteriaItem
from awards.permissions.rules import require_authority, require_platform_admin
from awards.services.audit import record

#: A framework totals 1000 points (GB/T 19580) or 100 (the usual scale of individual criteria).
ALLOWED_TOTALS = (1000, 100)


def structure_errors(
    *,
    total_points: int,
    categories: Iterable[tuple[str, int]],
    items: Iterable[tuple[str, int]],
) -> list[str]:
    """Why a framework's numbers do not hold together; empty when they do.

    Works on plain (code, points) pairs so that the admin form can check unsaved inline rows.
    """
    errors: list[str] = []
    category_points = dict(categories)
    item_sums: dict[str, int] = defaultdict(int)
    for code, points in items:
        category_code = code.rsplit(".", 1)[0]
        if category_code not in category_points:
            errors.append(
                _("条款 %(item)s 没有对应的类目 %(category)s。")
                % {"item": code, "category": category_code}
            )
            continue
        item_sums[category_code] += points
    for code, points in category_points.items():
        if item_sums[code] != points:
            errors.append(
                _("类目 %(category)s 的条款分值合计为 %(sum)d，与类目分值 %(points)d 不符。")
                % {"category": code, "sum": item_sums[code], "points": points}
            )
    category_total = sum(category_points.values())
    if total_points not in ALLOWED_TOTALS:
        errors.append(
            _("评价准则总分应为 1000 分或 100 分，当前为 %(total)d 分。") % {"total": total_points}
        )
    if category_total != total_points:
        errors.append(
            _("各类目分值合计为 %(sum)d 分，与总分 %(total)d 分不符。")
            % {"sum": category_total, "total": total_points}
        )
    return errors


def locked_message() -> str:
    return _("该评价准则已被已受理申报的届次使用，不能修改；如需调整，请复制为新版本。")


def check_editable(framework: CriteriaFramework) -> None:
    if framework.is_locked:
        raise ValidationError(locked_message())


@transaction.atomic
def copy_as_new_version(
    *, framework: CriteriaFramework, version: str, authority=None, by=None
) -> CriteriaFramework:
    """Start a new, editable version from an existing (possibly locked) framework, owned by
    ``authority`` (an official of it, or a platform administrator) or national (``authority``
    None: platform administrators only)."""
    if authority is None:
        require_platform_admin(by)
    else:
        require_authority(by, authority.pk)
    if CriteriaFramework.objects.filter(
        code=framework.code, version=version, authority=authority
    ).exists():
        raise ValidationError({"version": _("版本 %(version)s 已存在。") % {"version": version}})
    copy = CriteriaFramework.objects.create(
        code=framework.code,
        version=version,
        name=framework.name,
        total_points=framework.total_points,
        authority=authority,
    )
    CriteriaCategory.objects.bulk_create(
        CriteriaCategory(
            framework=copy,
            code=c.code,
            name=c.name,
            name_en=c.name_en,
            points=c.points,
            sort_order=c.sort_order,
        )
        for c in framework.categories.all()
    )
    CriteriaItem.objects.bulk_create(
        CriteriaItem(
            framework=copy,
            code=i.code,
            name=i.name,
            points=i.points,
            kind=i.kind,
            guidance=i.guidance,
            sort_order=i.sort_order,
        )
        for i in framework.items.all()
    )
    record(actor=by, action=AuditAction.COPY_FRAMEWORK, target=copy, source=framework.pk)
    return copy
