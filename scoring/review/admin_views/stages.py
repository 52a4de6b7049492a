"""Review index, stage settings per cycle, and advancement to the next stage."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.forms.errors import message_validation_error
from scoring.review.admin_views.base import OfficialView, StageView
from scoring.review.forms.officials import StageFormSet
from scoring.review.queries import officials as queries
from scoring.review.services.stage_list import EDITABLE_FIELDS, save_stages
from scoring.review.services.stages import (
    advancement_by_track,
    apply_advancement,
    ensure_default_stages,
    next_stage,
)


class ReviewIndexView(OfficialView):
    """Every cycle of the authority with its stages and the pages of each."""

    template_name = "scoring/admin/index.html"
    page_title = gettext_lazy("评审工作")

    def get_breadcrumbs_items(self):
        return [
            *super(OfficialView, self).get_breadcrumbs_items(),
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cycles"] = list(
            queries.review_cycles_for(self.request.user).order_by("programme__name", "-edition")
        )
        return context


class CycleStagesView(OfficialView):
    """Edit the cycle's stages: window, panel size, spread threshold, advancement rule, weight."""

    template_name = "scoring/admin/stages.html"
    scope = staticmethod(queries.review_cycles_for)
    page_title = gettext_lazy("评审阶段设置")

    def get_page_subtitle(self):
        return str(self.object)

    def get_formset(self):
        data = self.request.POST if self.request.method == "POST" else None
        return StageFormSet(
            data,
            queryset=self.object.stages.order_by("order"),
            prefix="stages",
            form_kwargs={"individual_track": self.object.takes_individuals},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cycle"] = self.object
        context["stages"] = list(self.object.stages.order_by("order"))
        context["last_stage"] = context["stages"][-1] if context["stages"] else None
        context.setdefault("formset", self.get_formset())
        return context

    def post(self, request, pk):
        formset = self.get_formset()
        if formset.is_valid():
            try:
                save_stages(cycle=self.object, by=request.user, **self.stage_edits(formset))
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(
                    error.messages, error_class="nonform", renderer=formset.renderer
                )
            else:
                messages.success(request, _("评审阶段设置已保存。"))
                return redirect("review:stages", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(formset=formset))

    def stage_edits(self, formset) -> dict:
        """The formset as the service's changes, additions and removals. A form that claims a
        stage outside this cycle (a tampered id) is passed on as such and refused there."""
        changes, added, removed = {}, [], []
        for form in formset.forms:
            if form in formset.initial_forms:
                stage = form.cleaned_data.get("id") or form.instance
                if stage is None or stage.pk is None:
                    changes[0] = {}
                elif formset._should_delete_form(form):
                    removed.append(stage.pk)
                else:
                    changes[stage.pk] = {
                        field: form.cleaned_data[field]
                        for field in EDITABLE_FIELDS
                        if field in form.cleaned_data
                    }
            elif form.has_changed() and form.adds_stage:
                added.append(
                    {"kind": form.cleaned_data["kind"]}
                    | {field: form.cleaned_data.get(field) for field in EDITABLE_FIELDS}
                )
        return {"changes": changes, "added": added, "removed": removed}


class DefaultStagesView(OfficialView):
    scope = staticmethod(queries.review_cycles_for)
    http_method_names = ["post"]

    def post(self, request, pk):
        stages = ensure_default_stages(cycle=self.object, by=request.user)
        messages.success(
            request,
            _("已设置评审阶段：%(stages)s。")
            % {"stages": "、".join(str(stage.get_kind_display()) for stage in stages)},
        )
        return redirect("review:stages", pk=self.object.pk)


class AdvancementView(StageView):
    """Preview who advances under the stage's rules, track by track, and apply them."""

    template_name = "scoring/admin/advancement.html"
    page_title = gettext_lazy("晋级")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next_stage"] = next_stage(self.stage)
        try:
            context["groups"] = advancement_by_track(stage=self.stage)
        except ValidationError as error:
            context["rule_error"] = " ".join(error.messages)
            context["groups"] = []
        context["show_tracks"] = len(context["groups"]) > 1 or any(
            group.is_individual for group in context["groups"]
        )
        return context

    def post(self, request, pk):
        try:
            result = apply_advancement(stage=self.stage, by=request.user)
        except ValidationError as error:
            message_validation_error(request, error)
        else:
            advanced = sum(outcome.advances for outcome in result.outcomes)
            messages.success(
                request,
                _("已确定晋级：%(advanced)d 件申报进入“%(stage)s”。")
                % {"advanced": advanced, "stage": result.next_stage.get_kind_display()},
            )
            if result.kept_with_members:
                messages.warning(
                    request,
                    _("以下申报已不再晋级，但其下一阶段评审组已有专家，未删除：%(ids)s。")
                    % {"ids": "、".join(str(i) for i in result.kept_with_members)},
                )
        return redirect(reverse("review:advancement", args=[self.stage.pk]))
