"""The application wizard: formtools' named-URL wizard, with the draft kept in the database.

``ApplicationDraftStorage`` replaces the session storage: step data is read from the
application (its ``draft``, item responses and attachments), and every save goes through the
services in ``awards.services.application_drafts``, which refuse a stale version. The view only
decides which button was pressed, calls one service and picks the next page.
"""

from __future__ import annotations

from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlWizardView, StepsHelper

from awards.application_content import (
    SELF_ASSESSMENT_PREFIX,
    STEP_BASIC,
    STEP_ELIGIBILITY,
    STEP_EVIDENCE,
    STEP_OVERVIEW,
    STEP_REVIEW,
    self_assessment_step,
    step_title,
)
from awards.forms.application_steps import (
    BasicStepForm,
    EligibilityStepForm,
    EvidenceStepForm,
    OverviewStepForm,
    ReviewStepForm,
    SelfAssessmentStepForm,
)
from awards.models import ItemResponse
from awards.queries import own_applications, self_assessment_chars
from awards.services.application_attachments import add_attachments, remove_attachment
from awards.services.application_drafts import (
    EditingClosed,
    StaleDraft,
    editing_closed_reason,
    leave_step,
    remember_step,
    save_self_assessment,
    save_step_draft,
)
from awards.services.applications import SubmissionRefused, submit_application
from awards.views.application_context import wizard_context

DRAFT_STEPS = (STEP_BASIC, STEP_ELIGIBILITY, STEP_OVERVIEW)


class ApplicationDraftStorage(BaseStorage):
    """formtools storage backed by the ``Application`` row instead of the session."""

    def __init__(self, wizard: ApplicationWizard):
        super().__init__(prefix="application", request=wizard.request)
        self.wizard = wizard
        self.init_data()
        self.data[self.step_key] = wizard.application.current_step or None

    def get_step_data(self, step):
        return self.wizard.saved_step_data(step)

    def set_step_data(self, step, cleaned_data):
        raise NotImplementedError("Drafts are saved by awards.services.application_drafts.")

    def get_step_files(self, step):
        return None

    def update_response(self, response):
        return None


class ApplicationWizard(NamedUrlWizardView):
    template_name = "awards/application/wizard.html"
    form_list = [
        (STEP_BASIC, BasicStepForm),
        (STEP_ELIGIBILITY, EligibilityStepForm),
        (STEP_OVERVIEW, OverviewStepForm),
        (STEP_EVIDENCE, EvidenceStepForm),
        (STEP_REVIEW, ReviewStepForm),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.application = get_object_or_404(own_applications(request.user), pk=kwargs["pk"])
        framework = self.application.cycle.framework
        self.categories = list(framework.categories.order_by("sort_order", "code"))
        self.items = list(framework.items.order_by("sort_order", "code"))
        self.prefix = "application"
        self.storage = ApplicationDraftStorage(self)
        self.steps = StepsHelper(self)
        return TemplateView.dispatch(self, request, *args, **kwargs)

    # Steps -----------------------------------------------------------------------------------

    def get_form_list(self):
        if not hasattr(self, "_steps"):
            steps = OrderedDict(
                (name, self.form_list[name])
                for name in (STEP_BASIC, STEP_ELIGIBILITY, STEP_OVERVIEW)
            )
            for category in self.categories:
                steps[self_assessment_step(category.code)] = SelfAssessmentStepForm
            steps[STEP_EVIDENCE] = self.form_list[STEP_EVIDENCE]
            steps[STEP_REVIEW] = self.form_list[STEP_REVIEW]
            self._steps = steps
        return self._steps

    def category_for(self, step: str):
        return next(c for c in self.categories if self_assessment_step(c.code) == step)

    def items_for(self, step: str):
        code = self.category_for(step).code
        return [item for item in self.items if item.category_code == code]

    def get_step_url(self, step):
        return reverse("awards:application_step", kwargs={"pk": self.application.pk, "step": step})

    def detail_url(self) -> str:
        return reverse("awards:application_detail", kwargs={"pk": self.application.pk})

    # Forms -----------------------------------------------------------------------------------

    def get_form_kwargs(self, step=None):
        kwargs = {"application": self.application}
        if step.startswith(SELF_ASSESSMENT_PREFIX):
            items = self.items_for(step)
            kwargs.update(
                category=self.category_for(step),
                items=items,
                other_chars=self_assessment_chars(
                    self.application, excluding_item_ids=[item.pk for item in items]
                ),
            )
        elif step == STEP_EVIDENCE:
            kwargs["requirements"] = list(self.application.cycle.attachment_requirements.all())
        return kwargs

    def get_form_initial(self, step):
        if step != STEP_BASIC:
            return {}
        organization, user = self.application.organization, self.request.user
        return {
            "organization_name": organization.name,
            "address": organization.address,
            "legal_representative": organization.legal_representative,
            "contact_person": user.get_full_name(),
            "contact_phone": user.phone,
            "contact_email": user.email,
        }

    def saved_step_data(self, step: str) -> MultiValueDict | None:
        """The saved input of a step as form data, or None when nothing was saved yet."""
        if step in DRAFT_STEPS:
            values = self.application.step_draft(step)
            if not values:
                return None
            return MultiValueDict({f"{step}-{name}": [value] for name, value in values.items()})
        if step.startswith(SELF_ASSESSMENT_PREFIX):
            items = self.items_for(step)
            responses = ItemResponse.objects.filter(application=self.application, item__in=items)
            if not responses:
                return None
            data = MultiValueDict()
            for response in responses:
                data[f"{step}-text_{response.item_id}"] = response.text
                percent = response.self_percent
                data[f"{step}-percent_{response.item_id}"] = "" if percent is None else str(percent)
            return data
        return None

    # Requests --------------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        closed = editing_closed_reason(self.application)
        if closed:
            messages.info(request, closed)
            return redirect(self.detail_url())
        step = kwargs.get("step")
        if step not in self.get_form_list():
            resume = self.application.current_step
            return redirect(
                self.get_step_url(resume if resume in self.get_form_list() else STEP_BASIC)
            )
        remember_step(application=self.application, step=step)
        self.storage.current_step = step
        return self.render(self.get_form(step, data=self.storage.get_step_data(step)))

    def post(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if step not in self.get_form_list():
            raise Http404
        self.storage.current_step = step
        try:
            version = int(request.POST.get("draft_version", ""))
        except ValueError:
            version = -1
        goto = request.POST.get("wizard_goto_step")
        goto = goto if goto in self.get_form_list() else None
        action = request.POST.get("action", "next")
        if "delete_attachment" in request.POST:
            action = "save"
        form = self.get_form(step, data=request.POST, files=request.FILES or None)
        if step == STEP_REVIEW:
            return self.post_review(form, goto=goto, action=action, version=version)
        closed = editing_closed_reason(self.application)
        if closed:
            messages.error(request, closed)
            return redirect(self.detail_url())
        valid = form.is_valid()
        if goto:
            target = goto
        elif action == "next" and valid and step != STEP_EVIDENCE:
            target = self.steps.next
        else:
            target = step
        try:
            valid = self.save(
                step, form, valid=valid, version=version, target=target, action=action
            )
        except StaleDraft as error:
            messages.error(request, error.messages[0])
            return self.render(form, status=409, draft_version=version)
        except EditingClosed as error:
            messages.error(request, error.messages[0])
            return redirect(self.detail_url())
        if goto:
            if not valid:
                messages.warning(
                    request,
                    _("“%(step)s”已保存为草稿，但仍有需要修改之处，提交前请更正。")
                    % {"step": self.step_title(step)},
                )
            return redirect(self.get_step_url(goto))
        if not valid:
            return self.render(form)
        if action == "next":
            return redirect(self.get_step_url(self.steps.next))
        if step != STEP_EVIDENCE:
            messages.success(request, _("已保存。"))
        return redirect(self.get_step_url(step))

    def save(self, step, form, *, valid: bool, version: int, target: str, action: str) -> bool:
        """Save the step through its service; returns whether the step is now complete."""
        user = self.request.user
        if step in DRAFT_STEPS:
            save_step_draft(
                application=self.application,
                step=step,
                values=form.draft_values(),
                expected_version=version,
                next_step=target,
                by=user,
            )
            return valid
        if step.startswith(SELF_ASSESSMENT_PREFIX):
            save_self_assessment(
                application=self.application,
                texts=form.texts(),
                percents=form.valid_percents(),
                expected_version=version,
                next_step=target,
                by=user,
            )
            return valid
        return self.save_evidence(form, version=version, target=target, action=action)

    def save_evidence(self, form, *, version: int, target: str, action: str) -> bool:
        user = self.request.user
        to_delete = self.request.POST.get("delete_attachment", "")
        if to_delete.isdigit():
            try:
                remove_attachment(
                    application=self.application,
                    attachment_id=int(to_delete),
                    expected_version=version,
                    next_step=target,
                    by=user,
                )
            except (StaleDraft, EditingClosed):
                raise
            except ValidationError as error:
                form.add_error(None, error.messages[0])
                return False
            messages.success(self.request, _("附件已删除。"))
            version = self.application.version
        uploads = form.uploads()
        outcome = add_attachments(
            application=self.application,
            uploads=uploads,
            expected_version=version,
            next_step=target,
            by=user,
        )
        for attachment in outcome.saved:
            messages.success(
                self.request, _("已上传“%(name)s”。") % {"name": attachment.original_name}
            )
        if outcome.rejected:
            messages.error(self.request, _("有文件未能上传，原因见各材料下方的提示。"))
        for code, problems in outcome.rejected.items():
            for problem in problems:
                form.add_error(f"file_{code}" if f"file_{code}" in form.fields else None, problem)
        if not uploads and not to_delete.isdigit():
            leave_step(
                application=self.application, expected_version=version, next_step=target, by=user
            )
        if outcome.rejected:
            return False
        if action == "next":
            missing = self.missing_requirements()
            for requirement in missing:
                form.add_error(None, _("尚未上传“%(name)s”。") % {"name": requirement.name})
            if missing:
                return False
        return True

    def missing_requirements(self):
        present = set(self.application.attachments.values_list("requirement_code", flat=True))
        return [
            requirement
            for requirement in self.application.cycle.attachment_requirements.all()
            if requirement.required and requirement.code not in present
        ]

    def post_review(self, form, *, goto: str | None, action: str, version: int):
        if goto:
            return redirect(self.get_step_url(goto))
        if action != "submit" or not form.is_valid():
            return self.render(form)
        try:
            submit_application(
                application=self.application, by=self.request.user, expected_version=version
            )
        except StaleDraft as error:
            messages.error(self.request, error.messages[0])
            return self.render(form, status=409, draft_version=version)
        except SubmissionRefused:
            messages.error(
                self.request, _("申报尚不完整或不符合申报条件，未能提交，请按下列提示修改。")
            )
            return self.render(form)
        except EditingClosed as error:
            messages.error(self.request, error.messages[0])
            return redirect(self.detail_url())
        messages.success(self.request, _("申报已提交。申报书 PDF 生成后可在本页下载。"))
        return redirect(self.detail_url())

    # Rendering -------------------------------------------------------------------------------

    def step_title(self, step: str) -> str:
        return step_title(
            step,
            {self_assessment_step(c.code): f"{c.code} {c.name}" for c in self.categories},
        )

    def render(self, form=None, status: int = 200, **kwargs):
        form = form or self.get_form()
        context = self.get_context_data(form=form, **kwargs)
        return self.render_to_response(context, status=status)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context.update(wizard_context(self, form))
        context.setdefault("draft_version", self.application.version)
        if "draft_version" in kwargs:
            context["draft_version"] = kwargs["draft_version"]
        return context
