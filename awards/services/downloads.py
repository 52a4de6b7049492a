"""Auditing what officials and reviewers take away: application PDFs and exports.

An application's PDF holds the organization's confidential self-assessment, and an export
(ranking, organizations, people, scores) copies many rows at once; who took which belongs to the
audit trail, like evidence downloads (``application_attachments.record_attachment_download``).
Call these once the response is built, so that a refused or missing download leaves no entry.
"""

from __future__ import annotations

from django.db import models

from awards.audit_actions import AuditAction
from awards.models import Application, AuditEntry, Recommendation, User
from awards.services.audit import record


def record_application_pdf_download(
    *, application: Application, by: User, **context
) -> AuditEntry | None:
    """Audit a download of an application's PDF by someone outside the applying organization
    (the applicant's own file is theirs and is not recorded). ``context`` adds what the caller
    knows: the reviewer's assignment, whether the file was shown inline."""
    if by.organization_id is not None and by.organization_id == application.organization_id:
        return None
    return record(
        actor=by,
        action=AuditAction.DOWNLOAD_APPLICATION_PDF,
        target=application,
        name=application.pdf.name.rsplit("/", 1)[-1] if application.pdf else "",
        **context,
    )


def record_recommendation_scan_download(
    *, recommendation: Recommendation, by: User
) -> AuditEntry | None:
    """Audit a download of a recommending body's stamped scan by anyone outside the applying
    organization, like an evidence file (same action, same target: the application)."""
    application = recommendation.application
    if by.organization_id is not None and by.organization_id == application.organization_id:
        return None
    return record(
        actor=by,
        action=AuditAction.DOWNLOAD_ATTACHMENT,
        target=application,
        recommendation=recommendation.pk,
        name=recommendation.scan_name,
    )


def record_export(
    *,
    by: User,
    kind: str,
    file_format: str,
    target: models.Model | None = None,
    rows: int | None = None,
    **context,
) -> AuditEntry:
    """Audit an export. ``kind`` names what was exported (``"organizations"``, ``"ranking"``…),
    ``target`` the object it belongs to (a snapshot, a stage); without one, the exporting
    official's authority (a platform administrator's export is filed under their account)."""
    if target is None:
        target = by.authority if by.authority_id is not None else by
    details = {"kind": kind, "format": file_format, **context}
    if rows is not None:
        details["rows"] = rows
    return record(actor=by, action=AuditAction.EXPORT_DATA, target=target, **details)
