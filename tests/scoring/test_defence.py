"""The defence stage's services: questions, sending a round, answers, notifications, site issues."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.models import AuditEntry
from scoring.enums import StageKind
from scoring.review.models import AnswerFile, Consensus, DefenceQuestion, QuestionRound
from scoring.review.queries.defence import (
    defence_summary,
    open_questions_for,
    site_issues_for,
)
from scoring.review.services.defence import (
    answer_question,
    answering_refusal,
    ask_question,
    send_questions,
)
from scoring.review.services.site_issues import save_site_issues
from tests import clock
from tests.factories import ApplicantFactory, OfficialFactory, ReviewerFactory, pdf_bytes
from tests.outbox import delivered
from tests.scoring.factories import OpenReviewStageFactory, review_panel

pytestmark = pytest.mark.django_db

REFUSAL = "只有本授奖机关的工作人员可以执行此操作。"


@pytest.fixture
def panel_world():
    stage = OpenReviewStageFactory(kind=StageKind.DEFENCE, order=2)
    leader, member, _third = review_panel(stage=stage)
    panel = leader.panel
    panel.refresh_from_db()
    applicant = panel.application.created_by
    return {
        "stage": stage,
        "panel": panel,
        "leader": leader.reviewer,
        "member": member.reviewer,
        "applicant": applicant,
        "official": OfficialFactory(authority=stage.cycle.programme.authority),
    }


def in_days(days: int) -> dt.datetime:
    """Noon Beijing time ``days`` days from today: the same moment however long a test runs."""
    return clock.at(clock.days_from_today(days), 12)


def sent(world, *texts, days: int = 7) -> QuestionRound:
    for text in texts or ("请说明顾客满意度的测量方法。",):
        ask_question(panel=world["panel"], text=text, by=world["member"])
    round = QuestionRound.objects.get(panel=world["panel"], sent_at__isnull=True)
    with delivered():
        return send_questions(round=round, answer_deadline=in_days(days), by=world["leader"])


def pdf(name: str = "证明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


# --- questions -----------------------------------------------------------------------------


def test_members_and_officials_add_questions_to_the_open_round(panel_world):
    world = panel_world
    first = ask_question(panel=world["panel"], text="  问题一  ", by=world["member"])
    second = ask_question(panel=world["panel"], text="问题二", by=world["official"])
    assert [(q.round.number, q.round.is_sent, q.text, q.author) for q in (first, second)] == [
        (1, False, "问题一", world["member"]),
        (1, False, "问题二", world["official"]),
    ]
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "details")) == [
        ("add_defence_question", {"round": 1, "question": first.pk}),
        ("add_defence_question", {"round": 1, "question": second.pk}),
    ]


def test_a_reviewer_outside_the_panel_and_another_official_are_refused(panel_world):
    world = panel_world
    outsiders = (
        ReviewerFactory(authority=world["stage"].cycle.programme.authority),
        OfficialFactory(),
    )
    for outsider in outsiders:
        with pytest.raises(PermissionDenied) as refused:
            ask_question(panel=world["panel"], text="问题", by=outsider)
        assert str(refused.value) == REFUSAL
    assert DefenceQuestion.objects.count() == 0


def test_questions_only_in_a_defence_stage_and_never_empty(panel_world):
    world = panel_world
    with pytest.raises(ValidationError) as error:
        ask_question(panel=world["panel"], text="   ", by=world["member"])
    assert error.value.message_dict == {"text": ["请填写问题。"]}
    document = OpenReviewStageFactory(cycle=world["stage"].cycle, kind=StageKind.DOCUMENT, order=1)
    other = review_panel(stage=document)[0]
    with pytest.raises(ValidationError) as error:
        ask_question(panel=other.panel, text="问题", by=other.reviewer)
    assert error.value.messages == ["只有问询答辩阶段的评审组可以向申报单位提问。"]
    assert DefenceQuestion.objects.count() == 0


# --- sending -------------------------------------------------------------------------------


def test_the_leader_sends_with_a_deadline_and_the_applicant_is_mailed(panel_world):
    world = panel_world
    round = sent(world, "问题一", "问题二")
    deadline = in_days(7)
    assert (round.is_sent, round.sent_by, round.is_hearing) == (True, world["leader"], False)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([world["applicant"].email], "【政府质量奖门户】问询答辩：评审组提出了问题")
    ]
    body = mail.outbox[0].body
    assert "提出了 2 个问题（第 1 轮）" in body
    assert f"请在 {timezone_text(deadline)} 前登录门户书面答复。" in body
    assert f"/portal/applications/{world['panel'].application_id}/defence/" in body
    entry = AuditEntry.objects.get(action="send_defence_questions")
    assert entry.details == {
        "round": 1,
        "questions": 2,
        "answer_deadline": timezone_text(round.answer_deadline),
        "hearing_at": None,
        "hearing_place": "",
    }
    # A new question opens round 2.
    assert ask_question(panel=world["panel"], text="追问", by=world["leader"]).round.number == 2


def timezone_text(moment):
    return f"{moment.astimezone(clock.SHANGHAI):%Y-%m-%d %H:%M}"


def test_a_hearing_instead_of_written_answers(panel_world):
    world = panel_world
    ask_question(panel=world["panel"], text="问题", by=world["member"])
    round = QuestionRound.objects.get()
    with delivered():
        send_questions(
            round=round,
            hearing_at=in_days(3),
            hearing_place=" 质强办 301 会议室 ",
            by=world["official"],
        )
    round.refresh_from_db()
    assert (round.answer_deadline, round.hearing_place, round.is_hearing) == (
        None,
        "质强办 301 会议室",
        True,
    )
    assert (
        f"请于 {timezone_text(in_days(3))} 到 质强办 301 会议室 参加答辩。" in mail.outbox[0].body
    )
    assert answering_refusal(round) == (
        f"本轮问询以现场答辩方式进行（{timezone_text(round.hearing_at)}，质强办 301 会议室），"
        "无需书面答复。"
    )


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({}, {"answer_deadline": ["请填写书面答复截止时间，或填写现场答辩的时间和地点。"]}),
        ({"answer_deadline": -1}, {"answer_deadline": ["答复截止时间必须晚于现在。"]}),
        ({"hearing_place": "会议室"}, {"hearing_at": ["请填写答辩时间。"]}),
        ({"hearing_at": 2}, {"hearing_place": ["请填写答辩地点。"]}),
        (
            {"answer_deadline": 2, "hearing_at": 2, "hearing_place": "会议室"},
            {"__all__": ["请填写书面答复截止时间，或改为填写现场答辩的时间和地点，二者只能选一。"]},
        ),
    ],
)
def test_sending_needs_exactly_one_way_to_answer(panel_world, values, errors):
    world = panel_world
    ask_question(panel=world["panel"], text="问题", by=world["member"])
    round = QuestionRound.objects.get()
    kwargs = {
        key: in_days(value) if isinstance(value, int) else value for key, value in values.items()
    }
    with pytest.raises(ValidationError) as error:
        send_questions(round=round, by=world["leader"], **kwargs)
    assert error.value.message_dict == errors
    round.refresh_from_db()
    assert (round.is_sent, len(mail.outbox)) == (False, 0)


def test_only_the_leader_or_an_official_sends_and_only_once(panel_world):
    world = panel_world
    ask_question(panel=world["panel"], text="问题", by=world["member"])
    round = QuestionRound.objects.get()
    with pytest.raises(PermissionDenied) as refused:
        send_questions(round=round, answer_deadline=in_days(7), by=world["member"])
    assert str(refused.value) == REFUSAL
    send_questions(round=round, answer_deadline=in_days(7), by=world["leader"])
    with pytest.raises(ValidationError) as error:
        send_questions(round=round, answer_deadline=in_days(7), by=world["leader"])
    assert error.value.messages == ["该轮问题已经发出。"]
    empty = QuestionRound.objects.create(panel=world["panel"], number=2)
    with pytest.raises(ValidationError) as error:
        send_questions(round=empty, answer_deadline=in_days(7), by=world["official"])
    assert error.value.messages == ["该轮还没有问题，不能发出。"]


# --- answers -------------------------------------------------------------------------------


def test_the_applicant_answers_with_a_file_and_the_panel_is_mailed(panel_world):
    world = panel_world
    round = sent(world)
    mail.outbox.clear()
    question = round.questions.get()
    with delivered():
        answered = answer_question(
            question=question, text=" 见附件。 ", files=[pdf("证明.pdf")], by=world["applicant"]
        )
    assert (answered.answer, answered.answered_by) == ("见附件。", world["applicant"])
    stored = AnswerFile.objects.get()
    assert (stored.original_name, stored.content_type, stored.size, stored.file.read()) == (
        "证明.pdf",
        "application/pdf",
        len(pdf_bytes()),
        pdf_bytes(),
    )
    members = sorted(
        a.reviewer.email for a in world["panel"].assignments.select_related("reviewer")
    )
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        (member, "【政府质量奖门户】问询答辩：申报单位已答复") for member in members
    ]
    assert f"/review/panels/{world['panel'].pk}/defence/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="answer_defence_question").get().details == {
        "round": 1,
        "question": question.pk,
        "files": ["证明.pdf"],
    }


def test_answering_after_the_deadline_is_refused(panel_world):
    world = panel_world
    round = sent(world, days=2)
    question = round.questions.get()
    late = time_machine.travel(round.answer_deadline + dt.timedelta(minutes=1), tick=False)
    with late, pytest.raises(ValidationError) as error:
        answer_question(question=question, text="迟到的答复", by=world["applicant"])
    assert error.value.messages == [
        f"本轮问询的答复截止时间（{timezone_text(round.answer_deadline)}）已过，不能再答复。"
    ]
    question.refresh_from_db()
    assert (question.answer, question.answered_at, AnswerFile.objects.count()) == ("", None, 0)


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_saved(panel_world):
    world = panel_world
    question = sent(world).questions.get()
    fake = SimpleUploadedFile("报告.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as error:
        answer_question(question=question, text="答复", files=[fake], by=world["applicant"])
    assert list(error.value.message_dict) == ["files"]
    assert "报告.pdf" in error.value.message_dict["files"][0]
    question.refresh_from_db()
    assert (question.answer, AnswerFile.objects.count()) == ("", 0)
    with pytest.raises(ValidationError) as error:
        answer_question(
            question=question, text="答复", files=[pdf() for _ in range(6)], by=world["applicant"]
        )
    assert error.value.message_dict == {"files": ["每个问题的答复最多附 5 个文件。"]}


def test_only_the_applicant_of_the_application_answers(panel_world):
    world = panel_world
    question = sent(world).questions.get()
    for stranger in (ApplicantFactory(), world["leader"], world["official"]):
        with pytest.raises(PermissionDenied) as refused:
            answer_question(question=question, text="答复", by=stranger)
        assert str(refused.value) == "只有申报单位可以答复问询。"
    unsent = ask_question(panel=world["panel"], text="草稿问题", by=world["member"])
    with pytest.raises(ValidationError) as error:
        answer_question(question=unsent, text="答复", by=world["applicant"])
    assert error.value.messages == ["该轮问题尚未发出。"]


def test_the_applicant_pages_summaries(panel_world):
    world = panel_world
    round = sent(world, "问题一", "问题二")
    ask_question(panel=world["panel"], text="草稿问题", by=world["member"])
    first = round.questions.order_by("pk").first()
    answer_question(question=first, text="答复", by=world["applicant"])
    application = world["panel"].application
    summary = defence_summary(application)
    assert (summary.rounds, summary.open_questions, summary.next_deadline) == (
        1,
        1,
        round.answer_deadline,
    )
    assert [
        (o.application_id, o.count, o.deadline) for o in open_questions_for(world["applicant"])
    ] == [(application.pk, 1, round.answer_deadline)]
    assert open_questions_for(ApplicantFactory()) == []
    assert open_questions_for(world["leader"]) == []


# --- site issues ---------------------------------------------------------------------------


def test_document_consensus_lists_site_issues_for_the_onsite_panel(panel_world):
    world = panel_world
    cycle = world["stage"].cycle
    application = world["panel"].application
    document = OpenReviewStageFactory(cycle=cycle, kind=StageKind.DOCUMENT, order=1)
    onsite = OpenReviewStageFactory(cycle=cycle, kind=StageKind.ONSITE, order=3)
    doc_leader = review_panel(stage=document, application=application)[0]
    doc_panel = doc_leader.panel
    doc_panel.refresh_from_db()
    onsite_panel = review_panel(stage=onsite, application=application)[0].panel
    with pytest.raises(ValidationError) as error:
        save_site_issues(panel=doc_panel, text="核实", by=doc_leader.reviewer)
    assert error.value.messages == ["请先保存评审组共识，再列出现场待核实问题。"]
    Consensus.objects.create(panel=doc_panel)
    save_site_issues(
        panel=doc_panel, text="核实能耗数据\n\n  查看客户投诉台账 \n", by=doc_leader.reviewer
    )
    assert site_issues_for(onsite_panel) == ["核实能耗数据", "查看客户投诉台账"]
    assert site_issues_for(world["panel"]) == []
    assert AuditEntry.objects.filter(action="save_site_issues").get().details == {
        "issues": ["核实能耗数据", "查看客户投诉台账"]
    }
    with pytest.raises(ValidationError) as error:
        save_site_issues(panel=onsite_panel, text="x", by=world["official"])
    assert error.value.messages == ["只有资料评审的共识可以列出现场待核实问题。"]
    member = doc_panel.assignments.exclude(reviewer=doc_leader.reviewer).first().reviewer
    with pytest.raises(PermissionDenied):
        save_site_issues(panel=doc_panel, text="x", by=member)
    with pytest.raises(ValidationError) as error:
        save_site_issues(panel=doc_panel, text="\n".join(["问题"] * 31), by=world["official"])
    assert error.value.message_dict == {"site_issues": ["现场待核实问题最多 30 条。"]}
