"""Read helpers: what each user may see, and listings for pages.

Officials are scoped to their own authority: programmes, cycles and applications by the awarding
authority itself; organizations and applicants by the authority's region (a province sees the
organizations of its cities); reviewers and officials by the authority they belong to.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Model, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.application_content import (
    STEP_BASIC,
    STEP_CANDIDATE,
    STEP_ELIGIBILITY,
    STEP_OVERVIEW,
    count_chars,
    fields_for_step,
    self_assessment_step,
    step_title,
)
from awards.enums import ApplicationStatus, CycleStatus, Declaration, Role
from awards.models import (
    Application,
    ApplicationEvent,
    Attachment,
    AttachmentRequirement,
    AuditEntry,
    AwardProgramme,
    CriteriaFramework,
    Cycle,
    IndividualCandidate,
    ItemResponse,
    Organization,
    OrganizationInvitation,
    Recommendation,
    User,
)
from awards.models.notifications import Channel, Notification
from awards.permissions.rules import (
    follows_region,
    is_applicant,
    is_official,
    is_official_or_admin,
    is_platform_admin,
    is_recommender,
    is_reviewer,
    scope_to_authority,
)


def _region_q(prefix: str, field: str = "region_code") -> Q:
    return Q(**{f"{field}__startswith": prefix})


def programmes_for(user) -> QuerySet[AwardProgramme]:
    return scope_to_authority(AwardProgramme.objects.select_related("authority"), user, "authority")


def cycles_for(user) -> QuerySet[Cycle]:
    queryset = Cycle.objects.select_related("programme__authority", "framework")
    return scope_to_authority(queryset, user, "programme__authority")


def frameworks_for(user) -> QuerySet[CriteriaFramework]:
    """National frameworks are visible to every official; authority-owned ones to their own."""
    qs = CriteriaFramework.objects.select_related("authority")
    if is_platform_admin(user):
        return qs
    if is_official(user):
        return qs.filter(Q(authority__isnull=True) | Q(authority_id=user.authority_id))
    return qs.none()


def editable_frameworks_for(user) -> QuerySet[CriteriaFramework]:
    """Only an authority's own frameworks are theirs to change; national ones are the platform's."""
    return scope_to_authority(
        CriteriaFramework.objects.select_related("authority"), user, "authority"
    )


def organizations_for(user) -> QuerySet[Organization]:
    qs = Organization.objects.all()
    if is_platform_admin(user):
        return qs
    if is_official(user):
        return qs.filter(_region_q(user.authority.region_prefix))
    return qs.none()


def people_for(user, model: type[User] = User) -> QuerySet[User]:
    qs = model._default_manager.select_related("authority", "organization")
    if is_platform_admin(user):
        return qs
    if is_official(user):
        return qs.filter(
            Q(role__in=[Role.REVIEWER, Role.OFFICIAL], authority_id=user.authority_id)
            | Q(
                role=Role.APPLICANT,
                organization__region_code__startswith=user.authority.region_prefix,
            )
        )
    return qs.none()


def audit_entries_for(user) -> QuerySet[AuditEntry]:
    """The audit entries of the official's authority's chain; every entry for a platform
    administrator; none for anyone else."""
    return scope_to_authority(AuditEntry.objects.all(), user, "authority_id")


def applications_for(user) -> QuerySet[Application]:
    """An official's authority's applications; an applicant's own; for a recommender, those
    submitted to their body for recommendation and those their body filed itself (so they read
    the PDF and attachments through the same checked, audited downloads)."""
    qs = Application.objects.select_related("cycle__programme__authority", "organization")
    if is_official_or_admin(user):
        return scope_to_authority(qs, user, "cycle__programme__authority")
    if is_applicant(user):
        return qs.filter(organization_id=user.organization_id)
    if is_recommender(user):
        return qs.filter(
            Q(recommendation__body_id=user.authority_id) | Q(filed_by_body_id=user.authority_id)
        )
    return qs.none()


def recommendations_for(user) -> QuerySet[Recommendation]:
    """The recommendations of the recommender's own body; none for anyone else (an official of
    the awarding authority sees the outcome on its screening pages instead)."""
    if not is_recommender(user):
        return Recommendation.objects.none()
    return Recommendation.objects.filter(body_id=user.authority_id).select_related(
        "body",
        "decided_by",
        "application__cycle__programme__authority",
        "application__organization",
        "application__candidate",
    )


def region_applications_for(user) -> QuerySet[Application]:
    """Submitted applications from the user's region to programmes of higher authorities: what
    a city or county follows, read-only, in a provincial cycle. Never another region's, never
    the authority's own programmes (those are on its screening pages), never drafts."""
    if not follows_region(user):
        return Application.objects.none()
    authority = user.authority
    return (
        Application.objects.filter(
            organization__region_code__startswith=authority.region_prefix,
            cycle__programme__authority__region_prefix__in=_strict_prefixes(
                authority.region_prefix
            ),
        )
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related(
            "cycle__programme__authority", "organization", "candidate", "recommendation__body"
        )
    )


def _strict_prefixes(prefix: str) -> list[str]:
    return [prefix[:length] for length in range(2, len(prefix))]


SCOPES = {
    AwardProgramme: programmes_for,
    Cycle: cycles_for,
    CriteriaFramework: frameworks_for,
    Organization: organizations_for,
    User: people_for,
    Application: applications_for,
}


def scoped(model: type[Model], user) -> QuerySet:
    """The rows of ``model`` that ``user`` may see; proxies share their concrete model's scope."""
    if model._meta.proxy and model._meta.concrete_model is User:
        return people_for(user, model=model)
    return SCOPES[model._meta.concrete_model](user)


def console_rows(model: type[Model], user, action: str) -> QuerySet:
    """The rows of ``model`` an official may ``action`` in the console (the scope of its
    permission policy): all they may see, except that they change only their own frameworks."""
    if model is CriteriaFramework and action in ("change", "delete"):
        return editable_frameworks_for(user)
    return scoped(model, user)


OPEN_STATUSES = (CycleStatus.OPEN,)


def public_programmes_with_open_cycles() -> QuerySet[AwardProgramme]:
    """Programmes for the public home page, each with its open cycles prefetched."""
    return AwardProgramme.objects.select_related("authority").prefetch_related(
        Prefetch(
            "cycles",
            queryset=Cycle.objects.filter(status__in=OPEN_STATUSES).order_by("-edition"),
            to_attr="open_cycles",
        )
    )


def own_applications(user) -> QuerySet[Application]:
    """Applications the user may edit: an applicant's organization's own (not those a
    recommending body filed for it), a recommender's body's filed ones
    (``rules.may_edit_application``).

    Everything the wizard and the review page read is joined in, so a step costs a fixed number
    of queries."""
    qs = Application.objects.select_related(
        "cycle__programme__authority", "cycle__framework", "organization", "filed_by_body"
    )
    if is_applicant(user):
        return qs.filter(organization_id=user.organization_id, filed_by_body__isnull=True)
    if is_recommender(user):
        return qs.filter(filed_by_body_id=user.authority_id)
    return qs.none()


def viewable_applications(user) -> QuerySet[Application]:
    """Applications whose page, attachments and PDF the user may open: the applicant's own, and
    those to the cycles of an official's authority."""
    return applications_for(user).select_related(
        "cycle__framework", "recommendation__body", "filed_by_body"
    )


def self_assessment_chars(application: Application, *, excluding_item_ids=()) -> int:
    """Characters of the saved self-assessment (line breaks count one, as saved)."""
    return (
        ItemResponse.objects.filter(application=application)
        .exclude(item_id__in=list(excluding_item_ids))
        .aggregate(total=Sum(Length("text")))["total"]
        or 0
    )


def timeline_prefetch() -> Prefetch:
    return Prefetch(
        "events",
        queryset=ApplicationEvent.objects.select_related("by").order_by("at", "id"),
        to_attr="timeline",
    )


def open_cycles_for(organization: Organization) -> list[Cycle]:
    """Cycles taking applications from authorities whose jurisdiction includes the organization,
    nearest deadline first; a cycle whose (extended) deadline has passed is no longer listed."""
    cycles = (
        Cycle.objects.filter(status=CycleStatus.OPEN)
        .select_related("programme__authority")
        .order_by("application_deadline", "programme__name")
    )
    now = timezone.now()
    return [
        cycle
        for cycle in cycles
        if organization.region_code.startswith(cycle.programme.authority.region_prefix)
        and cycle.taking_applications(now=now)
    ]


def notices_for(user) -> QuerySet[Notification]:
    """The user's portal notices (the outbox's portal channel), newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, channel=Channel.PORTAL).order_by(
        "-created_at", "-pk"
    )


def outbox_for(user) -> QuerySet[Notification]:
    """The outbox rows an official may see: their authority's (the platform administrator all)."""
    return scope_to_authority(Notification.objects.all(), user, "authority")


def dashboard_context(user) -> dict:
    """What the signed-in user's dashboard lists, loaded in a fixed number of queries."""
    context: dict = {"role": user.role}
    latest = list(notices_for(user)[:5])
    context["notices"] = latest
    context["unread_notices"] = notices_for(user).filter(read_at=None).count()
    if is_applicant(user):
        organization = user.organization
        applications = list(
            applications_for(user)
            .select_related("candidate", "filed_by_body")
            .prefetch_related(timeline_prefetch())
            .order_by("-created_at")
        )
        by_cycle = {
            application.cycle_id: application
            for application in applications
            if not application.is_individual
        }
        context["organization"] = organization
        context["applications"] = applications
        now = timezone.now()
        context["open_cycles"] = [
            {
                "cycle": cycle,
                "application": by_cycle.get(cycle.pk),
                "deadline_passed": cycle.effective_deadline < now,
            }
            for cycle in open_cycles_for(organization)
        ]
    elif is_official(user) or is_reviewer(user) or is_recommender(user):
        context["authority"] = user.authority
        context["is_recommender"] = is_recommender(user)
        context["follows_region"] = follows_region(user)
        context["cycles"] = list(
            Cycle.objects.filter(programme__authority_id=user.authority_id)
            .select_related("programme")
            .order_by("programme__name", "-edition")
        )
    return context


@dataclass(frozen=True)
class SummaryItem:
    code: str
    name: str
    points: int
    kind_code: str
    kind: str
    guidance: str
    text: str
    self_percent: int | None

    @property
    def self_score(self) -> Decimal | None:
        """Item points × chosen percentage, at full precision (round only for display)."""
        if self.self_percent is None:
            return None
        return Decimal(self.points) * Decimal(self.self_percent) / Decimal(100)


@dataclass(frozen=True)
class SummaryCategory:
    code: str
    name: str
    points: int
    step: str
    items: list[SummaryItem]

    @property
    def self_score(self) -> Decimal:
        return sum((item.self_score or Decimal(0) for item in self.items), Decimal(0))


@dataclass(frozen=True)
class SummarySection:
    step: str
    title: str
    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class ApplicationSummary:
    """An application's content as it reads on the review page, the detail page and the PDF."""

    sections: list[SummarySection]
    overview: str
    categories: list[SummaryCategory]
    requirements: list[tuple[AttachmentRequirement, list[Attachment]]]
    self_assessment_chars: int

    @property
    def self_score_total(self) -> Decimal:
        return sum((category.self_score for category in self.categories), Decimal(0))


def _display(spec, value: str) -> str:
    if spec.kind == "declaration":
        return str(Declaration(value).label) if value in Declaration.values else ""
    return value


def candidate_rows(application: Application, *, with_birth_date: bool = True) -> list:
    """The candidate's details as (label, value) rows; the identity number only masked."""
    candidate = IndividualCandidate.objects.filter(application=application).first()
    if candidate is None:
        return []
    rows = [
        (_("候选人姓名"), candidate.name),
        (_("性别"), candidate.get_gender_display()),
    ]
    if with_birth_date:
        rows.append((_("出生日期"), candidate.birth_date.isoformat()))
    rows += [
        (_("身份证号"), candidate.masked_id_number),
        (_("工作单位"), application.organization.name),
        (_("统一社会信用代码"), application.organization.credit_code),
        (_("职务"), candidate.position),
        (_("从事质量工作年限"), str(candidate.years_in_quality_work)),
        (_("学历"), candidate.education),
        (_("主要业绩"), candidate.achievements),
        (_("所获荣誉"), candidate.honours),
    ]
    return rows


def application_summary(application: Application) -> ApplicationSummary:
    """Four queries: categories, items, responses, requirements + attachments."""
    cycle = application.cycle
    sections = []
    steps = (STEP_BASIC, STEP_ELIGIBILITY)
    if application.is_individual:
        sections.append(
            SummarySection(
                step=STEP_CANDIDATE,
                title=step_title(STEP_CANDIDATE),
                rows=candidate_rows(application),
            )
        )
        steps = (STEP_ELIGIBILITY,)
    framework = cycle.framework_for(application.track)
    for step in steps:
        values = application.step_draft(step)
        sections.append(
            SummarySection(
                step=step,
                title=step_title(step),
                rows=[
                    (str(spec.label), _display(spec, values.get(spec.name, "")))
                    for spec in fields_for_step(step, cycle)
                ],
            )
        )
    responses = {
        response.item_id: response
        for response in ItemResponse.objects.filter(application=application)
    }
    items_by_category: dict[str, list[SummaryItem]] = {}
    for item in framework.items.order_by("sort_order", "code"):
        response = responses.get(item.pk)
        items_by_category.setdefault(item.category_code, []).append(
            SummaryItem(
                code=item.code,
                name=item.name,
                points=item.points,
                kind_code=item.kind,
                kind=item.get_kind_display(),
                guidance=item.guidance,
                text=response.text if response else "",
                self_percent=response.self_percent if response else None,
            )
        )
    categories = [
        SummaryCategory(
            code=category.code,
            name=category.name,
            points=category.points,
            step=self_assessment_step(category.code),
            items=items_by_category.get(category.code, []),
        )
        for category in framework.categories.order_by("sort_order", "code")
    ]
    attachments: dict[str, list[Attachment]] = {}
    for attachment in application.attachments.order_by("uploaded_at", "id"):
        attachments.setdefault(attachment.requirement_code, []).append(attachment)
    requirements = [
        (requirement, attachments.get(requirement.code, []))
        for requirement in cycle.attachment_requirements.filter(track=application.track)
    ]
    return ApplicationSummary(
        sections=sections,
        overview=application.step_draft(STEP_OVERVIEW).get("overview", ""),
        categories=categories,
        requirements=requirements,
        self_assessment_chars=sum(count_chars(r.text) for r in responses.values()),
    )


def organization_members(organization_id: int) -> QuerySet[User]:
    """The organization's active applicant users (the 单位用户 page)."""
    return User.objects.filter(
        organization_id=organization_id, role=Role.APPLICANT, is_active=True
    ).order_by("date_joined", "pk")


def organization_invitations(organization_id: int) -> QuerySet[OrganizationInvitation]:
    """The organization's invitations, newest first, with who sent them."""
    return OrganizationInvitation.objects.filter(organization_id=organization_id).select_related(
        "invited_by"
    )
