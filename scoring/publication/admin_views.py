"""The officials' public notice and announcement pages (结果公示与表彰) in the Wagtail admin.

Each view is official-only (``awards.permissions``: anyone else, and any object of another
authority, is a 404) and calls one service. Pages belong to ``home``,
which ``scoring`` must not import: after opening a notice or announcing, the views run the
``after_open_public_notice`` / ``after_announce_results`` Wagtail hooks inside the same
transaction, so a page that cannot be created undoes the domain change too. A hook may return a
response (``home``'s send the official to the new page's editor, where it awaits approval).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail import hooks

from awards.forms.errors import add_validation_error, message_validation_error
from awards.permissions.views import OfficialOnlyMixin
from awards.uploads import ALLOWED_KINDS
from awards.views.downloads import file_download
from scoring.publication import queries
from scoring.publication.forms import (
    AnnounceForm,
    OpenNoticeForm,
    ResolveObjectionForm,
    RevokeAwardForm,
)
from scoring.publication.services.notices import (
    AFTER_ANNOUNCE_RESULTS_HOOK,
    AFTER_OPEN_PUBLIC_NOTICE_HOOK,
    announce_results,
    announcement_problems,
    open_public_notice,
    preview_notice_end,
    record_evidence_download,
    resolve_objection,
    revoke_award,
)
from scoring.publication.services.period import (
    DEFAULT_WORKING_DAYS,
    UnconfirmedHolidayYear,
    local_today,
    notice_phase,
)
from scoring.review.admin_views.base import OfficialView

CONTENT_TYPES = {spec.extension: spec.content_type for spec in ALLOWED_KINDS.values()}
CONTENT_TYPES[".jpeg"] = CONTENT_TYPES[".jpg"]


def run_publication_hooks(name: str, request, obj) -> HttpResponse | None:
    """Run the hooks registered under ``name``; the last response any of them returns wins."""
    response = None
    for hook in hooks.get_hooks(name):
        result = hook(request, obj)
        if hasattr(result, "status_code"):
            response = result
    return response


class PublicationView(OfficialView):
    header_icon = "doc-full"
    section_url_name = "publication:index"
    section_label = gettext_lazy("结果公示与表彰")
    form_class = None

    def notice_breadcrumb(self, notice) -> dict:
        return {"url": reverse("publication:notice", args=[notice.pk]), "label": str(notice)}

    def get_form(self):
        if self.request.method == "POST":
            return self.form_class(self.request.POST)
        return self.form_class(initial=self.get_initial())

    def get_initial(self) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        if self.form_class is not None and "form" not in kwargs:
            context["form"] = self.get_form()
        return context

    def refuse(self, form, error: ValidationError):
        """Show a service's refusal on the form (field errors) or as messages."""
        if hasattr(error, "error_dict"):
            add_validation_error(form, error)
        else:
            message_validation_error(self.request, error)
        return self.render_to_response(self.get_context_data(form=form))


class PublicationIndexView(PublicationView):
    template_name = "scoring/admin/publication_index.html"
    page_title = gettext_lazy("结果公示与表彰")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = local_today()
        snapshots = list(queries.approved_snapshots_with_counts(self.request.user))
        for snapshot in snapshots:
            notice = getattr(snapshot, "notice", None)
            snapshot.phase = notice_phase(notice, today=today) if notice else None
        context["snapshots"] = snapshots
        return context


class OpenNoticeView(PublicationView):
    """Open a notice. The end date is previewed before it opens (the preview button, and the
    page's script presses it when the start or the length changes); a period reaching into a
    year whose holidays nobody has confirmed asks for them, and opening is refused until they
    are confirmed."""

    template_name = "scoring/admin/publication_open_notice.html"
    page_title = gettext_lazy("发布公示")
    scope = staticmethod(queries.approved_snapshots_for)
    form_class = OpenNoticeForm

    def get_page_subtitle(self):
        return str(self.object)

    def get_initial(self) -> dict:
        return {"starts_on": max(self.object.cycle.notice_start, local_today())}

    def get_form(self):
        if self.request.method == "POST":
            return OpenNoticeForm(self.request.POST)
        initial = self.get_initial()
        return OpenNoticeForm(
            {
                "starts_on": initial["starts_on"].isoformat(),
                "working_days": str(DEFAULT_WORKING_DAYS),
                "holidays": "",
            }
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = queries.proposed_entries(self.object.pk)
        context["individual"] = self.object.is_individual
        return context

    def with_preview(self, form) -> dict:
        """The form (asking for a year when the period needs one) and the end-date preview."""
        if not form.is_valid():
            return {"form": form, "preview": None}
        data = form.cleaned_data
        try:
            ends_on = preview_notice_end(
                starts_on=data["starts_on"],
                working_days=data["working_days"],
                holidays=data["holidays"],
                confirmation=form.typed_year(),
            )
        except UnconfirmedHolidayYear as error:
            form = OpenNoticeForm.asking(form.data, error.year)
            form.is_valid()
            return {"form": form, "preview": {"ask_year": error.year, "message": error.messages[0]}}
        except ValidationError as error:
            return {"form": form, "preview": {"message": error.messages[0]}}
        tentative = form.typed_year()
        return {
            "form": form,
            "preview": {
                "ends_on": ends_on,
                "starts_on": data["starts_on"],
                "working_days": data["working_days"],
                "tentative_year": tentative.year if tentative and not data.get("confirm") else None,
            },
        }

    def get(self, request, pk):
        return self.render_to_response(self.get_context_data(**self.with_preview(self.get_form())))

    def post(self, request, pk):
        context = self.with_preview(self.get_form())
        form = context["form"]
        if "preview" in request.POST or not form.is_valid():
            return self.render_to_response(self.get_context_data(**context))
        data = form.cleaned_data
        try:
            with transaction.atomic():
                notice = open_public_notice(
                    snapshot=self.object,
                    starts_on=data["starts_on"],
                    working_days=data["working_days"],
                    holidays=data["holidays"],
                    confirm_year=form.confirmation(),
                    by=request.user,
                )
                response = run_publication_hooks(AFTER_OPEN_PUBLIC_NOTICE_HOOK, request, notice)
        except UnconfirmedHolidayYear as error:
            form = OpenNoticeForm.asking(form.data, error.year)
            form.is_valid()
            form.add_error(None, error)
            context.update(form=form)
            return self.render_to_response(self.get_context_data(**context))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_validation_error(form, error)
            else:
                message_validation_error(request, error)
            return self.render_to_response(self.get_context_data(**context))
        messages.success(
            request,
            _("已创建公示，公示期为 %(start)s 至 %(end)s；公示页面须经审核通过后才会发布。")
            % {"start": notice.starts_on.isoformat(), "end": notice.ends_on.isoformat()},
        )
        return response or redirect("publication:notice", notice.pk)


class NoticeView(PublicationView):
    """One notice: its period, every objection with its resolution, and the awards."""

    template_name = "scoring/admin/publication_notice.html"
    scope = staticmethod(queries.notices_for)

    def get_page_title(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notice = self.object
        today = local_today()
        context.update(
            notice=notice,
            phase=notice_phase(notice, today=today),
            entries=queries.proposed_entries(notice.snapshot_id),
            individual=notice.snapshot.is_individual,
            objections=queries.notice_objections(notice.pk),
            awards=queries.announced_awards(notice.snapshot_id),
            problems=announcement_problems(notice=notice, today=today),
        )
        return context


class AnnounceView(PublicationView):
    template_name = "scoring/admin/publication_announce.html"
    page_title = gettext_lazy("发布表彰决定")
    scope = staticmethod(queries.notices_for)
    form_class = AnnounceForm

    def extra_breadcrumbs(self):
        return [self.notice_breadcrumb(self.object)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notice"] = self.object
        context["entries"] = queries.proposed_entries(self.object.snapshot_id)
        context["individual"] = self.object.snapshot.is_individual
        context["problems"] = announcement_problems(notice=self.object, today=local_today())
        return context

    def post(self, request, pk):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            with transaction.atomic():
                awards = announce_results(
                    notice=self.object,
                    by=request.user,
                    valid_until=form.cleaned_data["valid_until"],
                )
                self.object.refresh_from_db()
                response = run_publication_hooks(AFTER_ANNOUNCE_RESULTS_HOOK, request, self.object)
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(
            request,
            _("已发布表彰决定，共 %(count)d 个获奖单位；获奖名单页面须经审核通过后才会发布。")
            % {"count": len(awards)},
        )
        return response or redirect("publication:notice", self.object.pk)


class ObjectionView(PublicationView):
    """An objection as received (all typed text escaped) and the official's resolution."""

    template_name = "scoring/admin/publication_objection.html"
    page_title = gettext_lazy("处理异议")
    scope = staticmethod(queries.objections_for)
    form_class = ResolveObjectionForm

    def extra_breadcrumbs(self):
        return [self.notice_breadcrumb(self.object.notice)]

    def get_initial(self) -> dict:
        return {"outcome": self.object.outcome, "resolution": self.object.resolution}

    def post(self, request, pk):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            objection = resolve_objection(
                objection=self.object,
                outcome=form.cleaned_data["outcome"],
                resolution=form.cleaned_data["resolution"],
                by=request.user,
            )
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(
            request,
            _("已记录对%(name)s所提异议的处理结论：%(outcome)s。")
            % {"name": objection.real_name, "outcome": objection.get_outcome_display()},
        )
        return redirect("publication:notice", objection.notice_id)


class ObjectionEvidenceView(OfficialOnlyMixin, View):
    """The objector's evidence, as an attachment of the type its content was checked to be."""

    scope = staticmethod(queries.objections_for)

    def get(self, request, pk: int):
        objection = self.object
        extension = "." + objection.evidence.name.rsplit(".", 1)[-1].lower()
        response = file_download(
            objection.evidence,
            filename=objection.evidence_name or f"evidence{extension}",
            content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        )
        record_evidence_download(objection=objection, by=request.user)
        return response


class RevokeAwardView(PublicationView):
    template_name = "scoring/admin/publication_revoke.html"
    page_title = gettext_lazy("撤销奖项")
    scope = staticmethod(queries.awards_for)
    form_class = RevokeAwardForm

    def extra_breadcrumbs(self):
        notice = getattr(self.object.snapshot, "notice", None)
        return [self.notice_breadcrumb(notice)] if notice else []

    def post(self, request, pk):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            award = revoke_award(
                award=self.object, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(
            request,
            _("已撤销%(organization)s的%(level)s。")
            % {"organization": award.application.display_name, "level": award.level},
        )
        notice = getattr(award.snapshot, "notice", None)
        return (
            redirect("publication:notice", notice.pk) if notice else redirect("publication:index")
        )
