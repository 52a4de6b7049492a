"""Public results pages: the notice of the proposed list (公示) and the winners list (表彰).

The pages present; ``scoring`` owns the notice, its objections and the awards. A page links to
its ``PublicNotice`` and reads the list, the period and any revocation from it at each request, so
a revocation shows at once without editing the page.

Both page types are created only by the officials' publication pages (never from "add child
page", which could link a page to another authority's notice) and go live only through their
authority's moderation workflow: nobody but a superuser may publish them directly, however broad
their page permissions (``WorkflowOnlyPermissionTester``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import (
    AbstractGroupApprovalTask,
    Page,
    PagePermissionTester,
    Revision,
    TaskState,
    WorkflowState,
)
from wagtail.search import index

from awards.audit_actions import AuditAction
from awards.forms.errors import add_validation_error
from awards.permissions.rules import is_platform_admin
from awards.services.audit import record
from awards.services.security import client_address
from home.blocks import PortalStreamBlock
from scoring.publication.forms import ObjectionForm
from scoring.publication.queries import announced_awards, proposed_entries
from scoring.publication.services.notices import submit_objection
from scoring.publication.services.period import NoticePhase, local_today, notice_phase


class WorkflowOnlyPermissionTester(PagePermissionTester):
    """Publishing a results page is the approval step of its workflow, not a button: only a
    superuser, or the workflow publishing the revision it has just approved, may publish."""

    def can_publish(self):
        if not self.user.is_active:
            return False
        return is_platform_admin(self.user) or _latest_revision_approved(self.page)


def notices_in_objection_period(page: Page) -> list["ResultsNoticePage"]:
    """The live 公示 pages at or below ``page`` whose objection period is open today.

    Such a page can be neither unpublished nor deleted, by anyone, nor its ancestors: the public
    must be able to read it and object until the period ends; a correction goes through the
    workflow as a new revision. ``home.wagtail_hooks`` refuses the page admin's unpublish and
    delete (with the reason) and lists such pages as not actionable in the bulk actions."""
    if not isinstance(page, Page) or page.pk is None:
        return []
    today = local_today()
    return [
        notice_page
        for notice_page in ResultsNoticePage.objects.live()
        .descendant_of(page, inclusive=True)
        .select_related("notice")
        if notice_phase(notice_page.notice, today=today) == NoticePhase.OPEN
    ]


def page_authors(page: Page) -> set[int]:
    """Who wrote the page under review: whoever submitted it to the current workflow and every
    user who saved a revision of it since (the revision submitted included)."""
    state = WorkflowState.objects.for_instance(page).filter(
        status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES]
    )
    state = state.order_by("-created_at", "-pk").first()
    if state is None:
        return set()
    first_revision = state.task_states.order_by("pk").values_list("revision_id", flat=True).first()
    revisions = Revision.objects.for_instance(page)
    if first_revision is not None:
        revisions = revisions.filter(pk__gte=first_revision)
    else:
        revisions = revisions.filter(created_at__gte=state.created_at)
    authors = set(revisions.exclude(user=None).values_list("user_id", flat=True))
    if state.requested_by_id:
        authors.add(state.requested_by_id)
    return authors


class ResultsApprovalTask(AbstractGroupApprovalTask):
    """The approval step of an authority's results workflow: a member of the authority's group
    approves, and, under the authority's four-eyes rule (``AwardingAuthority.four_eyes``), never
    one of the page's authors (``page_authors``). The author sees no "approve" action, and an
    approval attempted anyway is refused."""

    authority = models.ForeignKey(
        "awards.AwardingAuthority",
        verbose_name=gettext_lazy("授奖机关"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    admin_form_fields = [*AbstractGroupApprovalTask.admin_form_fields, "authority"]

    class Meta:
        verbose_name = gettext_lazy("结果页面审核（双人复核）")
        verbose_name_plural = gettext_lazy("结果页面审核（双人复核）")

    def author_may_not_approve(self, page, user) -> bool:
        return self.authority.four_eyes and user.pk in page_authors(page)

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if actions and self.author_may_not_approve(obj, user):
            return [action for action in actions if action[0] != "approve"]
        return actions

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        page = task_state.workflow_state.content_object
        if action_name == "approve" and self.author_may_not_approve(page, user):
            raise PermissionDenied(_("按双人复核规则，结果页面须由作者以外的工作人员审核通过。"))
        super().on_action(task_state, user, action_name, **kwargs)
        if action_name == "approve":
            record(
                actor=user,
                action=AuditAction.APPROVE_RESULTS_PAGE,
                target=page,
                revision=task_state.revision_id,
            )

    @classmethod
    def get_description(cls):
        return _("本机关工作人员审核结果页面；开启双人复核时，作者不能审核自己的页面。")


def _latest_revision_approved(page: Page) -> bool:
    """True when the page's last workflow ended approved and no revision was saved since.

    Wagtail marks the workflow approved, then publishes the page's latest revision (including
    edits made during moderation); a revision saved after the approval needs a new workflow.
    """
    state = WorkflowState.objects.for_instance(page).order_by("-created_at", "-pk").first()
    if state is None or state.status != WorkflowState.STATUS_APPROVED:
        return False
    approved_at = (
        state.task_states.filter(status=TaskState.STATUS_APPROVED)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    latest = page.get_latest_revision()
    return approved_at is not None and latest is not None and latest.created_at <= approved_at


class ResultsPage(Page):
    """What both results pages share: a notice, editorial text, workflow-only publishing."""

    notice = models.OneToOneField(
        "scoring.PublicNotice",
        verbose_name=gettext_lazy("结果公示"),
        on_delete=models.PROTECT,
        # No reverse accessor: the domain must not depend on its pages.
        related_name="+",
    )
    body = StreamField(
        PortalStreamBlock(),
        verbose_name=gettext_lazy("正文"),
        blank=True,
        help_text=gettext_lazy("说明文字，如依据、联系电话、受理地址等。"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("notice", read_only=True),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["home.AwardProgrammePage"]
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        return WorkflowOnlyPermissionTester(user, self)

    def results_context(self, request) -> dict:
        return {"programme_page": self.get_parent().specific, "notice": self.notice}


class ResultsNoticePage(ResultsPage):
    """拟表彰名单公示: the proposed list, the period, and the objection form while it is open."""

    is_creatable = False  # Wagtail does not inherit it

    class Meta:
        verbose_name = gettext_lazy("评审结果公示")
        verbose_name_plural = gettext_lazy("评审结果公示")

    def _form(self, entries, data=None, files=None) -> ObjectionForm:
        return ObjectionForm(
            data, files, application_ids=[entry.application_id for entry in entries]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        notice = self.notice
        entries = list(proposed_entries(notice.snapshot_id))
        phase = notice_phase(notice, today=local_today())
        context.update(
            self.results_context(request),
            entries=entries,
            phase=phase,
            form=self._form(entries) if phase == NoticePhase.OPEN else None,
            winners_page=WinnersPage.objects.live().public().filter(notice=notice).first(),
        )
        return context

    def serve(self, request, *args, **kwargs):
        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        context = self.get_context(request, *args, **kwargs)
        form = self._form(context["entries"], request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                submit_objection(
                    notice=self.notice,
                    real_name=data["real_name"],
                    contact=data["contact"],
                    text=data["text"],
                    evidence_file=data["evidence"],
                    application=data["application"],
                    address=client_address(request),
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("您的异议已提交。质量奖办公室将在核实后处理，并通过您留下的联系方式答复。"),
                )
                return redirect(self.url)
        if context["form"] is not None:
            context["form"] = form
        else:
            # The period closed (or never opened): say why, keep nothing of what was sent.
            for message in form.non_field_errors():
                messages.error(request, message)
        return TemplateResponse(request, self.get_template(request), context)


class WinnersPage(ResultsPage):
    """获奖名单: the awards of the announced list; a revoked award shows as revoked."""

    is_creatable = False

    class Meta:
        verbose_name = gettext_lazy("获奖名单")
        verbose_name_plural = gettext_lazy("获奖名单")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            self.results_context(request),
            awards=list(announced_awards(self.notice.snapshot_id)),
        )
        return context
