"""Defence-stage rows for the permission tables: a sent round with an answered question and an
answer file, on a defence panel that mirrors a given panel's members (same cycle and
application, same reviewers and statuses), or on an application of a given applicant."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from scoring.enums import StageKind
from scoring.review.models import AnswerFile, Assignment, DefenceQuestion, Panel, QuestionRound
from tests import clock
from tests.factories import CycleFactory, pdf_bytes
from tests.scoring.factories import EligibleApplicationFactory, OpenReviewStageFactory


def defence_stage_of(cycle):
    return OpenReviewStageFactory(cycle=cycle, kind=StageKind.DEFENCE, order=9, weight="0")


def sent_round(panel: Panel, *, author, answered_by) -> tuple[DefenceQuestion, AnswerFile]:
    """A round sent yesterday, open for a week, with one answered question and its file."""
    round = QuestionRound.objects.create(
        panel=panel,
        number=1,
        answer_deadline=clock.now() + dt.timedelta(days=7),
        sent_at=clock.now() - dt.timedelta(days=1),
        sent_by=author,
    )
    question = DefenceQuestion.objects.create(
        round=round,
        author=author,
        text="请说明顾客满意度测量方法。",
        answer="见附件。",
        answered_at=clock.now(),
        answered_by=answered_by,
    )
    answer_file = AnswerFile(
        question=question,
        original_name="满意度.pdf",
        size=len(pdf_bytes()),
        content_type="application/pdf",
        uploaded_by=answered_by,
    )
    answer_file.file.save("满意度.pdf", ContentFile(pdf_bytes()), save=True)
    return question, answer_file


def mirrored_defence_panel(panel_pk: int) -> dict:
    """The reviewer rows: a defence panel with the members of panel ``panel_pk``."""
    panel = Panel.objects.select_related("stage__cycle", "application").get(pk=panel_pk)
    stage = defence_stage_of(panel.stage.cycle)
    defence = Panel.objects.create(stage=stage, application=panel.application, leader=panel.leader)
    for assignment in Assignment.objects.filter(panel=panel).order_by("pk"):
        Assignment.objects.create(
            panel=defence, reviewer=assignment.reviewer, status=assignment.status
        )
    applicant = panel.application.created_by
    _question, answer_file = sent_round(defence, author=panel.leader, answered_by=applicant)
    return {"defence_stage": stage.pk, "defence_panel": defence.pk, "defence_file": answer_file.pk}


def applicant_defence(programme, applicant, author) -> dict:
    """The applicant rows: the applicant's own application questioned in a defence stage."""
    cycle = CycleFactory(programme=programme)
    stage = defence_stage_of(cycle)
    application = EligibleApplicationFactory(
        cycle=cycle, organization=applicant.organization, created_by=applicant
    )
    panel = Panel.objects.create(stage=stage, application=application)
    question, answer_file = sent_round(panel, author=author, answered_by=applicant)
    return {
        "defence_application": application.pk,
        "defence_question": question.pk,
        "defence_answer_file": answer_file.pk,
    }
