"""The application wizard: formtools' named-URL wizard, with the draft kept in the database.

``ApplicationDraftStorage`` replaces the session storage: step data is read from the
application (its ``draft``, item responses and attachments), and every save goes through the
services in ``awards.services.application_drafts``, which refuse a stale version. The steps
themselves (``awards.wizard``) know their form, template, saved data and how to save; this view
finds the step a URL names, hands it the POST and turns its ``Reply`` into a response.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlWizardView, StepsHelper

from awards.queries import own_applications
from awards.services.application_drafts import (
    EditingClosed,
    StaleDraft,
    editing_closed_reason,
    remember_step,
)
from awards.views.application_context import wizard_context
from awards.wizard.base import Reply, StepPost
from awards.wizard.tracks import steps_for


class ApplicationDraftStorage(BaseStorage):
    """formtools storage backed by the ``Application`` row instead of the session."""

    def __init__(self, wizard: ApplicationWizard):
        super().__init__(prefix="application", request=wizard.request)
        self.wizard = wizard
        self.init_data()
        self.data[self.step_key] = wizard.application.current_step or None

    def get_step_data(self, step):
        known = self.wizard.step_list.get(step)
        return known.saved_data(self.wizard.application) if known else None

    def set_step_data(self, step, cleaned_data):
        raise NotImplementedError("Drafts are saved by awards.services.application_drafts.")

    def get_step_files(self, step):
        return None

    def update_response(self, response):
        return None


class ApplicationWizard(NamedUrlWizardView):
    template_name = "awards/application/wizard.html"
    #: formtools insists on a form list when the view is built; the real list is the
    #: application's own (``steps_for``), chosen per request in ``get_form_list``.
    form_list = [("application", forms.Form)]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.application = get_object_or_404(own_applications(request.user), pk=kwargs["pk"])
        self.step_list = steps_for(self.application.cycle, self.application)
        self.prefix = "application"
        self.storage = ApplicationDraftStorage(self)
        self.steps = StepsHelper(self)
        return TemplateView.dispatch(self, request, *args, **kwargs)

    # Steps and forms ---------------------------------------------------------------------------

    def get_form_list(self):
        return self.step_list.forms()

    def get_form_kwargs(self, step=None):
        return self.step_list.get(step).form_kwargs(self.application)

    def get_form_initial(self, step):
        return self.step_list.get(step).initial(self.application, self.request.user)

    def get_step_url(self, step):
        return reverse("awards:application_step", kwargs={"pk": self.application.pk, "step": step})

    def detail_url(self) -> str:
        return reverse("awards:application_detail", kwargs={"pk": self.application.pk})

    # Requests ----------------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        closed = editing_closed_reason(self.application)
        if closed:
            messages.info(request, closed)
            return redirect(self.detail_url())
        step = self.step_list.get(kwargs.get("step"))
        if step is None:
            resume = self.step_list.get(self.application.current_step) or self.step_list[0]
            return redirect(self.get_step_url(resume.name))
        remember_step(application=self.application, step=step.name)
        self.storage.current_step = step.name
        return self.render(self.get_form(step.name, data=self.storage.get_step_data(step.name)))

    def post(self, request, *args, **kwargs):
        step = self.step_list.get(kwargs.get("step"))
        if step is None:
            raise Http404
        self.storage.current_step = step.name
        post = StepPost.read(
            request,
            application=self.application,
            step_names=self.step_list.names(),
            next_step=self.steps.next,
        )
        form = self.get_form(step.name, data=request.POST, files=request.FILES or None)
        try:
            reply = step.handle(post, form)
        except StaleDraft as error:
            messages.error(request, error.messages[0])
            return self.render(form, status=409, draft_version=post.version)
        except EditingClosed as error:
            messages.error(request, error.messages[0])
            return redirect(self.detail_url())
        return self.respond(reply, form)

    def respond(self, reply: Reply, form):
        if reply.to_application:
            return redirect(self.detail_url())
        if reply.go_to:
            return redirect(self.get_step_url(reply.go_to))
        return self.render(form)

    # Rendering ---------------------------------------------------------------------------------

    def render(self, form=None, status: int = 200, **kwargs):
        form = form or self.get_form()
        context = self.get_context_data(form=form, **kwargs)
        return self.render_to_response(context, status=status)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context.update(wizard_context(self, form))
        step = self.step_list.get(self.steps.current)
        context.setdefault(
            "draft_version",
            step.page_version(self.application) if step else self.application.version,
        )
        if "draft_version" in kwargs:
            context["draft_version"] = kwargs["draft_version"]
        return context
