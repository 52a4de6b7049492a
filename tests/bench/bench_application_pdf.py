"""Benchmark: the application PDF (申报书) for a 30,000-character self-assessment.

30,000 characters is the default ceiling of a cycle's self-assessment report (长江质量奖 uses the
same figure), spread over the 23 items of GB/T 19580-2012 plus a 1,200-character overview. The
first render in a process also loads fontconfig and the CJK fonts, so it is reported apart from
the warm runs a long-lived task worker would see. No database is needed.

Run: ``.venv/bin/python tests/bench/bench_application_pdf.py [runs]``
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from awards.pdf.inspect import pdf_page_count  # noqa: E402
from awards.pdf.render import render_application_pdf  # noqa: E402
from tests.awards.test_application_pdf import realistic_document  # noqa: E402

SELF_ASSESSMENT_CHARS = 30_000
RUNS = 5


def main(runs: int = RUNS) -> None:
    document = realistic_document(self_assessment_chars=SELF_ASSESSMENT_CHARS)
    characters = sum(len(item.text) for category in document.categories for item in category.items)
    started = time.perf_counter()
    pdf = render_application_pdf(document)
    cold = time.perf_counter() - started
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        pdf = render_application_pdf(document)
        timings.append(time.perf_counter() - started)
    print(f"application PDF, {characters:,} self-assessment characters over 23 items")
    print(f"first render in process (fonts loading): {cold:.2f} s")
    print(
        f"warm renders ({runs}): median {statistics.median(timings):.2f} s, "
        f"min {min(timings):.2f} s, max {max(timings):.2f} s"
    )
    print(f"pages: {pdf_page_count(pdf)}, size: {len(pdf) / 1024:.0f} KB ({len(pdf):,} bytes)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS)
