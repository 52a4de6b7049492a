"""Benchmark of certificates (not a test; prints its figures).

Run with ``.venv/bin/python tests/bench/bench_certificates.py``. It sets Django up with the test
settings, creates a throwaway database the way the test runner does (in-memory SQLite by
default; ``test_<name>`` on PostgreSQL when ``DATABASE_URL`` points there) and prints:

* the median time to render one certificate PDF (render only, after one warm-up), over 20 runs;
* the total time for a cycle of 200 awards through ``issue_certificates`` with the immediate
  task backend: creating the certificate rows, then rendering and storing every PDF with the
  batch's progress counted one by one.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

RENDER_RUNS = 20
BATCH_SIZE = 200


def build_cycle(size: int):
    """A cycle of 陆羽质量奖 with ``size`` announced awards and an official."""
    from tests.factories import OfficialFactory
    from tests.scoring.certificate_world import announced, application_of, award_for, luyu_cycle

    cycle = luyu_cycle()
    official = OfficialFactory(authority=cycle.programme.authority)
    applications = [
        application_of(cycle, name=f"天门市第{index + 1}机械制造有限公司") for index in range(size)
    ]
    snapshot = announced(cycle, [(app, "650.00", "质量奖", {}) for app in applications])
    for application in applications:
        award_for(snapshot, application)
    return cycle, official


def bench_render(cycle) -> tuple[float, float, list[float]]:
    from scoring.certificates.models import Certificate
    from scoring.certificates.services.certificates import certificate_serial, certificates_of
    from scoring.certificates.services.documents import render_certificate_pdf
    from tests.scoring.certificate_world import issued_on

    award = cycle.snapshots.get().awards.order_by("pk").first()
    Certificate.objects.create(
        award=award, serial=certificate_serial(award=award), issued_on=issued_on()
    )
    certificate = certificates_of(cycle).get(award=award)
    started = time.perf_counter()
    size = len(render_certificate_pdf(certificate=certificate))
    cold = time.perf_counter() - started
    timings = []
    for _ in range(RENDER_RUNS):
        started = time.perf_counter()
        render_certificate_pdf(certificate=certificate)
        timings.append(time.perf_counter() - started)
    return cold, size, timings


def bench_batch(cycle, official):
    from scoring.certificates.services.issuing import issue_certificates

    started = time.perf_counter()
    batch = issue_certificates(cycle=cycle, by=official)
    elapsed = time.perf_counter() - started
    batch.refresh_from_db()
    return elapsed, batch


def main() -> None:
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.endswith("ImmediateBackend"):
        raise SystemExit(f"needs the immediate task backend, not {backend}")
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        started = time.perf_counter()
        cycle, official = build_cycle(BATCH_SIZE)
        setup = time.perf_counter() - started
        cold, size, timings = bench_render(cycle)
        elapsed, batch = bench_batch(cycle, official)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    vendor = connection.vendor
    print(f"database: {vendor}; setup of {BATCH_SIZE} awards: {setup:.1f} s")
    print(f"certificate PDF: {size / 1024:.0f} KiB; first render (cold): {cold * 1000:.0f} ms")
    print(
        f"render only, {RENDER_RUNS} runs: median {statistics.median(timings) * 1000:.0f} ms, "
        f"min {min(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms"
    )
    print(
        f"issue_certificates for {BATCH_SIZE} awards (rows + render + store, immediate backend): "
        f"{elapsed:.1f} s total, {elapsed / BATCH_SIZE * 1000:.0f} ms per certificate; "
        f"batch done {batch.done}/{batch.total}, error {batch.error or 'none'}"
    )


if __name__ == "__main__":
    main()
