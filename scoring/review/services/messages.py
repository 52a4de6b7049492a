"""What the review tells reviewers (one call per event, from the review services)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q

from awards.models import Application, User
from awards.services.notifications.audiences import (
    application_context,
    local_text,
    path_or_portal,
    to_people,
)
from awards.services.notifications.outbox import notify_each
from scoring.enums import AssignmentStatus, ScorecardStatus
from scoring.review.models import Assignment, Panel, ReviewStage


def reviewers_assigned(stage: ReviewStage, pairs: Iterable[tuple[int, int]]) -> None:
    """``pairs`` are (application id, reviewer id) newly on the stage's panels."""
    pairs = list(pairs)
    if not pairs:
        return
    applications = Application.objects.select_related("organization", "candidate").in_bulk(
        {app_id for app_id, _ in pairs}
    )
    reviewers = User.objects.in_bulk({reviewer_id for _, reviewer_id in pairs})
    context = {
        "cycle": str(stage.cycle),
        "stage": stage.get_kind_display(),
        "opens": local_text(stage.opens_at),
        "closes": local_text(stage.closes_at),
    }
    link = path_or_portal("scoring:workspace")
    notify_each(
        event="review.assigned",
        authority_id=stage.cycle.programme.authority_id,
        items=[
            (
                reviewers[reviewer_id],
                f"assigned:{stage.pk}:{app_id}",
                {**context, **application_context(applications[app_id])},
                link,
            )
            for app_id, reviewer_id in sorted(pairs)
        ],
    )


def consensus_needed_if_complete(panel: Panel) -> None:
    """When the last active member submits, the leader is asked to form the consensus."""
    counts = Assignment.objects.filter(panel=panel, status=AssignmentStatus.ACTIVE).aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(scorecard__status=ScorecardStatus.SUBMITTED)),
    )
    if not counts["total"] or counts["submitted"] < counts["total"] or panel.leader_id is None:
        return
    stage = panel.stage
    to_people(
        "review.consensus_needed",
        people=[panel.leader],
        key=f"consensus:{panel.pk}",
        authority_id=stage.cycle.programme.authority_id,
        link=path_or_portal("scoring:consensus", pk=panel.pk),
        cycle=str(stage.cycle),
        stage=stage.get_kind_display(),
        **application_context(panel.application),
    )
