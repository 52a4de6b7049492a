"""Reviewers (and officials of the authority) read the application in the browser: the 申报书
PDF and the attachments open inline, PDF and images only, with nosniff; audited like downloads."""

import pytest
from django.core.files.base import ContentFile

from awards.models import Application, Attachment, AuditEntry
from tests.factories import OfficialFactory, ProgrammeFactory, ReviewerFactory
from tests.scoring.factories import attachment_for, reviewer_permission_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    programme = ProgrammeFactory()
    reviewer = ReviewerFactory(authority=programme.authority)
    placeholders = reviewer_permission_world(programme=programme, reviewer=reviewer)
    return {"reviewer": reviewer, "programme": programme, **placeholders}


def audited(action: str) -> list[dict]:
    return list(
        AuditEntry.objects.filter(action=action).order_by("pk").values_list("details", flat=True)
    )


def disposition(response) -> str:
    """ "inline" or "attachment" (the file name follows, RFC 6266-encoded)."""
    return response["Content-Disposition"].split(";", 1)[0]


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_assigned_reviewer_reads_the_pdf_inline_or_downloads_it(client, world):
    client.force_login(world["reviewer"])
    assignment = world["scoring_assignment"]
    shown = client.get(f"/review/assignments/{assignment}/pdf/view/")
    assert (shown.status_code, body(shown)) == (200, b"%PDF-1.4\n%%EOF\n")
    assert shown["Content-Type"] == "application/pdf"
    assert disposition(shown) == "inline"
    assert shown["X-Content-Type-Options"] == "nosniff"
    saved = client.get(f"/review/assignments/{assignment}/pdf/")
    assert disposition(saved) == "attachment"
    application = Application.objects.get(panels__assignments=assignment)
    name = application.pdf.name.rsplit("/", 1)[-1]
    assert audited("download_application_pdf") == [
        {"name": name, "assignment": assignment, "inline": True},
        {"name": name, "assignment": assignment},
    ]


def test_an_attachment_opens_inline_only_when_it_is_a_pdf_or_an_image(client, world):
    client.force_login(world["reviewer"])
    assignment = world["scoring_assignment"]
    pdf = world["scoring_attachment"]
    shown = client.get(f"/review/assignments/{assignment}/attachments/{pdf}/view/")
    assert shown.status_code == 200
    assert disposition(shown) == "inline"
    assert shown["X-Content-Type-Options"] == "nosniff"
    application = Attachment.objects.get(pk=pdf).application
    html = attachment_for(application, name="页面.html", content=b"<script>alert(1)</script>")
    Attachment.objects.filter(pk=html.pk).update(content_type="text/html")
    refused = client.get(f"/review/assignments/{assignment}/attachments/{html.pk}/view/")
    assert refused.status_code == 200
    assert disposition(refused) == "attachment"
    assert refused["X-Content-Type-Options"] == "nosniff"
    image = Attachment.objects.create(
        application=application,
        requirement_code="report",
        original_name="证书.png",
        file=ContentFile(b"\x89PNG\r\n", name="evidence.png"),
        size=6,
        content_type="image/png",
    )
    picture = client.get(f"/review/assignments/{assignment}/attachments/{image.pk}/view/")
    assert disposition(picture) == "inline"
    assert [(d["attachment"], d.get("inline")) for d in audited("download_attachment")] == [
        (pdf, True),
        (html.pk, True),
        (image.pk, True),
    ]


def test_an_unassigned_reviewer_gets_404(client, world):
    unassigned, assignment = world["review_roles"]["unassigned"]
    client.force_login(unassigned)
    assert client.get(f"/review/assignments/{assignment}/pdf/view/").status_code == 404
    attachment = world["scoring_attachment"]
    url = f"/review/assignments/{assignment}/attachments/{attachment}/view/"
    assert client.get(url).status_code == 404
    assert audited("download_application_pdf") == []


def test_an_official_of_the_authority_reads_inline_and_is_audited(client, world):
    attachment = Attachment.objects.get(pk=world["scoring_attachment"])
    application = attachment.application
    official = OfficialFactory(authority=world["programme"].authority)
    client.force_login(official)
    shown = client.get(f"/portal/applications/{application.pk}/pdf/view/")
    assert shown.status_code == 200
    assert disposition(shown) == "inline"
    file = client.get(f"/portal/applications/{application.pk}/attachments/{attachment.pk}/view/")
    assert disposition(file) == "inline"
    assert [d.get("inline") for d in audited("download_application_pdf")] == [True]
    assert [d.get("inline") for d in audited("download_attachment")] == [True]
    client.force_login(OfficialFactory())
    assert client.get(f"/portal/applications/{application.pk}/pdf/view/").status_code == 404
