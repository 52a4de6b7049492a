"""The individual track's own step: 候选人信息 (the person the employer files for).

The rest of the individual wizard reuses the organization track's step classes: the employer's
look-back declarations (资格条件声明), one content step per category of the cycle's individual
criteria framework, the evidence step (with the candidate's signed consent) and the review step.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict

from awards.application_content import STEP_CANDIDATE
from awards.forms.application_steps import CandidateStepForm
from awards.forms.errors import add_validation_error
from awards.models import Application, IndividualCandidate
from awards.services.application_drafts import EditingClosed, StaleDraft
from awards.services.eligibility import eligibility_for
from awards.services.individuals import CANDIDATE_FIELDS, save_candidate
from awards.wizard.base import EditableStep, SavedWork, StepList, StepPost


class CandidateStep(EditableStep):
    name = STEP_CANDIDATE
    form_class = CandidateStepForm
    template = "awards/application/steps/candidate.html"

    def initial(self, application: Application, user) -> dict:
        return {}

    def saved_data(self, application: Application) -> MultiValueDict | None:
        candidate = IndividualCandidate.objects.filter(application=application).first()
        if candidate is None:
            return None
        data = MultiValueDict()
        for name in CANDIDATE_FIELDS:
            value = getattr(candidate, name)
            data[f"{self.name}-{name}"] = value.isoformat() if name == "birth_date" else str(value)
        data[f"{self.name}-id_number"] = ""
        return data

    def is_saved(self, saved: SavedWork) -> bool:
        return saved.has_candidate

    def context(self, *, application: Application, form, steps: StepList) -> dict:
        return {
            "employer": application.organization,
            "eligibility": [r for r in eligibility_for(application) if r.step == self.name],
        }

    def save(self, post: StepPost, form, *, valid: bool, resume_at: str) -> bool:
        """Saved only when valid: the identity number must never sit in a plain draft."""
        if not valid:
            return False
        try:
            save_candidate(
                application=post.application,
                values={name: form.cleaned_data[name] for name in CANDIDATE_FIELDS},
                id_number=form.cleaned_data["id_number"],
                expected_version=post.version,
                next_step=resume_at,
                by=post.user,
            )
        except StaleDraft:
            raise
        except EditingClosed as error:
            if error.code != "id_required":
                raise
            form.add_error("id_number", error)
            return False
        except ValidationError as error:
            add_validation_error(form, error)
            return False
        return True
