import re
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertInHTML
from wagtail.models import PageViewRestriction

from home.models import AwardProgrammePage, NoticePage
from home.queries import search_public_pages
from tests.factories import AuthorityFactory, ProgrammeFactory
from tests.home.helpers import add_notice, add_programme_page, paragraph


def result_titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', html)


@pytest.fixture
def pages(home_page):
    tianmen = AuthorityFactory(name="天门市人民政府", region_code="429006")
    yichang = AuthorityFactory(name="宜昌市人民政府", region_code="420500")
    luyu = add_programme_page(
        home_page,
        ProgrammeFactory(authority=tianmen, name="陆羽质量奖", slug="luyu"),
        body=paragraph("申报资格条件：在天门市注册的法人，通过ISO 9001质量管理体系认证满3年。"),
    )
    sanxia = add_programme_page(
        home_page,
        ProgrammeFactory(authority=yichang, name="三峡质量奖", slug="sanxia"),
        body=paragraph("须经市直有关部门推荐。"),
    )
    add_notice(luyu, title="关于开展第5届陆羽质量奖申报工作的通知", summary="请对照资格条件申报。")
    add_notice(sanxia, title="第8届三峡质量奖评审工作安排", summary="评审纪律。")
    draft = add_notice(luyu, title="资格审查结果（草稿）", publish=False)
    private = add_notice(sanxia, title="资格审查内部通知")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    return {"luyu": luyu, "sanxia": sanxia, "draft": draft, "private": private}


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        # A word inside a run of Chinese text: the full-text index alone finds nothing.
        ("资格", ["陆羽质量奖", "关于开展第5届陆羽质量奖申报工作的通知"]),
        ("陆羽", ["陆羽质量奖", "关于开展第5届陆羽质量奖申报工作的通知"]),
        # A whole token: found by the full-text index first, then the notice by substring.
        ("陆羽质量奖", ["陆羽质量奖", "关于开展第5届陆羽质量奖申报工作的通知"]),
        ("推荐", ["三峡质量奖"]),
        ("ISO", ["陆羽质量奖"]),
        # Every term must match.
        ("资格 天门", ["陆羽质量奖"]),
        ("资格 宜昌", []),
    ],
)
def test_chinese_queries_find_the_right_pages(client, pages, query, titles):
    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert result_titles(response.content.decode()) == titles


def test_search_returns_specific_live_public_pages_only(pages):
    results = search_public_pages("资格")

    assert [(type(page), page.title) for page in results] == [
        (AwardProgrammePage, "陆羽质量奖"),
        (NoticePage, "关于开展第5届陆羽质量奖申报工作的通知"),
    ]


def test_search_page_shows_count_type_and_summary(client, pages):
    html = client.get("/search/", {"q": "资格"}).content.decode()

    assertInHTML('<p class="search-summary">“资格”共找到 2 条结果。</p>', html)
    assertInHTML('<p class="result-type">通知公告</p>', html)
    assertInHTML("<p>请对照资格条件申报。</p>", html)


def test_no_results_and_empty_query(client, pages):
    html = client.get("/search/", {"q": "北京"}).content.decode()
    assertInHTML('<p class="muted">没有找到相关内容，请换个关键词试试。</p>', html)

    html = client.get("/search/").content.decode()
    assert "共找到" not in html
    assert result_titles(html) == []


def test_results_are_paginated_ten_a_page(client, home_page):
    page = add_programme_page(home_page, ProgrammeFactory(name="陆羽质量奖", slug="luyu"))
    for number in range(1, 13):
        add_notice(page, title=f"评审安排第{number:02d}号")
    query = quote("评审安排")

    first = client.get("/search/", {"q": "评审安排"}).content.decode()
    second = client.get("/search/", {"q": "评审安排", "page": 2}).content.decode()

    assert result_titles(first) == [f"评审安排第{number:02d}号" for number in range(1, 11)]
    assert result_titles(second) == ["评审安排第11号", "评审安排第12号"]
    assertInHTML('<p class="search-summary">“评审安排”共找到 12 条结果。</p>', first)
    assertInHTML('<span class="pagination-current">第 1 页，共 2 页</span>', first)
    assertInHTML(f'<a rel="next" href="?q={query}&amp;page=2">下一页</a>', first)
    assert 'rel="prev"' not in first
    assertInHTML(f'<a rel="prev" href="?q={query}&amp;page=1">上一页</a>', second)
    assert 'rel="next"' not in second
    assert '<ol class="search-results" start="11">' in second


def test_query_and_found_titles_are_escaped(client, home_page):
    page = add_programme_page(home_page, ProgrammeFactory(name="陆羽质量奖", slug="luyu"))
    add_notice(page, title="<script>alert(1)</script>资格审查")

    typed = client.get("/search/", {"q": '<script>alert("x")</script>'}).content.decode()
    found = client.get("/search/", {"q": "资格审查"}).content.decode()

    assert "<script>alert" not in typed
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in typed
    assert 'value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"' in typed
    assert "<script>alert" not in found
    assert result_titles(found) == ["&lt;script&gt;alert(1)&lt;/script&gt;资格审查"]


def _count_search_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "申报通知"})
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_search_query_count_does_not_grow_with_results(client, home_page):
    page = add_programme_page(home_page, ProgrammeFactory(name="陆羽质量奖", slug="luyu"))
    add_notice(page, title="申报通知1")
    client.get("/search/", {"q": "申报通知"})
    with_one = _count_search_queries(client)
    for number in range(2, 6):
        add_notice(page, title=f"申报通知{number}")
    with_five = _count_search_queries(client)

    html = client.get("/search/", {"q": "申报通知"}).content.decode()
    assert result_titles(html) == [f"申报通知{number}" for number in range(1, 6)]
    assert with_one == with_five
