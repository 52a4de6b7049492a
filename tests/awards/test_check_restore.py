"""``manage.py check_restore``: counts the files the database refers to, names each missing one,
and fails when the restore is incomplete or the database is not migrated."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db.migrations.executor import MigrationExecutor

from awards.models import Application
from awards.models.private_files import private_storage
from tests.factories import fill_application, started_application
from tests.scoring.certificate_world import certificate_with_file, luyu_cycle, two_awards

pytestmark = pytest.mark.django_db


def run(capsys) -> list[str]:
    call_command("check_restore")
    return capsys.readouterr().out.splitlines()


def counts(lines: list[str]) -> dict[str, str]:
    return dict(
        line.split(": ", 1)
        for line in lines
        if ": " in line and not line.startswith(("  ", "Database"))
    )


@pytest.fixture
def stored():
    """Two evidence files, an application PDF and two certificates, all in the private store."""
    application, user = started_application()
    application = fill_application(application, user)
    name = private_storage().save(f"applications/{application.pk}/pdf/a.pdf", ContentFile(b"%PDF"))
    Application.objects.filter(pk=application.pk).update(pdf=name)
    certificates = [certificate_with_file(award) for award in two_awards(luyu_cycle())]
    return application, certificates


def test_a_complete_restore_passes(stored, capsys):
    application, _certificates = stored
    evidence = application.attachments.count()

    lines = run(capsys)

    assert lines[0].startswith("Database: reachable, migrated (")
    assert counts(lines) == {
        "awards.Application.pdf": "1 files, 0 missing",
        "awards.Attachment.file": f"{evidence} files, 0 missing",
        "awards.Recommendation.scan": "0 files, 0 missing",
        "scoring.AnswerFile.file": "0 files, 0 missing",
        "scoring.Certificate.pdf": "2 files, 0 missing",
        "scoring.Objection.evidence": "0 files, 0 missing",
        "wagtailcore.UploadedFile.file": "0 files, 0 missing",
        "wagtaildocs.Document.file": "0 files, 0 missing",
        "wagtailimages.Image.file": "0 files, 0 missing",
        "wagtailimages.Rendition.file": "0 files, 0 missing",
        "wagtailusers.UserProfile.avatar": "0 files, 0 missing",
        "Files": f"{evidence + 3} referenced, {evidence + 3} present, 0 missing.",
    }
    assert lines[-1] == "Restore check passed."
    assert evidence >= 1


def test_missing_files_are_named_and_fail_the_check(stored, capsys):
    application, certificates = stored
    attachment = application.attachments.order_by("pk").first()
    evidence = application.attachments.count()
    private_storage().delete(attachment.file.name)
    private_storage().delete(certificates[1].pdf.name)

    with pytest.raises(CommandError, match=r"^2 stored file\(s\) missing"):
        call_command("check_restore")

    lines = capsys.readouterr().out.splitlines()
    assert f"  MISSING awards.Attachment.file pk={attachment.pk}: {attachment.file.name}" in lines
    assert (
        f"  MISSING scoring.Certificate.pdf pk={certificates[1].pk}: {certificates[1].pdf.name}"
        in lines
    )
    assert counts(lines)["awards.Attachment.file"] == f"{evidence} files, 1 missing"
    assert counts(lines)["scoring.Certificate.pdf"] == "2 files, 1 missing"
    assert (
        counts(lines)["Files"] == f"{evidence + 3} referenced, {evidence + 1} present, 2 missing."
    )
    assert "Restore check passed." not in lines


def test_an_unmigrated_database_fails_before_the_files(capsys, monkeypatch):
    class Pending:
        app_label, name = "awards", "0099_later"

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, t: [(Pending, False)])

    with pytest.raises(CommandError) as raised:
        call_command("check_restore")

    assert str(raised.value) == (
        "Database not fully migrated: 1 migration(s) unapplied (awards.0099_later)."
    )
    assert capsys.readouterr().out == ""
