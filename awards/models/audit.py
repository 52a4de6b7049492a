from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.audit_actions import AuditAction
from awards.notes import render_note


class ReadOnlyAuditError(RuntimeError):
    """Raised when code tries to change or delete a recorded audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ReadOnlyAuditError("audit entries are never changed")

    def delete(self):
        raise ReadOnlyAuditError("audit entries are never deleted")


class AuditEntry(models.Model):
    """One recorded state change: who did what to which object, and when. Never edited.

    Entries are hash-chained per authority (``awards.audit_chain``): ``prev_hash`` is the hash
    of the previous entry of the same chain, ``hash`` the hash of this entry's content. The
    actor's id and name are stored as written (``actor_pk``, ``actor_name``), so deleting the
    user (``actor`` becomes NULL) neither loses who acted nor breaks the chain."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_pk = models.PositiveBigIntegerField(_("操作人编号"), null=True, blank=True)
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True, default="")
    # No database constraint: an entry keeps its authority's id whatever happens to the row.
    authority = models.ForeignKey(
        "awards.AwardingAuthority",
        verbose_name=_("授奖机关"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=60, choices=AuditAction.choices)
    target_type = models.CharField(_("对象类型"), max_length=60)
    target_id = models.CharField(_("对象编号"), max_length=40)
    target_label = models.CharField(_("对象"), max_length=200)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    #: A note worded when shown, in the reader's language (``awards.notes``); part of the hash.
    note_code = models.CharField(_("说明代码"), max_length=60, blank=True, default="")
    note_params = models.JSONField(_("说明参数"), default=dict, blank=True)
    created_at = models.DateTimeField(
        _("时间"), default=timezone.now, editable=False, db_index=True
    )
    prev_hash = models.CharField(_("前一条哈希"), max_length=64, blank=True, default="")
    hash = models.CharField(_("哈希"), max_length=64, blank=True, default="", db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["authority", "id"], name="awards_audit_chain_idx"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ReadOnlyAuditError("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReadOnlyAuditError("audit entries are never deleted")

    @property
    def note_text(self) -> str:
        """The entry's note in the viewer's language, or "" when it has none."""
        return render_note(self.note_code, self.note_params)

    @property
    def actor_display(self) -> str:
        """The actor's name as recorded (the user may have been deleted since)."""
        return self.actor_name or (str(_("系统")) if self.actor_pk is None else f"#{self.actor_pk}")


class AuditChainHead(models.Model):
    """The last entry of one chain, locked (``select_for_update``) while an entry is appended,
    so two requests appending to the same chain at once cannot fork it."""

    key = models.CharField(_("链"), max_length=40, unique=True)
    last_entry_id = models.BigIntegerField(_("最后一条记录"), null=True, blank=True)
    last_hash = models.CharField(_("最后一条哈希"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("操作日志链")
        verbose_name_plural = _("操作日志链")

    def __str__(self) -> str:
        return self.key
