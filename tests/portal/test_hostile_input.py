"""The 500s fuzzing found, each answered now with a clear message or an empty result:
the site search with an unbalanced quote or a NUL byte, NUL bytes anywhere (refused with a
message, nothing saved), the registration race, a huge id in the screening filter, a tampered
stages formset (the page chooser asked to choose the
tree root: tests/home/test_page_chooser_scope.py)."""

import pytest
from django.core import mail

from awards.forms.accounts import ApplicantAccountForm, OrganizationRegistrationForm
from awards.models import Application, Organization, User
from scoring.review.models import ReviewStage
from tests.factories import (
    CycleFactory,
    OfficialFactory,
    make_credit_code,
    started_application,
    wizard_post,
)
from tests.outbox import delivered
from tests.scoring.factories import ReviewStageFactory

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "提交的内容含有空字符（NUL），未作任何保存。"


@pytest.mark.parametrize("query", ['"', '"质量', 'a"b"c"', "AND", "NOT x", "NEAR(a b)", "*", "\\"])
def test_search_with_full_text_syntax_answers(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_a_nul_byte_in_a_query_is_refused_with_a_message(client):
    response = client.get("/search/", {"q": "质量\x00奖"})
    assert (response.status_code, NUL_MESSAGE in response.content.decode()) == (400, True)


def test_a_nul_byte_in_a_wizard_step_is_refused_and_nothing_is_saved(client):
    application, user = started_application()
    client.force_login(user)
    version = Application.objects.get(pk=application.pk).version
    response = wizard_post(client, application, "basic", {"contact_name": "张\x00三"})
    application.refresh_from_db()
    assert (response.status_code, NUL_MESSAGE in response.content.decode()) == (400, True)
    assert (application.version, application.step_draft("basic")) == (version, {})


def test_a_nul_byte_in_a_field_name_or_the_path_is_refused(client):
    assert client.post("/accounts/register/", {"org-name\x00": "x"}).status_code == 400
    assert client.get("/search\x00/").status_code == 400


def registration(username="zhangsan", credit_code=None) -> dict:
    return {
        "org-name": "天门某某有限公司",
        "org-credit_code": credit_code or make_credit_code(7, "429006"),
        "org-region_code": "429006",
        "org-region_name": "天门市",
        "org-industry": "C",
        "org-size": "medium",
        "org-registration_date": "2010-05-01",
        "org-legal_representative": "张三",
        "org-address": "天门市竟陵街道",
        "user-username": username,
        "user-full_name": "张三",
        "user-email": f"{username}@example.com",
        "user-phone": "13800000000",
        "user-password1": "pass-12345-word",
        "user-password2": "pass-12345-word",
    }


def test_the_registration_race_answers_with_a_message(client, monkeypatch):
    """The second of two simultaneous registrations passes the checks (the first is not saved
    yet when they run) and meets the database's unique constraint."""
    first = client.post("/accounts/register/", registration())
    assert first.status_code == 302, first.context and first.context["account_form"].errors
    client.logout()
    # What the second request saw: no such organization or user yet.
    for form, field in (
        (OrganizationRegistrationForm, "credit_code"),
        (ApplicantAccountForm, "username"),
        (ApplicantAccountForm, "email"),
    ):
        monkeypatch.setattr(form, f"clean_{field}", lambda self, f=field: self.cleaned_data[f])
    monkeypatch.setattr(Organization, "validate_unique", lambda self, exclude=None: None)
    monkeypatch.setattr(User, "validate_unique", lambda self, exclude=None: None)
    monkeypatch.setattr("awards.services.people._check_staff_fields", lambda **kwargs: None)
    mail.outbox.clear()
    with delivered():
        second = client.post("/accounts/register/", registration())
    # The same neutral answer as any registration; the e-mail tells the owner.
    assert (second.status_code, second["Location"]) == (302, "/accounts/register/sent/")
    assert [message.to for message in mail.outbox] == [["zhangsan@example.com"]]
    assert (Organization.objects.count(), User.objects.filter(username="zhangsan").count()) == (
        1,
        1,
    )


def test_a_huge_cycle_id_in_the_screening_filter_finds_nothing(client):
    cycle = CycleFactory()
    client.force_login(OfficialFactory(authority=cycle.programme.authority))
    answers = [
        client.get("/admin/screening/", {"cycle": value})
        for value in ("9" * 30, str(2**63), "１２", "-1")
    ]
    assert [(r.status_code, list(r.context["applications"])) for r in answers] == [(200, [])] * 4


@pytest.mark.parametrize(
    "tamper",
    [
        {"stages-0-id": "999999"},
        {"stages-0-id": "9" * 30},
        {"stages-0-id": "abc"},
        {"stages-TOTAL_FORMS": "3"},
        {"stages-INITIAL_FORMS": "5", "stages-TOTAL_FORMS": "5"},
    ],
)
def test_a_tampered_stages_formset_is_refused_with_a_message(client, tamper):
    stage = ReviewStageFactory()
    client.force_login(OfficialFactory(authority=stage.cycle.programme.authority))
    url = f"/admin/review/cycles/{stage.cycle.pk}/stages/"
    form = {
        "stages-TOTAL_FORMS": "1",
        "stages-INITIAL_FORMS": "1",
        "stages-0-id": str(stage.pk),
        "stages-0-panel_size": "99",
        **tamper,
    }
    response = client.post(url, form)
    formset = response.context["formset"]
    errors = [error for f in formset.forms for error in f.errors.values()]
    errors += list(formset.non_form_errors())
    assert (response.status_code, bool(errors)) == (200, True)
    assert ReviewStage.objects.get(pk=stage.pk).panel_size == stage.panel_size
