"""One-line calls for the services: who hears of an event about an application, an authority's
work or a person, with the facts every message of that kind names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from awards.models import Application, User
from awards.services.notifications.outbox import (
    absolute,
    authority_officials,
    notify,
    organization_users,
)


def path_or_portal(name: str, **kwargs) -> str:
    """The full address of a named page, or the portal's dashboard where that page is absent."""
    try:
        return absolute(reverse(name, kwargs=kwargs))
    except NoReverseMatch:
        return absolute("/portal/")


def application_number(application: Application) -> str:
    """The reference an applicant quotes: programme, edition and the application's number."""
    cycle = application.cycle
    return f"{cycle.programme.slug.upper()}-{cycle.edition}-{application.pk:05d}"


def local_text(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def application_context(application: Application) -> dict[str, str]:
    """What every message about one application may name: the organization (who filed it),
    the application (``display_name``: the organization, or "candidate（employer）") and the
    candidate ("" for an organization's application). Never the identity number."""
    return {
        "organization": application.organization.name,
        "application": application.display_name,
        "candidate": application.candidate_name,
    }


def to_applicant(
    event: str, *, application: Application, key: Any, link: str = "", **context: Any
) -> None:
    """Tell the applying organization's users about their application."""
    notify(
        event=event,
        key=f"{application.pk}:{key}",
        recipients=organization_users(application.organization_id),
        authority_id=application.cycle.programme.authority_id,
        link=link or path_or_portal("awards:application_detail", pk=application.pk),
        context={
            **application_context(application),
            "cycle": str(application.cycle),
            "number": application_number(application),
            **context,
        },
    )


def to_officials(event: str, *, authority_id: int, key: Any, link: str, **context: Any) -> None:
    notify(
        event=event,
        key=key,
        recipients=authority_officials(authority_id),
        authority_id=authority_id,
        link=link,
        context=context,
    )


def to_people(
    event: str,
    *,
    people: Iterable[User | str],
    key: Any,
    authority_id: int | None = None,
    link: str = "",
    **context: Any,
) -> None:
    notify(
        event=event,
        key=key,
        recipients=people,
        authority_id=authority_id,
        link=link,
        context=context,
    )
