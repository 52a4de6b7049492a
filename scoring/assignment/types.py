"""Plain data going into and coming out of the reviewer-panel assignment solver.

The service layer loads applications, reviewers and declared conflicts from the database,
turns them into these frozen dataclasses, calls the solver and stores the plan. Nothing here
touches the ORM, so the solver can be tested and benchmarked without a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

type ApplicationId = str | int
type ReviewerId = str | int


def id_key(value: ApplicationId | ReviewerId) -> tuple[bool, str | int]:
    """Sort key for ids that may be ints or strings.

    Sorting every input by id before building the flow network is what makes the plan
    independent of the order in which the caller happened to list things.
    """
    return (isinstance(value, str), value)


def _frozen(values: Iterable) -> frozenset:
    return values if isinstance(values, frozenset) else frozenset(values)


@dataclass(frozen=True, slots=True)
class ApplicationSlot:
    """An application that needs a panel.

    ``already_assigned`` holds manual assignments: the solver keeps them, counts them toward
    the panel size and toward each reviewer's load, and only fills the remaining seats.
    ``leader`` keeps a group leader the official has already chosen (must be a manual member).
    """

    id: ApplicationId
    industry: str
    panel_size: int = 5
    already_assigned: frozenset[ReviewerId] = frozenset()
    leader: ReviewerId | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "already_assigned", _frozen(self.already_assigned))
        if self.panel_size < 0:
            raise ValueError(f"application {self.id!r}: panel size must not be negative")
        if self.leader is not None and self.leader not in self.already_assigned:
            raise ValueError(f"application {self.id!r}: the leader must be a manual member")

    @property
    def open_seats(self) -> int:
        return max(0, self.panel_size - len(self.already_assigned))


@dataclass(frozen=True, slots=True)
class ReviewerCapacity:
    """A reviewer in the pool with what the solver needs to know about them.

    ``max_load`` is the total number of applications the reviewer may handle;
    ``current_load`` is work they already carry *outside* the applications passed to the
    solver (other stages or rounds). Manual assignments inside this run are counted by the
    solver itself and must not be included in ``current_load``.
    ``leader_priority`` lets an official favour experienced leaders: higher wins, after
    expertise match.
    """

    id: ReviewerId
    industries: frozenset[str]
    max_load: int
    current_load: int = 0
    can_lead: bool = True
    leader_priority: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "industries", _frozen(self.industries))
        if self.max_load < 0 or self.current_load < 0:
            raise ValueError(f"reviewer {self.id!r}: loads must not be negative")

    def matches(self, industry: str) -> bool:
        return industry in self.industries


@dataclass(frozen=True, slots=True)
class AssignmentWeights:
    """Integer cost weights; only their ratio matters.

    A seat given to a reviewer outside the applicant's industry costs ``mismatch_cost``; the
    reviewer's n-th application costs ``load_step_cost * n``. With the defaults a matching
    reviewer wins a seat unless their load would be ten or more applications above a
    non-matching one's, so expertise usually wins and load still evens out among matches.
    """

    mismatch_cost: int = 10
    load_step_cost: int = 1

    def __post_init__(self) -> None:
        if self.mismatch_cost < 0 or self.load_step_cost < 0:
            raise ValueError("assignment weights must not be negative")


DEFAULT_WEIGHTS = AssignmentWeights()


class ShortfallReason(StrEnum):
    """Why a panel could not be completed; stable codes for storage and the UI."""

    # Fewer reviewers without a conflict exist than the panel needs.
    TOO_FEW_ELIGIBLE = "too_few_eligible"
    # Enough reviewers without a conflict exist, but the unused ones are at maximum load.
    ELIGIBLE_AT_CAPACITY = "eligible_at_capacity"
    # No reviewer who may lead is free of a conflict with the application.
    NO_ELIGIBLE_LEADER = "no_eligible_leader"
    # Reviewers who may lead exist, but none fitted into the panel within their loads.
    LEADERS_AT_CAPACITY = "leaders_at_capacity"
    # Manual members already fill the panel and none of them may lead.
    FULL_WITHOUT_LEADER = "full_without_leader"


@dataclass(frozen=True, slots=True)
class Shortfall:
    """One application the plan could not fully serve.

    ``missing`` counts seats (or, for the leader reasons, the one missing leader);
    ``eligible_reviewers`` counts reviewers without a conflict (for the leader reasons:
    such reviewers who may lead), manual members included. ``describe_shortfall`` (``messages``)
    explains it in the reader's language.
    """

    application_id: ApplicationId
    missing: int
    reason: ShortfallReason
    eligible_reviewers: int
    panel_size: int


@dataclass(frozen=True, slots=True)
class AssignmentPlan:
    """The solver's answer; every mapping is ordered by id.

    ``panels`` lists every application (manual members included, possibly empty);
    ``added`` only the reviewers the solver chose, which is what a service has to create.
    ``loads`` is each reviewer's total load after the plan, ``current_load`` included.
    ``kept_conflicts`` lists manual assignments that collide with a declared conflict:
    the solver keeps them as instructed but an official should look at them.
    """

    panels: dict[ApplicationId, tuple[ReviewerId, ...]]
    added: dict[ApplicationId, tuple[ReviewerId, ...]]
    leaders: dict[ApplicationId, ReviewerId]
    shortfalls: tuple[Shortfall, ...]
    leader_shortfalls: tuple[Shortfall, ...]
    loads: dict[ReviewerId, int]
    kept_conflicts: tuple[tuple[ApplicationId, ReviewerId], ...] = field(default=())

    @property
    def is_complete(self) -> bool:
        return not self.shortfalls and not self.leader_shortfalls
