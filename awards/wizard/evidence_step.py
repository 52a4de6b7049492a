"""证明材料: the step that uploads and removes files (``awards.services.application_attachments``).

Unlike the typing steps, whether this step is complete is known only after the save (a file may
be refused for its content), so "save and continue" records this step as the place to resume,
and the step reports each upload and removal itself instead of a plain “已保存。”.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.application_content import STEP_EVIDENCE
from awards.forms.application_steps import EvidenceStepForm
from awards.forms.errors import add_validation_error
from awards.models import Application, AttachmentRequirement
from awards.services.application_attachments import add_attachments, remove_attachment
from awards.services.application_drafts import EditingClosed, StaleDraft, leave_step
from awards.uploads import format_size
from awards.wizard.base import EditableStep, SavedWork, StepList, StepPost


class EvidenceStep(EditableStep):
    name = STEP_EVIDENCE
    form_class = EvidenceStepForm
    template = "awards/application/steps/evidence.html"
    uploads_files = True
    save_label = gettext_lazy("上传所选文件")

    def form_kwargs(self, application: Application) -> dict:
        return {
            "application": application,
            "requirements": list(
                application.cycle.attachment_requirements.filter(track=application.track)
            ),
        }

    def is_saved(self, saved: SavedWork) -> bool:
        return saved.has_attachments

    def context(self, *, application: Application, form, steps: StepList) -> dict:
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

    def resume_at(self, post: StepPost, *, valid: bool) -> str:
        return post.goto or self.name

    def confirm_saved(self, post: StepPost) -> None:
        """Each upload and removal was reported as it happened."""

    def save(self, post: StepPost, form, *, valid: bool, resume_at: str) -> bool:
        application, user = post.application, post.user
        version = post.version
        to_delete = post.request.POST.get("delete_attachment", "")
        if to_delete.isdigit():
            try:
                remove_attachment(
                    application=application,
                    attachment_id=int(to_delete),
                    expected_version=version,
                    next_step=resume_at,
                    by=user,
                )
            except (StaleDraft, EditingClosed):
                raise
            except ValidationError as error:
                add_validation_error(form, error)
                return False
            post.say(messages.SUCCESS, _("附件已删除。"))
            version = application.version
        uploads = form.uploads()
        outcome = add_attachments(
            application=application,
            uploads=uploads,
            expected_version=version,
            next_step=resume_at,
            by=user,
        )
        for attachment in outcome.saved:
            post.say(messages.SUCCESS, _("已上传“%(name)s”。") % {"name": attachment.original_name})
        if outcome.rejected:
            post.say(messages.ERROR, _("有文件未能上传，原因见各材料下方的提示。"))
        for code, problems in outcome.rejected.items():
            for problem in problems:
                form.add_error(f"file_{code}" if f"file_{code}" in form.fields else None, problem)
        if not uploads and not to_delete.isdigit():
            leave_step(
                application=application, expected_version=version, next_step=resume_at, by=user
            )
        if outcome.rejected:
            return False
        if post.action == "next":
            missing = missing_requirements(application)
            for requirement in missing:
                form.add_error(None, _("尚未上传“%(name)s”。") % {"name": requirement.name})
            if missing:
                return False
        return True


def missing_requirements(application: Application) -> list[AttachmentRequirement]:
    present = set(application.attachments.values_list("requirement_code", flat=True))
    return [
        requirement
        for requirement in application.cycle.attachment_requirements.filter(track=application.track)
        if requirement.required and requirement.code not in present
    ]
