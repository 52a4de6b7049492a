import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertInHTML
from wagtail.models import Page
from wagtail.search import index

from awards.enums import CycleStatus
from home.models import AwardProgrammePage, HomePage, NoticePage
from home.results_pages import ResultsNoticePage, WinnersPage
from tests import clock
from tests.factories import AuthorityFactory, AwardLevelFactory, CycleFactory, ProgrammeFactory
from tests.home.helpers import add_notice, add_programme_page, paragraph

UTC = dt.UTC


def notice_titles(html: str) -> list[str]:
    """Titles of the notice list (home page aside or programme page aside), in page order."""
    return re.findall(r'<li>\s*<a href="[^"]+">([^<]+)</a>\s*<span class="notice-meta">', html)


def deadline_html(deadline: dt.datetime) -> str:
    """A cycle's deadline as the pages print it: Beijing time, in a ``<time>`` element."""
    local = deadline.astimezone(clock.SHANGHAI)
    return (
        f'<time datetime="{local.isoformat()}">{clock.written(local.date())} {local:%H:%M}</time>'
    )


def count_queries(client, url: str) -> int:
    client.get(url)  # warm Wagtail's per-site caches, as any second visitor would find them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_page_types_declare_their_place_in_the_tree():
    assert HomePage.allowed_parent_page_models() == [Page]
    assert HomePage.allowed_subpage_models() == [AwardProgrammePage]
    assert AwardProgrammePage.allowed_parent_page_models() == [HomePage]
    # The results pages (公示, 获奖名单) are declared in home/results_pages.py.
    assert AwardProgrammePage.allowed_subpage_models() == [
        NoticePage,
        ResultsNoticePage,
        WinnersPage,
    ]
    assert NoticePage.allowed_parent_page_models() == [AwardProgrammePage]
    assert NoticePage.allowed_subpage_models() == []


def test_page_types_can_be_created_only_where_declared(home_page):
    programme_page = add_programme_page(home_page)
    notice = add_notice(programme_page, title="通知")
    assert AwardProgrammePage.can_create_at(home_page) is True
    assert NoticePage.can_create_at(home_page) is False
    assert NoticePage.can_create_at(programme_page) is True
    assert AwardProgrammePage.can_create_at(programme_page) is False
    assert NoticePage.can_create_at(notice) is False
    assert HomePage.can_create_at(programme_page) is False


@pytest.mark.parametrize(
    ("model", "searched"),
    [
        (HomePage, ["title", "intro", "body"]),
        (AwardProgrammePage, ["title", "body"]),
        (NoticePage, ["title", "summary", "body"]),
    ],
)
def test_every_page_type_indexes_its_text(model, searched):
    names = [f.field_name for f in model.search_fields if isinstance(f, index.SearchField)]
    assert names == searched


def test_home_page_lists_programmes_with_open_cycles_only(client, home_page):
    tianmen = AuthorityFactory(name="天门市人民政府", region_code="429006")
    yichang = AuthorityFactory(name="宜昌市人民政府", region_code="420500")
    luyu = ProgrammeFactory(authority=tianmen, name="陆羽质量奖", slug="luyu", prize="10万元")
    sanxia = ProgrammeFactory(authority=yichang, name="三峡质量奖", slug="sanxia")
    year = clock.today().year
    current = CycleFactory(programme=luyu, edition=5, year=year, status=CycleStatus.OPEN)
    CycleFactory(programme=luyu, edition=6, year=year + 2, status=CycleStatus.DRAFT)
    CycleFactory(programme=sanxia, edition=7, year=year - 2, status=CycleStatus.CLOSED)
    add_programme_page(home_page, luyu)
    add_programme_page(home_page, sanxia)

    html = client.get("/").content.decode()

    assertInHTML('<a href="/luyu/">陆羽质量奖</a>', html)
    assertInHTML('<a href="/sanxia/">三峡质量奖</a>', html)
    assert html.index('<a href="/luyu/">') < html.index('<a href="/sanxia/">')
    assertInHTML('<p class="programme-authority">天门市人民政府</p>', html)
    assertInHTML('<p class="programme-prize"><span class="label">奖励</span>10万元</p>', html)
    assertInHTML(
        f"""<li class="open-cycle">
             <span class="status status-open">申报中</span>
             第5届（{year}年度）
             <span class="deadline">申报截止：{deadline_html(current.application_deadline)}</span>
           </li>""",
        html,
    )
    assert "第6届" not in html
    assert "第7届" not in html
    assert html.count("暂无正在申报的届次。") == 1


def test_home_page_leaves_out_unpublished_programme_pages(client, home_page):
    shown = add_programme_page(home_page, ProgrammeFactory(name="陆羽质量奖", slug="luyu"))
    hidden = add_programme_page(home_page, ProgrammeFactory(name="三峡质量奖", slug="sanxia"))
    hidden.unpublish()

    html = client.get("/").content.decode()

    assertInHTML(f'<a href="{shown.url}">陆羽质量奖</a>', html)
    assert "三峡质量奖" not in html


def test_home_page_shows_latest_notices_with_their_programme(client, home_page):
    page = add_programme_page(home_page, ProgrammeFactory(name="陆羽质量奖", slug="luyu"))
    latest = clock.days_from_today(-3)
    add_notice(page, title="关于开展第5届陆羽质量奖申报工作的通知", date=clock.days_from_today(-10))
    add_notice(page, title="第5届陆羽质量奖评审工作安排", date=latest)
    add_notice(page, title="未发布的通知", date=clock.days_from_today(-2), publish=False)

    html = client.get("/").content.decode()

    assert notice_titles(html) == [
        "第5届陆羽质量奖评审工作安排",
        "关于开展第5届陆羽质量奖申报工作的通知",
    ]
    assert f'陆羽质量奖 · <time datetime="{latest}">{clock.written(latest)}</time>' in html


def test_programme_page_shows_authority_prize_and_public_cycles_in_beijing_time(
    client, home_page, settings
):
    settings.TIME_ZONE = "UTC"  # the deadline must still be shown in Beijing time
    authority = AuthorityFactory(
        name="天门市人民政府", office_name="天门市质量强市工作领导小组办公室"
    )
    programme = ProgrammeFactory(
        authority=authority,
        name="陆羽质量奖",
        slug="luyu",
        prize="10万元",
        summary="天门市最高质量荣誉。",
    )
    year = clock.today().year
    # 09:00 UTC is 17:00 in Beijing, the same day.
    past_deadline = dt.datetime.combine(clock.days_from_today(-550), dt.time(9), tzinfo=UTC)
    deadline = dt.datetime.combine(clock.days_from_today(25), dt.time(9), tzinfo=UTC)
    CycleFactory(
        programme=programme,
        edition=4,
        year=year - 2,
        status=CycleStatus.CLOSED,
        application_deadline=past_deadline,
    )
    current = CycleFactory(
        programme=programme,
        edition=5,
        year=year,
        status=CycleStatus.OPEN,
        application_deadline=deadline,
    )
    AwardLevelFactory(cycle=current, name="质量奖", quota=2, sort_order=0)
    AwardLevelFactory(cycle=current, name="提名奖", quota=5, sort_order=1)
    CycleFactory(programme=programme, edition=6, year=year + 2, status=CycleStatus.DRAFT)
    page = add_programme_page(
        home_page, programme, body=paragraph("申报单位应在天门市注册并经营满3年。")
    )

    response = client.get(page.url)
    html = response.content.decode()

    assert response.status_code == 200
    assertInHTML("<h1>陆羽质量奖</h1>", html)
    assertInHTML('<p class="lead">天门市最高质量荣誉。</p>', html)
    assertInHTML("<div><dt>授奖机关</dt><dd>天门市人民政府</dd></div>", html)
    assertInHTML("<div><dt>办事机构</dt><dd>天门市质量强市工作领导小组办公室</dd></div>", html)
    assertInHTML("<div><dt>奖励</dt><dd>10万元</dd></div>", html)
    assertInHTML("<div><dt>推荐要求</dt><dd>无需推荐，申报单位自愿申报</dd></div>", html)
    assertInHTML('<div class="rich-text"><p>申报单位应在天门市注册并经营满3年。</p></div>', html)
    assert html.index(f"第5届（{year}年度）") < html.index(f"第4届（{year - 2}年度）")
    assert "第6届" not in html
    assertInHTML('<span class="status status-open">申报中</span>', html)
    assertInHTML('<span class="status status-closed">已结束</span>', html)
    assertInHTML(deadline_html(deadline), html)
    assertInHTML(deadline_html(past_deadline), html)
    assert deadline_html(deadline).endswith(" 17:00</time>")
    assert "奖项等级与名额：\n                          质量奖（2 名）、提名奖（5 名）" in html


def test_programme_page_lists_its_notices_newest_first(client, home_page):
    page = add_programme_page(home_page, ProgrammeFactory(name="陆羽质量奖", slug="luyu"))
    other = add_programme_page(home_page, ProgrammeFactory(name="三峡质量奖", slug="sanxia"))
    day = clock.days_from_today
    add_notice(page, title="关于开展第5届陆羽质量奖申报工作的通知", date=day(-120))
    add_notice(page, title="第5届陆羽质量奖评审工作安排", date=day(-65))
    add_notice(page, title="第5届陆羽质量奖资格审查结果", date=day(-84))
    add_notice(page, title="第5届陆羽质量奖现场评审安排", date=day(-65))
    add_notice(page, title="草稿：拟表彰名单公示", date=day(-34), publish=False)
    add_notice(other, title="三峡质量奖申报通知", date=day(-4))

    html = client.get(page.url).content.decode()

    assert notice_titles(html) == [
        "第5届陆羽质量奖现场评审安排",
        "第5届陆羽质量奖评审工作安排",
        "第5届陆羽质量奖资格审查结果",
        "关于开展第5届陆羽质量奖申报工作的通知",
    ]


def test_notice_page_shows_its_programme_date_and_body(client, home_page):
    page = add_programme_page(home_page, ProgrammeFactory(name="陆羽质量奖", slug="luyu"))
    published = clock.days_from_today(-3)
    notice = add_notice(
        page,
        title="关于开展第5届陆羽质量奖申报工作的通知",
        date=published,
        summary="请符合条件的单位按时申报。",
        body=paragraph("申报截止时间为2026年5月29日17:00。"),
    )

    html = client.get(notice.url).content.decode()

    assertInHTML(
        """<ol><li><a href="/">首页</a></li><li><a href="/luyu/">陆羽质量奖</a></li>
            <li aria-current="page">关于开展第5届陆羽质量奖申报工作的通知</li></ol>""",
        html,
    )
    assertInHTML(f'<time datetime="{published}">{clock.written(published)}</time>', html)
    assertInHTML('<p class="lead">请符合条件的单位按时申报。</p>', html)
    assertInHTML('<div class="rich-text"><p>申报截止时间为2026年5月29日17:00。</p></div>', html)


def test_text_typed_into_programmes_and_notices_is_escaped(client, home_page):
    programme = ProgrammeFactory(
        name="<script>alert('奖')</script>", summary="<script>alert(2)</script>简介"
    )
    page = add_programme_page(home_page, programme)
    notice = add_notice(
        page, title="<script>alert(3)</script>通知", summary="<img src=x onerror=alert(4)>"
    )

    pages = {url: client.get(url).content.decode() for url in ("/", page.url, notice.url)}

    for html in pages.values():
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;奖&#x27;)&lt;/script&gt;" in pages["/"]
    assert "&lt;script&gt;alert(2)&lt;/script&gt;简介" in pages[page.url]
    assert "&lt;script&gt;alert(3)&lt;/script&gt;通知" in pages[page.url]
    assert "&lt;img src=x onerror=alert(4)&gt;" in pages[notice.url]


def _programme_with_open_cycle_and_notice(home_page) -> AwardProgrammePage:
    programme = ProgrammeFactory()
    CycleFactory(programme=programme, status=CycleStatus.OPEN)
    page = add_programme_page(home_page, programme)
    add_notice(page, title=f"{programme.name}申报通知")
    return page


def test_home_page_query_count_does_not_grow_with_programmes(client, home_page):
    _programme_with_open_cycle_and_notice(home_page)
    with_one = count_queries(client, "/")
    for _ in range(4):
        _programme_with_open_cycle_and_notice(home_page)
    with_five = count_queries(client, "/")

    html = client.get("/").content.decode()
    assert html.count('<span class="status status-open">申报中</span>') == 5
    assert len(notice_titles(html)) == 5
    assert with_one == with_five


def test_programme_page_query_count_does_not_grow_with_notices(client, home_page):
    page = add_programme_page(home_page)
    CycleFactory(programme=page.programme, status=CycleStatus.OPEN)
    add_notice(page, title="通知1")
    with_one = count_queries(client, page.url)
    for number in range(2, 6):
        add_notice(page, title=f"通知{number}")
    with_five = count_queries(client, page.url)

    assert len(notice_titles(client.get(page.url).content.decode())) == 5
    assert with_one == with_five
