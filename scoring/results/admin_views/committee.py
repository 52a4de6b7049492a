"""The officials' committee pages: the cycle's committee (评审委员会), the record of its meeting
on a snapshot (审定) with the votes, and the minutes as a PDF. Scoped like every results page
(``OfficialOnlyMixin``: another authority's cycle or snapshot is a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.forms.errors import add_validation_error
from awards.views.downloads import bytes_download
from scoring.results.admin_views.snapshots import CycleMixin, ResultsView, SnapshotMixin
from scoring.results.forms import CommitteeForm, DecisionForm
from scoring.results.models import CommitteeDecision
from scoring.results.services.committee import (
    committee_candidates,
    cycle_committee,
    decision_outcome,
    open_questions,
    proposed_awards,
    record_committee_decision,
    set_committee,
)
from scoring.results.services.minutes import render_minutes_pdf


class CommitteeView(CycleMixin, ResultsView):
    template_name = "scoring/admin/results_committee.html"
    page_title = gettext_lazy("评审委员会")

    def extra_breadcrumbs(self):
        return [
            {"url": reverse("cycle_results:cycle", args=[self.cycle.pk]), "label": str(self.cycle)}
        ]

    def get_form(self, data=None) -> CommitteeForm:
        committee = cycle_committee(cycle=self.cycle)
        initial = (
            {"members": list(committee.members.all()), "chair": committee.chair}
            if committee
            else {}
        )
        return CommitteeForm(
            data, initial=initial, candidates=committee_candidates(cycle=self.cycle)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            cycle=self.cycle,
            programme=self.cycle.programme,
            form=kwargs.get("form") or self.get_form(),
        )
        return context

    def post(self, request, pk):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                set_committee(
                    cycle=self.cycle,
                    members=form.cleaned_data["members"],
                    chair=form.cleaned_data["chair"],
                    by=request.user,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("评审委员会已保存。"))
                return redirect("cycle_results:cycle", pk=self.cycle.pk)
        return self.render_to_response(self.get_context_data(form=form))


class DecisionView(SnapshotMixin, ResultsView):
    """What the committee decided on this snapshot, and the form to record (or correct, until
    approval) the meeting."""

    template_name = "scoring/admin/results_decision.html"
    page_title = gettext_lazy("评审委员会审定")

    def get_form(self, data=None) -> DecisionForm | None:
        committee = cycle_committee(cycle=self.snapshot.cycle)
        if committee is None or self.snapshot.approved_at is not None:
            return None
        return DecisionForm(
            data,
            members=committee.members.order_by("role", "full_name", "username"),
            entries=proposed_awards(self.snapshot),
            questions=open_questions(self.snapshot),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision = CommitteeDecision.objects.filter(snapshot=self.snapshot).first()
        outcome = decision_outcome(decision) if decision else None
        context.update(
            snapshot=self.snapshot,
            decision=decision,
            outcome=outcome,
            present=list(decision.present.all()) if decision else [],
            resolutions=list(decision.resolutions.all()) if decision else [],
            form=kwargs["form"] if "form" in kwargs else self.get_form(),
        )
        return context

    def post(self, request, pk):
        form = self.get_form(request.POST)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                record_committee_decision(
                    snapshot=self.snapshot,
                    held_on=form.cleaned_data["held_on"],
                    present=form.cleaned_data["present"],
                    votes=form.votes(),
                    rationales=form.rationales(),
                    minutes=form.cleaned_data["minutes"],
                    by=request.user,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("评审委员会审定已记录。"))
                return redirect("cycle_results:decision", pk=self.snapshot.pk)
        return self.render_to_response(self.get_context_data(form=form))


class MinutesPdfView(SnapshotMixin, ResultsView):
    def get(self, request, pk):
        decision = CommitteeDecision.objects.filter(snapshot=self.snapshot).first()
        if decision is None:
            raise Http404
        return bytes_download(
            render_minutes_pdf(decision=decision),
            filename=_("%(cycle)s第%(version)s版结果审定纪要.pdf")
            % {"cycle": self.snapshot.cycle, "version": self.snapshot.version},
            content_type="application/pdf",
        )
