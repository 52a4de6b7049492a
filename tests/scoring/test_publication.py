"""Public notice, objections, final announcement and revocation (scoring/services/publication.py)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from awards.enums import CycleStatus
from awards.models import AuditEntry
from scoring.publication.models import Award, Objection, ObjectionOutcome, PublicNotice
from scoring.publication.services.notices import (
    announce_results,
    open_public_notice,
    resolve_objection,
    revoke_award,
    submit_objection,
)
from tests import clock
from tests.home.results_helpers import PDF_BYTES, build_results_world, html_named_pdf, pdf_upload
from tests.scoring.factories import ApprovedSnapshotFactory, ObjectionFactory, ResultEntryFactory

#: These tests follow one notice through the calendar: it runs five working days from Tuesday
#: 2026-12-01 to Monday 2026-12-07 (the weekend of 5-6 December does not count). The clock is
#: set to BEFORE it (a Friday) and every later moment is stated explicitly.
BEFORE = clock.at(dt.date(2026, 11, 20), 10)
AFTER_PERIOD = clock.at(dt.date(2026, 12, 8), 9)

#: The clock starts at BEFORE and runs (time-machine's marker, set before any fixture).
pytestmark = pytest.mark.time_machine(BEFORE)


# --- opening the notice -------------------------------------------------------------------


@pytest.fixture
def world(db):
    return build_results_world(None)


@pytest.fixture
def notice(world):
    return open_public_notice(
        snapshot=world.snapshot, starts_on=dt.date(2026, 12, 1), by=world.official, now=BEFORE
    )


def test_opening_a_notice_computes_the_period_and_moves_the_cycle(world):
    notice = open_public_notice(
        snapshot=world.snapshot,
        starts_on=dt.date(2026, 9, 28),
        working_days=5,
        holidays=["2026-09-29", dt.date(2026, 9, 29), "2026-10-02"],
        by=world.official,
        now=clock.at(dt.date(2026, 9, 1), 10),
    )
    notice.refresh_from_db()
    # Counted: Mon 28 and Wed 30 Sep (the 29th is listed off), Thu 8, Fri 9 Oct (1–7 Oct is the
    # National Day holiday) and Sat 10 Oct, a make-up working day (调休).
    assert (notice.starts_on, notice.ends_on, notice.working_days) == (
        dt.date(2026, 9, 28),
        dt.date(2026, 10, 10),
        5,
    )
    assert notice.holidays == [
        "2026-09-29",
        "2026-10-01",
        "2026-10-02",
        "2026-10-05",
        "2026-10-06",
        "2026-10-07",
    ]
    world.cycle.refresh_from_db()
    assert world.cycle.status == CycleStatus.NOTICE
    entry = AuditEntry.objects.get(action="open_public_notice")
    assert (entry.actor, entry.target_id) == (world.official, str(notice.pk))
    assert entry.details["ends_on"] == "2026-10-10"


def test_only_an_approved_snapshot_can_be_noticed(world):
    draft = ApprovedSnapshotFactory(
        cycle=world.cycle, version=2, approved_at=None, approved_by=None
    )
    ResultEntryFactory(snapshot=draft, application=world.winner.application, level="质量奖")
    with pytest.raises(ValidationError) as refused:
        open_public_notice(
            snapshot=draft, starts_on=dt.date(2026, 12, 1), by=world.official, now=BEFORE
        )
    assert refused.value.messages == ["只能公示已批准的评审结果；第 2 版尚未批准。"]
    assert PublicNotice.objects.count() == 0


def test_a_snapshot_is_noticed_once(world, notice):
    with pytest.raises(ValidationError) as refused:
        open_public_notice(
            snapshot=world.snapshot, starts_on=dt.date(2026, 12, 8), by=world.official, now=BEFORE
        )
    assert refused.value.messages == ["第 1 版评审结果已经公示，不能重复公示。"]
    assert PublicNotice.objects.count() == 1


def test_only_the_latest_approved_snapshot_can_be_noticed(world):
    ApprovedSnapshotFactory(cycle=world.cycle, version=2, created_by=world.official)
    with pytest.raises(ValidationError) as refused:
        open_public_notice(
            snapshot=world.snapshot, starts_on=dt.date(2026, 12, 1), by=world.official, now=BEFORE
        )
    assert refused.value.messages == ["本届已有更新的批准结果（第 2 版），只能公示最新批准的结果。"]


def test_a_notice_cannot_start_in_the_past(world):
    with pytest.raises(ValidationError) as refused:
        open_public_notice(
            snapshot=world.snapshot,
            starts_on=dt.date(2026, 11, 19),
            by=world.official,
            now=clock.at(dt.date(2026, 11, 20), 0, 30),
        )
    assert refused.value.messages == ["公示开始日期（2026-11-19）不能早于今天（2026-11-20）。"]
    assert PublicNotice.objects.count() == 0


def test_a_snapshot_without_proposed_awards_is_not_noticed(world):
    vacant = ApprovedSnapshotFactory(cycle=world.cycle, version=2, created_by=world.official)
    ResultEntryFactory(snapshot=vacant, application=world.winner.application, level="")
    with pytest.raises(ValidationError) as refused:
        open_public_notice(
            snapshot=vacant, starts_on=dt.date(2026, 12, 1), by=world.official, now=BEFORE
        )
    assert refused.value.messages == ["第 2 版评审结果中没有拟表彰的申报单位，无需公示。"]
    assert PublicNotice.objects.count() == 0


# --- objections -----------------------------------------------------------------------------


def private_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "objections"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def objection_input(**overrides) -> dict:
    return {
        "real_name": "张三",
        "contact": "13800000000",
        "text": "该单位 2025 年发生过一般质量事故。",
        "evidence_file": pdf_upload(),
        **overrides,
    }


@pytest.mark.parametrize(
    ("now", "message"),
    [
        (
            clock.at(dt.date(2026, 11, 30), 23, 59),
            "公示期为 2026-12-01 至 2026-12-07，公示尚未开始，不能提交异议。",
        ),
        (
            clock.at(dt.date(2026, 12, 8), 0),
            "公示期为 2026-12-01 至 2026-12-07，现已不在公示期内，不能提交异议。",
        ),
        (
            clock.at(dt.date(2027, 3, 1), 10),
            "公示期为 2026-12-01 至 2026-12-07，现已不在公示期内，不能提交异议。",
        ),
    ],
)
def test_an_objection_outside_the_period_is_refused_and_nothing_is_saved(notice, now, message):
    files_before = private_files()
    with pytest.raises(ValidationError) as refused:
        submit_objection(notice=notice, now=now, **objection_input())
    assert refused.value.messages == [message]
    assert Objection.objects.count() == 0
    assert private_files() == files_before
    assert AuditEntry.objects.filter(action="submit_objection").count() == 0


@pytest.mark.parametrize(
    "now",
    [
        clock.at(dt.date(2026, 12, 1), 0),
        clock.at(dt.date(2026, 12, 5), 12),
        clock.at(dt.date(2026, 12, 7), 23, 59),
    ],
    ids=["first minute", "a Saturday inside", "last minute"],
)
def test_an_objection_within_the_period_is_received(world, notice, now):
    objection = submit_objection(
        notice=notice,
        now=now,
        application=world.winner.application,
        **objection_input(real_name=" 张三 ", evidence_file=pdf_upload("../../证明 材料.PDF")),
    )
    objection.refresh_from_db()
    assert (objection.real_name, objection.contact, objection.outcome) == (
        "张三",
        "13800000000",
        "",
    )
    assert objection.application == world.winner.application
    assert objection.evidence_name == "证明 材料.pdf"
    stored = Path(objection.evidence.path)
    assert stored.parent.parent == Path(settings.PRIVATE_MEDIA_ROOT) / "objections"
    assert stored.suffix == ".pdf" and len(stored.stem) == 32
    assert stored.read_bytes() == PDF_BYTES
    entry = AuditEntry.objects.get(action="submit_objection")
    assert (entry.actor, entry.target_id) == (None, str(objection.pk))


def test_evidence_is_judged_by_its_content(notice):
    files_before = private_files()
    with pytest.raises(ValidationError) as refused:
        submit_objection(
            notice=notice,
            now=clock.at(dt.date(2026, 12, 2), 10),
            **objection_input(evidence_file=html_named_pdf()),
        )
    assert refused.value.message_dict == {
        "evidence": [
            "文件“证明.pdf”的内容不是 PDF、JPEG、PNG、DOCX 或 XLSX，而是网页（HTML），已拒绝上传。"
        ]
    }
    assert Objection.objects.count() == 0
    assert private_files() == files_before


def test_every_missing_part_is_named_and_nothing_is_saved(world, notice):
    with pytest.raises(ValidationError) as refused:
        submit_objection(
            notice=notice,
            now=clock.at(dt.date(2026, 12, 2), 10),
            real_name=" ",
            contact="",
            text="",
            evidence_file=None,
            application=world.unplaced.application,
        )
    assert refused.value.message_dict == {
        "real_name": ["请填写真实姓名。"],
        "contact": ["请填写联系方式。"],
        "text": ["请填写异议内容。"],
        "application": ["所选申报单位不在本次公示的名单中。"],
        "evidence": ["请上传证明材料（PDF、JPEG、PNG、DOCX 或 XLSX 文件）。"],
    }
    assert Objection.objects.count() == 0


def test_overlong_text_is_refused(notice):
    with pytest.raises(ValidationError) as refused:
        submit_objection(
            notice=notice,
            now=clock.at(dt.date(2026, 12, 2), 10),
            **objection_input(text="异" * 5001),
        )
    assert refused.value.message_dict == {
        "text": ["异议内容不能超过 5000 个字（现为 5001 个字）。"]
    }


# --- resolving ---------------------------------------------------------------------------------


def test_resolving_an_objection_records_who_and_what(world, notice):
    objection = ObjectionFactory(notice=notice)
    now = clock.at(dt.date(2026, 12, 9), 10)
    resolve_objection(
        objection=objection,
        outcome=ObjectionOutcome.REJECTED,
        resolution="经核查，所述事故不属于重大质量事故。",
        by=world.official,
        now=now,
    )
    objection.refresh_from_db()
    assert (
        objection.outcome,
        objection.resolution,
        objection.resolved_by,
        objection.resolved_at,
    ) == (
        "rejected",
        "经核查，所述事故不属于重大质量事故。",
        world.official,
        now,
    )
    entry = AuditEntry.objects.get(action="resolve_objection")
    assert entry.details == {"outcome": "rejected", "previous_outcome": None}


def test_a_resolution_needs_an_outcome_and_a_text(world, notice):
    objection = ObjectionFactory(notice=notice)
    with pytest.raises(ValidationError) as refused:
        resolve_objection(objection=objection, outcome="maybe", resolution="  ", by=world.official)
    assert refused.value.message_dict == {
        "outcome": ["请选择处理结论。"],
        "resolution": ["请填写处理意见。"],
    }
    objection.refresh_from_db()
    assert (objection.outcome, objection.resolved_by) == ("", None)


# --- the final announcement --------------------------------------------------------------------


def objection_submitted_on(notice, day: int, **kwargs) -> Objection:
    objection = ObjectionFactory(notice=notice, **kwargs)
    Objection.objects.filter(pk=objection.pk).update(
        submitted_at=clock.at(dt.date(2026, 12, day), 10)
    )
    return objection


def assert_nothing_announced(notice, world) -> None:
    notice.refresh_from_db()
    world.cycle.refresh_from_db()
    assert notice.announced_at is None
    assert Award.objects.count() == 0
    assert world.cycle.status == CycleStatus.NOTICE
    assert AuditEntry.objects.filter(action="announce_results").count() == 0


def test_announcing_before_the_period_ends_is_refused(world, notice):
    with pytest.raises(ValidationError) as refused:
        announce_results(
            notice=notice, by=world.official, now=clock.at(dt.date(2026, 12, 7), 23, 59)
        )
    assert refused.value.messages == [
        "公示期为 2026-12-01 至 2026-12-07，公示期满后（2026-12-08 起）才能发布表彰决定。"
    ]
    assert_nothing_announced(notice, world)


def test_announcing_with_unresolved_objections_lists_them(world, notice):
    objection_submitted_on(notice, 2, real_name="张三")
    objection_submitted_on(notice, 3, real_name="李四")
    resolved = objection_submitted_on(notice, 4, real_name="王五")
    resolve_objection(
        objection=resolved,
        outcome=ObjectionOutcome.REJECTED,
        resolution="不成立。",
        by=world.official,
    )
    with pytest.raises(ValidationError) as refused:
        announce_results(notice=notice, by=world.official, now=AFTER_PERIOD)
    assert refused.value.messages == [
        "以下异议尚未处理，全部处理后才能发布表彰决定："
        "张三 2026-12-02 提交的异议；李四 2026-12-03 提交的异议。"
    ]
    assert_nothing_announced(notice, world)


def test_every_obstacle_is_listed_at_once(world, notice):
    objection_submitted_on(notice, 2, real_name="张三")
    with pytest.raises(ValidationError) as refused:
        announce_results(
            notice=notice,
            by=world.official,
            valid_until=dt.date(2026, 12, 1),
            now=clock.at(dt.date(2026, 12, 3), 10),
        )
    assert refused.value.messages == [
        "公示期为 2026-12-01 至 2026-12-07，公示期满后（2026-12-08 起）才能发布表彰决定。",
        "以下异议尚未处理，全部处理后才能发布表彰决定：张三 2026-12-02 提交的异议。",
        "有效期截止日期（2026-12-01）必须晚于今天。",
    ]
    assert_nothing_announced(notice, world)


def test_an_upheld_objection_blocks_the_list_until_a_new_snapshot_is_noticed(world, notice):
    objection = objection_submitted_on(notice, 2, application=world.winner.application)
    resolve_objection(
        objection=objection,
        outcome=ObjectionOutcome.UPHELD,
        resolution="经核查属实，该单位不符合申报条件。",
        by=world.official,
    )
    with pytest.raises(ValidationError) as refused:
        announce_results(notice=notice, by=world.official, now=AFTER_PERIOD)
    assert refused.value.messages == [
        "以下异议经核实成立，本次公示的名单不能发布表彰：张三 2026-12-02 提交的异议。"
        "请重新计算并批准新版结果，再对新版结果进行公示。"
    ]
    assert_nothing_announced(notice, world)

    corrected = ApprovedSnapshotFactory(cycle=world.cycle, version=2, created_by=world.official)
    ResultEntryFactory(
        snapshot=corrected, application=world.nominee.application, rank=1, level="质量奖"
    )
    with pytest.raises(ValidationError) as superseded:
        announce_results(notice=notice, by=world.official, now=AFTER_PERIOD)
    assert superseded.value.messages[0] == (
        "本届已有更新的批准结果（第 2 版），请对新版结果公示后再发布表彰决定。"
    )
    second = open_public_notice(
        snapshot=corrected, starts_on=dt.date(2026, 12, 9), by=world.official, now=AFTER_PERIOD
    )
    awards = announce_results(
        notice=second, by=world.official, now=clock.at(dt.date(2026, 12, 16), 10)
    )
    assert [(award.application, award.level) for award in awards] == [
        (world.nominee.application, "质量奖")
    ]


def test_announcing_creates_the_awards_of_the_proposed_list(world, notice):
    objection = objection_submitted_on(notice, 2)
    resolve_objection(
        objection=objection,
        outcome=ObjectionOutcome.PARTLY_UPHELD,
        resolution="部分属实，不影响评审结论。",
        by=world.official,
    )
    awards = announce_results(
        notice=notice, by=world.official, valid_until=dt.date(2029, 12, 31), now=AFTER_PERIOD
    )
    assert [
        (a.application, a.level, a.announced_at, a.valid_until, a.revoked_at)
        for a in Award.objects.order_by("pk")
    ] == [
        (world.winner.application, "质量奖", AFTER_PERIOD, dt.date(2029, 12, 31), None),
        (world.nominee.application, "提名奖", AFTER_PERIOD, dt.date(2029, 12, 31), None),
    ]
    assert [award.pk for award in awards] == list(
        Award.objects.order_by("pk").values_list("pk", flat=True)
    )
    notice.refresh_from_db()
    world.cycle.refresh_from_db()
    assert notice.announced_at == AFTER_PERIOD
    assert world.cycle.status == CycleStatus.ANNOUNCED
    entry = AuditEntry.objects.get(action="announce_results")
    assert entry.details["awards"] == [award.pk for award in awards]

    with pytest.raises(ValidationError) as again:
        announce_results(notice=notice, by=world.official, now=AFTER_PERIOD)
    assert again.value.messages == ["本次公示的名单已于 2026-12-08 发布表彰决定，不能重复发布。"]
    assert Award.objects.count() == 2
    with pytest.raises(ValidationError) as late_change:
        resolve_objection(
            objection=objection,
            outcome=ObjectionOutcome.UPHELD,
            resolution="改判。",
            by=world.official,
        )
    assert late_change.value.messages == ["本届已发布表彰决定，异议的处理结论不能再更改。"]


# --- revocation ----------------------------------------------------------------------------------


@pytest.fixture
def award(world, notice):
    return announce_results(notice=notice, by=world.official, now=AFTER_PERIOD)[0]


def test_revoking_needs_a_reason(world, award):
    with pytest.raises(ValidationError) as refused:
        revoke_award(award=award, reason=" ", by=world.official)
    assert refused.value.message_dict == {"reason": ["请填写撤销理由。"]}
    award.refresh_from_db()
    assert (award.revoked_at, award.revocation_reason) == (None, "")


def test_revoking_records_date_reason_and_official(world, award):
    now = clock.at(dt.date(2027, 7, 1), 10)
    revoke_award(award=award, reason="获奖后发生重大质量事故。", by=world.official, now=now)
    award.refresh_from_db()
    assert (award.revoked_at, award.revocation_reason, award.revoked_by) == (
        now,
        "获奖后发生重大质量事故。",
        world.official,
    )
    assert AuditEntry.objects.get(action="revoke_award").details == {
        "reason": "获奖后发生重大质量事故。"
    }
    with pytest.raises(ValidationError) as again:
        revoke_award(award=award, reason="再次撤销。", by=world.official)
    assert again.value.messages == ["该奖项已于 2027-07-01 撤销，不能重复撤销。"]
