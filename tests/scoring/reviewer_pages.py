"""Shared set-up of the reviewer page tests: a panel of three on an application with
an overview, a self-assessment, an attachment; URLs and form data."""

import re

import pytest

from awards.models import CriteriaItem, ItemResponse
from tests.factories import ApplicantFactory, AuthorityFactory, CycleFactory, OrganizationFactory
from tests.html_forms import post_form
from tests.scoring.factories import (
    EligibleApplicationFactory,
    OpenReviewStageFactory,
    attachment_for,
    review_panel,
)

MESSAGE = re.compile(r'<p class="message message-(\w+)">(.*?)</p>', re.S)


def page_messages(response) -> list[tuple[str, str]]:
    return MESSAGE.findall(response.content.decode())


@pytest.fixture(name="world")
def review_world():
    authority = AuthorityFactory(
        name="天门市人民政府", region_code="429006", region_prefix="429006"
    )
    cycle = CycleFactory(programme__authority=authority, programme__name="陆羽质量奖")
    stage = OpenReviewStageFactory(cycle=cycle)
    application = EligibleApplicationFactory(
        cycle=cycle,
        organization=OrganizationFactory(name="天门纺织机械股份有限公司", region_code="429006"),
        created_by=ApplicantFactory(organization__region_code="429006"),
        draft={"overview": {"overview": "本公司创立于 1998 年，主营纺织机械。"}},
    )
    item = CriteriaItem.objects.get(framework=cycle.framework, code="4.1.1")
    ItemResponse.objects.create(
        application=application, item=item, text="高层领导每季度开展战略回顾。", self_percent=65
    )
    attachment = attachment_for(application, content=b"%PDF-1.4 evidence\n%%EOF\n")
    leader_assignment, member_assignment, third_assignment = review_panel(
        stage=stage, members=3, application=application
    )
    return {
        "cycle": cycle,
        "stage": stage,
        "application": application,
        "attachment": attachment,
        "panel": leader_assignment.panel,
        "leader": leader_assignment,
        "member": member_assignment,
        "third": third_assignment,
    }


def url(name: str, world, **kwargs) -> str:
    assignment = world["leader"]
    paths = {
        "workspace": "/review/",
        "item": f"/review/assignments/{assignment.pk}/",
        "item_411": f"/review/assignments/{assignment.pk}/items/4.1.1/",
        "item_471": f"/review/assignments/{assignment.pk}/items/4.7.1/",
        "sheet": f"/review/assignments/{assignment.pk}/sheet/",
        "submit": f"/review/assignments/{assignment.pk}/submit/",
        "recuse": f"/review/assignments/{assignment.pk}/recuse/",
        "attachment": f"/review/assignments/{assignment.pk}/attachments/{world['attachment'].pk}/",
        "consensus": f"/review/panels/{assignment.panel_id}/consensus/",
    }
    return paths[name]


def full_post(version: int, percent: int = 60, prefix_codes=None) -> dict:
    codes = prefix_codes or [
        item.code
        for item in CriteriaItem.objects.filter(
            framework__code="GB/T 19580", framework__authority=None
        ).order_by("sort_order", "code")
    ]
    data = {"version": str(version)}
    for code in codes:
        data[f"{code}-percent"] = str(percent)
        data[f"{code}-strengths"] = f"{code} 的优势"
        data[f"{code}-improvements"] = f"{code} 的改进机会"
    return data


def all_codes() -> list[str]:
    return [c.removesuffix("-percent") for c in full_post(0) if c.endswith("-percent")]


def sheet_form(client, world, **typed) -> dict[str, str]:
    """What the whole sheet's button posts: the page's form as loaded now, with ``typed``
    (``{"4.1.1-percent": "60"}`` is written ``**{"4.1.1-percent": "60"}``) changed."""
    html = client.get(url("sheet", world)).content.decode()
    return {**post_form(html, url("sheet", world)), **typed}


def filled(codes, percent: int = 60) -> dict[str, str]:
    """Every field of the ``codes`` rows filled in, as ``full_post`` fills them."""
    data = full_post(0, percent=percent, prefix_codes=list(codes))
    del data["version"]
    return data
