"""What every wizard step is and does; the concrete steps live beside this module.

A step is an object, not a name to compare: the wizard view finds the step a URL names in the
``StepList`` and asks it for its form, its template context, and what to do with a POST. The
step answers a POST with a ``Reply`` (go to a step, go to the application page, or show the form
again); ``StaleDraft`` and ``EditingClosed`` raised by the services are answered by the view, the
same way for every step.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.application_content import step_title
from awards.models import Application, Cycle, IndividualCandidate, ItemResponse
from awards.services.application_drafts import EditingClosed, editing_closed_reason
from awards.services.applications import Problem


def step_url(application: Application, step: str) -> str:
    return reverse("awards:application_step", kwargs={"pk": application.pk, "step": step})


@dataclass(frozen=True, slots=True)
class Reply:
    """How the wizard answers a POST once the step has handled it.

    ``go_to`` redirects to that step, ``to_application`` to the application page; with neither,
    the step's form is shown again (with its errors).
    """

    go_to: str | None = None
    to_application: bool = False


@dataclass(frozen=True, slots=True)
class StepPost:
    """One POST to a step: the version the page was loaded with, and which button was pressed."""

    request: HttpRequest
    application: Application
    #: The step's ``page_version`` the page was rendered with (-1 when missing or garbled).
    version: int
    #: "next" (save and continue), "save" or "submit".
    action: str
    #: A step of the list the applicant jumps to (progress links, “上一步”), or None.
    goto: str | None
    #: The step after this one, or None on the last step.
    next_step: str | None

    @classmethod
    def read(
        cls,
        request: HttpRequest,
        *,
        application: Application,
        step_names: Iterable[str],
        next_step: str | None,
    ) -> StepPost:
        try:
            version = int(request.POST.get("draft_version", ""))
        except ValueError:
            version = -1
        goto = request.POST.get("wizard_goto_step")
        action = request.POST.get("action", "next")
        if "delete_attachment" in request.POST:
            # A file's delete button saves the page it is on; it never moves on.
            action = "save"
        return cls(
            request=request,
            application=application,
            version=version,
            action=action,
            goto=goto if goto in set(step_names) else None,
            next_step=next_step,
        )

    @property
    def user(self):
        return self.request.user

    def say(self, level: int, text: str) -> None:
        messages.add_message(self.request, level, text)


@dataclass(frozen=True, slots=True)
class SavedWork:
    """What an application already holds, loaded once for the progress indicator (two queries)."""

    draft_steps: frozenset[str]
    answered_categories: frozenset[str]
    has_attachments: bool
    has_candidate: bool = False

    @classmethod
    def of(cls, application: Application) -> SavedWork:
        answered = (
            ItemResponse.objects.filter(application=application)
            .exclude(text="")
            .values_list("item__code", flat=True)
        )
        return cls(
            draft_steps=frozenset(
                step for step, values in (application.draft or {}).items() if values
            ),
            answered_categories=frozenset(code.rsplit(".", 1)[0] for code in answered),
            has_attachments=application.attachments.exists(),
            has_candidate=application.is_individual
            and IndividualCandidate.objects.filter(application=application).exists(),
        )


class Step:
    """One page of the wizard. Subclasses set the class attributes and override what differs."""

    #: The URL segment, the form prefix and the key of the step's problems.
    name: str
    template: str
    form_class: type[forms.Form]
    #: The form sends files, so the page posts ``multipart/form-data``.
    uploads_files = False
    #: The last step: its button submits the application instead of saving a draft.
    submits_application = False
    #: The page saves typed input in the background (``views.application_autosave``).
    autosaves = False
    #: The label of the button that saves without moving on.
    save_label: str | Promise = gettext_lazy("保存")

    @property
    def title(self) -> str:
        return step_title(self.name)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    def applies_to(self, cycle: Cycle) -> bool:
        """Whether the step is part of the wizard for ``cycle``; every step applies by default."""
        return True

    def form_kwargs(self, application: Application) -> dict:
        return {"application": application}

    def initial(self, application: Application, user) -> dict:
        """What the form shows before anything was saved."""
        return {}

    def saved_data(self, application: Application) -> MultiValueDict | None:
        """The saved input as (prefixed) form data, or None when nothing was saved yet."""
        return None

    def is_saved(self, saved: SavedWork) -> bool:
        """Whether the progress indicator marks the step as holding something saved."""
        return False

    def context(self, *, application: Application, form, steps: StepList) -> dict:
        """What the step's template needs besides the form."""
        return {}

    def page_version(self, application: Application) -> int:
        """The version the page sends back: the whole application's (submission checks it)."""
        return application.version

    def problems(self, problems: Iterable[Problem]) -> list[Problem]:
        """The problems (of ``application_problems``) that the applicant puts right here."""
        return [problem for problem in problems if problem.step == self.name]

    def handle(self, post: StepPost, form) -> Reply:
        raise NotImplementedError


class EditableStep(Step):
    """A step whose input is saved as a draft: on every button, valid or not, nothing is lost.

    Subclasses implement ``save``; the navigation (save and continue, save, jump to a step) is
    the same for all of them.
    """

    def handle(self, post: StepPost, form) -> Reply:
        closed = editing_closed_reason(post.application)
        if closed:
            raise EditingClosed(closed, code="editing_closed")
        valid = form.is_valid()
        complete = self.save(post, form, valid=valid, resume_at=self.resume_at(post, valid=valid))
        if post.goto:
            if not complete:
                post.say(
                    messages.WARNING,
                    _("“%(step)s”已保存为草稿，但仍有需要修改之处，提交前请更正。")
                    % {"step": self.title},
                )
            return Reply(go_to=post.goto)
        if not complete:
            return Reply()
        if post.action == "next" and post.next_step:
            return Reply(go_to=post.next_step)
        self.confirm_saved(post)
        return Reply(go_to=self.name)

    def page_version(self, application: Application) -> int:
        """Each editable step is locked on its own (``Application.step_versions``)."""
        return application.step_version(self.name)

    def resume_at(self, post: StepPost, *, valid: bool) -> str:
        """The step the applicant resumes at later, recorded with the save."""
        if post.goto:
            return post.goto
        if post.action == "next" and valid and post.next_step:
            return post.next_step
        return self.name

    def save(self, post: StepPost, form, *, valid: bool, resume_at: str) -> bool:
        """Save through the step's service; return whether the step is now complete."""
        raise NotImplementedError

    def confirm_saved(self, post: StepPost) -> None:
        post.say(messages.SUCCESS, _("已保存。"))


class StepList(Sequence[Step]):
    """The steps of one application's wizard, in order, found by name."""

    def __init__(self, steps: Iterable[Step]):
        self._steps = list(steps)
        self._by_name = {step.name: step for step in self._steps}
        if len(self._by_name) != len(self._steps):
            names = [step.name for step in self._steps]
            raise ValueError(f"Two wizard steps share a name: {names}")

    def __getitem__(self, index):
        return self._steps[index]

    def __len__(self) -> int:
        return len(self._steps)

    def __iter__(self) -> Iterator[Step]:
        return iter(self._steps)

    def __contains__(self, step) -> bool:
        return step in self._steps

    def get(self, name: str | None) -> Step | None:
        return self._by_name.get(name or "")

    def names(self) -> list[str]:
        return [step.name for step in self._steps]

    def forms(self) -> OrderedDict[str, type[forms.Form]]:
        """formtools' form list: step name → form class."""
        return OrderedDict((step.name, step.form_class) for step in self._steps)

    def reporting(self, problem: Problem) -> Step | None:
        """The step where the applicant puts ``problem`` right."""
        return next((step for step in self._steps if step.problems([problem])), None)
