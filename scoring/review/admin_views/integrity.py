"""The cycle's conflicts of interest and audit entries for officials, filterable, exportable
as CSV (UTF-8 with BOM, so Excel reads the Chinese) and XLSX. Every exported cell passes
through ``awards.exports.spreadsheet_safe``."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.exports import spreadsheet_safe
from awards.models.applications import application_heading
from awards.views.downloads import bytes_download
from scoring.review.admin_views.base import OfficialView
from scoring.review.forms.integrity import AuditFilterForm, ConflictFilterForm
from scoring.review.queries import officials as queries
from scoring.review.queries.integrity import audit_details, audit_rows, conflict_rows

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def local_time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def conflict_table(rows, *, individuals: bool = False) -> list[list[object]]:
    header = [
        _("类别"),
        _("评审阶段"),
        _("评审专家"),
        application_heading(individuals=individuals),
        _("说明或理由"),
        _("决定人"),
        _("时间（北京时间）"),
    ]
    return [
        header,
        *(
            [
                row.kind_label,
                row.stage_label,
                str(row.reviewer),
                row.organization,
                row.detail,
                str(row.decided_by) if row.decided_by else "",
                local_time(row.at),
            ]
            for row in rows
        ),
    ]


def audit_table(entries) -> list[list[object]]:
    header = [
        _("时间（北京时间）"),
        _("操作人"),
        _("操作"),
        _("对象类型"),
        _("对象编号"),
        _("对象"),
        _("详情"),
    ]
    return [
        header,
        *(
            [
                local_time(entry.created_at),
                str(entry.actor) if entry.actor else _("系统"),
                entry.get_action_display(),
                entry.target_type,
                entry.target_id,
                entry.target_label,
                audit_details(entry),
            ]
            for entry in entries
        ),
    ]


def as_csv(table: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in table:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def as_xlsx(table: list[list[object]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in table:
        sheet.append([spreadsheet_safe(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class CycleIntegrityView(OfficialView):
    scope = staticmethod(queries.review_cycles_for)

    @property
    def cycle(self):
        return self.object

    def get_page_subtitle(self):
        return str(self.cycle)

    def extra_breadcrumbs(self):
        return [{"url": reverse("review:stages", args=[self.cycle.pk]), "label": str(self.cycle)}]

    def export_query(self) -> str:
        query = self.request.GET.urlencode()
        return f"?{query}" if query else ""


class ConflictsView(CycleIntegrityView):
    template_name = "scoring/admin/conflicts.html"
    page_title = gettext_lazy("利益冲突与回避")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ConflictFilterForm(self.request.GET or None, cycle=self.cycle)
        context.update(
            cycle=self.cycle,
            form=form,
            rows=conflict_rows(cycle=self.cycle, filters=form.filters()),
            export_query=self.export_query(),
        )
        return context


class ConflictsExportView(CycleIntegrityView):
    fmt = "csv"

    def get(self, request, pk):
        form = ConflictFilterForm(request.GET or None, cycle=self.cycle)
        table = conflict_table(
            conflict_rows(cycle=self.cycle, filters=form.filters()),
            individuals=self.cycle.takes_individuals,
        )
        name = f"conflicts-cycle{self.cycle.pk}.{self.fmt}"
        if self.fmt == "xlsx":
            return bytes_download(
                as_xlsx(table, _("利益冲突")), filename=name, content_type=XLSX_TYPE
            )
        return bytes_download(as_csv(table), filename=name, content_type="text/csv; charset=utf-8")


class AuditView(CycleIntegrityView):
    template_name = "scoring/admin/audit.html"
    page_title = gettext_lazy("操作日志")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AuditFilterForm(self.request.GET or None, cycle=self.cycle)
        entries = audit_rows(cycle=self.cycle, filters=form.filters())
        context.update(
            cycle=self.cycle,
            form=form,
            entries=[(entry, audit_details(entry)) for entry in entries],
            export_query=self.export_query(),
        )
        return context


class AuditExportView(CycleIntegrityView):
    fmt = "csv"

    def get(self, request, pk):
        form = AuditFilterForm(request.GET or None, cycle=self.cycle)
        table = audit_table(audit_rows(cycle=self.cycle, filters=form.filters()))
        name = f"audit-cycle{self.cycle.pk}.{self.fmt}"
        if self.fmt == "xlsx":
            return bytes_download(
                as_xlsx(table, _("操作日志")), filename=name, content_type=XLSX_TYPE
            )
        return bytes_download(as_csv(table), filename=name, content_type="text/csv; charset=utf-8")
