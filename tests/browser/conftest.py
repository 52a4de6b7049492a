"""Real-browser fixtures: Playwright's sync API driving Debian's Chromium against ``live_server``.

Reuse them in every journey (applicant, reviewer, official)::

    @pytest.mark.browser
    def test_something(live_site, page):
        page.goto(live_site + "/")

Why the pieces are as they are:

* ``DJANGO_ALLOW_ASYNC_UNSAFE``: Playwright's sync API runs an asyncio loop in the test thread,
  and Django refuses ORM calls from a thread with a running loop unless this is set. It is set for
  the whole process as soon as this conftest is imported.
* ``live_server`` makes the test transactional: the database is flushed after each test, and the
  flush also removes the rows that data migrations created (the GB/T 19580-2012 framework, which
  ``CycleFactory`` needs; Wagtail's root page and default Site). The ``live_site`` fixture
  therefore requests ``django_db_serialized_rollback``, which restores the post-migration state
  before each test; without it the second browser test in a run finds no framework and no page
  tree. (pytest-django runs transactional tests after all others, so the flush never harms
  the ordinary tests.) Marking a test
  ``@pytest.mark.django_db(transaction=True, serialized_rollback=True)`` does the same.
* Playwright's running loop also makes Django hand out new connection objects in this thread,
  which would hide that snapshot (it is an attribute of the old connection); the ``browser``
  fixture carries it over, and is autouse so it starts before any database fixture.
* The live server runs Django for one request at a time (``OneAtATimeWSGIServer``). Django's
  threaded live server shares SQLite's in-memory connection between its request threads, so two
  requests of one page at once (the admin's icon sprite beside the page's own translations) could
  collide inside SQLite ("bad parameter or other API misuse") and answer 500. Connections are
  still accepted and read by a thread each (a browser's idle preconnected socket must not stall
  the server); only the call into Django waits for the one before it.
* A session-scoped browser is started once (about a second); each test gets a fresh context,
  so cookies and storage never leak between journeys.
"""

import os
import threading

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class OneAtATimeWSGIServer(ThreadedWSGIServer):
    """Django's threaded live server, calling Django for one request at a time (module notes)."""

    def set_app(self, application):
        turn = threading.Lock()

        def one_at_a_time(environ, start_response):
            with turn:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneAtATimeWSGIServer

#: Milliseconds a locator action or an ``expect`` assertion waits before failing. The live server
#: answers in well under a second on an idle machine; on a busy one (other test workers, a
#: background computation the page polls for) a page can take several seconds, and ``expect``'s
#: own default of 5 s made a journey fail although the page was right.
DEFAULT_TIMEOUT = 15_000
expect.set_options(timeout=DEFAULT_TIMEOUT)


@pytest.fixture(scope="session", autouse=True)
def browser(django_db_setup):
    """Chromium for the whole session, started before any database or live-server fixture.

    Once Playwright's loop runs in this thread, Django hands out new connection objects (its
    connection handler is "thread critical" and becomes context-local under a running loop). The
    post-migration snapshot that serialized rollback restores is an attribute of the old
    connection object, so it is carried over; and starting the browser first (autouse, session
    scope) means the live server and every test then share the new connections.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    snapshots = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            if snapshot is not None:
                connections[alias]._test_serialized_contents = snapshot
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def browser_context(browser):
    """A fresh, Chinese-speaking browser profile per test."""
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(DEFAULT_TIMEOUT)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


@pytest.fixture
def live_site(django_db_serialized_rollback, live_server) -> str:
    """The live server's base URL, on a database restored to its post-migration state."""
    return live_server.url


@pytest.fixture
def screenshot(request, tmp_path):
    """A full-page PNG of a journey's step, kept in pytest's temporary directory for a look after
    a run. Taking it also lets the page settle before the test touches the database again."""

    def take(page, step: str) -> None:
        page.screenshot(path=tmp_path / f"{request.node.name}-{step}.png", full_page=True)

    return take
