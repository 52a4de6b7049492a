"""Choosing each panel's group leader (组长) once the members are known.

Leader choice is a separate, greedy step because it never changes who sits on a panel: the
flow model already guarantees a leader-capable member wherever one can be placed. Walking
applications in id order and counting leaderships so far spreads the role evenly and keeps the
outcome reproducible.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from .types import (
    ApplicationId,
    ApplicationSlot,
    ReviewerCapacity,
    ReviewerId,
    Shortfall,
    ShortfallReason,
    id_key,
)


def choose_leaders(
    *,
    panels: Mapping[ApplicationId, Sequence[ReviewerId]],
    applications: Sequence[ApplicationSlot],
    reviewers: Sequence[ReviewerCapacity],
) -> dict[ApplicationId, ReviewerId]:
    """Pick one leader per panel, keeping leaders an official already chose.

    Among members who may lead, prefer an expertise match, then a higher
    ``leader_priority``, then whoever leads fewest panels so far, then the smallest id.
    Panels without a member who may lead get no entry.
    """
    by_id = {reviewer.id: reviewer for reviewer in reviewers}
    ordered = sorted(applications, key=lambda slot: id_key(slot.id))
    led: dict[ReviewerId, int] = {}
    for slot in ordered:
        if slot.leader is not None:
            led[slot.leader] = led.get(slot.leader, 0) + 1
    leaders: dict[ApplicationId, ReviewerId] = {}
    for slot in ordered:
        if slot.leader is not None:
            leaders[slot.id] = slot.leader
            continue
        candidates = [by_id[member] for member in panels.get(slot.id, ()) if by_id[member].can_lead]
        if not candidates:
            continue
        best = min(
            candidates,
            key=lambda reviewer: (
                not reviewer.matches(slot.industry),
                -reviewer.leader_priority,
                led.get(reviewer.id, 0),
                id_key(reviewer.id),
            ),
        )
        leaders[slot.id] = best.id
        led[best.id] = led.get(best.id, 0) + 1
    return leaders


def leader_shortfalls(
    *,
    leaders: Mapping[ApplicationId, ReviewerId],
    applications: Sequence[ApplicationSlot],
    reviewers: Sequence[ReviewerCapacity],
    conflicts: Collection[tuple[ApplicationId, ReviewerId]],
) -> tuple[Shortfall, ...]:
    """Explain every panel (of non-zero size) that ended up without a leader."""
    found = []
    for slot in sorted(applications, key=lambda item: id_key(item.id)):
        if slot.panel_size == 0 or slot.id in leaders:
            continue
        possible = sum(
            1
            for reviewer in reviewers
            if reviewer.can_lead
            and ((slot.id, reviewer.id) not in conflicts or reviewer.id in slot.already_assigned)
        )
        if possible == 0:
            reason = ShortfallReason.NO_ELIGIBLE_LEADER
        elif slot.open_seats == 0:
            reason = ShortfallReason.FULL_WITHOUT_LEADER
        else:
            reason = ShortfallReason.LEADERS_AT_CAPACITY
        found.append(
            Shortfall(
                application_id=slot.id,
                missing=1,
                reason=reason,
                eligible_reviewers=possible,
                panel_size=slot.panel_size,
            )
        )
    return tuple(found)
