"""The ranking of a snapshot as CSV (UTF-8 with BOM, so Excel reads the Chinese) and XLSX."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _

from awards.exports import spreadsheet_safe
from awards.models.applications import application_heading
from awards.services.downloads import record_export
from awards.views.downloads import bytes_download
from scoring.results.admin_views.snapshots import ResultsView, SnapshotMixin
from scoring.results.queries import snapshots as queries
from scoring.results.queries.snapshots import Ranking

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ranking_rows(table: Ranking) -> list[list[object]]:
    """Header and one row per application: rank, organization, total, the stage it reached,
    level, categories. A not advanced application's total is its reached stage's own total. Every
    text cell is made spreadsheet-safe (names and flags come from what users typed)."""
    header = [
        _("名次"),
        application_heading(individual=table.snapshot.is_individual),
        _("总分"),
        _("进入的评审阶段"),
        _("奖项等级"),
        *(
            _("%(code)s %(name)s（%(points)s分）")
            % {"code": c.code, "name": c.name, "points": c.points}
            for c in table.categories
        ),
        _("完成全部计分阶段"),
        _("提示"),
    ]
    rows: list[list[object]] = [header]
    for line in table.lines:
        entry = line.entry
        rows.append(
            [
                entry.rank,
                line.organization,
                entry.total,
                line.reached_stage,
                entry.level,
                *line.categories,
                _("是") if entry.advanced else _("否"),
                "；".join(line.flags),
            ]
        )
    return [[spreadsheet_safe(value) for value in row] for row in rows]


def _filename(table: Ranking, extension: str) -> str:
    snapshot = table.snapshot
    return f"results-cycle{snapshot.cycle_id}-v{snapshot.version}.{extension}"


def ranking_csv(table: Ranking) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in ranking_rows(table):
        writer.writerow([f"{value:.2f}" if isinstance(value, Decimal) else value for value in row])
    return buffer.getvalue()


def ranking_xlsx(table: Ranking) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("排名")
    for number, row in enumerate(ranking_rows(table), start=1):
        sheet.append(row)
        if number == 1:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            continue
        for cell in sheet[number]:
            if isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["B"].width = 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _audit(request, table: Ranking, file_format: str) -> None:
    record_export(
        by=request.user,
        kind="ranking",
        file_format=file_format,
        target=table.snapshot,
        rows=len(table.lines),
    )


class RankingCsvView(SnapshotMixin, ResultsView):
    def get(self, request, pk):
        table = queries.ranking(self.snapshot)
        response = bytes_download(
            "\ufeff" + ranking_csv(table),
            filename=_filename(table, "csv"),
            content_type="text/csv; charset=utf-8",
        )
        _audit(request, table, "csv")
        return response


class RankingXlsxView(SnapshotMixin, ResultsView):
    def get(self, request, pk):
        table = queries.ranking(self.snapshot)
        response = bytes_download(
            ranking_xlsx(table), filename=_filename(table, "xlsx"), content_type=XLSX_TYPE
        )
        _audit(request, table, "xlsx")
        return response
