"""Scoring windows by the clock: reviewers hear when a stage's window opens and, if they still
have unsubmitted scorecards, two days before it closes. Idempotent: each message's dedupe key
names the stage and the moment, so an hourly run sends each once (and again only if an official
moves the window)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from awards.models import User
from awards.services.notifications.audiences import local_text, path_or_portal, to_people
from scoring.enums import AssignmentStatus
from scoring.review.models import Assignment, ReviewStage
from scoring.review.services.progress import pending_by_reviewer

CLOSING_AHEAD = dt.timedelta(days=2)


def _announce(stage: ReviewStage, event: str, counts: dict[int, int], key: str) -> int:
    users = User.objects.in_bulk(list(counts))
    for reviewer_id in sorted(counts):
        to_people(
            event,
            people=[users[reviewer_id]],
            key=key,
            authority_id=stage.cycle.programme.authority_id,
            link=path_or_portal("scoring:workspace"),
            cycle=str(stage.cycle),
            stage=stage.get_kind_display(),
            count=counts[reviewer_id],
            closes=local_text(stage.closes_at),
        )
    return len(counts)


def announce_scoring_windows(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    told = 0
    open_stages = ReviewStage.objects.filter(opens_at__lte=now, closes_at__gt=now).select_related(
        "cycle__programme"
    )
    for stage in open_stages.order_by("pk"):
        assigned = Counter(
            Assignment.objects.filter(
                panel__stage=stage, status=AssignmentStatus.ACTIVE
            ).values_list("reviewer_id", flat=True)
        )
        told += _announce(
            stage,
            "review.window_opened",
            assigned,
            f"opened:{stage.pk}:{stage.opens_at.isoformat()}",
        )
        if stage.closes_at - now <= CLOSING_AHEAD:
            pending = {pk: len(names) for pk, names in pending_by_reviewer(stage).items()}
            told += _announce(
                stage,
                "review.window_closing",
                pending,
                f"closing:{stage.pk}:{stage.closes_at.isoformat()}",
            )
    return told
