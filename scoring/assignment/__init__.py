"""Automatic reviewer-panel assignment: a pure core with no ORM.

A service loads applications, reviewers and conflicts, calls :func:`solve_assignment`, and
stores the returned :class:`AssignmentPlan`; see ``solver.py`` for the optimisation model.
"""

from .leaders import choose_leaders
from .messages import describe_shortfall
from .solver import solve_assignment
from .types import (
    DEFAULT_WEIGHTS,
    ApplicationSlot,
    AssignmentPlan,
    AssignmentWeights,
    ReviewerCapacity,
    Shortfall,
    ShortfallReason,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "ApplicationSlot",
    "AssignmentPlan",
    "AssignmentWeights",
    "ReviewerCapacity",
    "Shortfall",
    "ShortfallReason",
    "choose_leaders",
    "describe_shortfall",
    "solve_assignment",
]
