"""Choice sets of the review and results side."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class StageKind(models.TextChoices):
    DOCUMENT = "document", _("资料评审")
    DEFENCE = "defence", _("问询答辩")
    ONSITE = "onsite", _("现场评审")


class ConflictRelation(models.TextChoices):
    EMPLOYER = "employer", _("现任职单位")
    FORMER_EMPLOYER = "former_employer", _("曾任职单位")
    CONSULTANCY = "consultancy", _("提供过咨询服务")
    SHAREHOLDING = "shareholding", _("持股")
    COMPETITOR = "competitor", _("竞争对手")
    CUSTOMER = "customer", _("客户")
    SUPPLIER = "supplier", _("供应商")
    RELATIVE = "relative", _("亲属在该单位任职")
    OTHER = "other", _("其他利害关系")


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("已分配")
    RECUSED = "recused", _("已回避")
    # Taken off the panel by an official; the row (and any draft scorecard) is kept so that
    # putting the reviewer back restores their work.
    REMOVED = "removed", _("已移除")


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", _("评分中")
    SUBMITTED = "submitted", _("已提交")


class ConsensusStatus(models.TextChoices):
    DRAFT = "draft", _("讨论中")
    FINAL = "final", _("已确定")
    # A member's scorecard was reopened after the consensus was final: it no longer stands and
    # the leader must confirm it again (results cannot be computed meanwhile).
    STALE = "stale", _("待重新确认")


class ScoringState(StrEnum):
    """Where one assignment's scoring stands, as the officials' progress page and the reviewer's
    workspace show it: no scorecard yet, a draft scorecard, or a submitted one. Not stored: it
    is read off the scorecard (``ScorecardStatus``), whose absence is a state of its own."""

    NOT_STARTED = "not_started"
    STARTED = "started"
    SUBMITTED = "submitted"
