"""A small, hand-computable cycle shared by the results service and admin tests.

Every reviewer gives one percentage to all 23 items of an application, so a stage total is
10 × the combined percentage and each category is its points × that percentage:

=======  ==============  ===============  ==========================================
         document (0.3)  on-site (0.7)    total
=======  ==============  ===============  ==========================================
甲公司   60, 70, 80 → 700  70, 70, 70 → 700  0.3 × 700 + 0.7 × 700 = 700.00 → 质量奖
乙公司   50, 60, 70 → 600  60, 65, 70 → 650  180 + 455 = 635.00 → 提名奖 (质量奖 full)
丙公司   40, 40, 40 → 400  50, 50, 55 → 516.67  120 + 361.666… = 481.67 → below 500
=======  ==============  ===============  ==========================================

Levels: 质量奖 ≥ 600, 1 place; 提名奖 ≥ 500, 2 places. With three reviewers the default
trimmed mean falls back to the mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from awards.models import Application, Cycle, User
from scoring.enums import StageKind
from scoring.review.models import Assignment, Panel, ReviewStage
from tests.factories import (
    ApplicantFactory,
    AwardLevelFactory,
    CycleFactory,
    OfficialFactory,
    ReviewerFactory,
)
from tests.scoring.factories import (
    AssignmentFactory,
    EligibleApplicationFactory,
    ReviewStageFactory,
    submitted_scorecard,
)

SCORES = {
    "甲公司": ((60, 70, 80), (70, 70, 70)),
    "乙公司": ((50, 60, 70), (60, 65, 70)),
    "丙公司": ((40, 40, 40), (50, 50, 55)),
}


@dataclass
class ResultsWorld:
    cycle: Cycle
    official: User
    document: ReviewStage
    onsite: ReviewStage
    reviewers: list[User]
    applications: dict[str, Application] = field(default_factory=dict)
    assignments: dict[tuple[str, str, int], Assignment] = field(default_factory=dict)

    def app_id(self, name: str) -> str:
        return str(self.applications[name].pk)


def add_application(world: ResultsWorld, name: str, scores=None, *, submit: bool = True):
    """An application scored by the world's reviewers in both stages (``None``: no scorecard)."""
    document, onsite = scores if scores is not None else SCORES[name]
    organization = ApplicantFactory(
        organization__name=name,
        organization__region_code=world.cycle.programme.authority.region_code,
    ).organization
    application = EligibleApplicationFactory(cycle=world.cycle, organization=organization)
    world.applications[name] = application
    for stage, percents in ((world.document, document), (world.onsite, onsite)):
        panel = Panel.objects.create(stage=stage, application=application)
        for position, (reviewer, percent) in enumerate(zip(world.reviewers, percents, strict=True)):
            assignment = AssignmentFactory(panel=panel, reviewer=reviewer)
            world.assignments[(name, stage.kind, position)] = assignment
            if percent is not None:
                submitted_scorecard(assignment, percent, submit=submit)
    return application


def build_world(*, names=tuple(SCORES), authority=None) -> ResultsWorld:
    cycle = CycleFactory(**({"programme__authority": authority} if authority else {}))
    authority = cycle.programme.authority
    AwardLevelFactory(cycle=cycle, name="质量奖", min_total=600, quota=1, sort_order=0)
    AwardLevelFactory(cycle=cycle, name="提名奖", min_total=500, quota=2, sort_order=1)
    world = ResultsWorld(
        cycle=cycle,
        official=OfficialFactory(authority=authority, full_name="王处长"),
        document=ReviewStageFactory(cycle=cycle, kind=StageKind.DOCUMENT, order=1),
        onsite=ReviewStageFactory(cycle=cycle, kind=StageKind.ONSITE, order=2),
        reviewers=[
            ReviewerFactory(authority=authority, full_name=f"专家{label}")
            for label in ("甲", "乙", "丙")
        ],
    )
    for name in names:
        add_application(world, name)
    return world
