"""The application PDF (申报书): built from the database as plain data, printed, stored privately.

``build_application_document`` turns an application into ``awards.pdf.document`` dataclasses in a
fixed number of queries; ``generate_application_pdf`` prints it (WeasyPrint, imported lazily) and
keeps the bytes in the private storage. The background task calls the latter after submission.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from awards.application_content import (
    STEP_BASIC,
    parse_date,
    parse_int,
)
from awards.audit_actions import AuditAction
from awards.models import Application, Recommendation
from awards.models.private_files import application_pdf_upload_to, private_storage
from awards.pdf.document import (
    ApplicationDocument,
    AttachmentEntry,
    BasicInfo,
    CategoryEntry,
    CertificationEntry,
    ContactInfo,
    EligibilityEntry,
    FinancialYear,
    ItemEntry,
    OrganizationInfo,
)
from awards.queries import application_summary, candidate_rows
from awards.services.audit import record
from awards.services.eligibility import eligibility_for


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(str(value or "").strip())
    except InvalidOperation:
        return None


def application_code(application: Application) -> str:
    """The number officials quote, e.g. ``LUYU-2026-0007``."""
    cycle = application.cycle
    return f"{cycle.programme.slug.upper()}-{cycle.year}-{application.pk:04d}"


def _certifications(basic: dict) -> list[CertificationEntry]:
    entries = []
    if basic.get("iso9001_date"):
        entries.append(
            CertificationEntry(
                name="ISO 9001 质量管理体系", first_certified=parse_date(basic["iso9001_date"])
            )
        )
    if basic.get("other_qms_name"):
        entries.append(
            CertificationEntry(
                name=basic["other_qms_name"],
                first_certified=parse_date(basic.get("other_qms_date")),
            )
        )
    if basic.get("other_certifications"):
        entries.append(CertificationEntry(name=basic["other_certifications"]))
    return entries


def build_application_document(application: Application) -> ApplicationDocument:
    """Expects ``cycle__programme__authority``, ``cycle__framework`` and ``organization`` loaded."""
    cycle = application.cycle
    organization = application.organization
    basic = application.step_draft(STEP_BASIC)
    summary = application_summary(application)
    requirement_names = {
        requirement.code: requirement.name for requirement, _ in summary.requirements
    }
    framework = cycle.framework_for(application.track)
    framework_label = (
        f"{application.framework_code}-{application.framework_version} {framework.name}"
        if application.framework_code
        else ""
    )
    return ApplicationDocument(
        programme_name=cycle.programme.name,
        cycle_title=str(cycle),
        authority_name=cycle.programme.authority.name,
        application_code=application_code(application),
        organization=OrganizationInfo(
            name=basic.get("organization_name") or organization.name,
            credit_code=organization.credit_code,
            region=organization.region_name,
            industry=organization.get_industry_display(),
            size=organization.get_size_display(),
            registration_date=organization.registration_date,
            legal_representative=basic.get("legal_representative")
            or organization.legal_representative,
            address=basic.get("address") or organization.address,
        ),
        contact=ContactInfo(
            name=basic.get("contact_person", ""),
            phone=basic.get("contact_phone", ""),
            email=basic.get("contact_email", ""),
        ),
        basic=BasicInfo(
            employees=parse_int(basic.get("employees")),
            financials=[
                FinancialYear(
                    year=cycle.year - 4 + index,
                    revenue=_decimal(basic.get(f"revenue_{index}")),
                    profit=_decimal(basic.get(f"profit_{index}")),
                )
                for index in (1, 2, 3)
            ],
            certifications=_certifications(basic),
            excellence_model_year=parse_int(basic.get("excellence_model_year")),
        ),
        eligibility=[
            EligibilityEntry(condition=result.label, answer=result.reason, passed=result.passed)
            for result in eligibility_for(application)
        ],
        overview=summary.overview,
        categories=[
            CategoryEntry(
                code=category.code,
                name=category.name,
                points=category.points,
                items=[
                    ItemEntry(
                        code=item.code,
                        name=item.name,
                        points=item.points,
                        kind=item.kind_code,
                        text=item.text,
                        self_percent=item.self_percent,
                    )
                    for item in category.items
                ],
            )
            for category in summary.categories
        ],
        attachments=[
            AttachmentEntry(
                type_name=requirement_names.get(attachment.requirement_code, ""),
                file_name=attachment.original_name,
                size=attachment.size,
            )
            for _requirement, attachments in summary.requirements
            for attachment in attachments
        ],
        recommending_unit=_recommending_body_name(application),
        submitted_at=application.submitted_at,
        framework_label=framework_label,
        total_points=framework.total_points,
        candidate_rows=[(str(label), value) for label, value in candidate_rows(application)]
        if application.is_individual
        else [],
    )


def generate_application_pdf(*, application: Application) -> Application:
    """Print the application and keep the PDF privately; an older PDF is replaced."""
    from awards.pdf.render import render_application_pdf

    application = Application.objects.select_related(
        "cycle__programme__authority",
        "cycle__framework",
        "cycle__individual_framework",
        "organization",
    ).get(pk=application.pk)
    pdf_bytes = render_application_pdf(build_application_document(application))
    storage = private_storage()
    previous = application.pdf.name
    name = storage.save(
        application_pdf_upload_to(application, f"application-{application.pk}.pdf"),
        ContentFile(pdf_bytes),
    )
    with transaction.atomic():
        Application.objects.filter(pk=application.pk).update(
            pdf=name, pdf_generated_at=timezone.now()
        )
        record(
            actor=None,
            action=AuditAction.RENDER_APPLICATION_PDF,
            target=application,
            size=len(pdf_bytes),
        )
    if previous and previous != name:
        storage.delete(previous)
    application.refresh_from_db(fields=["pdf", "pdf_generated_at"])
    return application


def _recommending_body_name(application: Application) -> str:
    """The body the applicant chose to recommend it (none when the programme needs none)."""
    recommendation = Recommendation.objects.filter(application=application).select_related("body")
    first = recommendation.first()
    return first.body.name if first is not None else ""
