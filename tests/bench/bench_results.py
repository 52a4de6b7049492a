"""Benchmark of computing a full cycle's results through the database (not a test).

Builds, in a throwaway database, a cycle of 1,000 applications × 7 reviewers × 23 items ×
2 stages = 322,000 submitted item scores (bulk inserts; deterministic data as in
``bench_results_core.py``), then prints the median of a few runs of:

* one plain SQL aggregate over the same score rows (mean points per application and stage);
* the parts of a computation one by one: loading the scores, indexing them, the configured
  method with ranking and levels, the robustness check, the digest and the score trace;
* the full ``compute_cycle_results`` (everything above plus the missing-scorecard check, the
  JSON outputs, the snapshot, its trace, its entries and the audit entry stored);
* the ratio of the full computation to the SQL aggregate (the goal is within 3×).

Planner statistics are gathered (``ANALYZE``) after the bulk load, before timing.

Run: ``.venv/bin/python tests/bench/bench_results.py`` (SQLite, a temporary file), or with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/award_portal_bench`` (PostgreSQL: Django's
test database ``test_award_portal_bench`` is created and dropped).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

APPLICATIONS = 1_000
REVIEWERS_PER_PANEL = 7
REVIEWER_POOL = 60
RUNS = 5
SEED = 19580
BATCH = 5_000

SQL_AGGREGATE = """
SELECT p.application_id, st.kind,
       SUM(ci.points * s.percent) / 100.0 / COUNT(DISTINCT a.reviewer_id)
FROM scoring_itemscore s
JOIN scoring_scorecard sc ON sc.id = s.scorecard_id
JOIN scoring_assignment a ON a.id = sc.assignment_id
JOIN scoring_panel p ON p.id = a.panel_id
JOIN scoring_reviewstage st ON st.id = p.stage_id
JOIN awards_criteriaitem ci ON ci.id = s.item_id
WHERE st.cycle_id = %s AND sc.status = 'submitted' AND s.percent IS NOT NULL
GROUP BY p.application_id, st.kind
"""


def median_seconds(action: Callable[[], object], runs: int = RUNS) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def build_cycle():
    """The cycle, its two stages, 1,000 scored applications and one official; bulk inserts."""
    from awards.enums import ApplicationStatus, Role
    from awards.models import Application, AwardLevel, CriteriaItem, Organization, User
    from scoring.enums import ScorecardStatus, StageKind
    from scoring.review.models import Assignment, ItemScore, Panel, ReviewStage, Scorecard
    from tests import clock
    from tests.factories import AuthorityFactory, CycleFactory, OfficialFactory, make_credit_code

    rng = random.Random(SEED)
    authority = AuthorityFactory(name="基准测试市人民政府", region_code="420500")
    cycle = CycleFactory(programme__authority=authority)
    AwardLevel.objects.create(cycle=cycle, name="质量奖", min_total=600, quota=3, sort_order=0)
    AwardLevel.objects.create(cycle=cycle, name="提名奖", min_total=550, quota=5, sort_order=1)
    official = OfficialFactory(authority=authority, username="bench-official")
    opens = clock.at(cycle.screening_deadline + dt.timedelta(days=1), 9)
    stages = [
        ReviewStage.objects.create(
            cycle=cycle, kind=kind, order=order, opens_at=opens, closes_at=opens, weight=weight
        )
        for order, kind, weight in (
            (1, StageKind.DOCUMENT, "0.3"),
            (2, StageKind.ONSITE, "0.7"),
        )
    ]
    items = list(CriteriaItem.objects.filter(framework=cycle.framework).order_by("sort_order"))
    reviewers = User.objects.bulk_create(
        User(username=f"bench-reviewer-{n}", role=Role.REVIEWER, authority=authority)
        for n in range(REVIEWER_POOL)
    )
    applicant = User.objects.create(username="bench-applicant", role=Role.APPLICANT)
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"基准企业{n:04d}",
            credit_code=make_credit_code(900_000 + n, "420500"),
            region_code="420500",
            region_name="基准测试市",
            industry="C",
            size="medium",
            registration_date=dt.date(2010, 1, 1),
        )
        for n in range(APPLICATIONS)
    )
    applications = Application.objects.bulk_create(
        Application(
            cycle=cycle, organization=org, status=ApplicationStatus.ELIGIBLE, created_by=applicant
        )
        for org in organizations
    )
    panels = Panel.objects.bulk_create(
        Panel(stage=stage, application=app) for app in applications for stage in stages
    )
    panel_reviewers = [rng.sample(reviewers, REVIEWERS_PER_PANEL) for _ in panels]
    assignments = Assignment.objects.bulk_create(
        (
            Assignment(panel=panel, reviewer=reviewer)
            for panel, chosen in zip(panels, panel_reviewers, strict=True)
            for reviewer in chosen
        ),
        batch_size=BATCH,
    )
    now = timezone.now()
    cards = Scorecard.objects.bulk_create(
        (
            Scorecard(assignment=a, status=ScorecardStatus.SUBMITTED, submitted_at=now)
            for a in assignments
        ),
        batch_size=BATCH,
    )
    bias = {reviewer.pk: rng.gauss(0, 8) for reviewer in reviewers}
    quality = {app.pk: rng.uniform(30, 80) for app in applications}

    def scores():
        for card, assignment in zip(cards, assignments, strict=True):
            base = quality[assignment.panel.application_id] + bias[assignment.reviewer_id]
            for item in items:
                percent = min(100, max(0, 5 * round((base + rng.gauss(0, 10)) / 5)))
                yield ItemScore(scorecard=card, item=item, percent=percent)

    ItemScore.objects.bulk_create(scores(), batch_size=BATCH)
    return cycle, official


def main() -> None:
    from scoring.aggregation.engine import rank_with_trace
    from scoring.aggregation.robustness import compare_prepared
    from scoring.aggregation.scores import prepare_columns
    from scoring.aggregation.trace_store import scores_digest, trace_to_bytes
    from scoring.results.services.computation import compute_cycle_results
    from scoring.results.services.inputs import load_consensus, load_score_columns
    from scoring.results.services.settings import cycle_setup

    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        settings_dict["TEST"]["NAME"] = str(Path(tempfile.mkdtemp()) / "bench_results.sqlite3")
    started = time.perf_counter()
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(
        f"database: {connection.vendor} ({test_name}), migrated in "
        f"{time.perf_counter() - started:.1f} s"
    )
    try:
        started = time.perf_counter()
        cycle, official = build_cycle()
        from scoring.review.models import ItemScore

        print(
            f"dataset: {ItemScore.objects.count():,} item scores "
            f"({APPLICATIONS:,} applications × {REVIEWERS_PER_PANEL} reviewers × 23 items × "
            f"2 stages) built in {time.perf_counter() - started:.1f} s"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics, as autovacuum would gather them
        print(f"median of {RUNS} runs per figure")

        def sql_aggregate():
            with connection.cursor() as cursor:
                cursor.execute(SQL_AGGREGATE, [cycle.pk])
                return cursor.fetchall()

        sql, rows = median_seconds(sql_aggregate)
        print(f"plain SQL aggregate:            {sql:7.3f} s ({len(rows):,} rows)")

        setup = cycle_setup(cycle=cycle)
        load, columns = median_seconds(lambda: load_score_columns(cycle=cycle, setup=setup))
        print(f"  load scores (2 queries):      {load:7.3f} s ({len(columns):,} scores)")
        consensus = load_consensus(cycle=cycle, setup=setup)
        config = setup.config

        def prepare():
            return prepare_columns(
                columns, stages=config.stage_order, items=setup.items, consensus=consensus
            )

        prepare_time, prepared = median_seconds(prepare)
        print(f"  index and sort (prepare):     {prepare_time:7.3f} s")
        rank_time, (result, trace) = median_seconds(lambda: rank_with_trace(prepared, config))
        print(f"  configured method, ranking:   {rank_time:7.3f} s")
        robust_time, _ = median_seconds(
            lambda: compare_prepared(prepared, config, configured=result)
        )
        print(f"  robustness (3 more methods):  {robust_time:7.3f} s")
        trace_time, data = median_seconds(lambda: (scores_digest(prepared), trace_to_bytes(trace)))
        print(f"  digest and trace bytes:       {trace_time:7.3f} s ({len(data[1]):,} bytes)")

        full, snapshot = median_seconds(lambda: compute_cycle_results(cycle=cycle, by=official))
        print(
            f"full compute_cycle_results:     {full:7.3f} s (snapshot version {snapshot.version})"
        )
        print(f"ratio full / SQL aggregate:     {full / sql:7.1f}×  (goal: ≤ 3×)")
        top = list(snapshot.entries.order_by("rank").values_list("rank", "total", "level")[:3])
        print("top 3:", [(rank, str(total), level) for rank, total, level in top])
    finally:
        connection.creation.destroy_test_db(test_name, verbosity=0)


if __name__ == "__main__":
    main()
