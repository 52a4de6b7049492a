"""Which steps an application's wizard has: one step list per track, built per cycle.

A track is a function from a cycle to its steps, registered in ``TRACKS`` under the
application's ``track`` (organizations, individuals). The wizard view only calls ``steps_for``.
"""

from __future__ import annotations

from collections.abc import Callable

from awards.enums import Track
from awards.models import Application, Cycle
from awards.wizard.base import Step, StepList
from awards.wizard.content_steps import BasicStep, EligibilityStep, OverviewStep, SelfAssessmentStep
from awards.wizard.evidence_step import EvidenceStep
from awards.wizard.individual_steps import CandidateStep
from awards.wizard.review_step import ReviewStep

ORGANIZATION_TRACK = Track.ORGANIZATION.value
INDIVIDUAL_TRACK = Track.INDIVIDUAL.value


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


def individual_steps(cycle: Cycle) -> list[Step]:
    """候选人信息, 资格条件声明 (the employer's record), one content step per category of the
    cycle's individual framework, 证明材料 (with the signed consent), 确认提交."""
    return [
        CandidateStep(),
        EligibilityStep(),
        *SelfAssessmentStep.for_framework(cycle.individual_framework),
        EvidenceStep(),
        ReviewStep(),
    ]


TRACKS: dict[str, Callable[[Cycle], list[Step]]] = {
    ORGANIZATION_TRACK: organization_steps,
    INDIVIDUAL_TRACK: individual_steps,
}


def track_of(application: Application | None) -> str:
    """The track whose steps ``application`` goes through (organizations without one)."""
    return application.track if application is not None else ORGANIZATION_TRACK


def steps_for(cycle: Cycle, application: Application | None = None) -> StepList:
    """The wizard's steps for ``application`` to ``cycle``: those of its track that apply."""
    candidates = TRACKS[track_of(application)](cycle)
    return StepList(step for step in candidates if step.applies_to(cycle))
