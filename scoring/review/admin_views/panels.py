"""Panels of a stage: the table, automatic assignment, manual add/remove and leader change."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from awards.forms.errors import message_validation_error
from scoring.review.admin_views.base import OfficialView, StageView
from scoring.review.forms.officials import ManualAssignForm
from scoring.review.queries import officials as queries
from scoring.review.services.assignment import (
    assign_manually,
    auto_assign,
    kept_draft_items,
    pool_for_stage,
    remove_assignment,
    set_leader,
)
from scoring.review.services.stages import stage_applications


class PanelsView(StageView):
    template_name = "scoring/admin/panels.html"
    page_title = gettext_lazy("评审组与分配")

    def get_form(self, data=None):
        return ManualAssignForm(
            data,
            applications=stage_applications(self.stage).select_related("organization", "candidate"),
            pool=list(pool_for_stage(self.stage)),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = queries.panel_rows(self.stage)
        context.update(
            rows=rows,
            full=sum(1 for row in rows if not row.missing),
            shortfalls=queries.auto_assignment_shortfalls(self.stage),
        )
        context.setdefault("form", self.get_form())
        return context


class AutoAssignView(StageView):
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            plan = auto_assign(stage=self.stage, by=request.user)
        except ValidationError as error:
            message_validation_error(request, error)
            return redirect("review:panels", pk=self.stage.pk)
        added = sum(len(chosen) for chosen in plan.added.values())
        messages.success(
            request,
            ngettext(
                "自动分配完成：新增 %(count)d 个评审分配。",
                "自动分配完成：新增 %(count)d 个评审分配。",
                added,
            )
            % {"count": added},
        )
        if not plan.is_complete:
            messages.warning(request, _("部分申报缺少评审专家或组长，详见下方说明。"))
        if plan.kept_conflicts:
            names = queries.reviewer_names(r for _a, r in plan.kept_conflicts)
            pairs = "、".join(
                _("申报 %(application)s · %(reviewer)s") % {"application": a, "reviewer": names[r]}
                for a, r in plan.kept_conflicts
            )
            messages.warning(
                request,
                _("以下已有分配与利益冲突相抵触，请核查后移除或豁免：%(pairs)s。")
                % {"pairs": pairs},
            )
        return redirect("review:panels", pk=self.stage.pk)


class ManualAssignView(PanelsView):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = self.get_form(request.POST)
        if form.is_valid():
            application = (
                stage_applications(self.stage).filter(pk=form.cleaned_data["application"]).first()
            )
            try:
                assignment = assign_manually(
                    stage=self.stage,
                    application=application,
                    reviewer=form.cleaned_data["reviewer"],
                    override_reason=form.cleaned_data["override_reason"],
                    by=request.user,
                )
            except ValidationError as error:
                message_validation_error(request, error)
                return self.render_to_response(self.get_context_data(form=form))
            messages.success(
                request,
                _("已将%(reviewer)s分配到申报 %(application)s。")
                % {"reviewer": form.cleaned_data["reviewer"], "application": application.pk},
            )
            kept = kept_draft_items(assignment)
            if kept is not None:
                messages.info(
                    request,
                    ngettext(
                        "该专家此前保留的评分草稿已恢复（已评 %(count)d 项）。",
                        "该专家此前保留的评分草稿已恢复（已评 %(count)d 项）。",
                        kept,
                    )
                    % {"count": kept},
                )
            return redirect("review:panels", pk=self.stage.pk)
        return self.render_to_response(self.get_context_data(form=form))


class AssignmentActionView(OfficialView):
    """POST-only actions on one assignment; they return to the stage's panels page."""

    scope = staticmethod(queries.assignments_for)
    http_method_names = ["post"]

    def act(self, assignment):  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def post(self, request, pk):
        try:
            self.act(self.object)
        except ValidationError as error:
            message_validation_error(request, error)
        return redirect("review:panels", pk=self.object.panel.stage_id)


class RemoveAssignmentView(AssignmentActionView):
    def act(self, assignment):
        remove_assignment(assignment=assignment, by=self.request.user)
        messages.success(
            self.request,
            _("已将%(reviewer)s移出申报 %(application)s 的评审组。")
            % {"reviewer": assignment.reviewer, "application": assignment.panel.application_id},
        )


class SetLeaderView(AssignmentActionView):
    def act(self, assignment):
        set_leader(panel=assignment.panel, reviewer=assignment.reviewer, by=self.request.user)
        messages.success(
            self.request,
            _("已指定%(reviewer)s为申报 %(application)s 评审组组长。")
            % {"reviewer": assignment.reviewer, "application": assignment.panel.application_id},
        )
