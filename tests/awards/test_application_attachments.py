"""Evidence uploads through the wizard: content checks, limits, private storage, checked downloads."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.models import Attachment, AttachmentRequirement, AuditEntry
from awards.services.application_attachments import ensure_attachment_requirements
from awards.uploads import format_size
from tests.factories import (
    OfficialFactory,
    ReviewerFactory,
    open_cycle,
    pdf_bytes,
    started_application,
    step_url,
    tianmen_applicant,
    wizard_post,
)

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def stored_files() -> set[Path]:
    return set(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*"))


def upload(client, application, files: dict, **options):
    extra = {f"evidence-file_{code}": file for code, file in files.items()}
    return wizard_post(client, application, "evidence", action="save", extra=extra, **options)


def test_default_requirements_leave_the_recommendation_to_the_recommending_body():
    plain = open_cycle(programme__requires_recommendation=False)
    recommended = open_cycle(programme__requires_recommendation=True)
    rows = {
        cycle.pk: [
            (r.code, r.name, r.required) for r in ensure_attachment_requirements(cycle=cycle)
        ]
        for cycle in (plain, recommended)
    }
    assert rows[plain.pk] == [
        ("financial-statements", "近三年经审计的财务报表", True),
        ("certificates", "管理体系认证证书", True),
        ("recommendation", "推荐意见", False),
        ("commitment", "承诺书", True),
        ("other", "其他证明材料", False),
    ]
    assert [required for _code, _name, required in rows[recommended.pk]] == [
        True,
        True,
        False,
        True,
        False,
    ]
    # Running again creates nothing.
    ensure_attachment_requirements(cycle=plain)
    assert AttachmentRequirement.objects.filter(cycle=plain).count() == 5


def test_a_pdf_is_stored_privately_under_a_generated_name(client):
    application, user = started_application()
    client.force_login(user)
    response = upload(
        client,
        application,
        {"commitment": SimpleUploadedFile("../../承诺书 签字版.PDF", pdf_bytes(), "text/html")},
    )
    assert response["Location"] == step_url(application, "evidence")
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "承诺书 签字版.pdf",
        "application/pdf",
        len(pdf_bytes()),
    )
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / attachment.file.name
    assert stored.read_bytes() == pdf_bytes()
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    assert "承诺书" not in attachment.file.name
    assert attachment.file.name.startswith(f"applications/{application.pk}/attachments/")
    entry = AuditEntry.objects.get(action="upload_attachment")
    assert (entry.actor, entry.details["name"]) == (user, "承诺书 签字版.pdf")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "年报.pdf",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            "文件“年报.pdf”的内容不是 PDF、JPEG、PNG、DOCX 或 XLSX，而是网页（HTML），已拒绝上传。",
        ),
        (
            "证书.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64,
            "文件“证书.pdf”的内容不是 PDF、JPEG、PNG、DOCX 或 XLSX，而是可执行程序，已拒绝上传。",
        ),
        ("空.pdf", b"", "文件“空.pdf”是空文件，已拒绝上传。"),
    ],
)
def test_wrong_content_is_refused_with_a_clear_message_and_nothing_saved(
    client, name, content, message
):
    application, user = started_application()
    client.force_login(user)
    version = application.version
    files_before = stored_files()
    response = upload(client, application, {"certificates": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert response.context["wizard"]["form"].errors == {"file_certificates": [message]}
    assert Attachment.objects.count() == 0
    assert type(application).objects.get(pk=application.pk).version == version
    assert stored_files() == files_before


def test_oversized_file_and_application_total_are_refused(client, settings):
    settings.AWARDS_MAX_ATTACHMENT_BYTES = 1024
    settings.AWARDS_MAX_APPLICATION_BYTES = 1500
    application, user = started_application()
    client.force_login(user)
    big = pdf_bytes("x" * 2000)
    response = upload(client, application, {"other": SimpleUploadedFile("大.pdf", big)})
    assert response.context["wizard"]["form"].errors == {
        "file_other": [f"文件“大.pdf”大小为 {format_size(len(big))}，超过单个文件 1 KB 的上限。"]
    }
    first = pdf_bytes("a" * 700)
    second = pdf_bytes("b" * 700)
    response = upload(
        client,
        application,
        {
            "other": SimpleUploadedFile("一.pdf", first),
            "commitment": SimpleUploadedFile("二.pdf", second),
        },
    )
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["二.pdf"]
    errors = response.context["wizard"]["form"].errors
    assert list(errors) == ["file_other"]
    assert errors["file_other"][0].startswith("本申报已上传附件 ")
    assert errors["file_other"][0].endswith("超过每份申报附件总计 1.5 KB 的上限。")


def test_several_files_of_one_type_and_deleting_one(client, django_capture_on_commit_callbacks):
    application, user = started_application()
    client.force_login(user)
    files = [
        SimpleUploadedFile("2023 年审计报告.pdf", pdf_bytes("2023")),
        SimpleUploadedFile("2024 年审计报告.png", PNG),
    ]
    response = wizard_post(
        client,
        application,
        "evidence",
        action="save",
        extra={"evidence-file_financial-statements": files},
    )
    assert response.status_code == 302
    names = list(Attachment.objects.order_by("id").values_list("original_name", "content_type"))
    assert names == [
        ("2023 年审计报告.pdf", "application/pdf"),
        ("2024 年审计报告.png", "image/png"),
    ]
    first = Attachment.objects.order_by("id").first()
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = wizard_post(
            client, application, "evidence", extra={"delete_attachment": str(first.pk)}
        )
    assert response["Location"] == step_url(application, "evidence")
    assert list(Attachment.objects.values_list("original_name", flat=True)) == [
        "2024 年审计报告.png"
    ]
    assert not stored.exists()
    assert AuditEntry.objects.filter(action="remove_attachment").count() == 1


def test_next_from_evidence_needs_every_required_type(client):
    application, user = started_application()
    client.force_login(user)
    upload(client, application, {"commitment": SimpleUploadedFile("承诺书.pdf", pdf_bytes())})
    response = wizard_post(client, application, "evidence")
    assert response.status_code == 200
    assert response.context["wizard"]["form"].non_field_errors() == [
        "尚未上传“近三年经审计的财务报表”。",
        "尚未上传“管理体系认证证书”。",
    ]


def test_download_only_for_the_applicant_and_the_authoritys_officials(client):
    application, user = started_application()
    client.force_login(user)
    upload(client, application, {"commitment": SimpleUploadedFile('承诺"书\r\n.pdf', pdf_bytes())})
    attachment = Attachment.objects.get()
    url = f"/portal/applications/{application.pk}/attachments/{attachment.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E6%89%BF%E8%AF%BA_%E4%B9%A6.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    official = OfficialFactory(authority=application.cycle.programme.authority)
    statuses = {}
    for name, person in {
        "official": official,
        "other_official": OfficialFactory(),
        "reviewer": ReviewerFactory(authority=application.cycle.programme.authority),
        "other_applicant": tianmen_applicant(),
    }.items():
        client.force_login(person)
        statuses[name] = client.get(url).status_code
    assert statuses == {
        "official": 200,
        "other_official": 404,
        "reviewer": 404,
        "other_applicant": 404,
    }
    client.logout()
    assert client.get(url)["Location"] == f"/accounts/login/?next={url}"


def downloads_audited() -> list[tuple]:
    return list(
        AuditEntry.objects.filter(action="download_attachment")
        .order_by("pk")
        .values_list("actor_id", "target_type", "target_id", "details")
    )


def test_officials_downloads_are_audited_and_the_applicants_own_are_not(client):
    application, user = started_application()
    client.force_login(user)
    upload(client, application, {"commitment": SimpleUploadedFile("承诺书.pdf", pdf_bytes())})
    attachment = Attachment.objects.get()
    url = f"/portal/applications/{application.pk}/attachments/{attachment.pk}/"
    official = OfficialFactory(authority=application.cycle.programme.authority)
    answers = [client.get(url).status_code]
    client.force_login(official)
    answers.append(client.get(url).status_code)
    assert answers == [200, 200]
    assert downloads_audited() == [
        (
            official.pk,
            "awards.application",
            str(application.pk),
            {"attachment": attachment.pk, "name": "承诺书.pdf"},
        )
    ]


def test_refused_official_downloads_are_not_audited(client):
    application, user = started_application()
    client.force_login(user)
    upload(client, application, {"commitment": SimpleUploadedFile("承诺书.pdf", pdf_bytes())})
    attachment = Attachment.objects.get()
    url = f"/portal/applications/{application.pk}/attachments/{attachment.pk}/"
    client.force_login(OfficialFactory())
    answers = [client.get(url).status_code]
    client.force_login(OfficialFactory(authority=application.cycle.programme.authority))
    attachment.file.delete(save=False)
    answers.append(client.get(url).status_code)
    assert (answers, downloads_audited()) == ([404, 404], [])


def test_an_attachment_of_another_application_is_404_under_this_one(client):
    mine, me = started_application()
    other, them = started_application(cycle=mine.cycle)
    client.force_login(them)
    upload(client, other, {"commitment": SimpleUploadedFile("承诺书.pdf", pdf_bytes())})
    theirs = Attachment.objects.get()
    client.force_login(me)
    assert client.get(f"/portal/applications/{mine.pk}/attachments/{theirs.pk}/").status_code == 404
