"""A finished earlier cycle for each demo award, run from application to announcement and
beyond (certificates, one revocation) through the same services the portal's pages call.

One builder, :func:`build_finished_cycle`, runs every award's cycle from the data in
:data:`FINISHED`: the edition two before the open one, about 400 days ago. 江西 really holds a
defence (问询答辩) after document review, so its stages are document review (weight 0.3) →
defence (0.7), with one question answered in writing and one at a hearing; 天门 and 宜昌 review
documents, then on site. The panels score and confirm their consensus, the document panel of the
first applicant lists the issues to check on site, one official computes the results, the
committee meets and votes, a second official approves the snapshot (four-eyes rule) and the
results pages of the notice and the winners. During the notice a citizen objects to the first
winner with evidence; the official finds the objection unfounded, announces, issues the
certificates and, half a year later, revokes the second winner's award. The feedback reports of
every reviewed applicant are then available (they are built on demand).

Every step runs at its own moment (``time_machine``): the services check their deadlines and
windows against "now" exactly as they would have then. Where the programme requires
recommendation (三峡), each applicant submits to its district, whose recommender recommends it
ten days later, before screening. A second call finds the cycle and does nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards.criteria_data import GB_T_19580_2012
from awards.demo import demo_pdf, submit_demo_application
from awards.demo_recommenders import recommend_demo_applications
from awards.enums import CycleStatus, ScreeningDecision
from awards.models import AwardProgramme, CriteriaFramework, Cycle
from awards.services.application_attachments import ensure_attachment_requirements
from awards.services.cycles import change_cycle_status
from awards.services.programmes import create_cycle
from awards.services.screening import screen_application
from home.demo_people import CASTS, AwardCast, enlist_reviewers, on, second_official, user
from home.results_workflow import create_notice_page, create_winners_page
from scoring.certificates.services.issuing import issue_certificates
from scoring.enums import StageKind
from scoring.publication.models import ObjectionOutcome
from scoring.publication.services.notices import (
    announce_results,
    confirmed_years,
    open_public_notice,
    resolve_objection,
    revoke_award,
    submit_objection,
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
from scoring.review.models import Panel, QuestionRound, ReviewStage
from scoring.review.services.assignment import assign_manually, set_leader
from scoring.review.services.consensus import ConsensusEntry, finalize_consensus
from scoring.review.services.defence import answer_question, ask_question, send_questions
from scoring.review.services.scorecards import ItemEntry, save_scores, submit_scorecard
from scoring.review.services.site_issues import save_site_issues
from scoring.review.services.stage_list import save_stages
from scoring.review.services.stages import apply_advancement, ensure_default_stages

#: Days before today the finished cycles start.
STARTED_DAYS_AGO = 400
MINUTES = "评审委员会听取了资料评审和{second}情况汇报，逐项审议拟表彰名单。\n出席委员一致同意。"


@dataclass(frozen=True)
class Objection:
    real_name: str
    contact: str
    text: str
    resolution: str


@dataclass(frozen=True)
class FinishedCycle:
    """What differs between the awards' finished cycles."""

    cast: AwardCast
    #: Applicant usernames → each reviewer's percentage per stage (document, second stage).
    applicants: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]]
    site_issues: str
    objection: Objection
    revocation: str
    #: Written question, its answer, the answer's file, the hearing's question and place;
    #: ``None`` for awards reviewed on site instead of by defence.
    defence: tuple[str, str, str, str, str] | None = None
    #: The cycle's award levels when they differ from the open cycle's.
    levels: tuple[tuple[str, int, int], ...] | None = None

    @property
    def edition(self) -> int:
        return self.cast.award.edition - 2


FINISHED = (
    FinishedCycle(
        cast=CASTS["luyu"],
        applicants={
            "tm_textile": ((70, 70, 75), (75, 75, 80)),
            "tm_build": ((60, 65, 65), (65, 60, 65)),
            "tm_logistics": ((50, 50, 55), (50, 55, 55)),
        },
        site_issues="核实纺织机械整机出厂检验记录。\n查看供应商质量评价的实施情况。",
        objection=Objection(
            real_name="何志强",
            contact="13907281234",
            text="天门纺织机械股份有限公司申报材料中的市场占有率数据与行业协会统计不一致。",
            resolution="经核查，申报数据取自企业年度统计报表并经审计，与协会统计口径不同，"
            "异议不成立。",
        ),
        revocation="获奖后发生较大质量安全事故，经调查属实，依照办法撤销其奖项。",
    ),
    FinishedCycle(
        cast=CASTS["sanxia"],
        applicants={
            "yc_chem": ((70, 75, 75), (75, 80, 80)),
            "yc_citrus": ((55, 60, 55), (55, 60, 60)),
            "yc_tourism": ((50, 55, 50), (55, 50, 55)),
        },
        site_issues="核实精细化工产品批次一致性检验数据。\n查看安全环保设施的运行记录。",
        objection=Objection(
            real_name="李文华",
            contact="13807171234",
            text="宜昌三峡精细化工股份有限公司近三年曾受到环保行政处罚，不符合申报条件。",
            resolution="经向生态环境部门核实，该处罚发生在申报期限之前四年，不在不得申报的情形之内，"
            "异议不成立。",
        ),
        revocation="获奖后被查实申报材料中的财务数据弄虚作假，依照办法撤销其奖项。",
    ),
    FinishedCycle(
        cast=CASTS["jinggang"],
        applicants={
            "jx_aviation": ((70, 75, 80), (75, 75, 80)),
            "jx_port": ((60, 65, 60), (60, 65, 65)),
            "jx_tourism": ((50, 50, 55), (50, 55, 55)),
        },
        site_issues="核实近三年一次交验合格率的统计口径。\n查看航空装备关键工序的过程控制记录。",
        objection=Objection(
            real_name="刘国平",
            contact="13607911234",
            text="江西洪都航空装备有限公司的顾客满意度数据来自企业自行调查，缺乏第三方佐证。",
            resolution="经核查，企业提交了第三方机构出具的顾客满意度测评报告，异议不成立。",
        ),
        revocation="获奖后发生重大安全生产事故，依照办法撤销其奖项。",
        defence=(
            "请说明一次交验合格率提升的主要措施及数据来源。",
            "推行关键工序防错和首件检验，合格率由 98.2% 提高到 99.6%，数据取自质量月报。",
            "合格率统计.pdf",
            "请现场演示质量追溯系统并说明数据保存期限。",
            "省市场监管局 3 楼会议室",
        ),
        levels=(("井冈质量奖", 600, 1), ("井冈质量奖提名奖", 550, 2)),
    ),
)


def _score(panel: Panel, percents, note: str) -> None:
    """Every member scores every item at their percentage and submits; the leader confirms the
    consensus at the rounded mean."""
    items = list(panel.stage.cycle.framework_for(panel.application.track).items.all())
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


def build_demo_history() -> list[Cycle]:
    """Every award's finished cycle that is not there yet."""
    built = [build_finished_cycle(spec) for spec in FINISHED]
    return [cycle for cycle in built if cycle is not None]


def build_finished_cycle(spec: FinishedCycle) -> Cycle | None:
    slug = spec.cast.slug
    programme = AwardProgramme.objects.filter(slug=slug).select_related("authority").first()
    if (
        programme is None
        or Cycle.objects.filter(programme=programme, edition=spec.edition).exists()
    ):
        return None
    award = spec.cast.award
    official = user(spec.cast.official)
    approver = second_official(spec.cast, programme.authority)
    framework = CriteriaFramework.objects.get(
        code=GB_T_19580_2012.code, version=GB_T_19580_2012.version, authority=None
    )
    local = timezone.get_default_timezone()
    start = timezone.localdate() - dt.timedelta(days=STARTED_DAYS_AGO)

    def day(n: int) -> dt.date:
        return start + dt.timedelta(days=n)

    def moment(n: int, hour: int) -> dt.datetime:
        return dt.datetime.combine(day(n), dt.time(hour), tzinfo=local)

    with on(day(0)):
        cycle = create_cycle(
            programme=programme,
            edition=spec.edition,
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
            levels=spec.levels or award.levels,
            by=official,
            **award.rules,
        )
        ensure_attachment_requirements(cycle=cycle, by=official)
    with on(day(1)):
        cycle = change_cycle_status(cycle=cycle, to=CycleStatus.OPEN, by=official)
    with on(day(10)):
        applications = [submit_demo_application(cycle, name) for name in spec.applicants]
    with on(day(20)):
        recommend_demo_applications(applications)
    with on(day(31)):
        cycle = change_cycle_status(cycle=cycle, to=CycleStatus.SCREENING, by=official)
        for application in applications:
            screen_application(
                application=application, decision=ScreeningDecision.PASS, reasons="", by=official
            )
    with on(day(40)):
        cycle = change_cycle_status(cycle=cycle, to=CycleStatus.REVIEW, by=official)
        document, second = ensure_default_stages(cycle=cycle, by=official)
        if spec.defence:
            _defence_stage(cycle, document, second, official, moment)
        else:
            save_stages(
                cycle=cycle,
                changes={document.pk: {"advance_min_total": Decimal(500)}},
                by=official,
            )
        reviewers = enlist_reviewers(spec.cast, cycle)
    second = ReviewStage.objects.filter(cycle=cycle).order_by("order").last()
    percents = list(spec.applicants.values())
    with on(day(42)):
        panels = _panels(document, applications, reviewers, official)
    with on(day(50)):
        for panel, (earlier, _later) in zip(panels, percents, strict=True):
            _score(panel, earlier, "方法系统，展开充分。")
        save_site_issues(panel=panels[0], text=spec.site_issues, by=panels[0].leader)
    with on(day(72)):
        document.refresh_from_db()
        apply_advancement(stage=document, by=official)
        panels = _panels(second, applications, reviewers, official)
    if spec.defence:
        _questions(spec, panels[0], moment, day)
    with on(day(80)):
        for panel, (_earlier, later) in zip(panels, percents, strict=True):
            _score(panel, later, "说明充分，数据翔实。")
    with on(day(102)):
        snapshot = _committee(spec, cycle, official, approver, reviewers, day(102))
    with on(day(103)):
        approve_snapshot(snapshot=snapshot, by=approver)
    with on(day(120), 9):
        notice = open_public_notice(
            snapshot=snapshot,
            starts_on=day(120),
            confirm_year=_holiday_year(day(120).year),
            by=official,
        )
        page = create_notice_page(notice=notice, by=official)
        page.current_workflow_task_state.approve(user=approver)
    _objection(spec, notice, applications[0], official, day)
    with on(day(140)):
        awards = announce_results(notice=notice, by=official, valid_until=day(140 + 3 * 365))
        notice.refresh_from_db()
        page = create_winners_page(notice=notice, by=official)
        page.current_workflow_task_state.approve(user=approver)
    with on(day(142)):
        issue_certificates(cycle=cycle, by=official)
    with on(day(320)):
        revoke_award(award=awards[-1], reason=spec.revocation, by=official)
    return cycle


def _committee(spec, cycle, official, approver, reviewers, held_on):
    committee = set_committee(
        cycle=cycle, members=[official, approver, *reviewers], chair=reviewers[0], by=official
    )
    snapshot = compute_cycle_results(cycle=cycle, by=official)
    present = list(committee.members.all())
    decision = record_committee_decision(
        snapshot=snapshot,
        held_on=held_on,
        present=present,
        votes={
            (entry.application_id, member.pk): Vote.APPROVE
            for entry in proposed_awards(snapshot)
            for member in present
        },
        rationales={q.key: "经评审委员会审议确定。" for q in open_questions(snapshot)},
        minutes=MINUTES.format(second="问询答辩" if spec.defence else "现场评审"),
        by=official,
    )
    render_minutes_pdf(decision=decision)
    return snapshot


def _objection(spec, notice, application, official, day) -> None:
    """A citizen objects to the first winner during the notice; the official finds it unfounded."""
    with on(day(121), 15):
        objection = submit_objection(
            notice=notice,
            real_name=spec.objection.real_name,
            contact=spec.objection.contact,
            text=spec.objection.text,
            evidence_file=SimpleUploadedFile("异议证明材料.pdf", demo_pdf("异议证明材料")),
            application=application,
        )
    with on(day(124)):
        resolve_objection(
            objection=objection,
            outcome=ObjectionOutcome.REJECTED,
            resolution=spec.objection.resolution,
            by=official,
        )


def _questions(spec, panel, moment, day) -> None:
    """The defence: a question answered in writing (with a file), then one for the hearing."""
    asked, answer, file_name, hearing_question, place = spec.defence
    leader = panel.leader
    with on(day(72)):
        ask_question(panel=panel, text=asked, by=leader)
        written = QuestionRound.objects.get(panel=panel, sent_at__isnull=True)
        written = send_questions(round=written, by=leader, answer_deadline=moment(76, 17))
    with on(day(74)):
        applicant = panel.application.organization.members.order_by("pk").first()
        answer_question(
            question=written.questions.get(),
            text=answer,
            files=[SimpleUploadedFile(file_name, demo_pdf(file_name))],
            by=applicant,
        )
        ask_question(panel=panel, text=hearing_question, by=leader)
        hearing = QuestionRound.objects.get(panel=panel, sent_at__isnull=True)
        send_questions(round=hearing, by=leader, hearing_at=moment(78, 9), hearing_place=place)


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
