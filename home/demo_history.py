"""A finished earlier cycle for the demo: 第4届井冈质量奖, run last year from application to
announcement through the same services the portal's pages call.

江西 really holds a defence (问询答辩) after document review, so the cycle's stages are
document review (weight 0.3) → defence (0.7). The panels score and confirm their consensus, the
document panels list the issues to check, the defence panels ask questions (one answered in
writing, one at a hearing), one official computes the results, the committee meets and votes,
a second official approves the snapshot (four-eyes rule) and the results pages of the notice
and the winners, and the first official announces.

Every step runs at its own moment of last year (``time_machine``): the services check their
deadlines and windows against "now" exactly as they would have then. ``seed_demo`` calls
:func:`build_demo_history` after the page tree exists; a second call finds the cycle and does
nothing.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards.criteria_data import GB_T_19580_2012
from awards.demo import DEMO_PASSWORD, demo_pdf, submit_demo_application
from awards.enums import CycleStatus, Role, ScreeningDecision
from awards.models import AwardProgramme, CriteriaFramework, Cycle
from awards.services.application_attachments import ensure_attachment_requirements
from awards.services.cycles import change_cycle_status
from awards.services.people import create_staff_account
from awards.services.programmes import create_cycle
from awards.services.screening import screen_application
from home.results_workflow import create_notice_page, create_winners_page
from scoring.enums import StageKind
from scoring.publication.services.notices import (
    announce_results,
    confirmed_years,
    open_public_notice,
)
from scoring.publication.services.period import (
    YearCalendar,
    chinese_calendar_knows,
    fixed_date_holidays,
)
from scoring.results.models import Vote
from scoring.results.services.committee import (
    open_questions,
    proposed_awards,
    record_committee_decision,
    set_committee,
)
from scoring.results.services.computation import approve_snapshot, compute_cycle_results
from scoring.results.services.minutes import render_minutes_pdf
from scoring.review.models import Panel, QuestionRound, ReviewerProfile, ReviewStage
from scoring.review.services.assignment import assign_manually, set_leader
from scoring.review.services.commitments import accept_commitment, finish_declarations
from scoring.review.services.consensus import ConsensusEntry, finalize_consensus
from scoring.review.services.defence import answer_question, ask_question, send_questions
from scoring.review.services.scorecards import ItemEntry, save_scores, submit_scorecard
from scoring.review.services.site_issues import save_site_issues
from scoring.review.services.stage_list import save_stages
from scoring.review.services.stages import apply_advancement, ensure_default_stages

SLUG = "jinggang"
EDITION = 4
SECOND_OFFICIAL = ("jiangxi_official2", "万晓梅")
#: The applicants of the earlier cycle and each reviewer's percentage per stage (document, defence).
APPLICANTS = {
    "jx_aviation": ((70, 75, 80), (75, 75, 80)),
    "jx_port": ((60, 65, 60), (60, 65, 65)),
    "jx_tourism": ((50, 50, 55), (50, 55, 55)),
}
MINUTES = "评审委员会听取了资料评审和问询答辩情况汇报，逐项审议拟表彰名单。\n出席委员一致同意。"


@contextmanager
def _on(day: dt.date, hour: int = 10):
    """Run the block at ``hour`` o'clock (Beijing time) of ``day``, with the clock ticking."""
    import time_machine

    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())
    with time_machine.travel(moment, tick=True):
        yield


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _second_official(authority):
    username, full_name = SECOND_OFFICIAL
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = create_staff_account(
            role=Role.OFFICIAL,
            authority=authority,
            username=username,
            full_name=full_name,
            email=f"{username}@example.com",
            password=DEMO_PASSWORD,
            by=None,
        )
    return user


def _score(panel: Panel, percents, note: str) -> None:
    """Every member scores every item at their percentage and submits; the leader confirms the
    consensus at the rounded mean."""
    items = list(panel.stage.cycle.framework.items.all())
    assignments = list(panel.assignments.order_by("pk"))
    for assignment, percent in zip(assignments, percents, strict=True):
        entries = {
            i.code: ItemEntry(percent, f"{i.name}：{note}", "持续改进的证据不足。") for i in items
        }
        card = save_scores(
            assignment=assignment, expected_version=0, entries=entries, by=assignment.reviewer
        )
        submit_scorecard(scorecard=card, by=assignment.reviewer)
    mean = round(sum(percents) / len(percents))
    mean -= mean % 5
    finalize_consensus(
        panel=panel,
        expected_version=0,
        by=panel.leader,
        entries={
            i.code: ConsensusEntry(mean, "评审组合议确定。", f"{i.name}方面成效明显。", "")
            for i in items
        },
    )


def build_demo_history() -> Cycle | None:
    programme = AwardProgramme.objects.filter(slug=SLUG).select_related("authority").first()
    if programme is None or Cycle.objects.filter(programme=programme, edition=EDITION).exists():
        return None
    authority = programme.authority
    official = _user("jiangxi_official")
    approver = _second_official(authority)
    reviewers = [_user(f"jx_reviewer{n}") for n in (1, 2, 3)]
    framework = CriteriaFramework.objects.get(
        code=GB_T_19580_2012.code, version=GB_T_19580_2012.version, authority=None
    )
    local = timezone.get_default_timezone()
    start = timezone.localdate() - dt.timedelta(days=400)

    def day(n: int) -> dt.date:
        return start + dt.timedelta(days=n)

    def moment(n: int, hour: int) -> dt.datetime:
        return dt.datetime.combine(day(n), dt.time(hour), tzinfo=local)

    with _on(day(0)):
        cycle = create_cycle(
            programme=programme,
            edition=EDITION,
            year=day(0).year,
            framework=framework,
            timetable={
                "applications_open": day(1),
                "application_deadline": moment(30, 17),
                "screening_deadline": day(40),
                "document_review_deadline": day(70),
                "onsite_review_deadline": day(100),
                "notice_start": day(120),
                "announcement_date": day(140),
            },
            levels=(("井冈质量奖", 600, 1), ("井冈质量奖提名奖", 550, 2)),
            by=official,
            min_years_operating=5,
            min_years_certified=3,
            min_years_excellence_model=3,
        )
        ensure_attachment_requirements(cycle=cycle, by=official)
    with _on(day(1)):
        cycle = change_cycle_status(cycle=cycle, to=CycleStatus.OPEN, by=official)
    with _on(day(10)):
        applications = [submit_demo_application(cycle, username) for username in APPLICANTS]
    with _on(day(31)):
        cycle = change_cycle_status(cycle=cycle, to=CycleStatus.SCREENING, by=official)
        for application in applications:
            screen_application(
                application=application, decision=ScreeningDecision.PASS, reasons="", by=official
            )
    with _on(day(40)):
        cycle = change_cycle_status(cycle=cycle, to=CycleStatus.REVIEW, by=official)
        document, onsite = ensure_default_stages(cycle=cycle, by=official)
        _defence_stage(cycle, document, onsite, official, moment)
        for reviewer in reviewers:
            # The authority's pool of experts is kept in the admin (no service creates it).
            ReviewerProfile.objects.get_or_create(
                user=reviewer,
                defaults={"industries": ["C", "G", "R"], "region_code": "360100"},
            )
            accept_commitment(reviewer=reviewer, cycle=cycle)
            finish_declarations(reviewer=reviewer, cycle=cycle)
    defence = ReviewStage.objects.get(cycle=cycle, kind=StageKind.DEFENCE)
    with _on(day(42)):
        panels = _panels(document, applications, reviewers, official)
    with _on(day(50)):
        for panel, (_username, (percents, _later)) in zip(panels, APPLICANTS.items(), strict=True):
            _score(panel, percents, "方法系统，展开充分。")
        save_site_issues(
            panel=panels[0],
            text="核实近三年一次交验合格率的统计口径。\n查看航空装备关键工序的过程控制记录。",
            by=panels[0].leader,
        )
    with _on(day(72)):
        document.refresh_from_db()
        apply_advancement(stage=document, by=official)
        panels = _panels(defence, applications, reviewers, official)
        leader = panels[0].leader
        ask_question(
            panel=panels[0], text="请说明一次交验合格率提升的主要措施及数据来源。", by=leader
        )
        written = QuestionRound.objects.get(panel=panels[0], sent_at__isnull=True)
        written = send_questions(round=written, by=leader, answer_deadline=moment(76, 17))
    with _on(day(74)):
        applicant = _user("jx_aviation")
        question = written.questions.get()
        answer_question(
            question=question,
            text="推行关键工序防错和首件检验，合格率由 98.2% 提高到 99.6%，数据取自质量月报。",
            files=[SimpleUploadedFile("合格率统计.pdf", demo_pdf("合格率统计"))],
            by=applicant,
        )
        ask_question(panel=panels[0], text="请现场演示质量追溯系统并说明数据保存期限。", by=leader)
        hearing = QuestionRound.objects.get(panel=panels[0], sent_at__isnull=True)
        send_questions(
            round=hearing,
            by=leader,
            hearing_at=moment(78, 9),
            hearing_place="省市场监管局 3 楼会议室",
        )
    with _on(day(80)):
        for panel, (_username, (_earlier, percents)) in zip(
            panels, APPLICANTS.items(), strict=True
        ):
            _score(panel, percents, "答辩中说明充分，数据翔实。")
    with _on(day(102)):
        chair = reviewers[0]
        committee = set_committee(
            cycle=cycle, members=[official, approver, *reviewers], chair=chair, by=official
        )
        snapshot = compute_cycle_results(cycle=cycle, by=official)
        present = list(committee.members.all())
        decision = record_committee_decision(
            snapshot=snapshot,
            held_on=day(102),
            present=present,
            votes={
                (entry.application_id, member.pk): Vote.APPROVE
                for entry in proposed_awards(snapshot)
                for member in present
            },
            rationales={q.key: "经评审委员会审议确定。" for q in open_questions(snapshot)},
            minutes=MINUTES,
            by=official,
        )
        render_minutes_pdf(decision=decision)
    with _on(day(103)):
        approve_snapshot(snapshot=snapshot, by=approver)
    with _on(day(120), 9):
        notice = open_public_notice(
            snapshot=snapshot,
            starts_on=day(120),
            confirm_year=_holiday_year(day(120).year),
            by=official,
        )
        page = create_notice_page(notice=notice, by=official)
        page.current_workflow_task_state.approve(user=approver)
    with _on(day(140)):
        announce_results(notice=notice, by=official, valid_until=day(140 + 3 * 365))
        notice.refresh_from_db()
        page = create_winners_page(notice=notice, by=official)
        page.current_workflow_task_state.approve(user=approver)
    return cycle


def _holiday_year(year: int) -> YearCalendar | None:
    """A year chinesecalendar does not know yet (a demo run far ahead) is confirmed with its
    fixed-date holidays, as the official would on the notice form."""
    if chinese_calendar_knows(year) or year in confirmed_years():
        return None
    return YearCalendar(year=year, holidays=frozenset(fixed_date_holidays(year)))


def _defence_stage(cycle: Cycle, document, onsite, official, moment) -> None:
    """Replace on-site review by the defence (问询答辩) after document review; 500 points in
    document review advance to it."""
    save_stages(
        cycle=cycle,
        changes={document.pk: {"advance_min_total": Decimal(500)}},
        removed=[onsite.pk],
        added=[
            {
                "kind": StageKind.DEFENCE,
                "order": 2,
                "opens_at": moment(71, 0),
                "closes_at": moment(100, 23),
                "panel_size": 3,
                "weight": onsite.weight,
            }
        ],
        by=official,
    )


def _panels(stage, applications, reviewers, official) -> list[Panel]:
    panels = []
    for application in applications:
        for reviewer in reviewers:
            assign_manually(reviewer=reviewer, stage=stage, application=application, by=official)
        panel = Panel.objects.get(stage=stage, application=application)
        panels.append(set_leader(panel=panel, reviewer=reviewers[0], by=official))
    return panels
