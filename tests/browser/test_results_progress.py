"""The 计算与批准 page follows a background results computation by itself, in a real browser.

The official clicks 计算评审结果 with a queueing task backend (Django's ``DummyBackend``: the
task is stored, nothing runs it), so the page shows the computation waiting. The test then does
a worker's job in its own thread: it calls ``compute_results_task`` for real. A database execute
wrapper (Django's instrumentation hook; it changes no query) holds the worker right after it has
written the step 合成与排名 at 40 % to the row, until the page, polling on its own, shows that
step; then the worker finishes, and the page reloads itself and links to the new ranking. The
test never reloads the page.

Poll requests are passed through ``page.route``: in Playwright's sync API a route handler only
runs while the test thread is inside a Playwright call, so a poll never reaches the live server
while the worker writes. On SQLite the live server and the test share one in-memory
connection; this keeps their queries apart (the same concern as ``public_turn`` in
``test_results_journey``). The page polls every 1.5 s, so the journey takes a few seconds.
"""

import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from scoring.results.models import ResultComputation, ResultSnapshot
from scoring.results.queries.snapshots import method_label
from scoring.results.services.runs import request_computation
from scoring.results.services.tasks import compute_results_task
from tests.browser.steps import log_in_to_admin
from tests.factories import OfficialFactory
from tests.scoring.results_world import build_world

QUEUEING_BACKEND = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def world(live_site, settings):
    settings.TASKS = QUEUEING_BACKEND
    return build_world()


def holding_after_progress(step: str, percent: int, then):
    """An execute wrapper calling ``then()`` once the worker has written ``step`` at
    ``percent`` to its computation (``progress_writer``'s UPDATE, committed at once)."""
    table = ResultComputation._meta.db_table

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith(f'UPDATE "{table}"') and tuple(params or ())[:2] == (step, percent):
            then()
        return result

    return wrapper


def expect_progress(block, *, status: str, step: str, percent: int) -> None:
    expect(block.locator("[data-progress-status]")).to_have_text(status)
    expect(block.locator("[data-progress-step]")).to_have_text(step)
    expect(block.locator("[data-progress-percent]")).to_have_text(f"{percent}%")
    expect(block.get_by_role("progressbar")).to_have_attribute("aria-valuenow", str(percent))
    assert block.locator("[data-bar]").evaluate("bar => bar.style.width") == f"{percent}%"


@pytest.mark.browser
def test_the_page_follows_a_background_computation_to_the_new_ranking(world, live_site, page):
    cycle_url = live_site + reverse("cycle_results:cycle", args=[world.cycle.pk])
    progress_url = live_site + reverse("cycle_results:progress", args=[world.cycle.pk])
    polls = []

    def pass_poll_through(route):
        polls.append(route.request.url)
        route.continue_()

    page.route(progress_url, pass_poll_through)
    log_in_to_admin(page, live_site, world.official.username)
    page.goto(cycle_url)
    expect(page.locator("[data-computation]")).to_have_count(0)

    # 1. The official asks for the computation; it waits for a worker.
    page.get_by_role("button", name="计算评审结果").click()
    expect(page).to_have_url(cycle_url)
    expect(page.locator(".messages li")).to_have_text(["已开始计算评审结果，进度见下方。"])
    computation = ResultComputation.objects.get()
    assert (computation.cycle_id, computation.requested_by_id, computation.status) == (
        world.cycle.pk,
        world.official.pk,
        "queued",
    )
    block = page.locator("[data-computation]")
    requested_at = timezone.localtime(computation.created_at).strftime("%Y-%m-%d %H:%M")
    expect(block.locator("p").first).to_have_text(f"{requested_at} 由 王处长 发起。")
    expect_progress(block, status="排队中", step="等待开始", percent=0)
    expect(block.locator("[data-refresh]")).to_have_text("刷新")
    expect(page.get_by_role("button", name="计算评审结果")).to_be_disabled()
    page.evaluate("() => { window.notReloaded = true; }")

    # 2. A worker runs the task; the page shows its step while the worker is held there.
    seen_mid_run = []

    def page_shows_the_step():
        expect_progress(block, status="计算中", step="合成与排名", percent=40)
        assert page.evaluate("() => window.notReloaded") is True
        seen_mid_run.append(True)

    with connection.execute_wrapper(holding_after_progress("computing", 40, page_shows_the_step)):
        assert compute_results_task.call(computation.pk) == "done"
    assert seen_mid_run == [True]

    # 3. The computation has ended: the page reloads itself and links to the new ranking.
    snapshot = ResultSnapshot.objects.get()
    result_link = page.locator("[data-computation-result]")
    expect(result_link).to_have_text("查看第 1 版排名")
    assert page.evaluate("() => window.notReloaded") is None
    expect_progress(block, status="已完成", step="结束", percent=100)
    expect(block.locator("[data-refresh]")).to_have_count(0)
    expect(page.locator(".messages li")).to_have_count(0)
    expect(page.get_by_role("button", name="计算评审结果")).to_be_enabled()
    computed_at = timezone.localtime(snapshot.created_at).strftime("%Y-%m-%d %H:%M")
    expect(page.locator("[data-versions] tbody tr")).to_have_text(
        [f"第 1 版 {method_label(snapshot.method)} 王处长 {computed_at} 未批准"]
    )
    polls_at_the_end = len(polls)

    result_link.click()
    expect(page).to_have_url(live_site + reverse("cycle_results:ranking", args=[snapshot.pk]))
    expect(page.locator("[data-ranking] tbody tr")).to_have_text(
        [
            re.compile(r"^\s*1\s*甲公司\s*700\.00\s*现场评审\s*质量奖\s"),
            re.compile(r"^\s*2\s*乙公司\s*635\.00\s*现场评审\s*提名奖\s"),
            re.compile(r"^\s*3\s*丙公司\s*481\.67\s*现场评审\s*—\s"),
        ]
    )
    assert len(polls) == polls_at_the_end  # a finished computation is not polled
    # The live server must not be serving this page's files while teardown flushes the database.
    page.wait_for_load_state("load")


def navigations_and_polls(requests: list, progress_url: str) -> list[tuple[str, str]]:
    """The ``(method, url)`` of the recorded page loads, polls and any request other than a GET
    (not the scripts, styles, icons the pages load), each run of identical consecutive ones (the
    page's polls) kept once."""
    sent = [
        (request.method, request.url)
        for request in requests
        if request.resource_type == "document"
        or request.url == progress_url
        or request.method != "GET"
    ]
    return [request for i, request in enumerate(sent) if i == 0 or sent[i - 1] != request]


@pytest.mark.browser
def test_a_refused_request_follows_the_other_computation_without_sending_the_form_again(
    world, live_site, page
):
    cycle_url = live_site + reverse("cycle_results:cycle", args=[world.cycle.pk])
    progress_url = live_site + reverse("cycle_results:progress", args=[world.cycle.pk])
    colleague = OfficialFactory(authority=world.cycle.programme.authority, full_name="李科长")
    requests = []

    page.route(progress_url, lambda route: route.continue_())  # see the module's docstring
    log_in_to_admin(page, live_site, world.official.username)
    page.goto(cycle_url)
    expect(page.get_by_role("button", name="计算评审结果")).to_be_enabled()
    page.wait_for_load_state("networkidle")  # nothing reaches the live server below

    # 1. Meanwhile a colleague asks for the cycle's computation; it waits for a worker.
    theirs = request_computation(cycle=world.cycle, by=colleague)
    assert theirs.status == "queued"
    requested_at = timezone.localtime(theirs.created_at).strftime("%Y-%m-%d %H:%M")

    # 2. The official, on the page loaded before, asks too: refused, the page follows theirs.
    page.on("request", lambda request: requests.append(request))
    page.get_by_role("button", name="计算评审结果").click()
    expect(page).to_have_url(cycle_url)
    refusal = page.locator(".messages li")
    expect(refusal).to_have_text(  # innerText: without Wagtail's hidden "first error" button
        [f"本届已有一次结果计算正在进行（李科长 于 {requested_at} 发起），请等待其完成后再计算。"],
        use_inner_text=True,
    )
    expect(refusal).to_have_class("error")
    block = page.locator("[data-computation]")
    expect(block.locator("p").first).to_have_text(f"{requested_at} 由 李科长 发起。")
    expect_progress(block, status="排队中", step="等待开始", percent=0)
    expect(page.get_by_role("button", name="计算评审结果")).to_be_disabled()
    page.evaluate("() => { window.notReloaded = true; }")
    # Once a poll is answered, the next one (1.5 s later) waits for the route: the worker below
    # has the database to itself.
    with page.expect_response(progress_url):
        pass
    assert list(ResultComputation.objects.values_list("pk", flat=True)) == [theirs.pk]

    # 3. A worker runs their computation; the page then loads itself again, by a GET.
    assert compute_results_task.call(theirs.pk) == "done"
    expect(page.locator("[data-computation-result]")).to_have_text("查看第 1 版排名")
    assert page.evaluate("() => window.notReloaded") is None
    expect_progress(block, status="已完成", step="结束", percent=100)
    expect(block.locator("p").first).to_have_text(f"{requested_at} 由 李科长 发起。")
    expect(page.locator(".messages li")).to_have_count(0)
    expect(page.get_by_role("button", name="计算评审结果")).to_be_enabled()
    # The live server must not be serving this page's files while the database is read or flushed.
    page.wait_for_load_state("networkidle")

    computation = ResultComputation.objects.get()
    assert (computation.pk, computation.requested_by_id, computation.status) == (
        theirs.pk,
        colleague.pk,
        "done",
    )
    assert computation.snapshot == ResultSnapshot.objects.get()
    assert navigations_and_polls(requests, progress_url) == [
        ("POST", cycle_url),
        ("GET", progress_url),
        ("GET", cycle_url),
    ]
