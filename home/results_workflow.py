"""Creating the results pages and sending them through their authority's moderation workflow.

Why a workflow per authority rather than Wagtail's default "Moderators approval": the default
task is approved by the platform-wide Moderators group, which would let one authority's
moderators publish another authority's results. Each authority gets one workflow, "结果发布审核",
whose single approval task (``ResultsApprovalTask``) belongs to the authority's officials group;
it is assigned to each results page itself (not to the programme page), so ordinary notices keep
their existing publishing rules. Results pages cannot be published directly
(``home.results_pages``), so a page goes live exactly when a member of the authority's office
approves it in the workflow. Under the authority's four-eyes rule that member is not the page's
author, so the group must have at least two active members before a page is submitted.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from awards.audit_actions import AuditAction
from awards.models import AwardingAuthority
from awards.services.audit import record
from awards.services.people import authority_group
from home.models import AwardProgrammePage
from home.results_pages import ResultsApprovalTask, ResultsNoticePage, ResultsPage, WinnersPage
from scoring.publication.models import PublicNotice

WORKFLOW_SUFFIX = "·结果发布审核"


def results_workflow(*, authority: AwardingAuthority) -> Workflow:
    """The authority's results workflow, created with its approval task on first use.

    A workflow made before the four-eyes rule (a plain group-approval task) gets the
    ``ResultsApprovalTask`` in place of its tasks; pages already in moderation finish on the
    task they started with."""
    name = f"{authority.name}{WORKFLOW_SUFFIX}"
    workflow = Workflow.objects.filter(name=name).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=name)
    elif not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    tasks = [task.specific for task in workflow.tasks.all()]
    if len(tasks) == 1 and isinstance(tasks[0], ResultsApprovalTask):
        return workflow
    WorkflowTask.objects.filter(workflow=workflow).delete()
    task = ResultsApprovalTask.objects.create(
        name=f"{authority.office_name or authority.name}审核", authority=authority
    )
    task.groups.set([authority_group(authority)])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def check_approvers(*, authority: AwardingAuthority) -> None:
    """Under the four-eyes rule a page needs an approver other than its author: refuse to
    submit one while the authority's group has fewer than two active members."""
    if not authority.four_eyes:
        return
    members = authority_group(authority).user_set.filter(is_active=True).count()
    if members < 2:
        raise ValidationError(
            _(
                "按双人复核规则，结果页面须由作者以外的工作人员审核，但“%(authority)s”的审核组"
                "只有 %(count)s 名在职工作人员。请先增加一名工作人员，再发布公示或表彰。"
            )
            % {"authority": authority.name, "count": members},
            code="four_eyes",
        )


def _programme_page(notice: PublicNotice) -> AwardProgrammePage:
    programme = notice.snapshot.cycle.programme
    page = AwardProgrammePage.objects.filter(programme=programme).first()
    if page is None:
        raise ValidationError(
            _("“%(programme)s”还没有门户页面，请先创建奖项页面，再发布公示或表彰。")
            % {"programme": programme.name}
        )
    return page


def _submit_for_approval(page: ResultsPage, *, notice: PublicNotice, by) -> None:
    authority = notice.snapshot.cycle.programme.authority
    check_approvers(authority=authority)
    page.save_revision(user=by, log_action=True)
    workflow = results_workflow(authority=authority)
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    workflow.start(page, by)


def _add_draft(page: ResultsPage, *, notice: PublicNotice, by) -> ResultsPage:
    parent = _programme_page(notice)
    if parent.get_children().filter(slug=page.slug).exists():
        raise ValidationError(
            _("“%(parent)s”下已有网址为“%(slug)s”的页面。")
            % {"parent": parent.title, "slug": page.slug}
        )
    page.live = False
    page.owner = by
    parent.add_child(instance=page)
    _submit_for_approval(page, notice=notice, by=by)
    return page


@transaction.atomic
def create_notice_page(*, notice: PublicNotice, by) -> ResultsNoticePage:
    """A draft 公示 page for ``notice`` under its programme page, submitted for approval."""
    cycle = notice.snapshot.cycle
    page = ResultsNoticePage(
        title=f"第{cycle.edition}届{cycle.programme.name}拟表彰名单公示",
        slug=f"results-notice-{cycle.edition}-v{notice.snapshot.version}",
        notice=notice,
        search_description=f"公示期：{notice.starts_on:%Y-%m-%d} 至 {notice.ends_on:%Y-%m-%d}",
    )
    _add_draft(page, notice=notice, by=by)
    record(actor=by, action=AuditAction.CREATE_RESULTS_NOTICE_PAGE, target=notice, page=page.pk)
    return page


@transaction.atomic
def create_winners_page(*, notice: PublicNotice, by) -> WinnersPage:
    """A draft 获奖名单 page for an announced ``notice``, submitted for approval."""
    if notice.announced_at is None:
        raise ValidationError(_("尚未发布表彰决定，不能创建获奖名单页面。"))
    cycle = notice.snapshot.cycle
    page = WinnersPage(
        title=f"第{cycle.edition}届{cycle.programme.name}获奖名单",
        slug=f"winners-{cycle.edition}",
        notice=notice,
    )
    _add_draft(page, notice=notice, by=by)
    record(actor=by, action=AuditAction.CREATE_WINNERS_PAGE, target=notice, page=page.pk)
    return page
