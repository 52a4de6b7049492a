"""The officials' results pages (评审结果) in the Wagtail admin.

Officials of the cycle's authority (and superusers) only: anyone else gets a 404, and so does
an official asking for another authority's cycle or snapshot, before the HTTP method is looked
at. Each view reads through ``scoring.queries.results`` and changes state through one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.enums import Track
from awards.forms.errors import add_validation_error, message_validation_error
from awards.models import AwardLevel
from scoring.results.admin_views.runs import computation_progress
from scoring.results.forms import ComputeForm, ResultsSettingsForm, tie_break_choices
from scoring.results.models import ComputationStatus
from scoring.results.queries import snapshots as queries
from scoring.results.queries.runs import latest_computation, reloaded_computation
from scoring.results.services.committee import approval_problems
from scoring.results.services.computation import (
    approve_snapshot,
    current_snapshot,
    missing_scorecards,
    snapshot_changes,
)
from scoring.results.services.runs import is_under_way, request_computation
from scoring.results.services.settings import (
    cycle_categories,
    cycle_setup,
    cycle_stages,
    results_settings_for,
    save_results_settings,
)
from scoring.review.admin_views.base import OfficialView


class ResultsView(OfficialView):
    header_icon = "order"
    section_url_name = "cycle_results:index"
    section_label = gettext_lazy("评审结果")


class CycleMixin:
    scope = staticmethod(queries.result_cycles_for)

    @property
    def cycle(self):
        return self.object

    def get_page_subtitle(self):
        return str(self.cycle)


def tracks_of(cycle) -> list[str]:
    """The tracks a cycle ranks: organizations, and individuals when it has that track."""
    if cycle.takes_individuals:
        return [Track.ORGANIZATION.value, Track.INDIVIDUAL.value]
    return [Track.ORGANIZATION.value]


class SnapshotMixin:
    scope = staticmethod(queries.snapshots_for)

    @property
    def snapshot(self):
        return self.object

    def get_page_subtitle(self):
        return _("%(cycle)s · 第 %(version)s 版") % {
            "cycle": self.snapshot.cycle,
            "version": self.snapshot.version,
        }

    def extra_breadcrumbs(self):
        cycle = self.snapshot.cycle
        return [{"url": reverse("cycle_results:cycle", args=[cycle.pk]), "label": str(cycle)}]


class ResultsIndexView(ResultsView):
    template_name = "scoring/admin/results_index.html"
    page_title = gettext_lazy("评审结果")

    def get_breadcrumbs_items(self):
        return [
            *super(ResultsView, self).get_breadcrumbs_items(),
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cycles"] = list(queries.result_cycles_for(self.request.user))
        return context


class CycleResultsView(CycleMixin, ResultsView):
    """The cycle's configuration, missing scorecards, the compute action (run in the background,
    its latest run's progress shown here) and the versions."""

    template_name = "scoring/admin/results_cycle.html"
    page_title = gettext_lazy("计算与批准")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = self.cycle
        stages = cycle_stages(cycle=cycle)
        settings = results_settings_for(cycle=cycle, stages=stages)
        snapshots = queries.cycle_snapshots(cycle)  # newest first
        try:
            cycle_setup(cycle=cycle, stages=stages, settings=settings)
            context["config_errors"] = []
        except ValidationError as error:
            context["config_errors"] = error.messages
        computation = latest_computation(cycle)
        context.update(
            cycle=cycle,
            settings=settings,
            tie_break=[queries.criterion_label(c) for c in settings.tie_break or ()],
            stages=stages,
            levels=list(
                AwardLevel.objects.filter(cycle=cycle).order_by("track", "sort_order", "pk")
            ),
            # (track, missing scorecard): the page labels the individual track's rows.
            missing=[
                (track, entry)
                for track in tracks_of(cycle)
                for entry in missing_scorecards(cycle=cycle, track=track)
            ],
            snapshots=snapshots,
            current=next((s for s in snapshots if s.approved_at is not None), None),
            current_by_track={
                track: next(
                    (s for s in snapshots if s.approved_at is not None and s.track == track),
                    None,
                )
                for track in tracks_of(cycle)
            },
            computation=computation,
            progress=computation_progress(computation),
            computing=is_under_way(computation),
        )
        context.setdefault("form", ComputeForm(cycle=cycle))
        return context

    def post(self, request, pk):
        form = ComputeForm(request.POST, cycle=self.cycle)
        form.is_valid()
        try:
            computation = request_computation(
                cycle=self.cycle,
                by=request.user,
                accept_partial=form.cleaned_data.get("accept_partial", False),
                track=form.cleaned_data.get("track") or Track.ORGANIZATION,
            )
        except ValidationError as error:  # MissingScorecardsError too: the page lists them
            message_validation_error(request, error)
            return self.render_to_response(self.get_context_data(form=form))
        computation = reloaded_computation(computation)  # an immediate backend ran it already
        if computation.status == ComputationStatus.DONE:
            messages.success(
                request,
                _("已计算第 %(version)s 版评审结果，请核对后批准。")
                % {"version": computation.snapshot.version},
            )
            return redirect("cycle_results:ranking", pk=computation.snapshot_id)
        if computation.status == ComputationStatus.FAILED:
            messages.error(request, _("评审结果计算失败，原因见下方。"))
        else:
            messages.info(request, _("已开始计算评审结果，进度见下方。"))
        return redirect("cycle_results:cycle", pk=self.cycle.pk)


class ResultsSettingsView(CycleMixin, ResultsView):
    template_name = "scoring/admin/results_settings.html"
    page_title = gettext_lazy("结果计算设置")

    def extra_breadcrumbs(self):
        return [
            {"url": reverse("cycle_results:cycle", args=[self.cycle.pk]), "label": str(self.cycle)}
        ]

    def get_form(self, data=None) -> ResultsSettingsForm:
        stages = cycle_stages(cycle=self.cycle)
        return ResultsSettingsForm(
            data, settings=results_settings_for(cycle=self.cycle, stages=stages), stages=stages
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs.get("form") or self.get_form()
        context.update(
            form=form,
            cycle=self.cycle,
            criteria=tie_break_choices(form.stages, cycle_categories(cycle=self.cycle)),
        )
        return context

    def post(self, request, pk):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                save_results_settings(
                    cycle=self.cycle,
                    method=form.cleaned_data["method"],
                    fallback_method=form.cleaned_data["fallback_method"],
                    mode=form.cleaned_data["mode"],
                    tie_break=form.cleaned_data["tie_break"],
                    weights=form.weights(),
                    by=request.user,
                    feedback_min_group=form.cleaned_data.get("feedback_min_group"),
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("结果计算设置已保存。"))
                return redirect("cycle_results:cycle", pk=self.cycle.pk)
        return self.render_to_response(self.get_context_data(form=form))


class RankingView(SnapshotMixin, ResultsView):
    template_name = "scoring/admin/results_ranking.html"
    page_title = gettext_lazy("排名")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        snapshot = self.snapshot
        table = queries.ranking(snapshot)
        current = current_snapshot(cycle=snapshot.cycle, track=snapshot.track)
        context.update(
            snapshot=snapshot,
            track_label=Track(snapshot.track).label,
            ranking=table,
            method=queries.method_label(snapshot.method),
            is_current=current is not None and current.pk == snapshot.pk,
            can_approve=snapshot.approved_at is None
            and (current is None or current.version < snapshot.version),
            stage_labels=[queries.stage_label(s) for s in table.summary.get("stages", [])],
            missing=[
                {**row, "stage_label": queries.stage_label(row["stage"])}
                for row in snapshot.missing
            ],
        )
        return context


class ExplanationView(SnapshotMixin, ResultsView):
    template_name = "scoring/admin/results_explanation.html"
    page_title = gettext_lazy("得分说明")

    def extra_breadcrumbs(self):
        return [
            *super().extra_breadcrumbs(),
            {
                "url": reverse("cycle_results:ranking", args=[self.snapshot.pk]),
                "label": _("第 %(version)s 版排名") % {"version": self.snapshot.version},
            },
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = get_object_or_404(
            self.snapshot.entries.select_related(
                "application__organization", "application__candidate"
            ),
            application_id=self.kwargs["application_pk"],
        )
        explained = queries.explanation(self.snapshot, entry.application_id)
        if explained is None:
            raise Http404
        reviewers = {
            score[0]
            for stage in explained["stages"]
            for item in stage["items"]
            for score in item["scores"]
        }
        summary = queries.snapshot_summary(self.snapshot)
        context.update(
            snapshot=self.snapshot,
            entry=entry,
            explained=explained,
            details=queries.explanation_details(
                explained,
                summary=summary,
                reviewers=queries.reviewer_names(reviewers),
                items=queries.item_names(self.snapshot.cycle),
            ),
        )
        return context


class ChangesView(SnapshotMixin, ResultsView):
    template_name = "scoring/admin/results_changes.html"
    page_title = gettext_lazy("版本变化")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A version is compared with the versions of its own track only: organizations and
        # individuals are ranked apart, so the other track's list is no earlier version.
        others = queries.snapshots_for(self.request.user).filter(
            cycle=self.snapshot.cycle, track=self.snapshot.track
        )
        against = self.request.GET.get("against")
        if against:
            old = get_object_or_404(others, version=against if against.isdigit() else -1)
        else:
            old = others.filter(version__lt=self.snapshot.version).order_by("-version").first()
        context.update(
            snapshot=self.snapshot,
            old=old,
            changes=snapshot_changes(old=old, new=self.snapshot) if old else None,
            versions=list(others.exclude(pk=self.snapshot.pk).order_by("-version")),
        )
        return context


class ApproveView(SnapshotMixin, ResultsView):
    template_name = "scoring/admin/results_approve.html"
    page_title = gettext_lazy("批准评审结果")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["snapshot"] = self.snapshot
        context["committee_problems"] = approval_problems(self.snapshot)
        return context

    def post(self, request, pk):
        try:
            approve_snapshot(snapshot=self.snapshot, by=request.user)
        except ValidationError as error:
            message_validation_error(request, error)
            return redirect("cycle_results:ranking", pk=self.snapshot.pk)
        messages.success(
            request,
            _("第 %(version)s 版评审结果已批准并冻结。") % {"version": self.snapshot.version},
        )
        return redirect("cycle_results:ranking", pk=self.snapshot.pk)
