"""The recommender's pages under /portal/recommendations/, and the region's read-only list.

Who may use them: recommenders (staff of a recommending body) see their own body's queue and
applications; anyone else, and any application routed to another body, gets 404. The region list
is for officials and recommenders of a city or county (an authority with a parent): the
applications of their region to higher authorities' programmes, with their status only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from awards.enums import RecommendationStatus
from awards.forms.errors import add_validation_error
from awards.forms.recommendations import (
    DECLINE,
    RECOMMEND,
    RETURN,
    RecommendationDecisionForm,
    WithdrawRecommendationForm,
)
from awards.permissions.rules import follows_region, is_recommender
from awards.queries import recommendations_for, region_applications_for, timeline_prefetch
from awards.services.recommendations import (
    deadline_passed,
    decline,
    quota_used,
    recommend,
    return_for_correction,
    withdraw_recommendation,
)
from awards.validators import parse_id
from awards.views.methods import methods

PAGE_SIZE = 50


def _only(predicate: Callable) -> Callable:
    def decorate(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not predicate(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


recommender_required = _only(is_recommender)
region_follower_required = _only(follows_region)


@recommender_required
def queue(request: HttpRequest) -> HttpResponse:
    """The body's applications, pending first by default; filter by status and cycle."""
    if not_allowed := methods(request, "GET"):
        return not_allowed
    rows = recommendations_for(request.user).order_by("application__submitted_at", "pk")
    status = request.GET.get("status", RecommendationStatus.PENDING)
    if status in RecommendationStatus.values:
        rows = rows.filter(status=status)
    cycle_id = request.GET.get("cycle", "")
    if cycle_id:
        cycle = parse_id(cycle_id)
        rows = rows.filter(application__cycle_id=cycle) if cycle else rows.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    return render(
        request,
        "awards/recommendations/queue.html",
        {
            "page": page,
            "rows": page.object_list,
            # The shared table lists applications; each carries its recommendation (the row).
            "applications": [row.application for row in page.object_list],
            "statuses": list(RecommendationStatus),
            "selected_status": status,
            "selected_cycle": cycle_id,
        },
    )


def _detail_context(recommendation, *, decision_form=None, withdraw_form=None) -> dict:
    application = recommendation.application
    quota = application.cycle.programme.recommendation_quota
    return {
        "recommendation": recommendation,
        "application": application,
        "quota": quota,
        "quota_used": quota_used(recommendation),
        "can_decide": recommendation.status == RecommendationStatus.PENDING
        and application.status == "submitted"
        and not deadline_passed(recommendation),
        "can_withdraw": recommendation.status == RecommendationStatus.RECOMMENDED
        and application.status == "submitted"
        and not deadline_passed(recommendation),
        "decision_form": decision_form or RecommendationDecisionForm(),
        "withdraw_form": withdraw_form or WithdrawRecommendationForm(),
    }


def _recommendation_or_404(request: HttpRequest, pk: int):
    return get_object_or_404(
        recommendations_for(request.user).prefetch_related("application__attachments", _timeline()),
        pk=pk,
    )


def _timeline():
    prefetch = timeline_prefetch()
    prefetch.add_prefix("application")
    return prefetch


@recommender_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the application and the decision form; POST: recommend, return or decline."""
    recommendation = _recommendation_or_404(request, pk)
    if not_allowed := methods(request, "GET", "POST"):
        return not_allowed
    if request.method == "GET":
        return render(
            request, "awards/recommendations/decision.html", _detail_context(recommendation)
        )
    form = RecommendationDecisionForm(request.POST, request.FILES)
    if form.is_valid():
        choice = form.cleaned_data["decision"]
        text = form.cleaned_data["text"]
        try:
            if choice == RECOMMEND:
                recommend(
                    recommendation=recommendation,
                    opinion=text,
                    scan=form.cleaned_data["scan"],
                    by=request.user,
                )
                done = _("已推荐“%(organization)s”。")
            elif choice == RETURN:
                return_for_correction(recommendation=recommendation, reason=text, by=request.user)
                done = _("已将“%(organization)s”的申报退回修改。")
            else:
                assert choice == DECLINE
                decline(recommendation=recommendation, reason=text, by=request.user)
                done = _("已对“%(organization)s”作出不予推荐的决定。")
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                error = ValidationError(
                    {
                        ("text" if key in ("opinion", "reason") else key): value
                        for key, value in error.error_dict.items()
                    }
                )
            add_validation_error(form, error)
        else:
            messages.success(
                request, done % {"organization": recommendation.application.organization.name}
            )
            return redirect("awards:recommendation_queue")
    return render(
        request,
        "awards/recommendations/decision.html",
        _detail_context(recommendation, decision_form=form),
    )


@recommender_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: withdraw a recommendation with a reason (before the recommendation deadline)."""
    recommendation = _recommendation_or_404(request, pk)
    if not_allowed := methods(request, "POST"):
        return not_allowed
    form = WithdrawRecommendationForm(request.POST)
    if form.is_valid():
        try:
            withdraw_recommendation(
                recommendation=recommendation,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                _("已撤销对“%(organization)s”的推荐，该申报回到待推荐列表。")
                % {"organization": recommendation.application.organization.name},
            )
            return redirect("awards:recommendation_decision", pk=recommendation.pk)
    return render(
        request,
        "awards/recommendations/decision.html",
        _detail_context(recommendation, withdraw_form=form),
    )


@region_follower_required
def region_applications(request: HttpRequest) -> HttpResponse:
    """Read-only: the region's applications to higher authorities' cycles, status only."""
    if not_allowed := methods(request, "GET"):
        return not_allowed
    rows = region_applications_for(request.user).order_by(
        "cycle__programme__name", "-cycle__edition", "organization__name"
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    return render(
        request,
        "awards/recommendations/region.html",
        {"page": page, "applications": page.object_list},
    )
