"""Read helpers of the defence stage: a panel's rounds, an applicant's, and the site issues."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application
from awards.permissions.rules import is_applicant, scope_to_authority
from scoring.enums import StageKind
from scoring.review.models import AnswerFile, Consensus, DefenceQuestion, Panel, QuestionRound


def _rounds(queryset: QuerySet[QuestionRound]) -> QuerySet[QuestionRound]:
    return (
        queryset.select_related("sent_by")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=DefenceQuestion.objects.select_related("author", "answered_by")
                .prefetch_related(Prefetch("files", queryset=AnswerFile.objects.order_by("pk")))
                .order_by("created_at", "pk"),
            )
        )
        .order_by("number")
    )


def panel_rounds(panel: Panel) -> list[QuestionRound]:
    """Every round of the panel, the open one included (for the panel and officials)."""
    return list(_rounds(QuestionRound.objects.filter(panel=panel)))


def own_application(user, pk: int) -> Application | None:
    """The applicant's own application, or None (the caller answers 404)."""
    if not is_applicant(user):
        return None
    return (
        Application.objects.filter(pk=pk, organization_id=user.organization_id)
        .select_related("cycle__programme", "organization", "candidate")
        .first()
    )


def applicant_rounds(application: Application) -> list[QuestionRound]:
    """The rounds sent to the applicant, in every defence panel of the application."""
    return list(
        _rounds(
            QuestionRound.objects.filter(
                panel__application=application,
                panel__stage__kind=StageKind.DEFENCE,
                sent_at__isnull=False,
            )
        ).order_by("panel__stage__order", "number")
    )


@dataclass(frozen=True, slots=True)
class DefenceSummary:
    rounds: int
    open_questions: int
    next_deadline: object


def defence_summary(application: Application) -> DefenceSummary | None:
    """What the application page says about questions sent to the applicant; None when none."""
    rounds = list(
        QuestionRound.objects.filter(
            panel__application=application, sent_at__isnull=False
        ).values_list("pk", "answer_deadline")
    )
    if not rounds:
        return None
    now = timezone.now()
    open_rounds = [pk for pk, deadline in rounds if deadline is not None and deadline >= now]
    open_questions = DefenceQuestion.objects.filter(
        round_id__in=open_rounds, answered_at__isnull=True
    ).count()
    deadlines = [deadline for _pk, deadline in rounds if deadline is not None and deadline >= now]
    return DefenceSummary(len(rounds), open_questions, min(deadlines) if deadlines else None)


def site_issues_for(panel: Panel) -> list[str]:
    """For an on-site panel: the issues the document-stage consensus asked to verify."""
    if panel.stage.kind != StageKind.ONSITE:
        return []
    text = (
        Consensus.objects.filter(
            panel__application_id=panel.application_id,
            panel__stage__cycle_id=panel.stage.cycle_id,
            panel__stage__kind=StageKind.DOCUMENT,
        )
        .values_list("site_issues", flat=True)
        .first()
    )
    return split_issues(text or "")


def split_issues(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def answer_file_for_panel(panel: Panel, pk: int) -> AnswerFile | None:
    return AnswerFile.objects.filter(pk=pk, question__round__panel=panel).first()


def answer_file_for_application(application: Application, pk: int) -> AnswerFile | None:
    return AnswerFile.objects.filter(
        pk=pk,
        question__round__panel__application=application,
        question__round__sent_at__isnull=False,
    ).first()


@dataclass(frozen=True, slots=True)
class OpenQuestions:
    application_id: int
    cycle: str
    count: int
    deadline: object


def open_questions_for(user) -> list[OpenQuestions]:
    """For the applicant's dashboard, in one query: per application, the unanswered questions of
    rounds still open for written answers, and the nearest deadline."""
    if not is_applicant(user):
        return []
    rows = (
        DefenceQuestion.objects.filter(
            round__panel__application__organization_id=user.organization_id,
            round__sent_at__isnull=False,
            round__answer_deadline__gte=timezone.now(),
            answered_at__isnull=True,
        )
        .values(
            "round__panel__application_id",
            "round__panel__application__cycle__programme__name",
            "round__panel__application__cycle__edition",
            "round__panel__application__cycle__year",
        )
        .annotate(count=Count("pk"), deadline=Min("round__answer_deadline"))
        .order_by("deadline", "round__panel__application_id")
    )
    return [
        OpenQuestions(
            row["round__panel__application_id"],
            _("第%(edition)s届%(programme)s（%(year)s）")
            % {
                "edition": row["round__panel__application__cycle__edition"],
                "programme": row["round__panel__application__cycle__programme__name"],
                "year": row["round__panel__application__cycle__year"],
            },
            row["count"],
            row["deadline"],
        )
        for row in rows
    ]


def answer_files_for(user) -> QuerySet[AnswerFile]:
    """Answer files of the official's authority (officials' downloads)."""
    return scope_to_authority(
        AnswerFile.objects.all(), user, "question__round__panel__stage__cycle__programme__authority"
    )


def stage_defence_rows(stage) -> list[Panel]:
    """Every panel of a defence stage with its round and question counts, in two queries."""
    return list(
        Panel.objects.filter(stage=stage)
        .select_related("application__organization", "application__candidate", "leader")
        .annotate(
            rounds_sent=Count(
                "question_rounds", filter=Q(question_rounds__sent_at__isnull=False), distinct=True
            ),
            questions=Count("question_rounds__questions", distinct=True),
            answered=Count(
                "question_rounds__questions",
                filter=Q(question_rounds__questions__answered_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("application_id")
    )
