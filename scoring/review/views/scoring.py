"""Scoring one assignment: item by item beside the application, submission, recusal and the
checked download of the application's attachments (the whole sheet: ``scoring_sheet``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Attachment
from awards.queries import application_summary
from awards.services.application_attachments import record_attachment_download
from awards.services.downloads import record_application_pdf_download
from awards.views.application_autosave import autosave_messages
from awards.views.downloads import file_download
from scoring.bands import BANDS, DIMENSIONS, band_for, format_points, item_points
from scoring.review.forms.reviewer import ItemScoreForm, RecusalForm, VersionForm, item_initial
from scoring.review.models import Assignment
from scoring.review.queries.defence import site_issues_for
from scoring.review.queries.reviewer import Sheet, application_attachments, scoring_sheet
from scoring.review.services.recusal import recuse
from scoring.review.services.scorecards import (
    IncompleteScorecard,
    ScorecardLocked,
    ScoringClosed,
    StaleVersion,
    closed_message,
    framework_total_points,
    item_version,
    missing_items,
    save_scores,
    submit_scorecard,
    window_is_open,
)
from scoring.review.views.access import (
    open_assignment,
    reviewer_required,
)


def item_url(assignment: Assignment, code: str) -> str:
    return reverse("scoring:assignment_item", kwargs={"pk": assignment.pk, "item_code": code})


def read_only_reason(assignment: Assignment, sheet: Sheet) -> str | None:
    if sheet.is_submitted:
        when = timezone.localtime(sheet.scorecard.submitted_at).strftime("%Y-%m-%d %H:%M")
        return _("评分表已于 %(when)s 提交并锁定；如需修改，请联系质量奖办公室退回。") % {
            "when": when
        }
    stage = assignment.panel.stage
    if not window_is_open(stage):
        return closed_message(stage) + _("页面只读。")
    return None


def lock_widgets(forms) -> None:
    """Read-only, yet keeping any text the reviewer typed visible (and copyable)."""
    for form in forms:
        for name, field in form.fields.items():
            field.widget.attrs["readonly" if name != "percent" else "disabled"] = True


def base_context(assignment: Assignment, sheet: Sheet) -> dict:
    panel = assignment.panel
    return {
        "assignment": assignment,
        "panel": panel,
        "stage": panel.stage,
        "cycle": panel.stage.cycle,
        "application": panel.application,
        "application_name": panel.application.display_name,
        "organization": panel.application.organization,
        "sheet": sheet,
        "total_points": format_points(sheet.total_points),
        "framework_total": framework_total_points(panel.application),
        "read_only_reason": read_only_reason(assignment, sheet),
        "is_leader": panel.leader_id == assignment.reviewer_id,
        "site_issues": site_issues_for(panel),
    }


def nav_groups(sheet: Sheet, summary) -> list[tuple[str, str, list]]:
    """The items by category for the side navigation: (code, name, entries)."""
    names = {category.code: category.name for category in summary.categories}
    groups: dict[str, list] = {}
    for entry in sheet.items:
        groups.setdefault(entry.item.category_code, []).append(entry)
    return [(code, names.get(code, ""), entries) for code, entries in groups.items()]


def labelled_attachments(assignment: Assignment, summary) -> list[tuple[str, Attachment]]:
    """(requirement name, attachment) for every file, named by the cycle's requirements."""
    names = {requirement.code: requirement.name for requirement, _files in summary.requirements}
    return [
        (names.get(attachment.requirement_code, attachment.requirement_code), attachment)
        for attachment in application_attachments(assignment.panel.application)
    ]


@dataclass
class SaveOutcome:
    saved: bool
    version: int | None = None


def save_forms(request: HttpRequest, assignment: Assignment, forms: dict) -> SaveOutcome:
    """Validate the posted item form and save it, locked on its item; messages say what
    happened."""
    version_form = VersionForm(request.POST)
    valid = [form.is_valid() for form in forms.values()]
    if not version_form.is_valid():
        messages.error(request, _("页面信息不完整，请刷新后重试。"))
        return SaveOutcome(False)
    if not all(valid):
        messages.error(request, _("有条款填写有误，请按提示更正后再保存；本次未保存。"))
        return SaveOutcome(False)
    try:
        scorecard = save_scores(
            assignment=assignment,
            expected_version=version_form.cleaned_data["version"],
            entries={code: form.entry() for code, form in forms.items()},
            by=request.user,
            per_item=True,
        )
    except StaleVersion as error:
        messages.error(request, error.messages[0])
        return SaveOutcome(False, error.current_version)
    except (ScoringClosed, ScorecardLocked) as error:
        messages.error(request, error.messages[0])
        return SaveOutcome(False)
    except ValidationError as error:
        for code, errors in error.message_dict.items():
            forms[code].add_error("percent", errors)
        messages.error(request, _("有条款填写有误，请按提示更正后再保存；本次未保存。"))
        return SaveOutcome(False)
    return SaveOutcome(True, scorecard.version)


@reviewer_required
def item_view(request: HttpRequest, pk: int, item_code: str | None = None) -> HttpResponse:
    """One item beside the application: bands, percentage, strengths and improvements."""
    assignment, answer = open_assignment(request, pk, "GET", "POST")
    if answer is not None:
        return answer
    sheet = scoring_sheet(assignment)
    code = item_code or request.GET.get("item") or sheet.items[0].item.code
    entry = sheet.entry(code)
    if entry is None:
        raise Http404
    form = ItemScoreForm(
        request.POST if request.method == "POST" else None,
        item=entry.item,
        initial=item_initial(entry.score),
    )
    version = item_version(sheet.scorecard, code)
    saved_now = None
    previous, following = sheet.neighbours(code)
    if request.method == "POST":
        outcome = save_forms(request, assignment, {code: form})
        if outcome.saved:
            messages.success(
                request,
                _("已保存 %(code)s %(name)s。") % {"code": code, "name": entry.item.name},
            )
            go_next = "save_next" in request.POST and following is not None
            return redirect(item_url(assignment, following.item.code if go_next else code))
        if outcome.version is not None:
            version = outcome.version
            sheet = scoring_sheet(assignment)
            saved_now = sheet.entry(code)
    context = base_context(assignment, sheet)
    if context["read_only_reason"]:
        lock_widgets([form])
    summary = application_summary(assignment.panel.application)
    summary_item = next(
        (item for category in summary.categories for item in category.items if item.code == code),
        None,
    )
    selected = form["percent"].value()
    context.update(
        {
            "entry": entry,
            "item": entry.item,
            "form": form,
            "version": version,
            "saved_now": saved_now,
            "previous": previous,
            "following": following,
            "summary": summary,
            "summary_item": summary_item,
            "nav_groups": nav_groups(sheet, summary),
            "attachments": labelled_attachments(assignment, summary),
            "self_points": format_points(
                item_points(entry.item.points, getattr(summary_item, "self_percent", None))
            ),
            "autosave_messages": autosave_messages(),
            "bands": BANDS,
            "dimensions": DIMENSIONS.get(entry.item.kind),
            "current_band": band_for(int(selected)) if str(selected or "").isdigit() else None,
        }
    )
    return render(request, "scoring/reviewer/item.html", context)


@reviewer_required
def submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what is still missing; POST: submit and lock the scorecard."""
    assignment, answer = open_assignment(request, pk, "GET", "POST")
    if answer is not None:
        return answer
    sheet = scoring_sheet(assignment)
    missing = missing_items(
        [entry.item for entry in sheet.items],
        {entry.item.pk: entry.score for entry in sheet.items if entry.score},
    )
    if request.method == "POST":
        version_form = VersionForm(request.POST)
        expected = version_form.cleaned_data["version"] if version_form.is_valid() else None
        try:
            if sheet.scorecard is None:
                raise IncompleteScorecard(missing)
            submit_scorecard(scorecard=sheet.scorecard, by=request.user, expected_version=expected)
        except IncompleteScorecard as error:
            missing = error.missing
            messages.error(request, error.messages[0])
        except (StaleVersion, ScoringClosed) as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("评分表已提交。感谢您的独立评审。"))
            return redirect("scoring:assignment", pk=assignment.pk)
        sheet = scoring_sheet(assignment)
    context = base_context(assignment, sheet)
    context.update(
        {
            "missing": [(entry, item_url(assignment, entry.code)) for entry in missing],
            "version": sheet.version,
        }
    )
    return render(request, "scoring/reviewer/submit.html", context)


@reviewer_required
def recuse_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the recusal form; POST: withdraw from this assignment with a reason."""
    assignment, answer = open_assignment(request, pk, "GET", "POST")
    if answer is not None:
        return answer
    form = RecusalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            recuse(assignment=assignment, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("已申请回避，质量奖办公室将另行安排评审专家。"))
            return redirect("scoring:workspace")
    context = base_context(assignment, scoring_sheet(assignment))
    context["form"] = form
    return render(request, "scoring/reviewer/recuse.html", context)


@reviewer_required
def application_pdf_view(request: HttpRequest, pk: int, inline: bool = False) -> HttpResponse:
    """The assigned application's 申报书 PDF, to save or (``inline``) to read in the browser;
    audited like a download."""
    assignment, answer = open_assignment(request, pk, "GET")
    if answer is not None:
        return answer
    application = assignment.panel.application
    name = _("%(organization)s-申报书.pdf") % {"organization": application.display_name}
    response = file_download(application.pdf, filename=name, inline=inline)
    context = {"assignment": assignment.pk, **({"inline": True} if inline else {})}
    record_application_pdf_download(application=application, by=request.user, **context)
    return response


@reviewer_required
def attachment_view(
    request: HttpRequest, pk: int, attachment_pk: int, inline: bool = False
) -> HttpResponse:
    """Stream one attachment of the assigned application from the private storage (audited);
    ``inline`` shows a PDF or an image in the browser."""
    assignment, answer = open_assignment(request, pk, "GET")
    if answer is not None:
        return answer
    attachment = get_object_or_404(
        Attachment.objects.select_related("application"),
        application_id=assignment.panel.application_id,
        pk=attachment_pk,
    )
    response = file_download(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        inline=inline,
    )
    context = {"assignment": assignment.pk, **({"inline": True} if inline else {})}
    record_attachment_download(attachment=attachment, by=request.user, **context)
    return response
