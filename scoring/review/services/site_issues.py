"""Issues the document-stage consensus hands on to the on-site team (现场待核实问题).

The document panel's leader (or an official) lists them, one per line, on the panel's consensus
once it exists; the on-site panel of the same application sees them on its scorecard pages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import User
from awards.permissions.rules import require_authority
from awards.services.audit import record
from scoring.enums import StageKind
from scoring.review.models import Consensus, Panel
from scoring.review.services.defence import is_panel_member

MAX_ISSUES = 30
ISSUE_MAX_LENGTH = 500


@transaction.atomic
def save_site_issues(*, panel: Panel, text: str, by: User) -> Consensus:
    if not (panel.leader_id == getattr(by, "pk", None) and is_panel_member(panel, by)):
        require_authority(by, panel.stage.cycle.programme.authority_id)
    if panel.stage.kind != StageKind.DOCUMENT:
        raise ValidationError(_("只有资料评审的共识可以列出现场待核实问题。"))
    consensus = Consensus.objects.select_for_update().filter(panel=panel).first()
    if consensus is None:
        raise ValidationError(_("请先保存评审组共识，再列出现场待核实问题。"))
    issues = [line.strip() for line in (text or "").splitlines() if line.strip()]
    errors = []
    if len(issues) > MAX_ISSUES:
        errors.append(_("现场待核实问题最多 %(max)d 条。") % {"max": MAX_ISSUES})
    if any(len(issue) > ISSUE_MAX_LENGTH for issue in issues):
        errors.append(_("每条问题不能超过 %(max)d 个字符。") % {"max": ISSUE_MAX_LENGTH})
    if errors:
        raise ValidationError({"site_issues": errors})
    consensus.site_issues = "\n".join(issues)
    consensus.save(update_fields=["site_issues"])
    record(actor=by, action=AuditAction.SAVE_SITE_ISSUES, target=panel, issues=issues)
    return consensus
