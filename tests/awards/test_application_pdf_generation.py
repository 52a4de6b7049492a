"""The application PDF built from the database: document data, the background task, the download."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.tasks import TaskResultStatus

from awards.models import Application, AuditEntry
from awards.pdf.document import CertificationEntry, EligibilityEntry, FinancialYear
from awards.pdf.inspect import pdf_fonts, pdf_text
from awards.services.application_drafts import save_step_draft
from awards.services.application_pdf import application_code, build_application_document
from awards.services.applications import submit_application
from awards.services.tasks import render_application_pdf_task
from tests.factories import (
    COMPLETE_OVERVIEW,
    OfficialFactory,
    fill_application,
    started_application,
    tianmen_applicant,
)

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("申报")</script>'


@pytest.fixture
def submitted():
    application, user = started_application()
    fill_application(application, user)
    save_step_draft(
        application=application,
        step="overview",
        values={"overview": COMPLETE_OVERVIEW["overview"] + "\n" + SCRIPT},
        expected_version=application.step_version("overview"),
        next_step="review",
        by=user,
    )
    return submit_application(application=application, by=user), user


def test_the_document_holds_the_application_as_saved(submitted):
    application, _user = submitted
    document = build_application_document(application)
    year = application.cycle.year
    assert (document.programme_name, document.authority_name) == (
        application.cycle.programme.name,
        "天门市人民政府",
    )
    assert document.application_code == application_code(application)
    assert document.application_code == (
        f"{application.cycle.programme.slug.upper()}-{year}-{application.pk:04d}"
    )
    assert (document.organization.name, document.organization.credit_code) == (
        "天门纺织机械股份有限公司",
        application.organization.credit_code,
    )
    assert (document.contact.name, document.contact.phone, document.contact.email) == (
        "李四",
        "0728-5211234",
        "lisi@example.com",
    )
    assert list(document.basic.financials) == [
        FinancialYear(year=year - 3, revenue=Decimal("52000.50"), profit=Decimal("3100")),
        FinancialYear(year=year - 2, revenue=Decimal("56000"), profit=Decimal("3500.25")),
        FinancialYear(year=year - 1, revenue=Decimal("61000"), profit=Decimal("4200")),
    ]
    assert [row.year for row in document.basic.financials] == [year - 3, year - 2, year - 1]
    assert list(document.basic.certifications) == [
        CertificationEntry(name="ISO 9001 质量管理体系", first_certified=dt.date(2012, 6, 1)),
        CertificationEntry(name="ISO 14001（2014 年）"),
    ]
    assert (document.basic.employees, document.basic.excellence_model_year) == (860, 2018)
    assert len(document.eligibility) == 8
    assert all(isinstance(row, EligibilityEntry) and row.passed for row in document.eligibility)
    assert document.overview.endswith(SCRIPT)
    assert [c.code for c in document.categories] == [
        "4.1",
        "4.2",
        "4.3",
        "4.4",
        "4.5",
        "4.6",
        "4.7",
    ]
    assert sum(len(c.items) for c in document.categories) == 23
    assert str(document.self_score) == "600"
    assert [(a.type_name, a.file_name) for a in document.attachments] == [
        ("近三年经审计的财务报表", "financial-statements.pdf"),
        ("管理体系认证证书", "certificates.pdf"),
        ("承诺书", "commitment.pdf"),
    ]
    assert document.framework_label == "GB/T 19580-2012 卓越绩效评价准则"
    assert document.submitted_at == application.submitted_at


def test_the_task_prints_chinese_with_an_embedded_cjk_font_and_typed_html_as_text(submitted):
    application, _user = submitted
    result = render_application_pdf_task.enqueue(application.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL
    application = Application.objects.get(pk=application.pk)
    assert result.return_value == application.pdf.name
    path = settings.PRIVATE_MEDIA_ROOT / application.pdf.name
    data = path.read_bytes()
    assert any("CJK" in name for name in pdf_fonts(data))
    text = pdf_text(data)
    assert "天门纺织机械股份有限公司" in text
    assert SCRIPT in text
    assert AuditEntry.objects.filter(action="render_application_pdf").count() == 1


def test_printing_again_replaces_the_previous_file(submitted):
    application, _user = submitted
    first = render_application_pdf_task.enqueue(application.pk).return_value
    second = render_application_pdf_task.enqueue(application.pk).return_value
    assert first != second
    assert not (settings.PRIVATE_MEDIA_ROOT / first).exists()
    assert (settings.PRIVATE_MEDIA_ROOT / second).exists()


def test_the_pdf_is_downloaded_only_by_its_organization_and_authority(client, submitted):
    application, user = submitted
    url = f"/portal/applications/{application.pk}/pdf/"
    client.force_login(user)
    assert client.get(url).status_code == 404  # not printed yet
    render_application_pdf_task.enqueue(application.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    # The applicant's own file is theirs: not recorded; the official's download is.
    assert AuditEntry.objects.filter(action="download_application_pdf").count() == 0
    statuses = {}
    for name, person in {
        "official": OfficialFactory(authority=application.cycle.programme.authority),
        "other_official": OfficialFactory(),
        "other_applicant": tianmen_applicant(),
    }.items():
        client.force_login(person)
        statuses[name] = client.get(url).status_code
    assert statuses == {"official": 200, "other_official": 404, "other_applicant": 404}
    [entry] = AuditEntry.objects.filter(action="download_application_pdf")
    assert (entry.actor_name, entry.target_id, entry.authority_id) == (
        entry.actor.full_name or entry.actor.username,
        str(application.pk),
        application.cycle.programme.authority_id,
    )
    assert entry.actor.authority_id == application.cycle.programme.authority_id
