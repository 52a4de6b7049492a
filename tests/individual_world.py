"""An individual track (个人奖) on a cycle, and candidates filed by their employers."""

from __future__ import annotations

import datetime as dt

from awards.enums import ApplicationStatus, Gender, Track
from awards.id_numbers import encrypt_id_number
from awards.models import Application, Cycle, IndividualCandidate
from awards.services.programmes import set_individual_track
from home.demo_individual import demo_id_number, individual_framework
from tests.factories import ApplicantFactory

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
