"""A tour of the seeded demo: every role's demo account visits its main pages in Chinese and in
English, and every page must load without a server error or a JavaScript error, be fully in the
chosen language, and show the demo's rows where the demo has some.

The demo is seeded once (``seed_demo``, the same command as ``.ci/serve``) inside the one test,
because the live server's database is flushed after each browser test.

How "fully in English" is checked. Demo content is Chinese on purpose (organization names, page
bodies, scorecard comments), so "no CJK character on the page" cannot work. Instead every piece of
Chinese text on an English page must be *data*: each run of CJK characters in a visible text node
(and in the title, placeholders and button values) must occur in some text the database holds —
every character and text field of every row, StreamField bodies included. A UI string that was
never translated (a ``{% translate %}`` msgid without an English msgstr, or Chinese typed into a
template or a view without gettext) is not in the database and fails the tour with its page and
text. Short UI words that happen to occur in the data too ("评审", "第…届") cannot be told apart
this way; tests/portal/test_translations.py covers the catalogue itself.

How "an empty listing" is found: the empty-state texts of our templates (what ``{% empty %}``
prints) are read from the templates and translated into the page's language; a page the demo has
rows for must show none of them.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.utils import translation
from django.utils.translation import gettext

from awards.demo import DEMO_PASSWORD
from awards.enums import ApplicationStatus
from awards.models import Application, Cycle, Recommendation, User
from awards.services.individuals import filing_cycles
from home.models import AwardProgrammePage, NoticePage
from home.results_pages import ResultsNoticePage, WinnersPage
from scoring.certificates.models import Certificate
from scoring.publication.models import Award, Objection, PublicNotice
from scoring.results.models import ResultSnapshot
from scoring.review.models import Assignment, Panel, ReviewStage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LANGUAGES = ("zh-hans", "en")
CJK = re.compile(r"[\u3400-\u9fff]+")
TEMPLATES = Path(settings.BASE_DIR) / "templates"
#: The text the browser sees: visible text nodes plus titles, placeholders and button values.
VISIBLE_TEXTS = """() => {
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || ['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT'].includes(parent.tagName)) continue;
    if (!parent.checkVisibility()) continue;
    if (node.textContent.trim()) out.push(node.textContent);
  }
  for (const el of document.querySelectorAll('[placeholder], [title], input[type=submit], [aria-label]')) {
    if (!el.checkVisibility()) continue;
    for (const name of ['placeholder', 'title', 'aria-label']) {
      if (el.getAttribute(name)) out.push(el.getAttribute(name));
    }
    if (el.tagName === 'INPUT' && el.value) out.push(el.value);
  }
  return out;
}"""


#: Empty-state texts of one row's cell rather than of a listing: an optional attachment the demo
#: leaves out, an item without evidence.
ROW_MARKERS = {"未上传", "无证明材料。"}


def empty_states() -> list[str]:
    """The msgids our templates print for an empty list (``{% empty %}`` … translate)."""
    found = set()
    pattern = re.compile(r"\{% empty %\}\s*(?:<[^>]+>\s*)*\{% translate \"([^\"]+)\" %\}")
    for path in TEMPLATES.rglob("*.html"):
        found.update(pattern.findall(path.read_text(encoding="utf-8")))
    return sorted(found - ROW_MARKERS)


def data_corpus() -> str:
    """Every text the database holds, joined: what may appear in Chinese on an English page."""
    texts = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if not f.is_relation]
        for row in model.objects.all().iterator():
            for field in fields:
                value = field.value_from_object(row)
                if isinstance(value, str):
                    texts.append(value)
                elif isinstance(value, (dict, list)):
                    texts.append(json.dumps(value, ensure_ascii=False))
                elif hasattr(value, "raw_data"):  # a StreamField value
                    texts.append(json.dumps(list(value.raw_data), ensure_ascii=False))
                elif isinstance(field, models.FileField) and value:
                    texts.append(str(value))
    return "\n".join(texts)


def _pk(queryset) -> int:
    return queryset.order_by("pk").values_list("pk", flat=True).first()


def official_pages(slug: str) -> list[tuple[str, bool]]:
    """(url, the demo has rows there) for an official of the award's authority."""
    finished = Cycle.objects.filter(programme__slug=slug).order_by("edition").first()
    in_review = Cycle.objects.get(programme__slug=slug, status="review")
    snapshot = ResultSnapshot.objects.get(cycle=finished)
    notice = PublicNotice.objects.get(snapshot=snapshot)
    document = ReviewStage.objects.filter(cycle=in_review).order_by("order").first()
    finished_stage = ReviewStage.objects.filter(cycle=finished).order_by("order").last()
    screened = _pk(Application.objects.filter(cycle=in_review))
    pages = [
        ("/admin/", False),
        ("/admin/cycles/", True),
        ("/admin/programmes/", True),
        ("/admin/organizations/", True),
        ("/admin/people/", True),
        ("/admin/reviewers/", True),
        ("/admin/screening/", True),
        (f"/admin/screening/{screened}/", True),
        ("/admin/review/", True),
        (f"/admin/review/cycles/{in_review.pk}/stages/", True),
        (f"/admin/review/cycles/{in_review.pk}/conflicts/", False),
        (f"/admin/review/stages/{document.pk}/panels/", True),
        (f"/admin/review/stages/{document.pk}/progress/", True),
        (f"/admin/review/stages/{finished_stage.pk}/progress/", True),
        ("/admin/cycle-results/", True),
        (f"/admin/cycle-results/cycles/{finished.pk}/", True),
        (f"/admin/cycle-results/snapshots/{snapshot.pk}/", True),
        (f"/admin/cycle-results/cycles/{finished.pk}/committee/", True),
        (f"/admin/cycle-results/snapshots/{snapshot.pk}/decision/", True),
        ("/admin/publication/", True),
        (f"/admin/publication/notices/{notice.pk}/", True),
        (f"/admin/publication/objections/{_pk(Objection.objects.filter(notice=notice))}/", True),
        ("/admin/certificates/", True),
        (f"/admin/certificates/cycles/{finished.pk}/", True),
        (f"/admin/review/cycles/{finished.pk}/audit/", True),
    ]
    if ReviewStage.objects.filter(cycle=finished, kind="defence").exists():
        defence = ReviewStage.objects.get(cycle=finished, kind="defence")
        pages.append((f"/admin/review/stages/{defence.pk}/defence/", True))
    return pages


def admin_pages() -> list[tuple[str, bool]]:
    finished = Cycle.objects.filter(programme__slug="sanxia").order_by("edition").first()
    listings = [url for url, _rows in official_pages("sanxia") if url.count("/") == 3]
    return [
        *[(url, True) for url in listings if url != "/admin/"],
        ("/admin/", False),
        ("/admin/authorities/", True),
        (f"/admin/cycle-results/cycles/{finished.pk}/", True),
        (f"/admin/certificates/cycles/{finished.pk}/", True),
    ]


def reviewer_pages(username: str) -> list[tuple[str, bool]]:
    assignments = Assignment.objects.filter(reviewer__username=username)
    open_card = _pk(assignments.filter(panel__stage__cycle__status="review"))
    finished_card = _pk(assignments.exclude(panel__stage__cycle__status="review"))
    waiting = (
        Panel.objects.filter(leader__username=username, stage__cycle__status="review")
        .order_by("pk")
        .first()
    )
    cycle = waiting.stage.cycle_id
    pages = [
        ("/review/", True),
        (f"/review/cycles/{cycle}/commitment/", False),
        (f"/review/cycles/{cycle}/conflicts/", False),
        (f"/review/assignments/{open_card}/", True),
        (f"/review/assignments/{open_card}/sheet/", True),
        (f"/review/assignments/{finished_card}/", True),
        (f"/review/panels/{waiting.pk}/consensus/", True),
    ]
    defence = Panel.objects.filter(leader__username=username, stage__kind="defence").first()
    if defence is not None:
        pages.append((f"/review/panels/{defence.pk}/defence/", True))
    return pages


def applicant_pages(username: str) -> tuple[list[tuple[str, bool]], list[str]]:
    """The applicant's pages, and the downloads (certificates) checked by request."""
    applications = Application.objects.filter(organization__members__username=username)
    pages = [("/portal/", True)]
    downloads = []
    for application in applications.order_by("pk"):
        pages.append((f"/portal/applications/{application.pk}/", True))
        if application.status == ApplicationStatus.DRAFT:
            pages.append((f"/portal/applications/{application.pk}/step/basic/", True))
        if Award.objects.filter(application=application).exists():
            pages.append((f"/portal/applications/{application.pk}/feedback/", True))
        if Panel.objects.filter(application=application, stage__kind="defence").exists():
            pages.append((f"/portal/applications/{application.pk}/defence/", True))
    for award in Award.objects.filter(application__in=applications, revoked_at=None):
        downloads.append(f"/portal/awards/{award.pk}/certificate/")
    return pages, downloads


def recommender_pages(username: str) -> list[tuple[str, bool]]:
    """A recommending body's queue and one decision of each status it has, its filing of
    individual applications, and (for a body below another authority) its region's list."""
    recommender = User.objects.get(username=username)
    decisions = Recommendation.objects.filter(body=recommender.authority).order_by("status", "pk")
    pages = [("/portal/recommendations/?status=", True)]
    pages += [(f"/portal/recommendations/{pk}/", True) for pk in _first_per_status(decisions)]
    pages.append(("/portal/recommendations/individual/", False))
    for cycle in filing_cycles(recommender.authority):
        pages.append((f"/portal/recommendations/cycles/{cycle.pk}/individual/", True))
    pages.append(("/portal/region/applications/", True))
    return pages


def _first_per_status(recommendations) -> list[int]:
    first: dict[str, int] = {}
    for pk, status in recommendations.values_list("pk", "status"):
        first.setdefault(status, pk)
    return list(first.values())


def public_pages() -> list[tuple[str, bool]]:
    pages = [("/", True), ("/verify/", False)]
    for page in AwardProgrammePage.objects.order_by("path"):
        pages.append((page.url, True))
    for model in (NoticePage, ResultsNoticePage, WinnersPage):
        pages += [(page.url, True) for page in model.objects.live().order_by("path")]
    for certificate in Certificate.objects.order_by("pk"):
        pages.append((f"/verify/{certificate.serial}/", True))
    return pages


class Tour:
    def __init__(self, browser, base: str, corpus: str):
        self.browser = browser
        self.base = base
        self.corpus = corpus
        self.problems: list[str] = []
        self.visits = 0
        self.errors: list[str] = []
        # The language switcher names each language in itself (简体中文 on English pages too).
        self.allowed = {
            run
            for code, _name in settings.LANGUAGES
            for run in CJK.findall(translation.get_language_info(code)["name_local"])
        }
        self.empty = {}
        for language in LANGUAGES:
            with translation.override(language):
                self.empty[language] = [gettext(msgid) for msgid in empty_states()]

    def _console(self, message) -> None:
        # The browser asks for /favicon.ico on its own; the portal has none (not a page's fault).
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.errors.append(message.text)

    def _response(self, response) -> None:
        if response.status >= 400:
            self.errors.append(f"{response.status} {response.url}")

    def context(self, username: str | None):
        context = self.browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(20_000)
        if username is not None:
            page = context.new_page()
            page.goto(self.base + "/accounts/login/")
            page.locator("input[name=username]").fill(username)
            page.locator("input[name=password]").fill(DEMO_PASSWORD)
            page.locator("input[name=password]").press("Enter")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            page.close()
        return context

    def visit_all(self, context, who: str, pages, downloads=()) -> None:
        for language in LANGUAGES:
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": self.base}]
            )
            page = context.new_page()
            page.on("console", self._console)
            page.on("pageerror", lambda error: self.errors.append(str(error)))
            page.on("response", self._response)
            for url, has_rows in pages:
                self.errors.clear()
                self.visit(page, who, language, url, has_rows, self.errors)
            page.close()
            for url in downloads:
                response = context.request.get(self.base + url)
                if response.status != 200 or response.headers["content-type"] != "application/pdf":
                    self.problems.append(f"{who} {language} {url}: {response.status}")

    def visit(self, page, who, language, url, has_rows, errors) -> None:
        where = f"{who} [{language}] {url}"
        self.visits += 1
        response = page.goto(self.base + url, wait_until="load")
        if response is None or response.status != 200:
            self.problems.append(f"{where}: HTTP {response.status if response else 'none'}")
            return
        texts = page.evaluate(VISIBLE_TEXTS)
        text = "\n".join(texts)
        if errors:
            self.problems.append(f"{where}: JavaScript errors {errors}")
        if has_rows:
            shown = [state for state in self.empty[language] if state in text]
            if shown:
                self.problems.append(f"{where}: empty listing {shown}")
        if language == "en":
            untranslated = sorted(
                {
                    run
                    for t in texts
                    for run in CJK.findall(t)
                    if run not in self.corpus and run not in self.allowed
                }
            )
            if untranslated:
                self.problems.append(f"{where}: Chinese UI text {untranslated}")


def test_every_demo_role_tours_its_pages_in_chinese_and_english(live_site, browser):
    started = time.monotonic()
    call_command("seed_demo", verbosity=0)
    print(f"seed_demo: {time.monotonic() - started:.0f} s")
    tour = Tour(browser, live_site, data_corpus())

    context = tour.context(None)
    tour.visit_all(context, "visitor", public_pages())
    context.close()
    for slug, official in (
        ("luyu", "tianmen_official"),
        ("sanxia", "yichang_official"),
        ("jinggang", "jiangxi_official"),
    ):
        context = tour.context(official)
        tour.visit_all(context, official, official_pages(slug))
        context.close()
    # The platform administrator sees every authority: the listings, and one award's objects.
    context = tour.context("admin")
    tour.visit_all(context, "admin", admin_pages())
    context.close()
    for reviewer in ("tm_reviewer1", "yc_reviewer1", "jx_reviewer1"):
        context = tour.context(reviewer)
        tour.visit_all(context, reviewer, reviewer_pages(reviewer))
        context.close()
    # A winner with a defence and an application under review; a revoked winner; a draft.
    for applicant in ("jx_aviation", "yc_citrus", "tm_pharma"):
        context = tour.context(applicant)
        pages, downloads = applicant_pages(applicant)
        tour.visit_all(context, applicant, pages, downloads)
        context.close()

    # Recommending bodies: a 宜昌 district (recommended, returned and waiting applications) and
    # a 江西 city (its recommendations, the individual filing, its region's list); the city's
    # official follows its region read-only.
    for recommender in ("yc_xiling_recommender", "jx_nanchang_recommender"):
        context = tour.context(recommender)
        tour.visit_all(context, recommender, recommender_pages(recommender))
        context.close()
    context = tour.context("jx_nanchang_official")
    tour.visit_all(context, "jx_nanchang_official", [("/portal/region/applications/", True)])
    context.close()

    print(f"tour: {tour.visits} pages, {time.monotonic() - started:.0f} s since the seed started")
    assert tour.problems == []
    assert tour.visits > 200
