"""The panel's consensus page: the leader records it, every member reads it and comments.

Before every active member has submitted, the page says so and shows no scores at all.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from scoring.bands import format_points, item_points
from scoring.review.forms.consensus import (
    ConsensusCommentForm,
    ConsensusItemForm,
    consensus_initial,
)
from scoring.review.forms.reviewer import VersionForm
from scoring.review.models import Panel
from scoring.review.services.consensus import (
    ConsensusLocked,
    ConsensusTable,
    IncompleteConsensus,
    comment_on_consensus,
    consensus_table,
    finalize_consensus,
    save_consensus,
)
from scoring.review.services.scorecards import StaleVersion, framework_total_points
from scoring.review.views.access import open_panel, reviewer_required


def _forms(request: HttpRequest, table: ConsensusTable, *, bound: bool) -> dict:
    data = request.POST if bound else None
    return {
        row.item.code: ConsensusItemForm(data, item=row.item, initial=consensus_initial(row.agreed))
        for row in table.rows
    }


def _render(
    request: HttpRequest,
    panel: Panel,
    table: ConsensusTable,
    *,
    forms: dict | None = None,
    version: int | None = None,
    missing=None,
    comment_form: ConsensusCommentForm | None = None,
) -> HttpResponse:
    is_leader = panel.leader_id == request.user.pk
    editable = table.ready and is_leader and not table.is_final
    forms = forms if forms is not None else _forms(request, table, bound=False)
    if not editable:
        for form in forms.values():
            for name, field in form.fields.items():
                field.widget.attrs["readonly" if name != "percent" else "disabled"] = True
    items = [row.item for row in table.rows]
    rows = []
    total = None
    for row in table.rows:
        agreed_percent = row.agreed.percent if row.agreed else None
        points = item_points(row.item.points, agreed_percent)
        if points is not None:
            total = (total or 0) + points
        rows.append(
            {
                "row": row,
                "cells": list(zip(table.members, row.scores, strict=True)),
                "mean": None if row.mean is None else f"{row.mean:.1f}",
                "form": forms.get(row.item.code),
                "points": format_points(points),
            }
        )
    return render(
        request,
        "scoring/reviewer/consensus.html",
        {
            "panel": panel,
            "stage": panel.stage,
            "cycle": panel.stage.cycle,
            "application": panel.application,
            "application_name": panel.application.display_name,
            "table": table,
            "rows": rows,
            "is_leader": is_leader,
            "editable": editable,
            "version": table.version if version is None else version,
            "missing": missing,
            "agreed_total": format_points(total),
            "framework_total": framework_total_points(panel.application),
            "comment_form": comment_form or ConsensusCommentForm(items=items),
        },
    )


def _valid_entries(request: HttpRequest, forms: dict) -> tuple[int | None, dict | None]:
    version_form = VersionForm(request.POST)
    valid = [form.is_valid() for form in forms.values()]
    if not version_form.is_valid() or not all(valid):
        messages.error(request, _("有条款填写有误，请按提示更正后再保存；本次未保存。"))
        return None, None
    entries = {code: form.entry() for code, form in forms.items()}
    return version_form.cleaned_data["version"], entries


@reviewer_required
def consensus_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the spreads, flags, draft and comments; POST (leader): save the draft."""
    panel, response = open_panel(request, pk, "GET", "POST")
    if response:
        return response
    table = consensus_table(panel=panel)
    if request.method == "GET" or not table.ready:
        if request.method == "POST":
            messages.error(request, _("评审组还有专家未提交评分表，全部提交后才能形成共识。"))
        return _render(request, panel, table)
    forms = _forms(request, table, bound=True)
    expected, entries = _valid_entries(request, forms)
    if entries is None:
        return _render(request, panel, table, forms=forms)
    try:
        save_consensus(panel=panel, expected_version=expected, entries=entries, by=request.user)
    except StaleVersion as error:
        messages.error(request, error.messages[0])
        return _render(request, panel, table, forms=forms, version=error.current_version)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _render(request, panel, table, forms=forms)
    messages.success(request, _("已保存共识草稿。"))
    return redirect("scoring:consensus", pk=panel.pk)


@reviewer_required
def finalize_view(request: HttpRequest, pk: int) -> HttpResponse:
    """POST (leader): save the posted draft, then finalize it if nothing is missing."""
    panel, response = open_panel(request, pk, "POST")
    if response:
        return response
    table = consensus_table(panel=panel)
    if not table.ready:
        messages.error(request, _("评审组还有专家未提交评分表，全部提交后才能形成共识。"))
        return _render(request, panel, table)
    forms = _forms(request, table, bound=True)
    expected, entries = _valid_entries(request, forms)
    if entries is None:
        return _render(request, panel, table, forms=forms)
    try:
        finalize_consensus(panel=panel, expected_version=expected, entries=entries, by=request.user)
    except IncompleteConsensus as error:
        messages.error(request, _("已保存共识草稿，但还不能确定共识：请补全下列内容。"))
        table = consensus_table(panel=panel)
        return _render(
            request,
            panel,
            table,
            forms=_forms(request, table, bound=False),
            missing=error.missing,
        )
    except StaleVersion as error:
        messages.error(request, error.messages[0])
        return _render(request, panel, table, forms=forms, version=error.current_version)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _render(request, panel, table, forms=forms)
    messages.success(request, _("共识已确定。"))
    return redirect("scoring:consensus", pk=panel.pk)


@reviewer_required
def comment_view(request: HttpRequest, pk: int) -> HttpResponse:
    """POST (any member): comment on the consensus draft."""
    panel, response = open_panel(request, pk, "POST")
    if response:
        return response
    table = consensus_table(panel=panel)
    form = ConsensusCommentForm(request.POST, items=[row.item for row in table.rows])
    if not table.ready:
        messages.error(request, _("评审组还有专家未提交评分表，全部提交后才能形成共识。"))
        return _render(request, panel, table)
    if not form.is_valid():
        return _render(request, panel, table, comment_form=form)
    try:
        comment_on_consensus(
            panel=panel,
            author=request.user,
            text=form.cleaned_data["text"],
            item=form.selected_item(),
        )
    except (ConsensusLocked, ValidationError) as error:
        messages.error(request, error.messages[0])
        return _render(request, panel, table, comment_form=form)
    messages.success(request, _("已发表意见。"))
    return redirect(reverse("scoring:consensus", kwargs={"pk": panel.pk}) + "#comments")
