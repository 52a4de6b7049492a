"""The reviewer's workspace, the cycle's confidentiality commitment and declared ties."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from scoring.review.forms.reviewer import (
    CommitmentForm,
    ConflictDeclarationForm,
    OrganizationSearchForm,
)
from scoring.review.queries.reviewer import (
    commitment_for,
    declarations_of,
    search_organizations,
    workspace,
)
from scoring.review.services.commitments import (
    accept_commitment,
    declare_conflict,
    finish_declarations,
)
from scoring.review.views.access import cycle_or_404, methods, reviewer_required


@reviewer_required
def workspace_view(request: HttpRequest) -> HttpResponse:
    """The reviewer's assignments per cycle and stage, with progress."""
    if not_allowed := methods(request, "GET"):
        return not_allowed
    return render(
        request, "scoring/reviewer/workspace.html", {"blocks": workspace(reviewer=request.user)}
    )


@reviewer_required
def commitment_view(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """GET: the confidentiality commitment (保密承诺); POST: accept it."""
    cycle = cycle_or_404(request, cycle_pk)
    if not_allowed := methods(request, "GET", "POST"):
        return not_allowed
    commitment = commitment_for(reviewer=request.user, cycle=cycle)
    form = CommitmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and commitment is None and form.is_valid():
        accept_commitment(reviewer=request.user, cycle=cycle)
        messages.success(request, _("已签署保密承诺。请申报与本届申报单位的利益关系。"))
        return redirect("scoring:conflicts", cycle_pk=cycle.pk)
    if request.method == "POST" and commitment is not None:
        return redirect("scoring:conflicts", cycle_pk=cycle.pk)
    return render(
        request,
        "scoring/reviewer/commitment.html",
        {"cycle": cycle, "commitment": commitment, "form": form},
    )


@reviewer_required
def conflicts_view(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """GET: search organizations and see declared ties; POST: declare one tie."""
    cycle = cycle_or_404(request, cycle_pk)
    if not_allowed := methods(request, "GET", "POST"):
        return not_allowed
    commitment = commitment_for(reviewer=request.user, cycle=cycle)
    if commitment is None:
        messages.info(request, _("请先签署本届评审的保密承诺。"))
        return redirect("scoring:commitment", cycle_pk=cycle.pk)
    prefix = cycle.programme.authority.region_prefix
    search = OrganizationSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    declare_form = None
    if request.method == "POST":
        declare_form = ConflictDeclarationForm(request.POST, region_prefix=prefix)
        if declare_form.is_valid():
            data = declare_form.cleaned_data
            try:
                declare_conflict(
                    reviewer=request.user,
                    cycle=cycle,
                    organization=data["organization"],
                    relation=data["relation"],
                    note=data["note"],
                )
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(
                    request,
                    _("已申报与“%(organization)s”的利益关系，该单位的申报材料将对您回避。")
                    % {"organization": data["organization"].name},
                )
                url = reverse("scoring:conflicts", kwargs={"cycle_pk": cycle.pk})
                return redirect(f"{url}?{urlencode({'q': query})}" if query else url)
    results = [
        (
            organization,
            ConflictDeclarationForm(
                region_prefix=prefix,
                initial={"organization": organization.pk},
                auto_id=f"id_org{organization.pk}_%s",
            ),
        )
        for organization in search_organizations(cycle=cycle, query=query)
    ]
    return render(
        request,
        "scoring/reviewer/conflicts.html",
        {
            "cycle": cycle,
            "commitment": commitment,
            "search": search,
            "query": query,
            "results": results,
            "declare_form": declare_form,
            "declarations": declarations_of(reviewer=request.user, cycle=cycle),
        },
    )


@reviewer_required
def finish_conflicts_view(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """POST: the reviewer has declared every tie (possibly none)."""
    cycle = cycle_or_404(request, cycle_pk)
    if not_allowed := methods(request, "POST"):
        return not_allowed
    try:
        finish_declarations(reviewer=request.user, cycle=cycle)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("scoring:commitment", cycle_pk=cycle.pk)
    messages.success(request, _("已完成利益冲突申报，现在可以查看分配给您的申报材料。"))
    return redirect("scoring:workspace")
