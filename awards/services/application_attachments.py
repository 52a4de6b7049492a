"""Evidence (证明材料): what each cycle asks for, uploading or removing files, and auditing who
outside the organization downloads them.

Files are judged by their content (``awards.uploads``), stored under generated names in the
private storage, and counted against the per-application total while the application row is
locked, so two uploads at once cannot both slip under the limit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from awards.application_content import STEP_EVIDENCE
from awards.audit_actions import AuditAction
from awards.enums import Track
from awards.models import (
    Application,
    Attachment,
    AttachmentRequirement,
    AuditEntry,
    Cycle,
    User,
)
from awards.models.private_files import private_storage
from awards.services.application_drafts import check_applicant, claim_steps
from awards.services.audit import record
from awards.uploads import UploadRejected, check_application_total, inspect_upload

#: (code, name, required, help). Stored as data (officials may edit them per cycle), hence
#: plain Chinese rather than translated strings. The recommendation opinion (推荐意见) is no
#: longer the applicant's upload: the recommending body gives it in the portal (``recommendations``);
#: an applicant may still attach a letter it holds.
DEFAULT_REQUIREMENTS: tuple[tuple[str, str, bool | None, str], ...] = (
    (
        "financial-statements",
        "近三年经审计的财务报表",
        True,
        "近三个会计年度经会计师事务所审计的财务报表及审计报告。",
    ),
    (
        "certificates",
        "管理体系认证证书",
        True,
        "质量管理体系（ISO 9001 或行业体系）等认证证书的扫描件。",
    ),
    (
        "recommendation",
        "推荐意见",
        False,
        "推荐单位盖章的推荐意见。",
    ),
    (
        "commitment",
        "承诺书",
        True,
        "法定代表人签字并加盖单位公章的承诺书，承诺申报材料真实、准确。",
    ),
    (
        "other",
        "其他证明材料",
        False,
        "获奖证书、专利、标准、用户评价等其他证明材料。",
    ),
)


#: The individual track's defaults: the candidate's signed consent and the person's evidence.
DEFAULT_INDIVIDUAL_REQUIREMENTS: tuple[tuple[str, str, bool | None, str], ...] = (
    (
        "candidate-consent",
        "候选人同意书",
        True,
        "候选人本人签字的同意申报及个人信息使用的书面同意书扫描件。",
    ),
    (
        "candidate-employer",
        "单位推荐意见",
        True,
        "候选人所在单位盖章的推荐意见，说明候选人的职务和主要业绩。",
    ),
    (
        "candidate-evidence",
        "个人业绩证明材料",
        False,
        "荣誉证书、标准、专利、论文等证明候选人业绩的材料。",
    ),
)


def ensure_attachment_requirements(*, cycle: Cycle, by=None) -> list[AttachmentRequirement]:
    """The cycle's requirements; a track (organizations; individuals when the cycle has that
    track) that has none gets the defaults."""
    existing = list(cycle.attachment_requirements.all())
    tracks = {requirement.track for requirement in existing}
    missing = []
    if not existing:
        requires_recommendation = cycle.programme.requires_recommendation
        missing += [
            (code, name, requires_recommendation if required is None else required, help_text)
            for code, name, required, help_text in DEFAULT_REQUIREMENTS
        ]
    if cycle.takes_individuals and Track.INDIVIDUAL not in tracks:
        missing += [
            (code, name, bool(required), help_text, Track.INDIVIDUAL)
            for code, name, required, help_text in DEFAULT_INDIVIDUAL_REQUIREMENTS
        ]
    if not missing:
        return existing
    start = len(existing)
    AttachmentRequirement.objects.bulk_create(
        [
            AttachmentRequirement(
                cycle=cycle,
                code=row[0],
                name=row[1],
                required=row[2],
                help=row[3],
                track=row[4] if len(row) > 4 else Track.ORGANIZATION,
                sort_order=start + index,
            )
            for index, row in enumerate(missing)
        ],
        ignore_conflicts=True,
    )
    record(actor=by, action=AuditAction.CREATE_ATTACHMENT_REQUIREMENTS, target=cycle)
    return list(cycle.attachment_requirements.all())


@dataclass
class UploadOutcome:
    saved: list[Attachment] = field(default_factory=list)
    #: Requirement code → messages for the files refused under it.
    rejected: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def add_attachments(
    *,
    application: Application,
    uploads: Sequence[tuple[str, UploadedFile]],
    expected_version: int,
    next_step: str,
    by,
) -> UploadOutcome:
    """Store every acceptable file; each refused one gets a message and changes nothing."""
    check_applicant(application, by)
    outcome = UploadOutcome()
    codes = set(
        application.cycle.attachment_requirements.filter(track=application.track).values_list(
            "code", flat=True
        )
    )
    accepted = []
    for code, uploaded in uploads:
        if code not in codes:
            outcome.rejected[code].append(_("未知的材料类型。"))
            continue
        try:
            detected = inspect_upload(uploaded, max_bytes=settings.AWARDS_MAX_ATTACHMENT_BYTES)
        except UploadRejected as error:
            outcome.rejected[code].append(error.messages[0])
            continue
        accepted.append((code, uploaded, detected))
    if not accepted:
        return outcome
    stored: list[str] = []
    try:
        with transaction.atomic():
            claim_steps(
                application=application,
                steps=[STEP_EVIDENCE],
                expected_version=expected_version,
                current_step=next_step,
            )
            total = (
                Attachment.objects.filter(application=application).aggregate(total=Sum("size"))[
                    "total"
                ]
                or 0
            )
            for code, uploaded, detected in accepted:
                try:
                    check_application_total(
                        total, detected.size, max_total=settings.AWARDS_MAX_APPLICATION_BYTES
                    )
                except UploadRejected as error:
                    outcome.rejected[code].append(error.messages[0])
                    continue
                attachment = Attachment(
                    application=application,
                    requirement_code=code,
                    original_name=detected.safe_name,
                    size=detected.size,
                    content_type=detected.content_type,
                    uploaded_by=by,
                )
                attachment.file.save(detected.safe_name, uploaded, save=False)
                stored.append(attachment.file.name)
                attachment.save()
                total += detected.size
                outcome.saved.append(attachment)
                record(
                    actor=by,
                    action=AuditAction.UPLOAD_ATTACHMENT,
                    target=application,
                    attachment=attachment.pk,
                    requirement=code,
                    name=detected.safe_name,
                    size=detected.size,
                    content_type=detected.content_type,
                )
    except BaseException:
        storage = private_storage()
        for name in stored:
            storage.delete(name)
        outcome.saved = []
        raise
    return outcome


def remove_attachment(
    *, application: Application, attachment_id: int, expected_version: int, next_step: str, by
) -> None:
    check_applicant(application, by)
    with transaction.atomic():
        claim_steps(
            application=application,
            steps=[STEP_EVIDENCE],
            expected_version=expected_version,
            current_step=next_step,
        )
        attachment = Attachment.objects.filter(application=application, pk=attachment_id).first()
        if attachment is None:
            raise ValidationError(_("该附件不存在或已删除。"))
        name = attachment.file.name
        record(
            actor=by,
            action=AuditAction.REMOVE_ATTACHMENT,
            target=application,
            attachment=attachment.pk,
            name=attachment.original_name,
        )
        attachment.delete()
        transaction.on_commit(lambda: private_storage().delete(name))


def record_attachment_download(*, attachment: Attachment, by: User, **context) -> AuditEntry | None:
    """Audit a download of an application's evidence file by someone outside the applying
    organization (an official of the authority, a platform admin, an assigned reviewer).

    Evidence holds the organization's confidential material: who read which file of which
    application belongs to the review trail, next to its uploads (same target, the
    application). An applicant downloading their own organization's file is not recorded: the
    files are theirs. ``context`` adds what the caller knows, such as the reviewer's assignment.
    Call it once the file is open, so that a refused or missing download leaves no entry.
    """
    application = attachment.application
    if by.organization_id is not None and by.organization_id == application.organization_id:
        return None
    return record(
        actor=by,
        action=AuditAction.DOWNLOAD_ATTACHMENT,
        target=application,
        attachment=attachment.pk,
        name=attachment.original_name,
        **context,
    )
