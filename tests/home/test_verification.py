"""The public certificate verification page: /verify/ (form) and /verify/<serial>/ (QR target)."""

import datetime as dt

import pytest
from django.urls import reverse

from scoring.certificates.models import Certificate
from scoring.certificates.services.certificates import certificate_serial
from scoring.publication.services.notices import announce_results, open_public_notice, revoke_award
from tests import clock
from tests.home.results_helpers import build_results_world

ORGANIZATION = "湖北天门纺织机械股份有限公司"


@pytest.fixture
def world(db):
    return build_results_world(None)


def announced_certificate(world, *, days_ago: int, valid_for_days: int) -> Certificate:
    """A certificate of an award announced ``days_ago`` days ago after a notice opened a month
    before, valid until ``valid_for_days`` days after the announcement."""
    announced_on = clock.days_from_today(-days_ago)
    notice = open_public_notice(
        snapshot=world.snapshot,
        starts_on=announced_on - dt.timedelta(days=30),
        by=world.official,
        now=clock.at(announced_on - dt.timedelta(days=31), 10),
    )
    award = announce_results(
        notice=notice,
        by=world.official,
        valid_until=announced_on + dt.timedelta(days=valid_for_days),
        now=clock.at(announced_on, 10),
    )[0]
    return Certificate.objects.create(
        award=award, serial=certificate_serial(award=award), issued_on=announced_on
    )


@pytest.fixture
def certificate(world) -> Certificate:
    """Announced a fortnight ago, valid for about three years."""
    return announced_certificate(world, days_ago=14, valid_for_days=3 * 365)


def verify(client, serial: str):
    response = client.get(reverse("verify_certificate", args=[serial]))
    assert response.status_code == 200
    return response, response.content.decode()


def test_a_genuine_valid_certificate(client, certificate):
    response, html = verify(client, certificate.serial)
    verification = response.context["verification"]
    assert (verification.status, verification.organization, verification.level) == (
        "genuine_valid",
        ORGANIZATION,
        "质量奖",
    )
    assert "证书真实有效" in html
    assert "该证书由授奖机关颁发，真实有效。" in html
    assert f"<dd data-organization>{ORGANIZATION}</dd>" in html
    assert clock.written(certificate.award.valid_until) in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-cache" in response["Cache-Control"]


def test_the_form_checks_a_typed_serial_in_lower_case_with_spaces(client, certificate):
    typed = " " + certificate.serial.lower().replace("-", " - ", 1) + " "
    response = client.get(reverse("verify"), {"serial": typed})
    assert response.status_code == 200
    assert response.context["verification"].status == "genuine_valid"


def test_the_empty_form(client, certificate):
    response = client.get(reverse("verify"))
    assert response.status_code == 200
    assert response.context["verification"] is None
    assert ORGANIZATION not in response.content.decode()


def test_a_revoked_certificate_shows_date_and_reason(client, world, certificate):
    revoked_on = clock.days_from_today(-1)
    revoke_award(
        award=certificate.award,
        reason="获奖后发生重大质量安全事故。",
        by=world.official,
        now=clock.at(revoked_on, 9, 30),
    )
    response, html = verify(client, certificate.serial)
    assert response.context["verification"].status == "revoked"
    assert "证书已失效：奖项已撤销" in html
    assert "该证书由授奖机关颁发，但所获奖项已被撤销，证书已失效。" in html
    assert f"<dd data-revoked-at>{clock.written(revoked_on)}</dd>" in html
    assert "<dd data-revocation-reason>获奖后发生重大质量安全事故。</dd>" in html


def test_an_expired_certificate(client, world):
    # Announced about four years ago and valid for three: it expired a year ago.
    certificate = announced_certificate(world, days_ago=4 * 365, valid_for_days=3 * 365)
    response, html = verify(client, certificate.serial)
    assert response.context["verification"].status == "expired"
    assert "证书已失效：超过有效期" in html
    assert clock.written(certificate.award.valid_until) in html


def altered(serial: str) -> str:
    last = serial[-1]
    return serial[:-1] + ("A" if last != "A" else "B")


@pytest.mark.parametrize(
    "make_serial",
    [
        altered,
        lambda serial: serial.replace("LUYU-5-", "LUYU-6-"),
        lambda serial: serial.rsplit("-", 4)[0] + "-0000-0000-0000-0000",
    ],
    ids=["one character altered", "edition changed", "made up code"],
)
def test_a_forged_or_altered_serial_reveals_nothing(client, certificate, make_serial):
    response, html = verify(client, make_serial(certificate.serial))
    assert response.context["verification"].status == "forged"
    assert "证书编号校验未通过" in html
    assert ORGANIZATION not in html
    assert certificate.award.application.organization.credit_code not in html
    assert "质量奖</dd>" not in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "证书编号",
        "%00",
        "A" * 5000,
        "LUYU-5-2026-\u202e0000-0000-0000-0000",
    ],
    ids=["script", "sql", "chinese", "nul", "very long", "bidi override"],
)
def test_garbage_never_crashes_and_is_never_echoed_raw(client, certificate, text):
    """(The site header's language switcher repeats the whole query string, escaped.)"""
    response = client.get(reverse("verify"), {"serial": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["verification"].status in ("unknown", "forged")
    assert "<script>alert(1)</script>" not in html
    assert ORGANIZATION not in html
    # The form keeps at most 120 characters; the result names only what was checked.
    assert len(response.context["serial"]) <= 120
    assert f'value="{"A" * 121}' not in html
