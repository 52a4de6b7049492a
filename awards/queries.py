"""Read helpers: what each user may see, and listings for pages.

Officials are scoped to their own authority: programmes, cycles and applications by the awarding
authority itself; organizations and applicants by the authority's region (a province sees the
organizations of its cities); reviewers and officials by the authority they belong to.
"""

from django.db.models import Model, Prefetch, Q, QuerySet

from awards.enums import CycleStatus, Role
from awards.models import (
    Application,
    AwardProgramme,
    CriteriaFramework,
    Cycle,
    Organization,
    User,
)


def _region_q(prefix: str, field: str = "region_code") -> Q:
    return Q(**{f"{field}__startswith": prefix})


def programmes_for(user) -> QuerySet[AwardProgramme]:
    qs = AwardProgramme.objects.select_related("authority")
    if user.is_superuser:
        return qs
    if getattr(user, "is_official", False):
        return qs.filter(authority_id=user.authority_id)
    return qs.none()


def cycles_for(user) -> QuerySet[Cycle]:
    qs = Cycle.objects.select_related("programme__authority", "framework")
    if user.is_superuser:
        return qs
    if getattr(user, "is_official", False):
        return qs.filter(programme__authority_id=user.authority_id)
    return qs.none()


def frameworks_for(user) -> QuerySet[CriteriaFramework]:
    """National frameworks are visible to every official; authority-owned ones to their own."""
    qs = CriteriaFramework.objects.select_related("authority")
    if user.is_superuser:
        return qs
    if getattr(user, "is_official", False):
        return qs.filter(Q(authority__isnull=True) | Q(authority_id=user.authority_id))
    return qs.none()


def editable_frameworks_for(user) -> QuerySet[CriteriaFramework]:
    qs = frameworks_for(user)
    if user.is_superuser:
        return qs
    return qs.filter(authority_id=user.authority_id)


def organizations_for(user) -> QuerySet[Organization]:
    qs = Organization.objects.all()
    if user.is_superuser:
        return qs
    if getattr(user, "is_official", False):
        return qs.filter(_region_q(user.authority.region_prefix))
    return qs.none()


def people_for(user, model: type[User] = User) -> QuerySet[User]:
    qs = model._default_manager.select_related("authority", "organization")
    if user.is_superuser:
        return qs
    if getattr(user, "is_official", False):
        return qs.filter(
            Q(role__in=[Role.REVIEWER, Role.OFFICIAL], authority_id=user.authority_id)
            | Q(
                role=Role.APPLICANT,
                organization__region_code__startswith=user.authority.region_prefix,
            )
        )
    return qs.none()


def applications_for(user) -> QuerySet[Application]:
    qs = Application.objects.select_related("cycle__programme__authority", "organization")
    if user.is_superuser:
        return qs
    if getattr(user, "is_official", False):
        return qs.filter(cycle__programme__authority_id=user.authority_id)
    if getattr(user, "is_applicant", False):
        return qs.filter(organization_id=user.organization_id)
    return qs.none()


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


def dashboard_context(user) -> dict:
    """What the signed-in user's dashboard lists, loaded in a fixed number of queries."""
    context: dict = {"role": user.role}
    if getattr(user, "is_applicant", False):
        context["organization"] = user.organization
        context["applications"] = list(applications_for(user).order_by("-created_at"))
        context["open_programmes"] = [
            programme for programme in public_programmes_with_open_cycles() if programme.open_cycles
        ]
    elif getattr(user, "is_official", False) or getattr(user, "is_reviewer", False):
        context["authority"] = user.authority
        context["cycles"] = list(
            Cycle.objects.filter(programme__authority_id=user.authority_id)
            .select_related("programme")
            .order_by("programme__name", "-edition")
        )
    return context
