"""Template context shared by the wizard steps and the application page."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from awards.application_content import (
    SELF_ASSESSMENT_PREFIX,
    STEP_ELIGIBILITY,
    STEP_EVIDENCE,
    STEP_REVIEW,
    self_assessment_step,
)
from awards.models import Application, ItemResponse
from awards.queries import application_summary
from awards.services.applications import application_problems
from awards.services.eligibility import eligibility_for
from awards.uploads import format_size


def step_url(application: Application, step: str) -> str:
    return reverse("awards:application_step", kwargs={"pk": application.pk, "step": step})


def saved_steps(application: Application, categories) -> set[str]:
    """Steps that already hold something saved, for the progress indicator."""
    saved = {step for step, values in (application.draft or {}).items() if values}
    answered = set(
        ItemResponse.objects.filter(application=application)
        .exclude(text="")
        .values_list("item__code", flat=True)
    )
    for category in categories:
        if any(code.rsplit(".", 1)[0] == category.code for code in answered):
            saved.add(self_assessment_step(category.code))
    if application.attachments.exists():
        saved.add(STEP_EVIDENCE)
    return saved


def problems_with_links(application: Application) -> list[dict]:
    return [
        {"message": problem.message, "url": step_url(application, problem.step)}
        for problem in application_problems(application)
    ]


def wizard_context(wizard, form) -> dict:
    application = wizard.application
    step = wizard.steps.current
    steps = list(wizard.get_form_list())
    saved = saved_steps(application, wizard.categories)
    context = {
        "charcount_messages": {
            "over": _("超出 %(over)s 个字符（上限 %(limit)s 个字符，当前 %(length)s 个字符）"),
            "under": _("已输入 %(length)s / %(limit)s 个字符，还可输入 %(left)s 个字符"),
            "total": _("自评报告全文：%(text)s"),
            "item": _("本条已输入 %(length)s 个字符"),
        },
        "application": application,
        "cycle": application.cycle,
        "step": step,
        "step_title": wizard.step_title(step),
        "step_number": steps.index(step) + 1,
        "step_count": len(steps),
        "prev_step": wizard.steps.prev,
        "next_step": wizard.steps.next,
        "nav": [
            {
                "name": name,
                "title": wizard.step_title(name),
                "number": index,
                "current": name == step,
                "saved": name in saved,
            }
            for index, name in enumerate(steps, start=1)
        ],
    }
    if step.startswith(SELF_ASSESSMENT_PREFIX):
        context["step_kind"] = "self_assessment"
        context["self_assessment_limit"] = application.cycle.self_assessment_char_limit
    elif step == STEP_EVIDENCE:
        context["step_kind"] = "evidence"
        context.update(evidence_context(application, form))
    elif step == STEP_REVIEW:
        context["step_kind"] = "review"
        context.update(application_page_context(application))
        context["problems"] = problems_with_links(application)
    else:
        context["step_kind"] = "fields"
        if step == STEP_ELIGIBILITY:
            context["eligibility"] = eligibility_for(application)
    return context


def evidence_context(application: Application, form) -> dict:
    attachments: dict[str, list] = {}
    total = 0
    for attachment in application.attachments.order_by("uploaded_at", "id"):
        attachments.setdefault(attachment.requirement_code, []).append(attachment)
        total += attachment.size
    return {
        "evidence_rows": [
            {
                "requirement": requirement,
                "attachments": attachments.get(requirement.code, []),
                "field": form[f"file_{requirement.code}"],
            }
            for requirement in form.requirements
        ],
        "attachments_total": format_size(total),
        "max_file_size": format_size(settings.AWARDS_MAX_ATTACHMENT_BYTES),
        "max_application_size": format_size(settings.AWARDS_MAX_APPLICATION_BYTES),
    }


def application_page_context(application: Application) -> dict:
    """Everything the review step and the application page show of the content."""
    return {
        "summary": application_summary(application),
        "eligibility": eligibility_for(application),
    }
