import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from pytest_django.asserts import assertInHTML
from wagtail.models import GroupPagePermission, Page, Revision, Site

from awards.demo import ADMIN_USERNAME, AWARDS
from awards.demo_recommenders import ACCOUNTS as RECOMMENDING_ACCOUNTS
from awards.enums import CycleStatus
from awards.models import Cycle
from home.demo import build_demo_site
from home.demo_people import CASTS
from home.models import AwardProgrammePage, HomePage, NoticePage
from tests import clock
from tests.factories import AuthorityFactory, CycleFactory, ProgrammeFactory


@pytest.fixture
def programmes(db):
    """The three demo awards as ``seed_demo`` creates them, plus one without written content."""
    tianmen = AuthorityFactory(
        name="天门市人民政府", office_name="天门市质强办", region_code="429006"
    )
    yichang = AuthorityFactory(name="宜昌市人民政府", region_code="420500")
    jiangxi = AuthorityFactory(name="江西省人民政府", region_code="360000")
    hubei = AuthorityFactory(name="湖北省人民政府", region_code="420000", region_name="湖北省")
    luyu = ProgrammeFactory(authority=tianmen, name="陆羽质量奖", slug="luyu", prize="10万元")
    sanxia = ProgrammeFactory(
        authority=yichang, name="三峡质量奖", slug="sanxia", requires_recommendation=True
    )
    jinggang = ProgrammeFactory(authority=jiangxi, name="井冈质量奖", slug="jinggang")
    changjiang = ProgrammeFactory(authority=hubei, name="长江质量奖", slug="changjiang")
    CycleFactory(programme=luyu, edition=4, year=clock.today().year - 8, status=CycleStatus.CLOSED)
    CycleFactory(programme=luyu, edition=5)
    CycleFactory(programme=jinggang, edition=5, applications_open=clock.days_from_today(-10))
    return {"luyu": luyu, "sanxia": sanxia, "jinggang": jinggang, "changjiang": changjiang}


def tree_state() -> dict:
    """Everything build_demo_site may create or change, to compare across calls."""
    return {
        "pages": list(
            Page.objects.order_by("path").values_list(
                "pk", "title", "slug", "live", "latest_revision_id", "live_revision_id"
            )
        ),
        "revisions": Revision.objects.count(),
        "sites": list(Site.objects.values_list("pk", "root_page_id", "site_name")),
        "groups": list(Group.objects.order_by("pk").values_list("pk", "name")),
        "grants": GroupPagePermission.objects.count(),
    }


def test_builds_the_page_tree_with_exact_titles(programmes):
    home = build_demo_site()

    assert isinstance(home, HomePage)
    assert home.title == "政府质量奖门户"
    assert home.slug == "home"
    site = Site.objects.get(is_default_site=True)
    assert (site.root_page_id, site.site_name) == (home.pk, "政府质量奖门户")
    # Wagtail's welcome page is gone: the home page is the only page below the root.
    assert list(Page.objects.filter(depth=2).values_list("title", flat=True)) == ["政府质量奖门户"]
    # Programme pages in the programmes' own order (by the authority's division code).
    assert [page.title for page in home.get_children()] == [
        "井冈质量奖",
        "长江质量奖",
        "三峡质量奖",
        "陆羽质量奖",
    ]
    notices = {
        page.slug: [notice.title for notice in page.get_children()]
        for page in AwardProgrammePage.objects.all()
    }
    assert notices == {
        "jinggang": ["关于开展第5届井冈质量奖申报工作的通知", "第5届井冈质量奖评审工作安排"],
        "changjiang": ["关于开展长江质量奖申报工作的通知", "长江质量奖评审工作安排"],
        "sanxia": ["关于开展三峡质量奖申报工作的通知", "三峡质量奖评审工作安排"],
        "luyu": ["关于开展第5届陆羽质量奖申报工作的通知", "第5届陆羽质量奖评审工作安排"],
    }
    assert list(
        NoticePage.objects.filter(slug="application-5", title__contains="陆羽").values_list(
            "date", flat=True
        )
    ) == [Cycle.objects.get(programme__slug="luyu", edition=5).applications_open]


def test_every_demo_page_is_published(programmes):
    build_demo_site()

    pages = Page.objects.filter(depth__gt=1).specific()
    assert len(pages) == 1 + 4 + 8
    for page in pages:
        assert (page.title, page.live, page.has_unpublished_changes) == (page.title, True, False)
        assert page.live_revision_id == page.latest_revision_id is not None


def test_second_call_creates_and_changes_nothing(programmes):
    first = build_demo_site()
    before = tree_state()

    second = build_demo_site()

    assert second.pk == first.pk
    assert tree_state() == before


def test_later_call_adds_pages_only_for_new_programmes(programmes):
    build_demo_site()
    pages_before = Page.objects.count()
    ProgrammeFactory(name="荆楚质量奖", slug="jingchu")

    home = build_demo_site()

    assert Page.objects.count() == pages_before + 3
    assert [page.title for page in home.get_children()][-1] == "荆楚质量奖"


def test_programme_pages_carry_the_rules_in_chinese(client, programmes):
    build_demo_site()

    luyu = client.get("/luyu/").content.decode()
    assert "在天门市行政区域内依法注册登记，具有独立法人资格，正常经营（运行）满3年" in luyu
    assert "对获奖组织给予10万元奖励，颁发证书和奖牌。" in luyu
    assertInHTML("<td>4.1 领导</td>", luyu)  # GB/T 19580-2012 categories and points as a table
    assert "4.1.1 高层领导的作用（50）；4.1.2 组织治理（30）；4.1.3 社会责任（30）" in luyu
    assert "过程类目600分，结果类目400分" in luyu
    assert "问询答辩" not in luyu

    jinggang = client.get("/jinggang/").content.decode()
    assert "问询答辩" in jinggang
    assert "发生重大公共卫生事件或食品安全事故" in jinggang
    assert "每届组织奖不超过3个、个人奖不超过3名；提名奖组织不超过5个、个人不超过5名。" in jinggang

    sanxia = client.get("/sanxia/").content.decode()
    assert "经市直有关部门或县（市、区）人民政府推荐" in sanxia
    assert "，并附推荐单位的推荐意见" in sanxia

    changjiang = client.get("/changjiang/").content.decode()
    assert "评选周期以当届通知为准。" in changjiang
    assert "在湖北省行政区域内依法注册登记，具有独立法人资格" in changjiang


def test_application_notice_gives_the_deadline_in_beijing_time(client, programmes):
    build_demo_site()
    notice = NoticePage.objects.get(title="关于开展第5届陆羽质量奖申报工作的通知")

    html = client.get(notice.url).content.decode()

    deadline = Cycle.objects.get(programme__slug="luyu", edition=5).application_deadline
    written = clock.written(deadline.astimezone(clock.SHANGHAI).date())
    assert f"申报截止时间为{written}17:00（北京时间），逾期系统不再受理。" in html


def test_each_authority_office_gets_its_programme_page(programmes):
    build_demo_site()

    page = AwardProgrammePage.objects.get(slug="luyu")
    grants = GroupPagePermission.objects.filter(page=page)
    assert sorted((g.group.name, g.permission.codename) for g in grants) == [
        ("质量奖办公室·天门市人民政府", "add_page"),
        ("质量奖办公室·天门市人民政府", "change_page"),
        ("质量奖办公室·天门市人民政府", "publish_page"),
    ]


def test_readme_lists_every_demo_account():
    """The README's demo-account table names each account seed_demo creates."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Demo accounts", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([a-z_0-9]+)`", table))
    for prefix, first, last in re.findall(r"`([a-z_]+?)(\d+)` … `\1(\d+)`", table):
        named |= {f"{prefix}{n}" for n in range(int(first), int(last) + 1)}
    accounts = {username for award in AWARDS for username, _name in award.reviewers}
    accounts |= {award.official[0] for award in AWARDS}
    accounts |= {org[5] for award in AWARDS for org in award.organizations}
    accounts |= {cast.second_official[0] for cast in CASTS.values()}
    accounts |= {row[0] for row in RECOMMENDING_ACCOUNTS}
    accounts.add(ADMIN_USERNAME)
    assert accounts - named == set()
