"""The catalogue of events: what can be told, to whom, and in which default words.

An ``Event`` is declared once (``events`` declares the portal's; another module may ``register``
more, e.g. recommendation decisions). Its subject and body are Django templates: the values
(names, reasons an official typed …) arrive only as context variables, never as template code,
and ``sample`` is the context an official's edited template is checked against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Event:
    code: str
    #: Chinese source string through gettext_lazy, so the English text comes from the catalogue.
    description: Promise
    audience: Promise
    subject: Promise
    body: Promise
    sample: dict[str, Any] = field(default_factory=dict)
    #: Also sent as a text message (the subject) to recipients with a phone number.
    sms: bool = False
    #: Also shown in the recipient's notice list on the portal.
    portal: bool = True
    #: The body holds a sign-in secret (a password link): never shown in the console.
    secret: bool = False


_EVENTS: dict[str, Event] = {}


def register(event: Event) -> Event:
    if event.code in _EVENTS:
        raise ValueError(f"notification event {event.code!r} is declared twice")
    _EVENTS[event.code] = event
    return event


def get_event(code: str) -> Event:
    _load()
    try:
        return _EVENTS[code]
    except KeyError:
        raise LookupError(f"unknown notification event {code!r}") from None


def all_events() -> list[Event]:
    _load()
    return list(_EVENTS.values())


def event_label(code: str) -> str:
    _load()
    event = _EVENTS.get(code)
    return str(event.description) if event else _("未知事件")


def _load() -> None:
    from awards.services.notifications import events  # noqa: F401  (registers on import)
