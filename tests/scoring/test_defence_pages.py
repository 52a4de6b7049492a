"""The defence stage's pages: the panel's, the applicant's and the officials'."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.enums import StageKind
from scoring.review.models import AnswerFile, Consensus, DefenceQuestion, QuestionRound
from scoring.review.services.defence import answer_question, ask_question, send_questions
from tests import clock
from tests.factories import ApplicantFactory, OfficialFactory, pdf_bytes
from tests.outbox import delivered
from tests.scoring.factories import OpenReviewStageFactory, review_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    stage = OpenReviewStageFactory(kind=StageKind.DEFENCE, order=2)
    leader, member, _third = review_panel(stage=stage)
    panel = leader.panel
    panel.refresh_from_db()
    return {
        "stage": stage,
        "panel": panel,
        "leader": leader.reviewer,
        "member": member.reviewer,
        "member_assignment": member,
        "applicant": panel.application.created_by,
        "official": OfficialFactory(authority=stage.cycle.programme.authority),
    }


def local(moment) -> str:
    return f"{moment.astimezone(clock.SHANGHAI):%Y-%m-%dT%H:%M}"


def in_days(days: int) -> dt.datetime:
    """Noon Beijing time ``days`` days from today: the same moment however long a test runs."""
    return clock.at(clock.days_from_today(days), 12)


def send_round(world, *texts, days=7) -> QuestionRound:
    for text in texts:
        ask_question(panel=world["panel"], text=text, by=world["member"])
    round = QuestionRound.objects.get(panel=world["panel"], sent_at__isnull=True)
    return send_questions(round=round, answer_deadline=in_days(days), by=world["leader"])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- the panel's page ----------------------------------------------------------------------


def test_panel_members_ask_and_the_leader_sends(client, world):
    panel = world["panel"]
    client.force_login(world["member"])
    url = f"/review/panels/{panel.pk}/defence/"
    empty = client.post(url + "questions/", {"text": "  "})
    assert (empty.status_code, empty.context["question_form"].errors) == (
        200,
        {"text": ["请填写问题。"]},
    )
    response = client.post(url + "questions/", {"text": "请说明能耗数据的来源。"}, follow=True)
    assert messages_of(response) == ["问题已加入待发出的问询。"]
    page = response.content.decode()
    assert "请说明能耗数据的来源。" in page
    assert "尚未发出：申报单位还看不到这些问题。" in page
    assert "data-send-form" not in page
    assert client.post(url + "send/", {"answer_deadline": local(in_days(5))}).status_code == 404

    client.force_login(world["leader"])
    assert "data-send-form" in client.get(url).content.decode()
    late = client.post(url + "send/", {"answer_deadline": local(in_days(-1))})
    assert late.context["send_form"].errors == {"answer_deadline": ["答复截止时间必须晚于现在。"]}
    with delivered():
        response = client.post(url + "send/", {"answer_deadline": local(in_days(5))}, follow=True)
    assert messages_of(response) == ["问题已发给申报单位。"]
    round = QuestionRound.objects.get()
    assert (round.answer_deadline, round.sent_by, len(mail.outbox)) == (
        in_days(5),
        world["leader"],
        1,
    )


def test_the_panel_reads_answers_and_files_and_goes_on_to_score(client, world):
    round = send_round(world, "问题一")
    question = round.questions.get()
    answer_question(
        question=question,
        text="答复正文",
        files=[SimpleUploadedFile("证明.pdf", pdf_bytes())],
        by=world["applicant"],
    )
    client.force_login(world["member"])
    page = client.get(f"/review/panels/{world['panel'].pk}/defence/").content.decode()
    answer_file = AnswerFile.objects.get()
    file_url = f"/review/panels/{world['panel'].pk}/defence/files/{answer_file.pk}/"
    assert "答复正文" in page
    assert file_url in page
    assert f'href="/review/assignments/{world["member_assignment"].pk}/"' in page
    download = client.get(file_url)
    assert (
        download.status_code,
        b"".join(download.streaming_content),
        download["Cache-Control"],
    ) == (
        200,
        pdf_bytes(),
        "private, no-store, max-age=0, no-cache, must-revalidate",
    )
    # The scorecard of the defence stage links back here.
    sheet = client.get(f"/review/assignments/{world['member_assignment'].pk}/sheet/")
    assert f'href="/review/panels/{world["panel"].pk}/defence/"' in sheet.content.decode()


def test_a_document_panel_has_no_defence_page(client, world):
    document = OpenReviewStageFactory(cycle=world["stage"].cycle, kind=StageKind.DOCUMENT, order=1)
    leader = review_panel(stage=document)[0]
    client.force_login(leader.reviewer)
    assert client.get(f"/review/panels/{leader.panel_id}/defence/").status_code == 404


# --- the applicant's page ------------------------------------------------------------------


def test_the_applicant_sees_sent_questions_only_and_answers_with_a_file(client, world):
    round = send_round(world, "已发出的问题")
    ask_question(panel=world["panel"], text="草稿问题", by=world["member"])
    application = world["panel"].application
    question = round.questions.get()
    client.force_login(world["applicant"])
    url = f"/portal/applications/{application.pk}/defence/"
    page = client.get(url).content.decode()
    assert "已发出的问题" in page
    assert "草稿问题" not in page
    assert world["member"].get_full_name() not in page
    response = client.post(
        f"{url}questions/{question.pk}/answer/",
        {
            f"q{question.pk}-text": "我们按季度测量。",
            f"q{question.pk}-files": [SimpleUploadedFile("季度报告.pdf", pdf_bytes())],
        },
        follow=True,
    )
    assert messages_of(response) == ["答复已提交，评审组将收到通知。"]
    answer_file = AnswerFile.objects.get()
    file_url = f"{url}files/{answer_file.pk}/"
    assert file_url in response.content.decode()
    assert b"".join(client.get(file_url).streaming_content) == pdf_bytes()
    # The official reads it too.
    client.force_login(world["official"])
    official = client.get(f"/admin/review/defence-files/{answer_file.pk}/")
    assert b"".join(official.streaming_content) == pdf_bytes()


def test_a_bad_file_is_shown_on_the_answer_form(client, world):
    question = send_round(world, "问题").questions.get()
    client.force_login(world["applicant"])
    response = client.post(
        f"/portal/applications/{world['panel'].application_id}/defence/questions/{question.pk}/answer/",
        {
            f"q{question.pk}-text": "答复",
            f"q{question.pk}-files": [SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")],
        },
    )
    form = response.context["answer_forms"][question.pk]
    assert (response.status_code, list(form.errors)) == (200, ["files"])
    question.refresh_from_db()
    assert (question.answer, AnswerFile.objects.count()) == ("", 0)


def test_answering_after_the_deadline_is_refused_with_a_message(client, world):
    round = send_round(world, "问题", days=1)
    question = round.questions.get()
    url = f"/portal/applications/{world['panel'].application_id}/defence/"
    with time_machine.travel(round.answer_deadline + dt.timedelta(hours=1), tick=False):
        # Signed in at that moment: a session idle since the round was sent would have ended.
        client.force_login(world["applicant"])
        page = client.get(url).content.decode()
        response = client.post(
            f"{url}questions/{question.pk}/answer/", {f"q{question.pk}-text": "迟到"}, follow=True
        )
    deadline = f"{round.answer_deadline.astimezone(clock.SHANGHAI):%Y-%m-%d %H:%M}"
    refusal = f"本轮问询的答复截止时间（{deadline}）已过，不能再答复。"
    assert "data-answer-form" not in page
    assert refusal in page
    assert messages_of(response) == [refusal]
    question.refresh_from_db()
    assert question.answer == ""


def test_another_applicants_application_is_hidden(client, world):
    question = send_round(world, "问题").questions.get()
    application = world["panel"].application
    client.force_login(ApplicantFactory())
    url = f"/portal/applications/{application.pk}/defence/"
    assert client.get(url).status_code == 404
    posted = client.post(f"{url}questions/{question.pk}/answer/", {f"q{question.pk}-text": "x"})
    assert posted.status_code == 404
    assert DefenceQuestion.objects.get().answer == ""


def test_application_page_and_dashboard_point_to_open_questions(client, world):
    round = send_round(world, "问题一", "问题二")
    application = world["panel"].application
    client.force_login(world["applicant"])
    deadline = f"{round.answer_deadline.astimezone(clock.SHANGHAI):%Y-%m-%d %H:%M}"
    detail = client.get(f"/portal/applications/{application.pk}/").content.decode()
    assert "评审组已向本单位发出 1 轮问询。" in detail
    assert f"2 个问题待答复，截止时间 {deadline}（北京时间）。" in detail
    assert f'href="/portal/applications/{application.pk}/defence/"' in detail
    dashboard = client.get("/portal/").content.decode()
    assert f"评审组的 2 个问询问题待答复，截止时间 {deadline}（北京时间）。" in dashboard
    assert f'href="/portal/applications/{application.pk}/defence/"' in dashboard


def test_a_hearing_is_shown_to_the_applicant_without_an_answer_form(client, world):
    ask_question(panel=world["panel"], text="问题", by=world["member"])
    send_questions(
        round=QuestionRound.objects.get(),
        hearing_at=in_days(3),
        hearing_place="质强办 301 会议室",
        by=world["official"],
    )
    client.force_login(world["applicant"])
    page = client.get(f"/portal/applications/{world['panel'].application_id}/defence/")
    text = page.content.decode()
    when = f"{in_days(3).astimezone(clock.SHANGHAI):%Y-%m-%d %H:%M}"
    assert f"现场答辩：{when}（北京时间），地点：质强办 301 会议室。" in text
    assert "data-answer-form" not in text


# --- the officials' pages ------------------------------------------------------------------


def test_an_official_asks_and_sends_a_hearing(client, world):
    client.force_login(world["official"])
    url = f"/admin/review/panels/{world['panel'].pk}/defence/"
    response = client.post(url, {"action": "ask", "text": "请介绍质量损失率的统计口径。"})
    assert (response.status_code, response["Location"]) == (302, url)
    bad = client.post(url, {"action": "send", "hearing_at": local(in_days(2))})
    assert bad.context["send_form"].errors == {"hearing_place": ["请填写答辩地点。"]}
    response = client.post(
        url, {"action": "send", "hearing_at": local(in_days(2)), "hearing_place": "301 会议室"}
    )
    assert response.status_code == 302
    round = QuestionRound.objects.get()
    assert (round.hearing_at, round.hearing_place, round.sent_by) == (
        in_days(2),
        "301 会议室",
        world["official"],
    )


def stage_page_queries(client, official, stage) -> int:
    client.force_login(official)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/admin/review/stages/{stage.pk}/defence/")
    assert response.status_code == 200
    return len(queries)


def test_stage_listing_query_count_is_the_same_for_one_and_five_panels(client):
    counts = []
    for size in (1, 5):
        stage = OpenReviewStageFactory(kind=StageKind.DEFENCE)
        for _ in range(size):
            panel = review_panel(stage=stage, members=1)[0].panel
            ask_question(panel=panel, text="问题", by=panel.leader)
        official = OfficialFactory(authority=stage.cycle.programme.authority)
        counts.append(stage_page_queries(client, official, stage))
    assert counts[0] == counts[1]


def test_stage_listing_counts_rounds_and_answers(client, world):
    round = send_round(world, "问题一", "问题二")
    answer_question(question=round.questions.first(), text="答复", by=world["applicant"])
    ask_question(panel=world["panel"], text="追问", by=world["member"])
    client.force_login(world["official"])
    response = client.get(f"/admin/review/stages/{world['stage'].pk}/defence/")
    (row,) = response.context["panels"]
    assert (row.rounds_sent, row.questions, row.answered) == (1, 3, 1)


# --- site issues ---------------------------------------------------------------------------


def test_the_document_leader_lists_issues_and_the_onsite_team_sees_them(client, world):
    cycle = world["stage"].cycle
    application = world["panel"].application
    document = OpenReviewStageFactory(cycle=cycle, kind=StageKind.DOCUMENT, order=1)
    onsite = OpenReviewStageFactory(cycle=cycle, kind=StageKind.ONSITE, order=3)
    doc_leader = review_panel(stage=document, application=application)[0]
    onsite_member = review_panel(stage=onsite, application=application)[1]
    Consensus.objects.create(panel=doc_leader.panel)
    client.force_login(doc_leader.reviewer)
    url = f"/review/panels/{doc_leader.panel_id}/consensus/site-issues/"
    response = client.post(url, {"site_issues": "核实能耗数据\n查看投诉台账"}, follow=True)
    assert messages_of(response) == ["现场待核实问题已保存。"]
    assert Consensus.objects.get().site_issues == "核实能耗数据\n查看投诉台账"
    client.force_login(onsite_member.reviewer)
    page = client.get(f"/review/assignments/{onsite_member.pk}/sheet/").content.decode()
    assert "资料评审共识提出的现场待核实问题" in page
    assert "<li>核实能耗数据</li><li>查看投诉台账</li>" in page
    # A member who does not lead the document panel cannot change them.
    other = doc_leader.panel.assignments.exclude(pk=doc_leader.pk).first()
    client.force_login(other.reviewer)
    assert client.post(url, {"site_issues": "x"}).status_code == 404
