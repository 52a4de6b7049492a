"""Read helpers of the public notice, objections and awards.

Officials see the rows of their own authority only (``*_for(user)``); the public pages read the
proposed list and the awards of one snapshot, each in one query whatever the number of rows.
"""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from awards.permissions.rules import scope_to_authority
from scoring.publication.models import Award, Objection, PublicNotice
from scoring.results.models import ResultEntry, ResultSnapshot


def approved_snapshots_for(user) -> QuerySet[ResultSnapshot]:
    """Approved snapshots of the user's authority, newest first, with their notice (if any)."""
    queryset = (
        ResultSnapshot.objects.filter(approved_at__isnull=False)
        .select_related("cycle__programme", "notice")
        .order_by("-approved_at", "-pk")
    )
    return scope_to_authority(queryset, user, "cycle__programme__authority")


def approved_snapshots_with_counts(user) -> QuerySet[ResultSnapshot]:
    """As ``approved_snapshots_for``, with ``objection_count`` and ``unresolved_count``."""
    return approved_snapshots_for(user).annotate(
        objection_count=Count("notice__objections"),
        unresolved_count=Count("notice__objections", filter=Q(notice__objections__outcome="")),
    )


def notices_for(user) -> QuerySet[PublicNotice]:
    queryset = PublicNotice.objects.select_related("snapshot__cycle__programme")
    return scope_to_authority(queryset, user, "snapshot__cycle__programme__authority")


def objections_for(user) -> QuerySet[Objection]:
    queryset = Objection.objects.select_related(
        "notice__snapshot__cycle__programme",
        "application__organization",
        "application__candidate",
        "resolved_by",
    )
    return scope_to_authority(queryset, user, "notice__snapshot__cycle__programme__authority")


def awards_for(user) -> QuerySet[Award]:
    queryset = Award.objects.select_related(
        "snapshot__cycle__programme",
        "application__organization",
        "application__candidate",
        "revoked_by",
    )
    return scope_to_authority(queryset, user, "snapshot__cycle__programme__authority")


def proposed_entries(snapshot_id: int) -> QuerySet[ResultEntry]:
    """The proposed awards (拟表彰名单) of a snapshot: entries with a level, by rank."""
    return (
        ResultEntry.objects.filter(snapshot_id=snapshot_id)
        .exclude(level="")
        .select_related("application__organization", "application__candidate")
        .order_by("rank", "application_id")
    )


def announced_awards(snapshot_id: int) -> QuerySet[Award]:
    """The awards of a snapshot with their ``rank`` in it, by rank; revoked ones included."""
    rank = ResultEntry.objects.filter(
        snapshot_id=OuterRef("snapshot_id"), application_id=OuterRef("application_id")
    ).values("rank")[:1]
    return (
        Award.objects.filter(snapshot_id=snapshot_id)
        .select_related("application__organization", "application__candidate")
        .annotate(rank=Subquery(rank))
        .order_by("rank", "application_id")
    )


def notice_objections(notice_id: int) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(notice_id=notice_id)
        .select_related("application__organization", "application__candidate", "resolved_by")
        .order_by("submitted_at", "pk")
    )
