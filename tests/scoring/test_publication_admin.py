"""The officials' notice, objection and revocation pages (scoring/admin_views/publication.py)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards.models import AuditEntry
from scoring.publication.models import Objection, ObjectionOutcome
from scoring.publication.services.notices import (
    announce_results,
    open_public_notice,
    submit_objection,
)
from tests import clock
from tests.home.results_helpers import PDF_BYTES, application_of, build_results_world, pdf_upload
from tests.scoring.factories import ApprovedSnapshotFactory, ObjectionFactory, ResultEntryFactory

SCRIPT = "<script>alert('x')</script>"
#: The clock of these tests: before a notice period of 2026-12-01 (a Tuesday) to 2026-12-07.
BEFORE = clock.at(dt.date(2026, 11, 20), 10)

#: The clock starts at BEFORE and runs (time-machine's marker, set before any fixture).
pytestmark = pytest.mark.time_machine(BEFORE)


@pytest.fixture
def world(db):
    return build_results_world(None)


@pytest.fixture
def other_world(db):
    """Another authority with the same kind of data, which must never show up."""
    other = build_results_world(
        None,
        authority_name="江西省人民政府",
        region_code="360000",
        programme_name="井冈质量奖",
        slug="jinggang",
        official_username="jinggang-office",
    )
    notice = open_public_notice(
        snapshot=other.snapshot, starts_on=dt.date(2026, 12, 1), by=other.official, now=BEFORE
    )
    ObjectionFactory(notice=notice, real_name="江西异议人")
    return other


@pytest.fixture
def notice(world):
    return open_public_notice(
        snapshot=world.snapshot, starts_on=dt.date(2026, 12, 1), by=world.official, now=BEFORE
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_index_lists_only_the_officials_own_snapshots(client, world, other_world, notice):
    client.force_login(world.official)
    response = client.get(reverse("publication:index"))
    assert response.status_code == 200
    assert [str(snapshot) for snapshot in response.context["snapshots"]] == [
        "第5届陆羽质量奖（2026） 结果第 1 版"
    ]
    assert "井冈" not in response.content.decode()


def test_typed_script_in_an_objection_is_escaped_in_the_admin(client, world, notice):
    submit_objection(
        notice=notice,
        real_name=f"张三{SCRIPT}",
        contact=SCRIPT,
        text=f"异议{SCRIPT}",
        evidence_file=pdf_upload(f"{SCRIPT}.pdf"),
        now=clock.at(dt.date(2026, 12, 2), 10),
    )
    objection = Objection.objects.get()
    client.force_login(world.official)
    listing = client.get(reverse("publication:notice", args=[notice.pk])).content.decode()
    detail = client.get(reverse("publication:objection", args=[objection.pk])).content.decode()
    for html in (listing, detail):
        assert SCRIPT not in html
        assert "张三&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "异议&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in detail
    # Only the last path part of the name survives ("/" of "</script>"), reserved marks dropped.
    assert objection.evidence_name == "script.pdf"


def test_an_official_records_a_resolution(client, world, notice):
    objection = ObjectionFactory(notice=notice)
    client.force_login(world.official)
    url = reverse("publication:objection", args=[objection.pk])
    response = client.post(url, {"outcome": "rejected", "resolution": "经核查不属实。"})
    assert response.status_code == 302
    assert response["Location"] == reverse("publication:notice", args=[notice.pk])
    assert messages_of(response) == ["已记录对张三所提异议的处理结论：异议不成立。"]
    objection.refresh_from_db()
    assert (objection.outcome, objection.resolution, objection.resolved_by) == (
        ObjectionOutcome.REJECTED,
        "经核查不属实。",
        world.official,
    )


def test_a_resolution_without_text_is_refused_on_the_form(client, world, notice):
    objection = ObjectionFactory(notice=notice)
    client.force_login(world.official)
    response = client.post(
        reverse("publication:objection", args=[objection.pk]), {"outcome": "", "resolution": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "outcome": ["请选择处理结论。"],
        "resolution": ["请填写处理意见。"],
    }
    objection.refresh_from_db()
    assert objection.outcome == ""


def test_the_evidence_downloads_as_the_type_it_was_checked_to_be(
    client, world, notice, other_world
):
    objection = submit_objection(
        notice=notice,
        real_name="张三",
        contact="13800000000",
        text="异议。",
        evidence_file=pdf_upload("事故通报.pdf"),
        now=clock.at(dt.date(2026, 12, 2), 10),
    )
    url = reverse("publication:evidence", args=[objection.pk])
    client.force_login(world.official)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == (
        "application/pdf",
        "nosniff",
    )
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E4%BA%8B%E6%95%85%E9%80%9A%E6%8A%A5.pdf"
    )
    [entry] = AuditEntry.objects.filter(action="download_objection_evidence")
    assert (entry.actor_id, entry.target_id, entry.details) == (
        world.official.pk,
        str(objection.pk),
        {"notice": notice.pk, "name": "事故通报.pdf"},
    )
    client.force_login(other_world.official)
    assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="download_objection_evidence").count() == 1


def test_revoking_from_the_admin(client, world):
    notice = open_public_notice(
        snapshot=world.snapshot,
        starts_on=dt.date(2026, 3, 2),
        by=world.official,
        now=clock.at(dt.date(2026, 3, 1), 10),
    )
    award = announce_results(notice=notice, by=world.official)[0]
    client.force_login(world.official)
    url = reverse("publication:revoke", args=[award.pk])
    refused = client.post(url, {"reason": " "})
    assert refused.context["form"].errors == {"reason": ["请填写撤销理由。"]}
    response = client.post(url, {"reason": "获奖后发生重大质量事故。"})
    assert response["Location"] == reverse("publication:notice", args=[notice.pk])
    assert messages_of(response) == ["已撤销湖北天门纺织机械股份有限公司的质量奖。"]
    award.refresh_from_db()
    assert (award.revocation_reason, award.revoked_by) == (
        "获奖后发生重大质量事故。",
        world.official,
    )


def test_announcing_before_the_period_ends_shows_why_and_offers_no_button(client, world):
    starts_on = timezone.localdate() + dt.timedelta(days=30)
    notice = open_public_notice(snapshot=world.snapshot, starts_on=starts_on, by=world.official)
    period = f"{notice.starts_on.isoformat()} 至 {notice.ends_on.isoformat()}"
    after = (notice.ends_on + dt.timedelta(days=1)).isoformat()
    client.force_login(world.official)
    response = client.get(reverse("publication:announce", args=[notice.pk]))
    assert response.context["problems"] == [
        f"公示期为 {period}，公示期满后（{after} 起）才能发布表彰决定。"
    ]
    assert 'type="submit"' not in response.content.decode()
    refused = client.post(reverse("publication:announce", args=[notice.pk]), {})
    assert messages_of(refused) == [
        f"公示期为 {period}，公示期满后（{after} 起）才能发布表彰决定。"
    ]
    notice.refresh_from_db()
    assert notice.announced_at is None


# --- query counts: the same for 1 and 5 rows -----------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_index_costs_the_same_for_one_and_five_snapshots(client, world, notice):
    client.force_login(world.official)
    url = reverse("publication:index")
    one = count_queries(client, url)
    for version in range(2, 6):
        snapshot = ApprovedSnapshotFactory(
            cycle=world.cycle, version=version, created_by=world.official
        )
        ResultEntryFactory(snapshot=snapshot, application=world.winner.application, level="质量奖")
    assert count_queries(client, url) == one


def test_the_objection_list_costs_the_same_for_one_and_five(client, world, notice):
    client.force_login(world.official)
    url = reverse("publication:notice", args=[notice.pk])
    ObjectionFactory(notice=notice, application=world.winner.application)
    one = count_queries(client, url)
    for number in range(4):
        ObjectionFactory(
            notice=notice,
            application=application_of(world.cycle, f"异议对象{number}有限公司"),
            real_name=f"异议人{number}",
        )
    assert count_queries(client, url) == one
