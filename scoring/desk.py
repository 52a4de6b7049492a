"""The work desk's panels built on scoring data: review progress, open objections and the
background tasks (results computation, certificate printing) under way or failed.

The frame (``DeskPanel``, ``DeskSlot``) is ``awards.console.desk``; like the panels there, each
panel here lists rows of the official's own authority only and costs one query.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.console.desk import DeskPanel, DeskRow, DeskSlot
from awards.enums import CycleStatus
from awards.permissions.rules import is_official_or_admin, scope_to_authority
from scoring.certificates.models import CertificateBatch
from scoring.certificates.services.issuing import STALE_BATCH_AFTER
from scoring.enums import AssignmentStatus, ScorecardStatus
from scoring.publication.queries import notices_for
from scoring.results.models import ComputationStatus, ResultComputation
from scoring.results.services.runs import is_under_way
from scoring.review.queries.officials import stages_for

#: Cycles whose review is ahead or under way: their stages' progress is on the desk.
CYCLES_IN_PROGRESS = (CycleStatus.OPEN, CycleStatus.SCREENING, CycleStatus.REVIEW)


def by_cycle(prefix: str = "") -> tuple[str, ...]:
    """Ordering by authority, programme and edition (newest first) of the row's cycle."""
    return (
        f"{prefix}cycle__programme__authority__name",
        f"{prefix}cycle__programme__name",
        f"-{prefix}cycle__edition",
    )


class ReviewProgressPanel(DeskPanel):
    """Per stage of each cycle in progress: scorecards submitted out of those assigned."""

    name = "desk_review_progress"
    order = DeskSlot.REVIEW_PROGRESS

    @property
    def title(self):
        return _("评审进度")

    @property
    def caption(self):
        return _("进行中届次各评审阶段：已提交评分表 / 已分配评分表")

    @property
    def empty_text(self):
        return _("没有进行中的评审阶段。")

    def rows(self) -> list[DeskRow]:
        active = Q(panels__assignments__status=AssignmentStatus.ACTIVE)
        stages = (
            stages_for(self.user)
            .filter(cycle__status__in=CYCLES_IN_PROGRESS)
            .annotate(
                assigned=Count("panels__assignments", filter=active),
                submitted=Count(
                    "panels__assignments",
                    filter=active
                    & Q(panels__assignments__scorecard__status=ScorecardStatus.SUBMITTED),
                ),
            )
            .order_by(*by_cycle(), "order")
        )
        return [
            DeskRow(
                authority=stage.cycle.programme.authority.name,
                label=f"{stage.cycle} · {stage.get_kind_display()}",
                url=reverse("review:progress", args=[stage.pk]),
                value=f"{stage.submitted} / {stage.assigned}",
            )
            for stage in stages
        ]


class OpenObjectionsPanel(DeskPanel):
    """Objections to a public notice (公示) not yet resolved, per notice."""

    name = "desk_open_objections"
    order = DeskSlot.OBJECTIONS

    @property
    def title(self):
        return _("待处理异议")

    @property
    def caption(self):
        return _("结果公示收到、尚未作出处理结论的异议")

    @property
    def empty_text(self):
        return _("没有待处理的异议。")

    def rows(self) -> list[DeskRow]:
        notices = (
            notices_for(self.user)
            .select_related("snapshot__cycle__programme__authority")
            .annotate(open=Count("objections", filter=Q(objections__outcome="")))
            .filter(open__gt=0)
            .order_by(*by_cycle("snapshot__"), "pk")
        )
        return [
            DeskRow(
                authority=notice.snapshot.cycle.programme.authority.name,
                label=_("%(cycle)s 结果公示") % {"cycle": notice.snapshot.cycle},
                url=reverse("publication:notice", args=[notice.pk]),
                value=str(notice.open),
            )
            for notice in notices
        ]


def _latest_per_cycle(model, order: tuple[str, ...]):
    """The last run of each cycle (a later run supersedes an earlier failure)."""
    return Subquery(
        model.objects.filter(cycle_id=OuterRef("cycle_id")).order_by(*order).values("pk")[:1]
    )


class RunningTasksPanel(DeskPanel):
    """Background work of each cycle whose last run is not a success: results computations and
    certificate printing batches queued, running, failed or stopped (a worker gone silent)."""

    name = "desk_running_tasks"
    order = DeskSlot.TASKS

    @property
    def title(self):
        return _("后台任务")

    @property
    def caption(self):
        return _("进行中或失败的结果计算与证书生成任务")

    @property
    def empty_text(self):
        return _("没有进行中或失败的后台任务。")

    def rows(self) -> list[DeskRow]:
        return [*self.computation_rows(), *self.batch_rows()]

    def computation_rows(self) -> list[DeskRow]:
        path = "cycle__programme__authority"
        computations = scope_to_authority(
            ResultComputation.objects.select_related("cycle__programme__authority")
            .filter(pk=_latest_per_cycle(ResultComputation, ("-created_at", "-pk")))
            .exclude(status=ComputationStatus.DONE),
            self.user,
            path,
        ).order_by(*by_cycle())
        now = timezone.now()
        rows = []
        for computation in computations:
            if computation.status == ComputationStatus.FAILED:
                value, alert = _("失败"), True
            elif not is_under_way(computation, now=now):
                value, alert = _("已中断"), True
            elif computation.status == ComputationStatus.RUNNING:
                value = _("计算中 %(progress)d%%") % {"progress": computation.progress}
                alert = False
            else:
                value, alert = computation.get_status_display(), False
            rows.append(
                DeskRow(
                    authority=computation.cycle.programme.authority.name,
                    label=_("%(cycle)s · 结果计算") % {"cycle": computation.cycle},
                    url=reverse("cycle_results:cycle", args=[computation.cycle_id]),
                    value=value,
                    alert=alert,
                )
            )
        return rows

    def batch_rows(self) -> list[DeskRow]:
        batches = scope_to_authority(
            CertificateBatch.objects.select_related("cycle__programme__authority")
            .filter(pk=_latest_per_cycle(CertificateBatch, ("-started_at", "-pk")))
            .filter(Q(finished_at__isnull=True) | ~Q(error="")),
            self.user,
            "cycle__programme__authority",
        ).order_by(*by_cycle())
        stale_before = timezone.now() - STALE_BATCH_AFTER
        rows = []
        for batch in batches:
            if batch.error:
                value, alert = _("失败"), True
            elif batch.started_at < stale_before:
                value, alert = _("已中断"), True
            else:
                value = _("生成中 %(done)d / %(total)d") % {
                    "done": batch.done,
                    "total": batch.total,
                }
                alert = False
            rows.append(
                DeskRow(
                    authority=batch.cycle.programme.authority.name,
                    label=_("%(cycle)s · 证书生成") % {"cycle": batch.cycle},
                    url=reverse("certificates:cycle", args=[batch.cycle_id]),
                    value=value,
                    alert=alert,
                )
            )
        return rows


def scoring_desk_panels(request, panels: list) -> None:
    """``construct_homepage_panels``: the scoring panels, for officials and administrators."""
    if is_official_or_admin(request.user):
        panels.extend(
            [ReviewProgressPanel(request), OpenObjectionsPanel(request), RunningTasksPanel(request)]
        )
