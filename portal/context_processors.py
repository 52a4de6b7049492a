"""What every template rendered for a request may use beyond Django's own context processors.

``enums`` gives templates the enum members they compare against, so a page writes
``{% if application.status == ApplicationStatus.SUBMITTED %}`` and never the literal
``"submitted"``: a renamed or removed member then fails loudly in tests (the page shows the
wrong branch) instead of a literal string silently never matching again. Each enum is given as a
mapping of member names to members: Django templates call a callable they meet, and a plain
``StrEnum`` class is callable (``TextChoices`` opt out, ``StrEnum`` does not).
"""

from __future__ import annotations

from enum import Enum
from functools import cache

from django.http import HttpRequest


@cache
def template_enums() -> dict[str, dict[str, Enum]]:
    """The enums templates compare against, by class name; built once, on first use (after the
    apps are ready, since some live beside models)."""
    from awards.enums import ApplicationStatus, CycleStatus, ItemKind, RecommendationStatus, Track
    from awards.models.notifications import DeliveryStatus
    from scoring.certificates.services.certificates import VerificationStatus
    from scoring.certificates.services.feedback import Availability
    from scoring.enums import ScorecardStatus, ScoringState, StageKind
    from scoring.publication.services.period import NoticePhase
    from scoring.results.models.settings import ResultsMethod

    enums: tuple[type[Enum], ...] = (
        ApplicationStatus,
        Availability,
        CycleStatus,
        DeliveryStatus,
        ItemKind,
        NoticePhase,
        RecommendationStatus,
        ResultsMethod,
        ScorecardStatus,
        ScoringState,
        StageKind,
        Track,
        VerificationStatus,
    )
    return {enum.__name__: {member.name: member for member in enum} for enum in enums}


def enums(request: HttpRequest) -> dict[str, dict[str, Enum]]:
    return template_enums()


def roles(request: HttpRequest) -> dict[str, bool]:
    """What the signed-in user may reach, decided by the one permissions module, so that a template
    never tests ``is_superuser`` or a role itself."""
    from awards.permissions.rules import is_official_or_admin, is_reviewer

    user = getattr(request, "user", None)
    return {
        "may_use_console": is_official_or_admin(user),
        "may_review": is_reviewer(user),
    }
