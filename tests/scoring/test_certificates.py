"""Certificates: signed serials and their verification, the PDF, issuing a whole cycle."""

from __future__ import annotations

import datetime as dt
import re
import struct

import pytest
import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from awards.models import AuditEntry
from awards.pdf.inspect import pdf_fonts, pdf_page_count, pdf_page_png, pdf_text
from scoring.certificates.models import Certificate, CertificateBatch
from scoring.certificates.services.certificates import (
    Verification,
    VerificationStatus,
    certificate_serial,
    certificates_of,
    verify_serial,
)
from scoring.certificates.services.documents import (
    certificate_context,
    chinese_date,
    render_certificate_pdf,
)
from scoring.certificates.services.issuing import issue_certificates
from scoring.publication.models import Award
from tests import clock
from tests.factories import CycleFactory, OfficialFactory
from tests.scoring.certificate_world import (
    announced,
    announced_at,
    application_of,
    award_for,
    issued_on,
    luyu_cycle,
    make_certificate,
    two_awards,
    valid_until,
)

GENUINE = "该证书由授奖机关颁发，真实有效。"
REVOKED = "该证书由授奖机关颁发，但所获奖项已被撤销，证书已失效。"
EXPIRED = "该证书由授奖机关颁发，但已超过有效期，证书已失效。"
UNKNOWN = "未查到该证书编号，请核对后重新输入。"
FORGED = "证书编号校验未通过：该编号不是授奖机关颁发的证书编号，可能被篡改或伪造。"
CODE = r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}"


@pytest.fixture
def cycle(db):
    return luyu_cycle()


@pytest.fixture
def official(cycle):
    return OfficialFactory(authority=cycle.programme.authority, username="luyu-official")


@pytest.fixture
def awards(cycle):
    return two_awards(cycle)


def issue(django_capture_on_commit_callbacks, **kwargs) -> CertificateBatch:
    with django_capture_on_commit_callbacks(execute=True):
        batch = issue_certificates(**kwargs)
    batch.refresh_from_db()
    return batch


def _altered(serial: str, position: int) -> str:
    replacement = "7" if serial[position] != "7" else "8"
    return serial[:position] + replacement + serial[position + 1 :]


# Serials and verification ---------------------------------------------------------------


def test_a_serial_reads_programme_edition_year_then_a_signed_code(cycle, awards):
    serials = [certificate_serial(award=award) for award in awards]
    serial = re.compile(rf"^LUYU-5-{cycle.year}-{CODE}$")
    assert [bool(serial.match(serial_text)) for serial_text in serials] == [True, True]
    assert serials[0] != serials[1]
    assert certificate_serial(award=awards[0]) == serials[0]


def test_a_genuine_serial_verifies_with_every_detail_in_one_query(
    cycle, awards, django_assert_num_queries
):
    certificate = make_certificate(awards[0])
    with django_assert_num_queries(1):
        result = verify_serial(certificate.serial, today=clock.days_from_today(30))
    assert result == Verification(
        status=VerificationStatus.GENUINE_VALID,
        message=GENUINE,
        serial=certificate.serial,
        organization="湖北天门纺织机械股份有限公司",
        credit_code=awards[0].application.organization.credit_code,
        award="陆羽质量奖",
        level="质量奖",
        edition=5,
        year=cycle.year,
        authority="天门市人民政府",
        issued_on=issued_on(),
        valid_until=valid_until(),
        revoked_at=None,
        revocation_reason="",
    )
    assert (result.genuine, result.valid) == (True, True)


def test_typing_in_lower_case_with_spaces_and_confusable_letters_still_verifies(awards):
    serial = make_certificate(awards[0]).serial
    typed = "  " + serial.lower().replace("-", " - ", 1) + " "
    code = serial.rsplit("-", 4)
    confusable = "-".join(
        [code[0], *(part.replace("0", "O").replace("1", "l") for part in code[1:])]
    )
    assert verify_serial(typed).status == VerificationStatus.GENUINE_VALID
    assert verify_serial(confusable).status == VerificationStatus.GENUINE_VALID


@pytest.mark.parametrize("position", [0, 5, 12, 17, 30, -1])
def test_one_altered_character_is_reported_forged_without_details(awards, position):
    serial = make_certificate(awards[0]).serial
    position = position % len(serial)
    altered = _altered(serial, position)
    assert altered != serial
    assert verify_serial(altered) == Verification(
        status=VerificationStatus.FORGED, message=FORGED, serial=altered
    )


def test_a_made_up_serial_of_the_right_shape_is_forged(cycle, awards):
    make_certificate(awards[0])
    result = verify_serial(f"LUYU-5-{cycle.year}-AAAA-BBBB-CCCC-DDDD")
    assert (result.status, result.message, result.organization) == (
        VerificationStatus.FORGED,
        FORGED,
        "",
    )


@pytest.mark.parametrize(
    ("text", "checked"),
    [
        ("hello", "HELLO"),
        ("", ""),
        ("LUYU-5-2026", "LUYU-5-2026"),
        ("<script>alert(1)</script>", "<SCRIPT>ALERT(1)</SCRIPT>"),
        ("陆羽质量奖证书", "陆羽质量奖证书"),
        ("x" * 500, ""),
    ],
)
def test_text_that_is_not_a_serial_is_unknown_and_costs_no_query(
    db, text, checked, django_assert_num_queries
):
    with django_assert_num_queries(0):
        result = verify_serial(text)
    assert result == Verification(
        status=VerificationStatus.UNKNOWN, message=UNKNOWN, serial=checked
    )
    assert (result.genuine, result.valid) == (False, False)


def test_a_revoked_award_verifies_as_revoked_with_its_reason(awards):
    serial = make_certificate(awards[0]).serial
    revoked_at = clock.at(clock.days_from_today(85), 9)
    Award.objects.filter(pk=awards[0].pk).update(
        revoked_at=revoked_at, revocation_reason="申报材料弄虚作假"
    )
    result = verify_serial(serial, today=clock.days_from_today(86))
    assert (result.status, result.message, result.revoked_at, result.revocation_reason) == (
        VerificationStatus.REVOKED,
        REVOKED,
        revoked_at,
        "申报材料弄虚作假",
    )
    assert (result.genuine, result.valid, result.organization) == (
        True,
        False,
        "湖北天门纺织机械股份有限公司",
    )


def test_validity_ends_after_the_last_valid_day(awards):
    serial = make_certificate(awards[0]).serial
    last_day = verify_serial(serial, today=valid_until())
    after = verify_serial(serial, today=valid_until() + dt.timedelta(days=1))
    assert (last_day.status, after.status, after.message) == (
        VerificationStatus.GENUINE_VALID,
        VerificationStatus.EXPIRED,
        EXPIRED,
    )


def test_changing_the_awarded_level_in_the_database_breaks_the_signature(awards):
    serial = make_certificate(awards[1]).serial
    Award.objects.filter(pk=awards[1].pk).update(level="质量奖")
    assert verify_serial(serial).status == VerificationStatus.FORGED


def test_serials_survive_a_key_rotation_done_with_fallbacks(awards, settings):
    serial = make_certificate(awards[0]).serial
    old_key = settings.CERTIFICATE_SIGNING_KEY
    new_key = "a-new-key-" + "x" * 40
    with override_settings(
        CERTIFICATE_SIGNING_KEY=new_key, CERTIFICATE_SIGNING_KEY_FALLBACKS=[old_key]
    ):
        assert verify_serial(serial).status == VerificationStatus.GENUINE_VALID
    with override_settings(CERTIFICATE_SIGNING_KEY=new_key, CERTIFICATE_SIGNING_KEY_FALLBACKS=[]):
        assert verify_serial(serial).status == VerificationStatus.FORGED


def test_rotating_the_secret_key_never_touches_a_certificate(awards, settings):
    serial = make_certificate(awards[0]).serial
    with override_settings(SECRET_KEY="a-new-key-" + "y" * 40, SECRET_KEY_FALLBACKS=[]):
        assert verify_serial(serial).status == VerificationStatus.GENUINE_VALID
    # Signed with the certificates' own key, not with SECRET_KEY.
    with override_settings(CERTIFICATE_SIGNING_KEY=settings.SECRET_KEY):
        assert verify_serial(serial).status == VerificationStatus.FORGED


# The PDF -------------------------------------------------------------------------------


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def test_the_certificate_pdf_is_one_landscape_page_in_chinese_with_every_fact(awards):
    certificate = make_certificate(awards[1])
    pdf = render_certificate_pdf(certificate=certificate)
    fonts = pdf_fonts(pdf)
    text = pdf_text(pdf)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert sorted(font.split("+", 1)[1] for font in fonts) == [
        "Noto-Serif-CJK-SC",
        "Noto-Serif-CJK-SC-Bold",
    ]
    assert pdf_page_count(pdf) == 1
    width, height = _png_size(pdf_page_png(pdf, dpi=20))
    assert width > height
    assert lines[:2] == ["第五届陆羽质量奖", "荣 誉 证 书"]
    assert "天门市食品有限公司：" in lines
    assert "经评审委员会评审和社会公示，荣获第五届陆羽质量奖提名奖。" in lines
    assert "奖项等级：提名奖" in lines
    last_day = valid_until()
    assert f"有效期至：{last_day.year}年{last_day.month}月{last_day.day}日" in lines
    assert f"证书编号：{certificate.serial}" in lines
    assert "天门市人民政府" in lines
    assert chinese_date(issued_on()) in lines  # 二〇二六年十一月二十一日: numerals tested below


def test_the_qr_code_encodes_the_exact_public_verification_url(awards, settings):
    settings.PORTAL_BASE_URL = "https://zlj.tianmen.gov.cn/"
    certificate = make_certificate(awards[0])
    context = certificate_context(certificate)
    url = f"https://zlj.tianmen.gov.cn/verify/{certificate.serial}/"
    assert context["verification_url"] == url
    expected = segno.make(url, error="m").svg_inline(omitsize=True, border=0, dark="#111")
    assert context["qr_svg"] == expected
    text = pdf_text(render_certificate_pdf(certificate=certificate))
    assert url in text


def test_an_organization_name_with_markup_is_printed_as_text(cycle):
    application = application_of(cycle, name="<b>天门</b><script>alert(1)</script>&公司")
    snapshot = announced(cycle, [(application, "700.00", "质量奖", {})])
    certificate = make_certificate(award_for(snapshot, application))
    text = pdf_text(render_certificate_pdf(certificate=certificate))
    assert "<b>天门</b><script>alert(1)</script>&公司：" in text


@pytest.mark.parametrize(
    ("day", "printed"),
    [
        (dt.date(2026, 11, 21), "二〇二六年十一月二十一日"),
        (dt.date(2027, 1, 10), "二〇二七年一月十日"),
        (dt.date(2030, 10, 30), "二〇三〇年十月三十日"),
        (dt.date(2028, 12, 5), "二〇二八年十二月五日"),
    ],
)
def test_dates_are_written_in_chinese_numerals(day, printed):
    assert chinese_date(day) == printed


# Issuing a cycle ---------------------------------------------------------------------------


def test_issuing_prints_every_live_award_and_reports_progress(
    cycle, awards, official, django_capture_on_commit_callbacks
):
    third = application_of(cycle, name="已撤销公司")
    revoked = award_for(awards[0].snapshot, third, "提名奖", revoked_at=announced_at())
    batch = issue(django_capture_on_commit_callbacks, cycle=cycle, by=official)
    # Django names the folder after the process's local clock when the file is saved.
    printed_in = dt.datetime.now().year
    certificates = list(certificates_of(cycle).order_by("award_id"))
    assert [c.award_id for c in certificates] == [awards[0].pk, awards[1].pk]
    assert (batch.total, batch.done, batch.error, batch.finished_at is not None) == (
        2,
        2,
        "",
        True,
    )
    for certificate in certificates:
        assert certificate.issued_on == announced_at().date()  # the announcement, Beijing time
        assert certificate.serial == certificate_serial(award=certificate.award)
        assert certificate.pdf.name == f"certificates/{printed_in}/{certificate.serial}.pdf"
        with certificate.pdf.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    assert not Certificate.objects.filter(award=revoked).exists()
    actions = list(
        AuditEntry.objects.filter(target_id=str(batch.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["certificates_printed", "issue_certificates"]


def test_issuing_again_keeps_serials_and_files_and_adds_only_new_awards(
    cycle, awards, official, django_capture_on_commit_callbacks
):
    issue(django_capture_on_commit_callbacks, cycle=cycle, by=official)
    before = {c.award_id: (c.serial, c.pdf.name) for c in certificates_of(cycle)}
    again = issue(django_capture_on_commit_callbacks, cycle=cycle, by=official)
    assert (again.total, again.done) == (2, 2)
    assert {c.award_id: (c.serial, c.pdf.name) for c in certificates_of(cycle)} == before
    late = award_for(awards[0].snapshot, application_of(cycle, name="补发公司"), "提名奖")
    third = issue(django_capture_on_commit_callbacks, cycle=cycle, by=official)
    after = {c.award_id: (c.serial, c.pdf.name) for c in certificates_of(cycle)}
    assert (third.total, third.done, len(after)) == (3, 3, 3)
    assert {k: v for k, v in after.items() if k != late.pk} == before
    assert CertificateBatch.objects.filter(cycle=cycle).count() == 3


def test_a_running_batch_is_returned_instead_of_starting_another(
    cycle, awards, official, django_capture_on_commit_callbacks
):
    running = CertificateBatch.objects.create(cycle=cycle, total=2, done=1, started_by=official)
    batch = issue(django_capture_on_commit_callbacks, cycle=cycle, by=official)
    assert (batch.pk, batch.done, Certificate.objects.count()) == (running.pk, 1, 0)


def test_officials_of_another_authority_and_cycles_without_awards_are_refused(cycle, awards):
    stranger = OfficialFactory(username="stranger")
    with pytest.raises(PermissionDenied):
        issue_certificates(cycle=cycle, by=stranger)
    empty = CycleFactory(programme=cycle.programme, edition=6)
    with pytest.raises(ValidationError) as refused:
        issue_certificates(cycle=empty, by=OfficialFactory(authority=cycle.programme.authority))
    assert refused.value.messages == [
        "该届次尚未发布表彰结果（或奖项均已撤销），没有可颁发的证书。"
    ]
    assert (Certificate.objects.count(), CertificateBatch.objects.count()) == (0, 0)
