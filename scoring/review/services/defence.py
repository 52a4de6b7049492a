"""The 问询答辩 (defence) stage: the panel's written questions and the applicant's answers.

Panel members write questions into the panel's open round; the group leader (or an official of
the authority) sends it with either a deadline for written answers or the date and place of a
hearing. The applicant answers each question in writing, with files checked by content
(``awards.uploads``) and kept in the private storage, until the deadline; later answers are
refused. The applicant is e-mailed when questions are sent and the panel when answers arrive.
Scoring afterwards is the ordinary scorecard of the stage.

Who may act: a reviewer acts as an active member (or the leader) of the panel; anyone else must
be an official of the authority (``require_authority``); the applicant answers only for their
own organization.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import User
from awards.models.private_files import private_storage
from awards.permissions.rules import is_applicant_of, is_reviewer, require_authority
from awards.services.audit import record
from awards.services.notifications.audiences import application_context, to_applicant, to_people
from awards.uploads import UploadRejected, inspect_upload
from scoring.enums import AssignmentStatus, StageKind
from scoring.review.models import AnswerFile, Assignment, DefenceQuestion, Panel, QuestionRound

QUESTION_MAX_LENGTH = 2000
ANSWER_MAX_LENGTH = 10000
MAX_FILES_PER_ANSWER = 5


def local_text(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def is_panel_member(panel: Panel, user) -> bool:
    return (
        is_reviewer(user)
        and Assignment.objects.filter(
            panel=panel, reviewer=user, status=AssignmentStatus.ACTIVE
        ).exists()
    )


def may_send(panel: Panel, user) -> bool:
    """The leader sends a round; officials use their own page."""
    return (
        panel.leader_id is not None and panel.leader_id == user.pk and is_panel_member(panel, user)
    )


def _require_member_or_authority(panel: Panel, by, *, leader: bool = False) -> None:
    allowed = may_send(panel, by) if leader else is_panel_member(panel, by)
    if not allowed:
        require_authority(by, panel.stage.cycle.programme.authority_id)


def _require_defence(panel: Panel) -> None:
    if panel.stage.kind != StageKind.DEFENCE:
        raise ValidationError(_("只有问询答辩阶段的评审组可以向申报单位提问。"))


@transaction.atomic
def ask_question(*, panel: Panel, text: str, by: User) -> DefenceQuestion:
    """Add a question to the panel's open (unsent) round, opening one when needed."""
    _require_member_or_authority(panel, by)
    _require_defence(panel)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写问题。")})
    if len(text) > QUESTION_MAX_LENGTH:
        raise ValidationError(
            {"text": _("问题不能超过 %(max)d 个字符。") % {"max": QUESTION_MAX_LENGTH}}
        )
    Panel.objects.select_for_update().filter(pk=panel.pk).first()
    current = QuestionRound.objects.filter(panel=panel, sent_at__isnull=True).first()
    if current is None:
        last = QuestionRound.objects.filter(panel=panel).aggregate(last=Max("number"))["last"]
        current = QuestionRound.objects.create(panel=panel, number=(last or 0) + 1)
    question = DefenceQuestion.objects.create(round=current, author=by, text=text)
    record(
        actor=by,
        action=AuditAction.ADD_DEFENCE_QUESTION,
        target=panel,
        round=current.number,
        question=question.pk,
    )
    return question


@transaction.atomic
def send_questions(
    *,
    round: QuestionRound,
    by: User,
    answer_deadline: dt.datetime | None = None,
    hearing_at: dt.datetime | None = None,
    hearing_place: str = "",
) -> QuestionRound:
    """Send the round to the applicant: written answers by ``answer_deadline``, or a hearing
    at ``hearing_at`` in ``hearing_place`` instead (exactly one of the two)."""
    panel = round.panel
    _require_member_or_authority(panel, by, leader=True)
    _require_defence(panel)
    locked = QuestionRound.objects.select_for_update().get(pk=round.pk)
    if locked.is_sent:
        raise ValidationError(_("该轮问题已经发出。"))
    if not locked.questions.exists():
        raise ValidationError(_("该轮还没有问题，不能发出。"))
    hearing_place = (hearing_place or "").strip()
    now = timezone.now()
    hearing = hearing_at is not None or bool(hearing_place)
    errors: dict[str, str] = {}
    if hearing and answer_deadline is not None:
        errors["__all__"] = _(
            "请填写书面答复截止时间，或改为填写现场答辩的时间和地点，二者只能选一。"
        )
    elif hearing:
        if hearing_at is None:
            errors["hearing_at"] = _("请填写答辩时间。")
        elif hearing_at <= now:
            errors["hearing_at"] = _("答辩时间必须晚于现在。")
        if not hearing_place:
            errors["hearing_place"] = _("请填写答辩地点。")
    elif answer_deadline is None:
        errors["answer_deadline"] = _("请填写书面答复截止时间，或填写现场答辩的时间和地点。")
    elif answer_deadline <= now:
        errors["answer_deadline"] = _("答复截止时间必须晚于现在。")
    if errors:
        raise ValidationError(errors)
    locked.answer_deadline = None if hearing else answer_deadline
    locked.hearing_at, locked.hearing_place = (hearing_at, hearing_place) if hearing else (None, "")
    locked.sent_at, locked.sent_by = now, by
    locked.save()
    record(
        actor=by,
        action=AuditAction.SEND_DEFENCE_QUESTIONS,
        target=panel,
        round=locked.number,
        questions=locked.questions.count(),
        answer_deadline=None if hearing else local_text(answer_deadline),
        hearing_at=local_text(hearing_at) if hearing else None,
        hearing_place=hearing_place,
    )
    _mail_applicant(locked)
    return locked


def answering_refusal(round: QuestionRound, now: dt.datetime | None = None) -> str | None:
    """Why the applicant cannot answer this round now, or None when they can."""
    if not round.is_sent:
        return _("该轮问题尚未发出。")
    if round.is_hearing:
        return _("本轮问询以现场答辩方式进行（%(when)s，%(place)s），无需书面答复。") % {
            "when": local_text(round.hearing_at),
            "place": round.hearing_place,
        }
    if (now or timezone.now()) > round.answer_deadline:
        return _("本轮问询的答复截止时间（%(deadline)s）已过，不能再答复。") % {
            "deadline": local_text(round.answer_deadline)
        }
    return None


def answer_question(
    *, question: DefenceQuestion, text: str, files: Sequence[UploadedFile] = (), by: User
) -> DefenceQuestion:
    """Save (or replace) the applicant's written answer and add its files, before the deadline."""
    application = question.round.panel.application
    if not is_applicant_of(by, application.organization_id):
        raise PermissionDenied(_("只有申报单位可以答复问询。"))
    refusal = answering_refusal(question.round)
    if refusal:
        raise ValidationError(refusal)
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("请填写答复。")]
    elif len(text) > ANSWER_MAX_LENGTH:
        errors["text"] = [_("答复不能超过 %(max)d 个字符。") % {"max": ANSWER_MAX_LENGTH}]
    files = list(files)
    kept = question.files.count()
    if kept + len(files) > MAX_FILES_PER_ANSWER:
        errors["files"] = [
            _("每个问题的答复最多附 %(max)d 个文件。") % {"max": MAX_FILES_PER_ANSWER}
        ]
    detected = []
    for uploaded in files:
        try:
            detected.append(
                (uploaded, inspect_upload(uploaded, max_bytes=settings.AWARDS_MAX_ATTACHMENT_BYTES))
            )
        except UploadRejected as error:
            errors.setdefault("files", []).append(error.messages[0])
    if errors:
        raise ValidationError(errors)
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = DefenceQuestion.objects.select_for_update().get(pk=question.pk)
            locked.answer, locked.answered_at, locked.answered_by = text, timezone.now(), by
            locked.save(update_fields=["answer", "answered_at", "answered_by"])
            names = []
            for uploaded, info in detected:
                answer_file = AnswerFile(
                    question=locked,
                    original_name=info.safe_name,
                    size=info.size,
                    content_type=info.content_type,
                    uploaded_by=by,
                )
                answer_file.file.save(info.safe_name, uploaded, save=False)
                stored.append(answer_file.file.name)
                answer_file.save()
                names.append(info.safe_name)
            record(
                actor=by,
                action=AuditAction.ANSWER_DEFENCE_QUESTION,
                target=question.round.panel,
                round=question.round.number,
                question=question.pk,
                files=names,
            )
            _mail_panel(locked)
    except BaseException:
        storage = private_storage()
        for name in stored:
            storage.delete(name)
        raise
    return locked


def _link(name: str, *args) -> str:
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        path = "/"
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _mail_applicant(round: QuestionRound) -> None:
    application = round.panel.application
    if round.is_hearing:
        how = _("请于 %(when)s 到 %(place)s 参加答辩。") % {
            "when": local_text(round.hearing_at),
            "place": round.hearing_place,
        }
    else:
        how = _("请在 %(deadline)s 前登录门户书面答复。") % {
            "deadline": local_text(round.answer_deadline)
        }
    to_applicant(
        "defence.questions_sent",
        application=application,
        key=f"defence-round:{round.pk}",
        link=_link("defence:application", application.pk),
        count=round.questions.count(),
        round=round.number,
        how=how,
    )


def _mail_panel(question: DefenceQuestion) -> None:
    panel = question.round.panel
    members = User.objects.filter(
        review_assignments__panel=panel,
        review_assignments__status=AssignmentStatus.ACTIVE,
        is_active=True,
    ).distinct()
    to_people(
        "defence.answered",
        people=members.order_by("pk"),
        key=f"defence-answer:{question.pk}:{question.answered_at.isoformat()}",
        authority_id=panel.stage.cycle.programme.authority_id,
        link=_link("scoring:defence", panel.pk),
        **application_context(panel.application),
        round=question.round.number,
        question=question.text[:200],
    )
