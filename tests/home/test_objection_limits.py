"""Anonymous objections on the 公示 page: rate-limited per client address and de-duplicated."""

import datetime as dt

import pytest

from awards.models import AuditEntry
from home.results_workflow import create_notice_page
from scoring.publication.models import Objection
from tests import clock
from tests.home.results_helpers import build_results_world, pdf_upload
from tests.home.test_results_pages import approve, messages_of, notice_open_today

TODAY = clock.at(dt.date(2026, 11, 20), 10)
pytestmark = pytest.mark.time_machine(TODAY)

DUPLICATE = "内容相同的异议已经提交过，无需重复提交；质量奖办公室会处理已收到的异议。"
RATE_LIMITED = "同一网络地址一小时内最多提交 5 条异议，请稍后再试。"


@pytest.fixture
def world(home_page):
    return build_results_world(home_page)


@pytest.fixture
def page(world):
    page = create_notice_page(notice=notice_open_today(world), by=world.official)
    approve(page, world.official)
    return page


def post(client, page, text, address="203.0.113.5"):
    data = {
        "real_name": "张三",
        "contact": "13800000000",
        "application": "",
        "text": text,
        "evidence": pdf_upload(),
    }
    return client.post(page.url, data, REMOTE_ADDR=address)


def test_the_address_is_stored_with_the_objection(client, page):
    assert post(client, page, "第一条异议。").status_code == 302
    assert Objection.objects.get().submitted_from == "203.0.113.5"


def test_the_same_text_from_the_same_address_is_stored_once(client, page):
    assert post(client, page, "该单位 2025 年发生过质量事故。").status_code == 302
    again = post(client, page, "  该单位 2025 年发生过质量事故。 ")
    assert again.status_code == 200
    assert again.context["form"].non_field_errors() == [DUPLICATE]
    assert Objection.objects.count() == 1
    assert AuditEntry.objects.filter(action="submit_objection").count() == 1
    # Another text, or the same text from another address, is a new objection.
    assert post(client, page, "另一条异议。").status_code == 302
    assert post(client, page, "该单位 2025 年发生过质量事故。", "198.51.100.7").status_code == 302
    assert Objection.objects.count() == 3


def test_six_objections_within_an_hour_from_one_address_are_refused(client, page, time_machine):
    statuses = [post(client, page, f"异议 {n}。").status_code for n in range(5)]
    assert statuses == [302] * 5
    refused = post(client, page, "异议 6。")
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [RATE_LIMITED]
    assert Objection.objects.count() == 5
    # Another address is not limited; an hour later this one may object again.
    assert post(client, page, "异议 7。", "198.51.100.7").status_code == 302
    time_machine.move_to(TODAY + dt.timedelta(hours=1, minutes=1))
    accepted = post(client, page, "异议 6。")
    assert accepted.status_code == 302
    assert messages_of(accepted)[-1:] == [
        "您的异议已提交。质量奖办公室将在核实后处理，并通过您留下的联系方式答复。"
    ]
    assert Objection.objects.count() == 7
