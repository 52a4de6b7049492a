"""The demo site: a home page, one page per award programme, two notices each.

``seed_demo`` calls :func:`build_demo_site` after creating the programmes and may call it again on
an existing database, so every step first looks for what it would create (by type and slug) and
leaves existing pages untouched.
"""

import datetime as dt

from django.db import transaction
from wagtail.models import Page, Site

from awards.models import AwardProgramme, Cycle
from home.demo_content import (
    application_notice_body,
    bullet_list,
    callout,
    programme_body,
    review_notice_body,
)
from home.models import AwardProgrammePage, HomePage, NoticePage
from home.services import create_programme_page

SITE_NAME = "政府质量奖门户"
HOME_SLUG = "home"
#: Notices of a programme without any cycle are dated here, so reruns stay reproducible.
UNDATED_NOTICE_DATE = dt.date(2026, 3, 2)


def _home_body() -> list[dict]:
    return [
        callout(
            "申报须知",
            [
                "申报单位须先注册账户并完善单位信息，再在线填写和提交申报材料。",
                "申报材料须真实、准确，弄虚作假的取消申报和获奖资格。",
                "所有时间均为北京时间，请在申报截止前提交。",
            ],
        ),
        bullet_list(
            [
                "评选办法：各奖项页面载明申报条件、评审程序和评价准则。",
                "通知公告：申报通知、评审安排、拟表彰名单公示和表彰决定。",
            ]
        ),
    ]


def _is_wagtail_welcome_page(page: Page) -> bool:
    return page.depth == 2 and page.specific_class is Page and not page.get_children().exists()


def _ensure_home() -> HomePage:
    """Make a HomePage the default site's root, replacing Wagtail's welcome page."""
    root = Page.get_first_root_node()
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    home = HomePage.objects.child_of(root).first()
    if home is None:
        old_root = site.root_page if site is not None else None
        if old_root is not None and _is_wagtail_welcome_page(old_root):
            # The site's root page cannot be deleted while the site points at it (CASCADE).
            site.root_page = root
            site.save()
            old_root.delete()
        slug = HOME_SLUG if not root.get_children().filter(slug=HOME_SLUG).exists() else "portal"
        home = HomePage(
            title=SITE_NAME,
            slug=slug,
            intro="<p>本门户集中发布各级人民政府质量奖的评选办法、通知公告和评审结果；"
            "申报单位可在线注册、填写和提交申报材料，评审专家和质量奖办公室在线开展评审工作。</p>",
            body=_home_body(),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=SITE_NAME
        )
    else:
        site.root_page = home
        site.site_name = SITE_NAME
        site.save()
    return home


def _latest_cycle(programme: AwardProgramme) -> Cycle | None:
    return programme.cycles.order_by("-edition").first()


def _ensure_notices(page: AwardProgrammePage, programme: AwardProgramme) -> None:
    cycle = _latest_cycle(programme)
    edition = f"第{cycle.edition}届" if cycle else ""
    suffix = f"-{cycle.edition}" if cycle else ""
    opened = cycle.applications_open if cycle else UNDATED_NOTICE_DATE
    specs = [
        (
            f"application{suffix}",
            f"关于开展{edition}{programme.name}申报工作的通知",
            opened,
            f"{edition}{programme.name}评选申报工作现已启动，请符合条件的单位按时在线提交申报材料。",
            application_notice_body(programme, cycle),
        ),
        (
            f"review-arrangements{suffix}",
            f"{edition}{programme.name}评审工作安排",
            opened + dt.timedelta(days=7),
            "资格审查、资料评审、现场评审和公示的时间安排及评审纪律。",
            review_notice_body(programme, cycle),
        ),
    ]
    existing = set(NoticePage.objects.child_of(page).values_list("slug", flat=True))
    for slug, title, date, summary, body in specs:
        if slug in existing:
            continue
        notice = NoticePage(title=title, slug=slug, date=date, summary=summary, body=body)
        page.add_child(instance=notice)
        notice.save_revision().publish()


@transaction.atomic
def build_demo_site() -> HomePage:
    """Build (or complete) the demo page tree and return its home page. Idempotent."""
    home = _ensure_home()
    linked = set(AwardProgrammePage.objects.values_list("programme_id", flat=True))
    for programme in AwardProgramme.objects.select_related("authority"):
        if programme.pk in linked:
            page = AwardProgrammePage.objects.get(programme=programme)
        else:
            page = create_programme_page(
                home=home, programme=programme, body=programme_body(programme)
            )
        _ensure_notices(page, programme)
    return home
