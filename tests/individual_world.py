"""An individual track (个人奖) on a cycle, and candidates filed by their employers."""

from __future__ import annotations

import datetime as dt

from awards.enums import ApplicationStatus, Gender, Track
from awards.id_numbers import encrypt_id_number
from awards.models import Application, Cycle, IndividualCandidate
from awards.services.programmes import set_individual_track
from home.demo_individual import demo_id_number, individual_framework
from tests.factories import COMPLETE_ELIGIBILITY, ApplicantFactory, pdf_bytes

#: A full identity number that must never be shown: the last 4 characters only.
SECRET_ID = demo_id_number("42900619780315123")

CANDIDATE = {
    "name": "李质量",
    "gender": Gender.MALE,
    "birth_date": dt.date(1978, 3, 15),
    "position": "首席质量官",
    "years_in_quality_work": 12,
    "education": "本科",
    "achievements": "建立全面质量管理体系，产品一次合格率提高到 99.5%。",
    "honours": "省质量工作先进个人",
}


def with_individual_track(cycle: Cycle, levels=(("个人奖", 60, 1), ("个人提名奖", 50, 1))) -> Cycle:
    programme = cycle.programme
    programme.has_individual_track = True
    programme.save(update_fields=["has_individual_track"])
    return set_individual_track(
        cycle=cycle, framework=individual_framework(), levels=levels, by=None
    )


def individual_application(
    cycle: Cycle,
    name: str,
    *,
    employer=None,
    status: str = ApplicationStatus.ELIGIBLE,
    id_number: str = SECRET_ID,
    **candidate,
) -> Application:
    """An individual application of ``name`` (employed by ``employer`` or a new organization of
    the cycle's region), with the individual framework recorded as at submission."""
    if employer is None:
        employer = ApplicantFactory(
            organization__name=f"{name}的工作单位",
            organization__region_code=cycle.programme.authority.region_code,
        ).organization
    framework = cycle.individual_framework
    application = Application.objects.create(
        cycle=cycle,
        organization=employer,
        track=Track.INDIVIDUAL,
        status=status,
        created_by=employer.members.first(),
        framework=framework,
        framework_code=framework.code,
        framework_version=framework.version,
    )
    values = {**CANDIDATE, "name": name, **candidate}
    IndividualCandidate.objects.create(
        application=application,
        id_number_encrypted=encrypt_id_number(id_number),
        id_number_last4=id_number[-4:],
        **values,
    )
    return application


def fill_individual(application: Application, by, *, consent: bool = True) -> Application:
    """Save a complete individual application through the services, as the wizard would: the
    candidate, the employer's declarations, the content, the employer's opinion and (unless
    ``consent`` is False) the candidate's signed consent."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards.services.application_attachments import add_attachments
    from awards.services.application_drafts import save_self_assessment, save_step_draft
    from awards.services.individuals import save_candidate

    save_candidate(
        application=application,
        values=CANDIDATE,
        id_number=SECRET_ID,
        expected_version=application.version,
        next_step="eligibility",
        by=by,
    )
    save_step_draft(
        application=application,
        step="eligibility",
        values=COMPLETE_ELIGIBILITY,
        expected_version=application.version,
        next_step="eligibility",
        by=by,
    )
    items = list(application.cycle.individual_framework.items.all())
    save_self_assessment(
        application=application,
        texts={item.pk: f"{item.name}的做法与成效。" for item in items},
        percents={item.pk: 70 for item in items},
        expected_version=application.version,
        next_step="evidence",
        by=by,
    )
    codes = ["candidate-consent", "candidate-employer"] if consent else ["candidate-employer"]
    add_attachments(
        application=application,
        uploads=[(code, SimpleUploadedFile(f"{code}.pdf", pdf_bytes(code))) for code in codes],
        expected_version=application.version,
        next_step="review",
        by=by,
    )
    application.refresh_from_db()
    return application


def candidate_post(**overrides) -> dict:
    """The candidate step's fields as the browser sends them (unprefixed)."""
    values = {
        "name": CANDIDATE["name"],
        "gender": CANDIDATE["gender"],
        "birth_date": CANDIDATE["birth_date"].isoformat(),
        "id_number": SECRET_ID,
        "position": CANDIDATE["position"],
        "years_in_quality_work": str(CANDIDATE["years_in_quality_work"]),
        "education": CANDIDATE["education"],
        "achievements": CANDIDATE["achievements"],
        "honours": CANDIDATE["honours"],
    }
    return {**values, **overrides}


def evidence_upload(code: str) -> dict:
    """One evidence file as the evidence step's form sends it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        f"evidence-file_{code}": SimpleUploadedFile(
            f"{code}.pdf", pdf_bytes(code), content_type="application/pdf"
        )
    }


def fill_through_the_wizard(client, application: Application, *, consent: bool = True):
    """As the signed-in ``client``, fill every step of an individual application's wizard up
    to 确认提交: the candidate, the declarations, the content and the evidence (the candidate's
    signed consent unless ``consent`` is False). Returns the evidence step's answer (the step
    itself again, with its errors, when a required file is missing)."""
    from tests.factories import wizard_post

    cycle = application.cycle
    assert wizard_post(client, application, "candidate", candidate_post()).status_code == 302
    assert wizard_post(client, application, "eligibility", COMPLETE_ELIGIBILITY).status_code == 302
    items = list(cycle.individual_framework.items.order_by("sort_order"))
    for category in cycle.individual_framework.categories.all():
        own = [item for item in items if item.category_code == category.code]
        values = {f"text_{item.pk}": f"{item.name}的做法。" for item in own}
        values |= {f"percent_{item.pk}": "70" for item in own}
        step = f"sa-{category.code}"
        assert wizard_post(client, application, step, values).status_code == 302
    codes = ["candidate-consent", "candidate-employer"] if consent else ["candidate-employer"]
    files = {name: file for code in codes for name, file in evidence_upload(code).items()}
    response = wizard_post(client, application, "evidence", action="next", extra=files)
    assert response.status_code == (302 if consent else 200)
    return response
