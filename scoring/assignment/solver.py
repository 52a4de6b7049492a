"""Automatic reviewer-panel assignment as one min-cost maximum flow.

Network (one row of nodes per application, one per reviewer)::

    source --open seats--> app --B + mismatch--> reviewer (cannot lead) --+
                            |                                             |
                            +--B----------------> lead_app --mismatch--> reviewer (can lead)
                            +--0, cap 1--> bonus_app --0, cap 1--> lead_app
    reviewer --capacity left, n-th unit costs step * n--> sink

Every application-to-reviewer arc has capacity one, so nobody sits twice on a panel, and
conflicted pairs and manual members simply have no arc. Convex reviewer-to-sink costs spread
load evenly; the mismatch cost steers seats to reviewers of the applicant's industry.
The one cheap "bonus" route per panel without a leader-capable member is what makes panels
take a reviewer who may lead: ``B`` exceeds the cost of any cycle in the network, so any
plan with more such panels is cheaper whatever it does to expertise and load.

The priorities are therefore strict: (1) the most seats filled (it is a maximum flow),
(2) the most panels with a possible leader, (3) the least expertise-plus-load cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .flow import FlowNetwork, min_cost_max_flow
from .leaders import choose_leaders, leader_shortfalls
from .types import (
    DEFAULT_WEIGHTS,
    ApplicationId,
    ApplicationSlot,
    AssignmentPlan,
    AssignmentWeights,
    ReviewerCapacity,
    ReviewerId,
    Shortfall,
    ShortfallReason,
    id_key,
)

SOURCE = 0
SINK = 1


def solve_assignment(
    *,
    applications: Iterable[ApplicationSlot],
    reviewers: Iterable[ReviewerCapacity],
    conflicts: Iterable[tuple[ApplicationId, ReviewerId]] = (),
    weights: AssignmentWeights = DEFAULT_WEIGHTS,
) -> AssignmentPlan:
    """Form every panel, keeping manual assignments, and explain what could not be filled.

    Conflicts naming unknown applications or reviewers are ignored (a service may pass all
    conflicts of the cycle); manual members naming an unknown reviewer are an error, since
    their load could not be counted.
    """
    apps = _sorted_unique(applications, "application")
    revs = _sorted_unique(reviewers, "reviewer")
    conflict_pairs = frozenset(conflicts)
    problem = _Problem.build(apps, revs, conflict_pairs, weights)
    network, seat_arcs = problem.network()
    chosen = problem.chosen_seats(min_cost_max_flow(network, SOURCE, SINK)[seat_arcs])

    members = problem.manual | chosen
    rev_ids = [reviewer.id for reviewer in revs]
    panels = {
        slot.id: tuple(rev_ids[j] for j in np.flatnonzero(members[i]))
        for i, slot in enumerate(apps)
    }
    added = {
        slot.id: tuple(rev_ids[j] for j in np.flatnonzero(chosen[i])) for i, slot in enumerate(apps)
    }
    leaders = choose_leaders(panels=panels, applications=apps, reviewers=revs)
    loads = problem.base_load + chosen.sum(axis=0)
    kept = np.argwhere(problem.manual & problem.conflicted)
    return AssignmentPlan(
        panels=panels,
        added=added,
        leaders=leaders,
        shortfalls=problem.seat_shortfalls(members),
        leader_shortfalls=leader_shortfalls(
            leaders=leaders, applications=apps, reviewers=revs, conflicts=conflict_pairs
        ),
        loads={rev_ids[j]: int(loads[j]) for j in range(len(revs))},
        kept_conflicts=tuple((apps[i].id, rev_ids[j]) for i, j in kept),
    )


def _sorted_unique[T: (ApplicationSlot, ReviewerCapacity)](
    items: Iterable[T], label: str
) -> list[T]:
    ordered = sorted(items, key=lambda item: id_key(item.id))
    for previous, current in zip(ordered, ordered[1:], strict=False):
        if previous.id == current.id:
            raise ValueError(f"duplicate {label} id {current.id!r}")
    return ordered


@dataclass(frozen=True)
class _Problem:
    """The input as dense application x reviewer matrices, in sorted-id order."""

    apps: Sequence[ApplicationSlot]
    revs: Sequence[ReviewerCapacity]
    weights: AssignmentWeights
    conflicted: np.ndarray  # bool [app, reviewer]
    manual: np.ndarray  # bool [app, reviewer]
    matches: np.ndarray  # bool [app, reviewer]
    base_load: np.ndarray  # int [reviewer]: current load plus manual seats
    room: np.ndarray  # int [reviewer]: seats the solver may still give
    can_lead: np.ndarray  # bool [reviewer]
    seats: np.ndarray  # int [option, 2]: (app, reviewer) pairs the solver may create

    @classmethod
    def build(
        cls,
        apps: Sequence[ApplicationSlot],
        revs: Sequence[ReviewerCapacity],
        conflicts: frozenset[tuple[ApplicationId, ReviewerId]],
        weights: AssignmentWeights,
    ) -> _Problem:
        app_index = {slot.id: i for i, slot in enumerate(apps)}
        rev_index = {reviewer.id: j for j, reviewer in enumerate(revs)}
        shape = (len(apps), len(revs))
        conflicted = np.zeros(shape, dtype=bool)
        for app_id, rev_id in conflicts:
            if app_id in app_index and rev_id in rev_index:
                conflicted[app_index[app_id], rev_index[rev_id]] = True
        manual = np.zeros(shape, dtype=bool)
        for i, slot in enumerate(apps):
            for rev_id in slot.already_assigned:
                if rev_id not in rev_index:
                    raise ValueError(
                        f"application {slot.id!r}: manual member {rev_id!r} is not a reviewer"
                    )
                manual[i, rev_index[rev_id]] = True
        industries = sorted({slot.industry for slot in apps})
        industry_index = {name: k for k, name in enumerate(industries)}
        covers = np.array(
            [[name in reviewer.industries for name in industries] for reviewer in revs],
            dtype=bool,
        ).reshape(len(revs), len(industries))
        app_industry = np.array([industry_index[slot.industry] for slot in apps], dtype=np.int64)
        matches = covers[:, app_industry].T.reshape(shape)
        base_load = np.array([r.current_load for r in revs], dtype=np.int64) + manual.sum(0)
        max_load = np.array([r.max_load for r in revs], dtype=np.int64)
        room = np.maximum(max_load - base_load, 0)
        open_seats = np.array([slot.open_seats for slot in apps], dtype=np.int64)
        allowed = ~conflicted & ~manual & (room > 0)[None, :] & (open_seats > 0)[:, None]
        return cls(
            apps=apps,
            revs=revs,
            weights=weights,
            conflicted=conflicted,
            manual=manual,
            matches=matches,
            base_load=base_load,
            room=room,
            can_lead=np.array([r.can_lead for r in revs], dtype=bool),
            seats=np.argwhere(allowed),
        )

    @property
    def open_seats(self) -> np.ndarray:
        return np.array([slot.open_seats for slot in self.apps], dtype=np.int64)

    def network(self) -> tuple[FlowNetwork, slice]:
        """Build the flow network; the slice locates the seat arcs, one per ``seats`` row."""
        n_apps, n_revs = self.manual.shape
        main = 2 + np.arange(n_apps)
        lead = main + n_apps
        bonus = lead + n_apps
        reviewer = 2 + 3 * n_apps + np.arange(n_revs)
        node_count = 2 + 3 * n_apps + n_revs
        w = self.weights
        final_load = int((self.base_load + self.room).max(initial=0))
        # Larger than the expertise-plus-load cost of any cycle: see the module docstring.
        big = 1 + node_count * (w.mismatch_cost + w.load_step_cost * final_load)

        seat_app, seat_rev = self.seats[:, 0], self.seats[:, 1]
        seat_leads = self.can_lead[seat_rev]
        mismatch = np.where(self.matches[seat_app, seat_rev], 0, w.mismatch_cost)
        open_seats = self.open_seats
        has_leader = np.array([slot.leader is not None for slot in self.apps], dtype=bool) | (
            self.manual & self.can_lead[None, :]
        ).any(axis=1)
        lead_route = np.zeros(n_apps, dtype=bool)
        lead_route[seat_app[seat_leads]] = True
        bonus_route = lead_route & ~has_leader
        filling = open_seats > 0
        giving = self.room > 0

        parts = [
            (np.full(filling.sum(), SOURCE), main[filling], open_seats[filling], 0, 0),
            (main[lead_route], lead[lead_route], open_seats[lead_route], big, 0),
            (main[bonus_route], bonus[bonus_route], 1, 0, 0),
            (bonus[bonus_route], lead[bonus_route], 1, 0, 0),
            (
                np.where(seat_leads, lead[seat_app], main[seat_app]),
                reviewer[seat_rev],
                1,
                np.where(seat_leads, 0, big) + mismatch,
                0,
            ),
            (
                reviewer[giving],
                np.full(giving.sum(), SINK),
                self.room[giving],
                w.load_step_cost * (self.base_load[giving] + 1),
                w.load_step_cost,
            ),
        ]
        columns = []
        for tails, heads, caps, costs, slopes in parts:
            size = len(tails)
            columns.append(
                [
                    np.asarray(tails),
                    np.asarray(heads),
                    np.broadcast_to(caps, size),
                    np.broadcast_to(costs, size),
                    np.broadcast_to(slopes, size),
                ]
            )
        tails, heads, caps, costs, slopes = (
            np.concatenate(col) for col in zip(*columns, strict=True)
        )
        start = sum(len(column[0]) for column in columns[:4])
        network = FlowNetwork.from_arcs(node_count, tails, heads, caps, costs, slopes)
        return network, slice(start, start + len(self.seats))

    def chosen_seats(self, seat_flow: np.ndarray) -> np.ndarray:
        used = seat_flow > 0
        chosen = np.zeros_like(self.manual)
        chosen[self.seats[used, 0], self.seats[used, 1]] = True
        return chosen

    def seat_shortfalls(self, members: np.ndarray) -> tuple[Shortfall, ...]:
        """Name each application with empty seats and whether conflicts or loads are to blame.

        In a maximum flow an application with an empty seat cannot reach any reviewer with
        room left, so every reviewer without a conflict who is not on the panel is full:
        if there are enough of them the cause is load, otherwise the conflicts.
        """
        found = []
        possible = (~self.conflicted | self.manual).sum(axis=1)
        filled = members.sum(axis=1)
        for i, slot in enumerate(self.apps):
            missing = slot.panel_size - int(filled[i])
            if missing <= 0:
                continue
            reason = (
                ShortfallReason.TOO_FEW_ELIGIBLE
                if possible[i] < slot.panel_size
                else ShortfallReason.ELIGIBLE_AT_CAPACITY
            )
            found.append(
                Shortfall(
                    application_id=slot.id,
                    missing=missing,
                    reason=reason,
                    eligible_reviewers=int(possible[i]),
                    panel_size=slot.panel_size,
                )
            )
        return tuple(found)
