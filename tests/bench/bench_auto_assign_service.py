"""Benchmark of automatic assignment through the service, database included (not a test).

Run with ``.venv/bin/python tests/bench/bench_auto_assign_service.py`` (SQLite in memory) or with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/award_portal`` (a throwaway test database is
created and dropped). It builds one cycle with 500 eligible applications and 100 reviewers of
the authority (panels of 5, a maximum load of 30, about 5 % declared conflicts, 10 industries),
then times ``scoring.review.services.assignment.auto_assign`` end to end: loading, conflict detection,
the solver, and writing 2,500 assignments and 500 leaders. The pure solver on the same input is
timed for comparison.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)

APPLICATIONS = 500
REVIEWERS = 100
PANEL_SIZE = 5
MAX_LOAD = 30
CONFLICT_RATE = 0.05
INDUSTRIES = "ABCDEFGHIJ"
RUNS = 3


def build_world(seed: int = 2024):
    from awards.enums import ApplicationStatus, OrganizationSize, Role
    from awards.models import Application, Organization, User
    from scoring.enums import ConflictRelation
    from scoring.review.models import ConflictDeclaration, ReviewerProfile
    from scoring.review.services.stages import ensure_default_stages
    from tests.factories import CycleFactory, OfficialFactory, make_credit_code

    rng = random.Random(seed)
    cycle = CycleFactory()
    authority = cycle.programme.authority
    official = OfficialFactory(authority=authority)
    creator = User.objects.create(username="bench-applicant", role=Role.APPLICANT)
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"基准企业{i}",
            credit_code=make_credit_code(500_000 + i),
            region_code=authority.region_code,
            region_name="测试市",
            industry=rng.choice(INDUSTRIES),
            size=OrganizationSize.MEDIUM,
            registration_date=dt.date(2010, 1, 1),
        )
        for i in range(APPLICATIONS)
    )
    Application.objects.bulk_create(
        Application(
            cycle=cycle, organization=org, created_by=creator, status=ApplicationStatus.ELIGIBLE
        )
        for org in organizations
    )
    users = User.objects.bulk_create(
        User(
            username=f"bench-reviewer-{j:03d}",
            full_name=f"专家{j}",
            role=Role.REVIEWER,
            authority=authority,
            email=f"r{j}@example.com",
        )
        for j in range(REVIEWERS)
    )
    ReviewerProfile.objects.bulk_create(
        ReviewerProfile(
            user=user,
            industries=rng.sample(INDUSTRIES, rng.randint(1, 3)),
            max_load_per_cycle=MAX_LOAD,
            can_lead=rng.random() < 0.6,
        )
        for user in users
    )
    ConflictDeclaration.objects.bulk_create(
        ConflictDeclaration(
            cycle=cycle, reviewer=user, organization=org, relation=ConflictRelation.CUSTOMER
        )
        for org in organizations
        for user in users
        if rng.random() < CONFLICT_RATE
    )
    document, _onsite = ensure_default_stages(cycle=cycle, by=official)
    return cycle, document, official


def pure_input(cycle, stage):
    """The solver's input exactly as the service builds it, for the comparison timing."""
    from scoring.assignment import ApplicationSlot, ReviewerCapacity
    from scoring.review.models import ReviewerProfile
    from scoring.review.services.conflicts import detected_conflicts
    from scoring.review.services.stages import stage_applications

    slots = [
        ApplicationSlot(id=pk, industry=industry, panel_size=stage.panel_size)
        for pk, industry in stage_applications(stage).values_list("pk", "organization__industry")
    ]
    reviewers = [
        ReviewerCapacity(id=u, industries=frozenset(i), max_load=m, can_lead=c)
        for u, i, m, c in ReviewerProfile.objects.filter(
            user__authority_id=cycle.programme.authority_id
        ).values_list("user_id", "industries", "max_load_per_cycle", "can_lead")
    ]
    return slots, reviewers, set(detected_conflicts(cycle=cycle))


def main() -> None:
    from scoring.assignment import solve_assignment
    from scoring.review.models import Assignment, Panel
    from scoring.review.services.assignment import auto_assign

    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        cycle, stage, official = build_world()
        timings, plan = [], None
        for _ in range(RUNS):
            Panel.objects.filter(stage=stage).delete()
            started = time.perf_counter()
            plan = auto_assign(stage=stage, by=official)
            timings.append(time.perf_counter() - started)
        assert plan is not None
        slots, reviewers, conflicts = pure_input(cycle, stage)
        pure = []
        for _ in range(RUNS):
            started = time.perf_counter()
            solve_assignment(applications=slots, reviewers=reviewers, conflicts=conflicts)
            pure.append(time.perf_counter() - started)
        written = Assignment.objects.filter(panel__stage=stage).count()
        leaders = Panel.objects.filter(stage=stage, leader__isnull=False).count()
        print(
            f"database: {connection.vendor}; instance: {len(slots)} applications, "
            f"{len(reviewers)} reviewers, panels of {PANEL_SIZE}, max load {MAX_LOAD}, "
            f"{len(conflicts)} conflicts"
        )
        print(
            f"auto_assign (service, end to end): median {statistics.median(timings):.3f} s "
            f"over {RUNS} runs (min {min(timings):.3f} s, max {max(timings):.3f} s)"
        )
        print(
            f"pure solver on the same input: median {statistics.median(pure):.3f} s "
            f"(min {min(pure):.3f} s)"
        )
        print(
            f"written: {written} assignments, {leaders} leaders; shortfalls: "
            f"{len(plan.shortfalls)}, leader shortfalls: {len(plan.leader_shortfalls)}"
        )
    finally:
        teardown_databases(old_config, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
