"""The individual award (个人奖): eligibility with figures, the identity number kept encrypted
and shown masked everywhere, the employer filing through the wizard, the individual framework."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from awards.enums import ApplicationStatus, Track
from awards.id_numbers import decrypt_id_number, masked, validate_id_number
from awards.models import Application, IndividualCandidate
from awards.pdf.inspect import pdf_text
from awards.services.application_pdf import generate_application_pdf
from awards.services.eligibility import (
    IndividualFacts,
    IndividualRules,
    evaluate_individual_eligibility,
)
from awards.services.frameworks import copy_as_new_version, structure_errors
from awards.services.individuals import start_individual_application
from home.demo_individual import individual_framework
from tests.conftest import TEST_PASSWORD
from tests.factories import OfficialFactory, open_cycle, tianmen_applicant, wizard_post
from tests.individual_world import (
    CANDIDATE,
    SECRET_ID,
    candidate_post,
    fill_through_the_wizard,
    with_individual_track,
)

pytestmark = pytest.mark.django_db

RULES = IndividualRules(
    min_years_quality_work=10,
    lookback_years=3,
    jurisdiction_prefix="36",
    jurisdiction_name="江西省",
)
CLEAN = {
    "major_accident": "none",
    "failed_inspection": "none",
    "serious_complaint": "none",
    "tax_social_violation": "none",
}


def _reasons(results):
    return [(r.code, r.passed, r.reason) for r in results]


def test_individual_eligibility_gives_the_years_and_the_minimum():
    results = evaluate_individual_eligibility(
        RULES, IndividualFacts(12, "360100", declarations=CLEAN)
    )
    assert _reasons(results)[:2] == [
        ("years_quality_work", True, "候选人从事质量工作 12 年，满 10 年"),
        ("jurisdiction", True, "贵单位所在地行政区划代码为 360100，属于辖区"),
    ]
    assert all(r.passed for r in results)


def test_individual_eligibility_fails_short_service_and_the_employers_record():
    results = evaluate_individual_eligibility(
        RULES,
        IndividualFacts(8, "429006", declarations={**CLEAN, "major_accident": "occurred"}),
    )
    failed = [(r.code, r.label, r.reason) for r in results if not r.passed]
    assert failed == [
        ("years_quality_work", "从事质量工作满 10 年", "候选人从事质量工作 8 年，不足 10 年"),
        (
            "jurisdiction",
            "在江西省辖区内注册",
            "贵单位所在地行政区划代码为 429006，不在辖区内（辖区代码以 36 开头）",
        ),
        ("major_accident", "近 3 年内未发生重大质量、安全或环境事故", "贵单位声明发生过"),
    ]


def test_missing_years_point_to_the_candidate_step():
    results = evaluate_individual_eligibility(RULES, IndividualFacts(None, "360100", CLEAN))
    first = results[0]
    assert (first.passed, first.missing, first.step, first.reason) == (
        False,
        True,
        "candidate",
        "尚未填写候选人从事质量工作的年限",
    )


def test_identity_numbers_are_checked_and_masked():
    validate_id_number(SECRET_ID)
    with pytest.raises(ValidationError) as error:
        validate_id_number(SECRET_ID[:17] + ("0" if SECRET_ID[17] != "0" else "1"))
    assert error.value.messages == ["身份证号校验位不正确，请核对。"]
    with pytest.raises(ValidationError) as error:
        validate_id_number("12345")
    assert error.value.messages == ["身份证号应为 18 位，最后一位可以是数字或 X。"]
    assert masked("1234") == "**************1234"


def _file_through_the_wizard(client, cycle, user) -> Application:
    client.force_login(user)
    response = client.post(f"/portal/cycles/{cycle.pk}/apply/individual/")
    application = Application.objects.get(organization=user.organization, track=Track.INDIVIDUAL)
    assert response.url == f"/portal/applications/{application.pk}/step/"
    fill_through_the_wizard(client, application)
    response = wizard_post(client, application, "review", {"commitment": "on"}, action="submit")
    assert response.status_code == 302
    return Application.objects.get(pk=application.pk)


def test_the_employer_files_an_individual_application_through_the_wizard(client):
    cycle = with_individual_track(open_cycle())
    user = tianmen_applicant()
    application = _file_through_the_wizard(client, cycle, user)
    assert (application.status, application.framework_code, application.track) == (
        ApplicationStatus.SUBMITTED,
        "GR-ZL",
        Track.INDIVIDUAL,
    )
    candidate = IndividualCandidate.objects.get(application=application)
    assert (candidate.name, candidate.id_number_last4) == (CANDIDATE["name"], SECRET_ID[-4:])
    assert SECRET_ID not in candidate.id_number_encrypted
    assert decrypt_id_number(candidate.id_number_encrypted) == SECRET_ID
    assert SECRET_ID not in str(application.draft)


def test_the_start_is_a_note_code_worded_in_the_readers_language():
    cycle = with_individual_track(open_cycle())
    user = tianmen_applicant()
    with translation.override("en"):
        application = start_individual_application(
            cycle=cycle, organization=user.organization, by=user
        )
    [event] = application.events.all()
    assert (event.note, event.note_code, event.note_params, application.filed_by_body) == (
        "",
        "individual_application_started",
        {},
        None,
    )
    with translation.override("zh-hans"):
        assert event.note_text == "开始填写个人奖申报材料"
    with translation.override("en"):
        assert event.note_text == "Started the individual application"


def test_a_wrong_identity_number_is_refused_and_nothing_is_saved(client):
    cycle = with_individual_track(open_cycle())
    user = tianmen_applicant()
    client.force_login(user)
    client.post(f"/portal/cycles/{cycle.pk}/apply/individual/")
    application = Application.objects.get(organization=user.organization, track=Track.INDIVIDUAL)
    response = wizard_post(client, application, "candidate", candidate_post(id_number="12345"))
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == [
        "身份证号应为 18 位，最后一位可以是数字或 X。"
    ]
    assert not IndividualCandidate.objects.filter(application=application).exists()


def test_a_cycle_without_an_individual_track_takes_no_individual_application(client):
    cycle = open_cycle()
    user = tianmen_applicant()
    client.force_login(user)
    client.post(f"/portal/cycles/{cycle.pk}/apply/individual/")
    assert not Application.objects.filter(track=Track.INDIVIDUAL).exists()


def test_the_full_identity_number_appears_in_no_response_of_any_role(client):
    cycle = with_individual_track(open_cycle())
    user = tianmen_applicant()
    application = _file_through_the_wizard(client, cycle, user)
    applicant_pages = [
        "/portal/",
        f"/portal/applications/{application.pk}/",
        *[f"/portal/applications/{application.pk}/step/{s}/" for s in ("candidate", "review")],
    ]
    official = OfficialFactory(authority=cycle.programme.authority)
    official.set_password(TEST_PASSWORD)
    official.save()
    official_pages = [
        f"/portal/applications/{application.pk}/",
        "/admin/screening/",
        f"/admin/screening/{application.pk}/",
    ]
    seen = 0
    for who, pages in ((user, applicant_pages), (official, official_pages)):
        client.force_login(who)
        for url in pages:
            response = client.get(url, follow=True)
            body = response.content.decode()
            assert SECRET_ID not in body, url
            seen += SECRET_ID[-4:] in body
    client.logout()
    for url in ("/", f"/portal/applications/{application.pk}/"):
        assert SECRET_ID not in client.get(url, follow=True).content.decode()
    assert seen >= 3  # the masked number is shown to those who may see the application
    pdf = pdf_text(generate_application_pdf(application=application).pdf.read())
    assert SECRET_ID not in pdf.replace(" ", "").replace("\n", "")
    assert masked(SECRET_ID[-4:]) in pdf
    assert CANDIDATE["name"] in pdf


def test_the_individual_framework_totals_100_and_is_copied_for_editing():
    framework = individual_framework()
    categories = list(framework.categories.values_list("name", "points"))
    assert categories == [
        ("质量理念与领导力", 25),
        ("质量管理实践与创新", 30),
        ("质量绩效与贡献", 30),
        ("示范引领", 15),
    ]
    assert (
        structure_errors(
            total_points=framework.total_points,
            categories=framework.categories.values_list("code", "points"),
            items=framework.items.values_list("code", "points"),
        )
        == []
    )
    official = OfficialFactory()
    copy = copy_as_new_version(
        framework=framework, version="2026", authority=official.authority, by=official
    )
    assert (copy.total_points, copy.items.count(), copy.authority) == (100, 7, official.authority)
    assert structure_errors(total_points=90, categories=[("1", 90)], items=[("1.1", 90)]) == [
        "评价准则总分应为 1000 分或 100 分，当前为 90 分。"
    ]
