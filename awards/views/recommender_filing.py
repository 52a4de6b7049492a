"""A recommending body files an individual application itself (代为申报个人奖).

Who may use these pages: recommenders (staff of a recommending body), for the cycles whose
programme requires recommendation and accepts their body (``individuals.filing_cycles``) and the
registered organizations of their body's region (``individuals.filing_organizations``); anyone
else, another cycle and another region's organization get 404. The application belongs to the
employer; the body fills it in through the ordinary wizard and submits it as its recommendation.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from awards.forms.errors import message_validation_error
from awards.models import Cycle
from awards.services.individuals import (
    filed_applications,
    filing_cycles,
    filing_organizations,
    start_individual_application,
)
from awards.views.methods import methods
from awards.views.recommendations import PAGE_SIZE, recommender_required


def _filing_cycle_or_404(request: HttpRequest, cycle_pk: int) -> Cycle:
    for cycle in filing_cycles(request.user.authority):
        if cycle.pk == cycle_pk:
            return cycle
    raise Http404


@recommender_required
def individual_filing(request: HttpRequest) -> HttpResponse:
    """The cycles the body may file in, and the applications it filed (with their status)."""
    if not_allowed := methods(request, "GET"):
        return not_allowed
    body = request.user.authority
    page = Paginator(filed_applications(body), PAGE_SIZE).get_page(request.GET.get("p"))
    return render(
        request,
        "awards/recommendations/individual_filing.html",
        {"cycles": filing_cycles(body), "page": page, "applications": page.object_list},
    )


@recommender_required
def individual_organizations(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """The region's registered organizations (searchable by name or credit code), each with a
    button that starts an application for a person it employs."""
    cycle = _filing_cycle_or_404(request, cycle_pk)
    if not_allowed := methods(request, "GET"):
        return not_allowed
    rows = filing_organizations(request.user.authority)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(credit_code__icontains=query))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    return render(
        request,
        "awards/recommendations/individual_organizations.html",
        {"cycle": cycle, "page": page, "organizations": page.object_list, "query": query},
    )


@recommender_required
def individual_start(request: HttpRequest, cycle_pk: int, organization_pk: int) -> HttpResponse:
    """POST: start the draft for a person employed by the organization, then fill it in."""
    cycle = _filing_cycle_or_404(request, cycle_pk)
    organization = get_object_or_404(
        filing_organizations(request.user.authority), pk=organization_pk
    )
    if not_allowed := methods(request, "POST"):
        return not_allowed
    try:
        application = start_individual_application(
            cycle=cycle, organization=organization, by=request.user
        )
    except ValidationError as error:
        message_validation_error(request, error)
        return redirect("awards:individual_filing_organizations", cycle_pk=cycle.pk)
    messages.success(
        request,
        _("已为“%(organization)s”创建个人奖申报草稿，请先填写候选人信息。")
        % {"organization": organization.name},
    )
    return redirect("awards:application_resume", pk=application.pk)
