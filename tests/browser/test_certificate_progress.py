"""The 证书颁发 page of a cycle follows a certificate batch by itself, in a real browser.

The same poller (static/js/progress.js) as the results computation page, configured by the
page's data- attributes: here the text shows "已生成 done / total 份（percent%）" and the progress
bar's aria-valuenow counts certificates, not percent. The official starts the batch with a
queueing task backend (nothing runs it); the test then does the worker's job in its own thread and
holds it right after the first of two certificates is counted, until the page, polling on its
own, shows 1 of 2; then the worker finishes and the page loads itself again with both
certificates listed. The test never reloads the page. Poll requests pass through ``page.route``
for the reason given in ``test_results_progress``.
"""

import pytest
from django.db import connection
from django.urls import reverse
from playwright.sync_api import expect

from scoring.certificates.models import CertificateBatch
from scoring.certificates.services.tasks import render_certificate_batch_task
from tests.browser.test_results_progress import QUEUEING_BACKEND, log_in_to_admin
from tests.factories import OfficialFactory
from tests.scoring.certificate_world import luyu_cycle, two_awards


def holding_after_first_certificate(then):
    """An execute wrapper calling ``then()`` once the worker has counted its first certificate
    (``render_certificate_batch``'s ``done = done + 1`` UPDATE, committed at once)."""
    table = CertificateBatch._meta.db_table
    held = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith(f'UPDATE "{table}" SET "done"') and not held:
            held.append(True)
            then()
        return result

    return wrapper


@pytest.mark.browser
def test_the_page_follows_a_certificate_batch_until_every_certificate_is_listed(
    live_site, page, settings
):
    settings.TASKS = QUEUEING_BACKEND
    cycle = luyu_cycle()
    official = OfficialFactory(authority=cycle.programme.authority, username="luyu-official")
    two_awards(cycle)
    cycle_url = live_site + reverse("certificates:cycle", args=[cycle.pk])
    progress_url = live_site + reverse("certificates:progress", args=[cycle.pk])
    page.route(progress_url, lambda route: route.continue_())
    log_in_to_admin(page, live_site, official.username)
    page.goto(cycle_url)

    # 1. The official starts the batch; it waits for a worker.
    page.get_by_role("button", name="生成本届证书").click()
    expect(page).to_have_url(cycle_url)
    expect(page.locator(".messages li")).to_have_text(["已开始生成证书，共 2 份；生成进度见下方。"])
    batch = CertificateBatch.objects.get()
    block = page.locator("[data-batch]")
    text = block.locator("[data-progress-text]")
    bar = block.get_by_role("progressbar")
    expect(text).to_have_text("已生成 0 / 2 份（0%） 正在生成……")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    expect(page.get_by_role("button", name="生成尚未生成的证书")).to_be_disabled()
    expect(page.locator("[data-certificate-list] tbody tr")).to_have_count(2)
    expect(page.get_by_role("link", name="下载 PDF")).to_have_count(0)
    page.evaluate("() => { window.notReloaded = true; }")

    # 2. A worker prints; the page shows the first certificate counted while the worker waits.
    seen_mid_run = []

    def page_shows_one_of_two():
        expect(text).to_have_text("已生成 1 / 2 份（50%） 正在生成……")
        expect(bar).to_have_attribute("aria-valuenow", "1")
        assert block.locator("[data-bar]").evaluate("bar => bar.style.width") == "50%"
        assert page.evaluate("() => window.notReloaded") is True
        seen_mid_run.append(True)

    with connection.execute_wrapper(holding_after_first_certificate(page_shows_one_of_two)):
        assert render_certificate_batch_task.call(batch.pk) == 2
    assert seen_mid_run == [True]

    # 3. The batch has ended: the page loads itself again and offers every certificate.
    expect(page.get_by_role("link", name="下载 PDF")).to_have_count(2)
    assert page.evaluate("() => window.notReloaded") is None
    expect(text).to_have_text("已生成 2 / 2 份（100%） 已完成。")
    expect(bar).to_have_attribute("aria-valuenow", "2")
    expect(page.locator(".messages li")).to_have_count(0)
    expect(page.get_by_role("button", name="生成尚未生成的证书")).to_be_enabled()
    # The live server must not be serving this page's files while teardown flushes the database.
    page.wait_for_load_state("networkidle")
