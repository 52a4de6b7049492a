from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable

from awards.enums import Track
from awards.models.private_files import attachment_upload_to, private_storage


class AttachmentRequirement(Orderable):
    """A kind of evidence a cycle asks for (证明材料), e.g. audited financial statements."""

    cycle = ParentalKey(
        "awards.Cycle", on_delete=models.CASCADE, related_name="attachment_requirements"
    )
    code = models.SlugField(_("代码"), max_length=40)
    track = models.CharField(
        _("类别"), max_length=12, choices=Track.choices, default=Track.ORGANIZATION
    )
    name = models.CharField(_("材料名称"), max_length=100)
    required = models.BooleanField(_("必须提交"), default=True)
    help = models.TextField(_("说明"), blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("申报材料要求")
        verbose_name_plural = _("申报材料要求")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="unique_requirement_code")
        ]

    def __str__(self) -> str:
        return self.name


class Attachment(models.Model):
    """One uploaded evidence file, kept in the private storage and served by a checked view."""

    application = models.ForeignKey(
        "awards.Application",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    requirement_code = models.SlugField(_("材料类型"), max_length=40)
    original_name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(
        _("文件"), storage=private_storage, upload_to=attachment_upload_to, max_length=300
    )
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["application", "requirement_code", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
