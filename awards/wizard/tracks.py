"""Which steps an application's wizard has: one step list per track, built per cycle.

Today every programme takes applications from organizations, so there is one track. A track is
a function from a cycle to its steps; another track (say, individual candidates assessed against
their own criteria framework) registers its own function in ``TRACKS`` and says in ``track_of``
which cycles use it. The wizard view only calls ``steps_for``.
"""

from __future__ import annotations

from collections.abc import Callable

from awards.models import Cycle
from awards.wizard.base import Step, StepList
from awards.wizard.content_steps import BasicStep, EligibilityStep, OverviewStep, SelfAssessmentStep
from awards.wizard.evidence_step import EvidenceStep
from awards.wizard.review_step import ReviewStep

ORGANIZATION_TRACK = "organization"


def organization_steps(cycle: Cycle) -> list[Step]:
    """申报表, 资格条件声明, 组织概述, one 自评报告 step per category of the cycle's framework,
    证明材料, 确认提交."""
    return [
        BasicStep(),
        EligibilityStep(),
        OverviewStep(),
        *SelfAssessmentStep.for_framework(cycle.framework),
        EvidenceStep(),
        ReviewStep(),
    ]


TRACKS: dict[str, Callable[[Cycle], list[Step]]] = {
    ORGANIZATION_TRACK: organization_steps,
}


def track_of(cycle: Cycle) -> str:
    """The track whose steps an application to ``cycle`` goes through."""
    return ORGANIZATION_TRACK


def steps_for(cycle: Cycle) -> StepList:
    """The wizard's steps for an application to ``cycle``: those of its track that apply."""
    candidates = TRACKS[track_of(cycle)](cycle)
    return StepList(step for step in candidates if step.applies_to(cycle))
