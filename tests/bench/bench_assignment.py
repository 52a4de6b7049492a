"""Benchmark of the automatic reviewer-panel assignment (not a test; prints its figures).

Run with ``.venv/bin/python tests/bench/bench_assignment.py``. The instance is the sizing target
from the assignment issue: 500 applications, 100 reviewers, panels of 5, a maximum load of
30, about 5 % conflicts and 10 industries, generated from a fixed seed.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scoring.assignment import (  # noqa: E402
    ApplicationSlot,
    AssignmentPlan,
    ReviewerCapacity,
    solve_assignment,
)

APPLICATIONS = 500
REVIEWERS = 100
PANEL_SIZE = 5
MAX_LOAD = 30
CONFLICT_RATE = 0.05
INDUSTRIES = [f"industry-{k}" for k in range(10)]
RUNS = 5


def build_instance(seed: int = 2024):
    rng = random.Random(seed)
    apps = [
        ApplicationSlot(id=i, industry=rng.choice(INDUSTRIES), panel_size=PANEL_SIZE)
        for i in range(APPLICATIONS)
    ]
    reviewers = [
        ReviewerCapacity(
            id=f"r{j:03d}",
            industries=frozenset(rng.sample(INDUSTRIES, rng.randint(1, 3))),
            max_load=MAX_LOAD,
            can_lead=rng.random() < 0.6,
        )
        for j in range(REVIEWERS)
    ]
    conflicts = {
        (app.id, reviewer.id)
        for app in apps
        for reviewer in reviewers
        if rng.random() < CONFLICT_RATE
    }
    return apps, reviewers, conflicts


def check(apps, reviewers, conflicts, plan: AssignmentPlan) -> list[str]:
    """Every hard constraint, checked independently of the solver's own bookkeeping."""
    problems = []
    by_id = {reviewer.id: reviewer for reviewer in reviewers}
    counted = dict.fromkeys(by_id, 0)
    for app in apps:
        panel = plan.panels[app.id]
        if len(set(panel)) != len(panel):
            problems.append(f"{app.id}: reviewer twice in the panel")
        if len(panel) != app.panel_size:
            problems.append(f"{app.id}: panel of {len(panel)}")
        for reviewer_id in panel:
            counted[reviewer_id] += 1
            if (app.id, reviewer_id) in conflicts:
                problems.append(f"{app.id}: conflicted reviewer {reviewer_id}")
        leader = plan.leaders.get(app.id)
        if leader not in panel or not by_id[leader].can_lead:
            problems.append(f"{app.id}: leader {leader!r} is not a leading member")
    for reviewer_id, load in counted.items():
        if load != plan.loads[reviewer_id]:
            problems.append(f"{reviewer_id}: load {plan.loads[reviewer_id]} != {load}")
        if load > by_id[reviewer_id].max_load:
            problems.append(f"{reviewer_id}: load {load} above maximum")
    return problems


def main() -> None:
    apps, reviewers, conflicts = build_instance()
    timings = []
    plan = None
    for _ in range(RUNS):
        started = time.perf_counter()
        plan = solve_assignment(applications=apps, reviewers=reviewers, conflicts=conflicts)
        timings.append(time.perf_counter() - started)
    assert plan is not None

    by_id = {reviewer.id: reviewer for reviewer in reviewers}
    seats = sum(app.panel_size for app in apps)
    filled = sum(len(panel) for panel in plan.panels.values())
    industry = {app.id: app.industry for app in apps}
    matched = sum(
        industry[app_id] in by_id[reviewer_id].industries
        for app_id, panel in plan.panels.items()
        for reviewer_id in panel
    )
    loads = list(plan.loads.values())
    problems = check(apps, reviewers, conflicts, plan)

    print(
        f"instance: {len(apps)} applications, {len(reviewers)} reviewers, panels of "
        f"{PANEL_SIZE}, max load {MAX_LOAD}, {len(conflicts)} conflicts "
        f"({len(conflicts) / (len(apps) * len(reviewers)):.1%}), {len(INDUSTRIES)} industries"
    )
    print(
        f"solve time: median {statistics.median(timings):.3f} s over {RUNS} runs "
        f"(min {min(timings):.3f} s, max {max(timings):.3f} s)"
    )
    print(f"seats filled: {filled} / {seats}; shortfalls: {len(plan.shortfalls)}")
    print(
        f"panels with a leader: {len(plan.leaders)} / {len(apps)}; "
        f"leader shortfalls: {len(plan.leader_shortfalls)}"
    )
    print(f"reviewer load: min {min(loads)}, max {max(loads)}, mean {statistics.mean(loads):.1f}")
    print(f"expertise match rate: {matched / filled:.1%} of filled seats")
    leads = [list(plan.leaders.values()).count(r.id) for r in reviewers if r.can_lead]
    print(f"leaderships per leader-capable reviewer: min {min(leads)}, max {max(leads)}")
    print("constraints: " + ("all hold" if not problems else f"{len(problems)} VIOLATED"))
    for problem in problems[:20]:
        print("  " + problem)
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
