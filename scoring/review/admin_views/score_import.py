"""Upload paper scores as CSV for a cycle; download a pre-filled template per stage."""

import csv
import io

from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.exports import spreadsheet_safe
from awards.services.downloads import record_export
from awards.views.downloads import bytes_download
from scoring.review.admin_views.base import OfficialView, StageView
from scoring.review.forms.officials import ScoreImportForm
from scoring.review.queries import officials as queries
from scoring.review.services.score_import import (
    HEADER_ZH,
    OPTIONAL_ZH,
    import_scores,
    template_rows,
)


class ScoreImportView(OfficialView):
    template_name = "scoring/admin/import.html"
    scope = staticmethod(queries.review_cycles_for)
    page_title = gettext_lazy("导入纸质评分")

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            cycle=self.object,
            stages=list(self.object.stages.all()),
            header=",".join(HEADER_ZH),
            optional=OPTIONAL_ZH,
        )
        context.setdefault("form", ScoreImportForm())
        return context

    def post(self, request, pk):
        form = ScoreImportForm(request.POST, request.FILES)
        errors: list[str] = []
        if form.is_valid():
            result = import_scores(
                cycle=self.object, data=form.cleaned_data["file"].read(), by=request.user
            )
            if result.ok:
                messages.success(
                    request,
                    _("导入成功：%(cards)d 份评分表、%(scores)d 条条款评分，均已提交。")
                    % {"cards": result.scorecards, "scores": result.scores},
                )
                form = ScoreImportForm()
            else:
                errors = result.errors
                messages.error(
                    request,
                    _("文件有 %(count)d 处错误，未导入任何评分。") % {"count": len(errors)},
                )
        return self.render_to_response(self.get_context_data(form=form, errors=errors))


class ScoreTemplateView(StageView):
    """CSV (UTF-8 with BOM, so Excel opens it) listing every member × item to fill in. It names
    each application's reviewers, so it is audited as an export of the stage's score sheet."""

    def get(self, request, pk):
        rows = template_rows(stage=self.stage)
        buffer = io.StringIO()
        csv.writer(buffer).writerows([[spreadsheet_safe(cell) for cell in row] for row in rows])
        response = bytes_download(
            "\ufeff" + buffer.getvalue(),
            filename=f"scores-{self.stage.cycle_id}-{self.stage.kind}.csv",
            content_type="text/csv; charset=utf-8",
        )
        record_export(
            by=request.user,
            kind="scores",
            file_format="csv",
            target=self.stage,
            rows=max(len(rows) - 1, 0),
        )
        return response
