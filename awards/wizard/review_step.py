"""确认提交: the last step shows the whole application and what still stops it, then submits.

What stops submission is decided once, by ``application_problems`` (the submission service
refuses with the very same list); each problem links to the step that reports it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from awards.application_content import STEP_REVIEW
from awards.forms.application_steps import ReviewStepForm
from awards.forms.errors import add_validation_error
from awards.models import Application
from awards.queries import application_summary
from awards.services.application_drafts import EditingClosed
from awards.services.applications import (
    SubmissionRefused,
    application_problems,
    submit_application,
)
from awards.services.eligibility import eligibility_for
from awards.services.versioning import StaleVersion
from awards.wizard.base import Reply, Step, StepList, StepPost, step_url


def application_page_context(application: Application) -> dict:
    """Everything the review step and the application page show of the content."""
    return {
        "summary": application_summary(application),
        "eligibility": eligibility_for(application),
    }


def problems_with_links(application: Application, steps: StepList) -> list[dict]:
    links = []
    for problem in application_problems(application):
        reporting = steps.reporting(problem)
        name = reporting.name if reporting else problem.step
        links.append({"message": problem.message, "url": step_url(application, name)})
    return links


class ReviewStep(Step):
    name = STEP_REVIEW
    form_class = ReviewStepForm
    template = "awards/application/steps/review.html"
    submits_application = True

    def context(self, *, application: Application, form, steps: StepList) -> dict:
        return {
            **application_page_context(application),
            "problems": problems_with_links(application, steps),
        }

    def handle(self, post: StepPost, form) -> Reply:
        """Nothing to save here: jump, show again, or submit (the service checks everything)."""
        if post.goto:
            return Reply(go_to=post.goto)
        if post.action != "submit" or not form.is_valid():
            return Reply()
        try:
            submit_application(
                application=post.application,
                by=post.user,
                expected_version=post.version,
                recommending_body=form.chosen_body(),
                recommendation_opinion=form.opinion(),
            )
        except SubmissionRefused:
            post.say(
                messages.ERROR,
                _("申报尚不完整或不符合申报条件，未能提交，请按下列提示修改。"),
            )
            return Reply()
        except (EditingClosed, StaleVersion):
            raise  # the wizard view answers these the same way for every step
        except ValidationError as error:
            # The recommending body chosen, or the filing body's own recommendation refused
            # (opinion missing, quota full, recommendation deadline passed): nothing changed.
            add_validation_error(form, error)
            return Reply()
        if form.filed_by_body is not None:
            post.say(
                messages.SUCCESS,
                _(
                    "申报已提交，并已作为%(body)s的推荐送授奖机关资格审查。申报书 PDF 生成后可在本页下载。"
                )
                % {"body": form.filed_by_body.name},
            )
        elif form.chosen_body() is not None:
            post.say(
                messages.SUCCESS,
                _("申报已提交，已送%(body)s推荐。申报书 PDF 生成后可在本页下载。")
                % {"body": form.chosen_body().name},
            )
        else:
            post.say(messages.SUCCESS, _("申报已提交。申报书 PDF 生成后可在本页下载。"))
        return Reply(to_application=True)
