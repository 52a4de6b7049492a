"""The steps where the applicant types: the three form steps and one step per criteria category.

Form steps keep their input in ``Application.draft`` (``save_step_draft``); self-assessment
steps keep theirs in ``ItemResponse`` rows (``save_self_assessment``). Both keep what was typed
even when it is not valid yet, so leaving a step never loses input.
"""

from __future__ import annotations

from django.utils.datastructures import MultiValueDict

from awards.application_content import (
    STEP_BASIC,
    STEP_ELIGIBILITY,
    STEP_OVERVIEW,
    self_assessment_step,
    self_assessment_title,
)
from awards.forms.application_steps import (
    BasicStepForm,
    EligibilityStepForm,
    OverviewStepForm,
    SelfAssessmentStepForm,
)
from awards.models import (
    Application,
    CriteriaCategory,
    CriteriaFramework,
    CriteriaItem,
    Cycle,
    ItemResponse,
)
from awards.queries import self_assessment_chars
from awards.services.application_drafts import save_self_assessment, save_step_draft
from awards.services.eligibility import eligibility_for
from awards.wizard.base import EditableStep, SavedWork, StepList, StepPost


class DraftStep(EditableStep):
    """A step of ``FieldSpec`` fields (``awards.application_content``), saved as typed."""

    template = "awards/application/steps/fields.html"
    autosaves = True

    def saved_data(self, application: Application) -> MultiValueDict | None:
        values = application.step_draft(self.name)
        if not values:
            return None
        return MultiValueDict({f"{self.name}-{name}": [value] for name, value in values.items()})

    def is_saved(self, saved: SavedWork) -> bool:
        return self.name in saved.draft_steps

    def save(self, post: StepPost, form, *, valid: bool, resume_at: str) -> bool:
        save_step_draft(
            application=post.application,
            step=self.name,
            values=form.draft_values(),
            expected_version=post.version,
            next_step=resume_at,
            by=post.user,
        )
        return valid


class BasicStep(DraftStep):
    """申报表: starts from the organization's registered details and the user's contacts."""

    name = STEP_BASIC
    form_class = BasicStepForm
    template = "awards/application/steps/basic.html"

    def initial(self, application: Application, user) -> dict:
        organization = application.organization
        return {
            "organization_name": organization.name,
            "address": organization.address,
            "legal_representative": organization.legal_representative,
            "contact_person": user.get_full_name(),
            "contact_phone": user.phone,
            "contact_email": user.email,
        }


class EligibilityStep(DraftStep):
    """资格条件声明: the declarations, with the conditions checked against what is saved."""

    name = STEP_ELIGIBILITY
    form_class = EligibilityStepForm
    template = "awards/application/steps/eligibility.html"

    def context(self, *, application: Application, form, steps: StepList) -> dict:
        return {"eligibility": eligibility_for(application)}


class OverviewStep(DraftStep):
    name = STEP_OVERVIEW
    form_class = OverviewStepForm


class SelfAssessmentStep(EditableStep):
    """自评报告 for one criteria category: a text and an optional self-score per item.

    Built from the cycle's framework (``for_framework``), so a framework of any shape gives one
    step per category, named after its code (4.1 → ``sa-4-1``).
    """

    form_class = SelfAssessmentStepForm
    autosaves = True
    template = "awards/application/steps/self_assessment.html"

    def __init__(self, category: CriteriaCategory, items: list[CriteriaItem]):
        self.category = category
        self.items = items
        self.name = self_assessment_step(category.code)

    @classmethod
    def for_framework(cls, framework: CriteriaFramework) -> list[SelfAssessmentStep]:
        """One step per category, in the framework's order (two queries)."""
        categories = list(framework.categories.order_by("sort_order", "code"))
        items: dict[str, list[CriteriaItem]] = {}
        for item in framework.items.order_by("sort_order", "code"):
            items.setdefault(item.category_code, []).append(item)
        return [cls(category, items.get(category.code, [])) for category in categories]

    @property
    def title(self) -> str:
        return self_assessment_title(f"{self.category.code} {self.category.name}")

    def applies_to(self, cycle: Cycle) -> bool:
        """A category without items (a framework allows one only at 0 points) asks nothing."""
        return bool(self.items)

    def form_kwargs(self, application: Application) -> dict:
        return {
            "application": application,
            "category": self.category,
            "items": self.items,
            # The whole report has one limit, so the form counts the other categories too.
            "other_chars": self_assessment_chars(
                application, excluding_item_ids=[item.pk for item in self.items]
            ),
        }

    def saved_data(self, application: Application) -> MultiValueDict | None:
        responses = ItemResponse.objects.filter(application=application, item__in=self.items)
        if not responses:
            return None
        data = MultiValueDict()
        for response in responses:
            data[f"{self.name}-text_{response.item_id}"] = response.text
            percent = response.self_percent
            data[f"{self.name}-percent_{response.item_id}"] = (
                "" if percent is None else str(percent)
            )
        return data

    def is_saved(self, saved: SavedWork) -> bool:
        return self.category.code in saved.answered_categories

    def context(self, *, application: Application, form, steps: StepList) -> dict:
        return {"self_assessment_limit": application.cycle.self_assessment_char_limit}

    def save(self, post: StepPost, form, *, valid: bool, resume_at: str) -> bool:
        save_self_assessment(
            application=post.application,
            texts=form.texts(),
            percents=form.valid_percents(),
            expected_version=post.version,
            next_step=resume_at,
            by=post.user,
        )
        return valid
