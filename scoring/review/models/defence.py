"""The 问询答辩 (defence) stage: written questions from a panel to the applicant, and answers.

A panel collects questions in a round; the group leader (or an official) sends the round with
either a deadline for written answers or the date and place of a hearing (答辩会). Answer files
live in the private storage like every applicant file.
"""

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.models.private_files import private_storage


def answer_file_upload_to(instance, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"defence/{instance.question_id}/{secrets.token_hex(16)}{suffix}"


class QuestionRound(models.Model):
    panel = models.ForeignKey(
        "scoring.Panel",
        verbose_name=_("评审组"),
        on_delete=models.CASCADE,
        related_name="question_rounds",
    )
    number = models.PositiveSmallIntegerField(_("轮次"))
    answer_deadline = models.DateTimeField(_("答复截止时间"), null=True, blank=True)
    hearing_at = models.DateTimeField(_("答辩时间"), null=True, blank=True)
    hearing_place = models.CharField(_("答辩地点"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("问询轮次")
        verbose_name_plural = _("问询轮次")
        ordering = ["panel", "number"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "number"], name="unique_question_round")
        ]

    def __str__(self) -> str:
        return f"{self.panel} · {self.number}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    @property
    def is_hearing(self) -> bool:
        return self.hearing_at is not None


class DefenceQuestion(models.Model):
    round = models.ForeignKey(
        QuestionRound,
        verbose_name=_("问询轮次"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提问人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("问题"))
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("问询问题")
        verbose_name_plural = _("问询问题")
        ordering = ["round", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class AnswerFile(models.Model):
    question = models.ForeignKey(
        DefenceQuestion, verbose_name=_("问询问题"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(
        _("文件"), storage=private_storage, upload_to=answer_file_upload_to, max_length=255
    )
    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("答复附件")
        verbose_name_plural = _("答复附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
