"""Private files in an S3 bucket instead of the local disk, in this process (moto's ``mock_aws``).

Every place that stores or reads a private file works through the storage API (``open``/``read``,
never ``.path``): evidence upload and download, the application PDF, certificate printing, the ZIP
of certificates, the restore check. The two-process version is tests/portal/test_deployment.py.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import FileField

from awards.models import Application, Attachment
from awards.services.application_pdf import generate_application_pdf
from scoring.certificates.models import Certificate, CertificateBatch
from scoring.certificates.services.documents import zip_certificates
from scoring.certificates.services.printing import render_certificate_batch
from scoring.publication.models import Objection
from scoring.review.models import AnswerFile
from tests.factories import (
    OfficialFactory,
    fill_application,
    pdf_bytes,
    started_application,
    step_url,
    wizard_post,
)
from tests.scoring.certificate_world import (
    certificate_with_file,
    luyu_cycle,
    make_certificate,
    two_awards,
)

pytestmark = pytest.mark.django_db

BUCKET = "portal-private-test"
PRIVATE_FIELDS = [
    (Attachment, "file"),
    (Application, "pdf"),
    (Certificate, "pdf"),
    (Objection, "evidence"),
    (AnswerFile, "file"),
]


@pytest.fixture
def bucket(settings, monkeypatch):
    """The private storage is an S3 bucket (as with PORTAL_S3_PRIVATE_BUCKET); returns a client."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "private": {
                "BACKEND": "portal.storage.PrivateS3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "access_key": "testing",
                    "secret_key": "testing",
                    "file_overwrite": False,
                },
            },
        }
        s3 = storages["private"]
        # File fields took their (callable) storage when the models were defined.
        for model, name in PRIVATE_FIELDS:
            field = model._meta.get_field(name)
            assert isinstance(field, FileField)
            monkeypatch.setattr(field, "storage", s3)
        yield client


def stored(client, name: str) -> bytes:
    return client.get_object(Bucket=BUCKET, Key=name)["Body"].read()


def test_evidence_goes_to_the_bucket_and_comes_back_through_the_checked_view(client, bucket):
    application, user = started_application()
    client.force_login(user)
    content = pdf_bytes("承诺书")

    response = wizard_post(
        client,
        application,
        "evidence",
        action="save",
        extra={"evidence-file_commitment": SimpleUploadedFile("承诺书.pdf", content)},
    )

    assert response["Location"] == step_url(application, "evidence")
    attachment = Attachment.objects.get()
    assert stored(bucket, attachment.file.name) == content
    download = client.get(f"/portal/applications/{application.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert {"private", "no-store"} <= set(download["Cache-Control"].split(", "))


def test_a_file_missing_from_the_bucket_is_a_404(client, bucket):
    application, user = started_application()
    application = fill_application(application, user)
    attachment = application.attachments.order_by("pk").first()
    bucket.delete_object(Bucket=BUCKET, Key=attachment.file.name)
    client.force_login(user)

    response = client.get(f"/portal/applications/{application.pk}/attachments/{attachment.pk}/")

    assert response.status_code == 404


def test_private_files_have_no_url(bucket):
    with pytest.raises(NotImplementedError, match="no URL"):
        storages["private"].url("applications/1/pdf/x.pdf")


def test_the_application_pdf_is_printed_into_the_bucket_and_replaced(client, bucket):
    application, user = started_application()
    application = fill_application(application, user)

    first = generate_application_pdf(application=application).pdf.name
    second = generate_application_pdf(application=application).pdf.name

    assert first != second
    assert stored(bucket, second).startswith(b"%PDF-")
    keys = {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert first not in keys and second in keys
    client.force_login(user)
    response = client.get(f"/portal/applications/{application.pk}/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored(bucket, second)


def test_certificates_are_printed_into_the_bucket_and_zipped_from_it(bucket):
    cycle = luyu_cycle()
    awards = two_awards(cycle)
    printed = make_certificate(awards[0])
    official = OfficialFactory(authority=cycle.programme.authority)
    batch = CertificateBatch.objects.create(cycle=cycle, total=1, started_by=official)

    render_certificate_batch(batch=batch)

    printed.refresh_from_db()
    pdf = stored(bucket, printed.pdf.name)
    assert pdf.startswith(b"%PDF-")
    other = certificate_with_file(awards[1], b"%PDF-1.4 second\n%%EOF\n")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zip_certificates([printed, other]))))
    assert sorted(len(archive.read(info)) for info in archive.infolist()) == sorted(
        [len(pdf), len(b"%PDF-1.4 second\n%%EOF\n")]
    )
    assert pdf in {archive.read(info) for info in archive.infolist()}


def test_check_restore_reads_the_bucket(bucket, capsys):
    awards = two_awards(luyu_cycle())
    kept, lost = (certificate_with_file(award) for award in awards)
    bucket.delete_object(Bucket=BUCKET, Key=lost.pdf.name)

    with pytest.raises(CommandError, match=r"^1 stored file\(s\) missing"):
        call_command("check_restore")

    lines = capsys.readouterr().out.splitlines()
    assert "scoring.Certificate.pdf: 2 files, 1 missing" in lines
    assert f"  MISSING scoring.Certificate.pdf pk={lost.pk}: {lost.pdf.name}" in lines
    assert kept.pdf.name not in "\n".join(lines)
