"""Benchmark of the pure results core on a full-size cycle.

1,000 applications × 7 reviewers × 23 items × 2 stages = 322,000 score rows, generated
deterministically (fixed seed) with lenient and harsh reviewers so that normalization has work
to do. Prints the median wall time of a few runs per method, with and without explanations.
``compute_from_rows(rows, config)`` is the reference the SQL-aggregate comparison will call.

Run: ``.venv/bin/python tests/bench/bench_results_core.py``
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scoring.aggregation import (  # noqa: E402
    REVIEWER_METHODS,
    LevelRule,
    ResultsConfig,
    ScoreRow,
    compare_methods,
    compute_from_rows,
    compute_results,
    default_items,
)

APPLICATIONS = 1_000
REVIEWERS_PER_APPLICATION = 7
REVIEWER_POOL = 60
STAGES = ("document", "onsite")
RUNS = 5
SEED = 19580

CONFIG = ResultsConfig(
    method="trimmed_mean",
    stage_weights={"document": 0.3, "onsite": 0.7},
    levels=(
        LevelRule("winner", 600.0, 3),
        LevelRule("nomination", 550.0, 5),
    ),
)


def build_rows(seed: int = SEED) -> list[ScoreRow]:
    """Each application has a true quality; each reviewer a bias; percentages on the 5 % grid."""
    rng = random.Random(seed)
    items = default_items()
    reviewers = [f"R{number:03d}" for number in range(REVIEWER_POOL)]
    bias = {reviewer: rng.gauss(0, 8) for reviewer in reviewers}
    rows: list[ScoreRow] = []
    for number in range(APPLICATIONS):
        application = f"A{number:04d}"
        quality = rng.uniform(30, 80)
        for stage in STAGES:
            for reviewer in rng.sample(reviewers, REVIEWERS_PER_APPLICATION):
                for item in items:
                    raw = quality + bias[reviewer] + rng.gauss(0, 10)
                    percent = min(100, max(0, 5 * round(raw / 5)))
                    rows.append(ScoreRow(application, reviewer, stage, item.code, float(percent)))
    return rows


def median_seconds(action: Callable[[], object], runs: int = RUNS) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    started = time.perf_counter()
    rows = build_rows()
    print(f"dataset: {len(rows):,} score rows built in {time.perf_counter() - started:.2f} s")
    print(f"median of {RUNS} runs per figure")
    for method in (*REVIEWER_METHODS, "consensus"):
        config = replace(CONFIG, method=method)
        full = median_seconds(lambda config=config: compute_from_rows(rows, config))
        bare = median_seconds(lambda config=config: compute_results(rows, config, explain=False))
        print(f"{method:>13}: full results {full:.3f} s, without explanations {bare:.3f} s")
    robust = median_seconds(lambda: compare_methods(rows, CONFIG), runs=3)
    print(f"{'robustness':>13}: all four methods compared {robust:.3f} s (median of 3)")
    result = compute_from_rows(rows, CONFIG)
    top = [(row.rank, row.application, str(row.total_rounded), row.level) for row in result.rows]
    print("top 3 under trimmed_mean:", top[:3])


if __name__ == "__main__":
    main()
