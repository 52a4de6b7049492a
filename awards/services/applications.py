"""Applications (申报): starting one, checking it is complete, and submitting it.

Drafts are saved by ``application_drafts``, evidence by ``application_attachments``. Submission
is the one transition the applicant makes; it is idempotent (a double click, or two requests at
once, give one submission, one event and one PDF task) because it locks the row and returns the
application unchanged when it is already submitted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from awards.application_content import (
    STEP_BASIC,
    STEP_CANDIDATE,
    STEP_ELIGIBILITY,
    STEP_EVIDENCE,
    STEP_OVERVIEW,
    count_chars,
    draft_field_errors,
    fields_for_step,
    over_limit_message,
    self_assessment_step,
    step_title,
)
from awards.audit_actions import AuditAction
from awards.enums import ApplicationStatus, Track
from awards.models import (
    Application,
    ApplicationEvent,
    AwardingAuthority,
    Cycle,
    IndividualCandidate,
    Organization,
)
from awards.services.application_attachments import ensure_attachment_requirements
from awards.services.application_drafts import (
    EditingClosed,
    StaleDraft,
    check_applicant,
    cycle_closed_reason,
    editing_closed_reason,
    stale_message,
)
from awards.services.audit import record
from awards.services.eligibility import eligibility_for
from awards.services.notifications.audiences import local_text, to_applicant
from awards.services.recommendations import recommend_on_submission, route_to_recommender
from awards.services.versioning import bump_version


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that stops submission, and the wizard step where it can be put right."""

    step: str
    message: str


class SubmissionRefused(EditingClosed):
    """The application is incomplete or ineligible; ``problems`` says what and where."""

    def __init__(self, problems: list[Problem]):
        super().__init__([problem.message for problem in problems], code="incomplete")
        self.problems = problems


def start_application(*, cycle: Cycle, organization: Organization, by) -> tuple[Application, bool]:
    """The organization's application to ``cycle``: the existing one, or a new draft.

    Starting twice (or in two tabs at once) returns the same application; the unique constraint
    on (cycle, organization) settles a race.
    """
    existing = Application.objects.filter(
        cycle=cycle, organization=organization, track=Track.ORGANIZATION
    ).first()
    if existing is not None:
        return existing, False
    if getattr(by, "organization_id", None) != organization.pk:
        raise EditingClosed(_("只有申报单位的用户可以为本单位申报。"))
    reason = cycle_closed_reason(cycle)
    if reason:
        raise EditingClosed(reason, code="cycle_closed")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                cycle=cycle, organization=organization, created_by=by, current_step=STEP_BASIC
            )
            ApplicationEvent.objects.create(
                application=application,
                status=ApplicationStatus.DRAFT,
                by=by,
                note_code="application_started",
            )
            ensure_attachment_requirements(cycle=cycle, by=by)
            record(actor=by, action=AuditAction.START_APPLICATION, target=application)
    except IntegrityError:
        return Application.objects.get(
            cycle=cycle, organization=organization, track=Track.ORGANIZATION
        ), False
    return application, True


def _field_problems(
    application: Application,
    *,
    steps: tuple[str, ...] = (STEP_BASIC, STEP_ELIGIBILITY, STEP_OVERVIEW),
) -> list[Problem]:
    problems = []
    cycle = application.cycle
    for step in steps:
        values = application.step_draft(step)
        if not values:
            problems.append(Problem(step, _("“%(step)s”尚未填写。") % {"step": step_title(step)}))
            continue
        labels = {spec.name: spec.label for spec in fields_for_step(step, cycle)}
        for name, message in draft_field_errors(step, cycle, values).items():
            problems.append(
                Problem(
                    step,
                    _("%(step)s · %(field)s：%(message)s")
                    % {"step": step_title(step), "field": labels[name], "message": message},
                )
            )
    return problems


def _self_assessment_problems(application: Application) -> list[Problem]:
    cycle = application.cycle
    items = list(cycle.framework_for(application.track).items.order_by("sort_order", "code"))
    texts = dict(application.responses.values_list("item_id", "text"))
    problems = []
    total = 0
    for item in items:
        text = texts.get(item.pk, "")
        total += count_chars(text)
        if not text.strip():
            problems.append(
                Problem(
                    self_assessment_step(item.category_code),
                    _("自评报告 · %(code)s %(name)s：尚未填写自评内容。")
                    % {"code": item.code, "name": item.name},
                )
            )
    message = over_limit_message(total, cycle.self_assessment_char_limit)
    if message and items:
        problems.append(
            Problem(
                self_assessment_step(items[0].category_code),
                _("自评报告全文：%(message)s") % {"message": message},
            )
        )
    return problems


def _evidence_problems(application: Application) -> list[Problem]:
    present = set(application.attachments.values_list("requirement_code", flat=True))
    return [
        Problem(STEP_EVIDENCE, _("证明材料：尚未上传“%(name)s”。") % {"name": requirement.name})
        for requirement in application.cycle.attachment_requirements.filter(track=application.track)
        if requirement.required and requirement.code not in present
    ]


def _candidate_problems(application: Application) -> list[Problem]:
    """An individual application names its candidate (``services.individuals``) first."""
    if IndividualCandidate.objects.filter(application=application).exists():
        return []
    return [Problem(STEP_CANDIDATE, _("“候选人信息”尚未填写。"))]


def application_problems(application: Application) -> list[Problem]:
    """Everything that stops this application from being submitted, in wizard order.

    Expects ``cycle__programme__authority``, ``cycle__framework`` and ``organization`` loaded.
    An eligibility condition that fails only because its facts are still missing is not listed
    twice: the step's own "please fill in" problem already points there.
    """
    if application.is_individual:
        problems = _candidate_problems(application) + _field_problems(
            application, steps=(STEP_ELIGIBILITY,)
        )
    else:
        problems = _field_problems(application)
    problems += _self_assessment_problems(application)
    problems += _evidence_problems(application)
    steps_with_problems = {problem.step for problem in problems}
    for result in eligibility_for(application):
        if result.passed or (result.missing and result.step in steps_with_problems):
            continue
        problems.append(
            Problem(result.step, _("不符合申报条件 · %(condition)s") % {"condition": result})
        )
    order = {
        STEP_CANDIDATE: 0,
        STEP_BASIC: 0,
        STEP_ELIGIBILITY: 1,
        STEP_OVERVIEW: 2,
        STEP_EVIDENCE: 4,
    }
    return sorted(problems, key=lambda problem: order.get(problem.step, 3))


def rules_revision_in_force(programme_id: int) -> int | None:
    """The rules page revision, found through ``AWARDS_RULES_REVISION_RESOLVER``."""
    path = getattr(settings, "AWARDS_RULES_REVISION_RESOLVER", "")
    return import_string(path)(programme_id) if path else None


def _enqueue_pdf(application_id: int) -> None:
    from awards.services.tasks import render_application_pdf_task

    render_application_pdf_task.enqueue(application_id)


def submit_application(
    *,
    application: Application,
    by,
    expected_version: int | None = None,
    recommending_body: AwardingAuthority | None = None,
    recommendation_opinion: str = "",
) -> Application:
    """Freeze the application as submitted and queue its PDF.

    When the programme requires recommendation, a first submission names the
    ``recommending_body`` (one of ``allowed_recommending_bodies``) and the application waits in
    its queue; a resubmission after that body returned it goes back to the same body. An
    application a recommending body filed itself goes to that body, and its first submission
    is the body's recommendation with ``recommendation_opinion`` (``recommend_on_submission``:
    required, within the quota, before the recommendation deadline).

    Refuses with ``EditingClosed`` (not editable, cycle closed, deadline passed), ``StaleDraft``
    (``expected_version`` given and older than the saved one) or ``SubmissionRefused`` (with the
    problems). An application already submitted is returned as it is: nothing happens twice.
    """
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related(
                "cycle__programme__authority",
                "cycle__framework",
                "cycle__individual_framework",
                "organization",
                "filed_by_body",
            )
            .get(pk=application.pk)
        )
        if locked.status == ApplicationStatus.SUBMITTED:
            return locked
        check_applicant(locked, by)
        reason = editing_closed_reason(locked)
        if reason:
            raise EditingClosed(reason, code="editing_closed")
        if expected_version is not None and locked.version != expected_version:
            raise StaleDraft(stale_message(), code="stale")
        problems = application_problems(locked)
        if problems:
            raise SubmissionRefused(problems)
        resubmission = locked.status == ApplicationStatus.RETURNED
        recommendation = route_to_recommender(application=locked, body=recommending_body, by=by)
        framework = locked.cycle.framework_for(locked.track)
        bump_version(
            locked,
            expected=None,  # checked above, and the row is locked
            status=ApplicationStatus.SUBMITTED,
            submitted_at=timezone.now(),
            framework=framework,
            framework_code=framework.code,
            framework_version=framework.version,
            rules_revision_id=rules_revision_in_force(locked.cycle.programme_id),
        )
        ApplicationEvent.objects.create(
            application=locked,
            status=ApplicationStatus.SUBMITTED,
            at=locked.submitted_at,
            by=by,
            note_code="application_resubmitted" if resubmission else "application_submitted",
        )
        record(
            actor=by,
            action=AuditAction.SUBMIT_APPLICATION,
            target=locked,
            version=locked.version,
            framework=f"{framework.code}-{framework.version}",
            framework_id=framework.pk,
            rules_revision_id=locked.rules_revision_id,
        )
        to_applicant(
            "application.submitted",
            application=locked,
            key=f"submitted:{locked.version}",
            submitted_at=local_text(locked.submitted_at),
        )
        recommend_on_submission(
            application=locked,
            recommendation=recommendation,
            opinion=recommendation_opinion,
            by=by,
        )
        transaction.on_commit(lambda: _enqueue_pdf(locked.pk))
    return locked
