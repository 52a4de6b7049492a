"""The officials' certificate pages, the ZIP of a cycle and the holder's download."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.certificates.models import CertificateBatch
from scoring.certificates.services.certificates import certificates_of
from scoring.certificates.services.documents import zip_certificates
from scoring.publication.models import Award
from tests.factories import ApplicantFactory, CycleFactory, OfficialFactory, ReviewerFactory
from tests.scoring.certificate_world import (
    announced,
    announced_at,
    application_of,
    award_for,
    certificate_with_file,
    luyu_cycle,
    make_certificate,
    two_awards,
)


@pytest.fixture
def cycle(db):
    return luyu_cycle()


@pytest.fixture
def official(cycle):
    return OfficialFactory(authority=cycle.programme.authority, username="luyu-official")


@pytest.fixture
def awards(cycle):
    return two_awards(cycle)


# The officials' pages, the ZIP and downloads ------------------------------------------------


def test_the_cycle_page_issues_and_then_shows_progress_and_every_certificate(
    client, cycle, awards, official, django_capture_on_commit_callbacks
):
    client.force_login(official)
    url = f"/admin/certificates/cycles/{cycle.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert (response.status_code, response["Location"]) == (302, url)
    page = client.get(url).content.decode()
    assert "已生成 2 / 2 份（100%）" in page
    for certificate in certificates_of(cycle):
        assert f"<code>{certificate.serial}</code>" in page
        assert f'href="/admin/certificates/{certificate.pk}/download/"' in page
    progress = client.get(f"/admin/certificates/cycles/{cycle.pk}/progress/")
    assert progress.json() == {
        "started": True,
        "total": 2,
        "done": 2,
        "percent": 100,
        "finished": True,
        "failed": False,
    }


def test_the_progress_of_a_batch_under_way(client, cycle, awards, official):
    CertificateBatch.objects.create(cycle=cycle, total=8, done=3, started_by=official)
    client.force_login(official)
    assert client.get(f"/admin/certificates/cycles/{cycle.pk}/progress/").json() == {
        "started": True,
        "total": 8,
        "done": 3,
        "percent": 38,
        "finished": False,
        "failed": False,
    }
    page = client.get(f"/admin/certificates/cycles/{cycle.pk}/").content.decode()
    assert "已生成 3 / 8 份（38%）" in page
    assert '<meta http-equiv="refresh" content="5">' in page


def test_the_zip_holds_one_pdf_per_certificate_under_safe_names(client, cycle, official):
    names = ["../天门/纺织\\机械 公司", "天门食品有限公司"]
    applications = [application_of(cycle, name=name) for name in names]
    snapshot = announced(cycle, [(app, "700.00", "质量奖", {}) for app in applications])
    certificates = [
        certificate_with_file(award_for(snapshot, app), content=f"%PDF-{i}".encode())
        for i, app in enumerate(applications)
    ]
    revoked = application_of(cycle, name="已撤销公司")
    certificate_with_file(award_for(snapshot, revoked, revoked_at=announced_at()))
    client.force_login(official)
    page = client.get(f"/admin/certificates/cycles/{cycle.pk}/").content.decode()
    assert "打包下载全部 2 份证书（ZIP）" in page
    response = client.get(f"/admin/certificates/cycles/{cycle.pk}/zip/")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    expected = {
        f"{certificates[0].serial}-.._天门_纺织_机械 公司.pdf": b"%PDF-0",
        f"{certificates[1].serial}-天门食品有限公司.pdf": b"%PDF-1",
    }
    assert {name: archive.read(name) for name in archive.namelist()} == expected


def test_zip_certificates_skips_certificates_without_a_file(cycle, awards):
    printed = certificate_with_file(awards[0])
    make_certificate(awards[1])
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zip_certificates(certificates_of(cycle)))))
    assert archive.namelist() == [f"{printed.serial}-湖北天门纺织机械股份有限公司.pdf"]


def _statuses(client, url: str, people: dict) -> dict:
    observed = {}
    for role, user in people.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        observed[role] = client.get(url).status_code
    return observed


def test_the_holder_and_the_authority_download_a_certificate_everyone_else_gets_404(
    client, cycle, awards, official
):
    certificate = certificate_with_file(awards[0], content=b"%PDF-holder")
    holder = ApplicantFactory(organization=awards[0].application.organization)
    people = {
        "anonymous": None,
        "holder": holder,
        "other_applicant": ApplicantFactory(organization=awards[1].application.organization),
        "reviewer": ReviewerFactory(authority=cycle.programme.authority),
        "official": official,
        "other_official": OfficialFactory(),
    }
    url = f"/portal/awards/{awards[0].pk}/certificate/"
    assert _statuses(client, url, people) == {
        "anonymous": 302,
        "holder": 200,
        "other_applicant": 404,
        "reviewer": 404,
        "official": 200,
        "other_official": 404,
    }
    client.force_login(holder)
    response = client.get(url)
    assert b"".join(response.streaming_content) == b"%PDF-holder"
    name = f"{certificate.serial}-湖北天门纺织机械股份有限公司.pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    Award.objects.filter(pk=awards[0].pk).update(revoked_at=announced_at())
    assert _statuses(client, url, {"holder": holder, "official": official}) == {
        "holder": 404,
        "official": 200,
    }


def test_other_authorities_never_reach_a_cycles_certificates(client, cycle, awards, official):
    certificate = certificate_with_file(awards[0])
    people = {"official": official, "other_official": OfficialFactory()}
    for url in (
        f"/admin/certificates/cycles/{cycle.pk}/",
        f"/admin/certificates/cycles/{cycle.pk}/progress/",
        f"/admin/certificates/cycles/{cycle.pk}/zip/",
        f"/admin/certificates/{certificate.pk}/download/",
    ):
        assert _statuses(client, url, people) == {"official": 200, "other_official": 404}, url
    client.force_login(people["other_official"])
    assert client.post(f"/admin/certificates/cycles/{cycle.pk}/").status_code == 404
    index = client.get("/admin/certificates/").content.decode()
    assert str(cycle) not in index
    client.force_login(official)
    assert str(cycle) in client.get("/admin/certificates/").content.decode()


def _cycle_page_queries(client, cycle, count: int, official) -> int:
    applications = [application_of(cycle, name=f"公司{i}") for i in range(count)]
    snapshot = announced(cycle, [(app, "700.00", "质量奖", {}) for app in applications])
    for application in applications:
        certificate_with_file(award_for(snapshot, application))
    CertificateBatch.objects.create(cycle=cycle, total=count, done=count, started_by=official)
    client.force_login(official)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/admin/certificates/cycles/{cycle.pk}/").status_code == 200
    return len(queries)


def test_the_cycle_page_costs_the_same_queries_for_one_or_five_certificates(
    client, cycle, official
):
    small = _cycle_page_queries(client, cycle, 1, official)
    large = _cycle_page_queries(
        client, CycleFactory(programme=cycle.programme, edition=6), 5, official
    )
    assert small == large
