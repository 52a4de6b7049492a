"""The catalogue of events: what can be told, to whom, and in which default words.

An ``Event`` is declared once (``events`` declares the portal's; another module may ``register``
more, e.g. recommendation decisions). Its subject and body are Django templates: the values
(names, reasons an official typed …) arrive only as context variables, never as template code,
and ``sample`` is the context an official's edited template is checked against.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from awards.services.notifications.event import Event

_EVENTS: dict[str, Event] = {}


def register(event: Event) -> Event:
    """Add an event to the catalogue (another feature's, e.g. recommendation decisions)."""
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


_loaded = False


def _load() -> None:
    """Register the portal's own events once, on first use."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    from awards.services.notifications.events import EVENTS
    from awards.services.notifications.events_results import RESULT_EVENTS

    for event in (*EVENTS, *RESULT_EVENTS):
        if event.code not in _EVENTS:
            register(event)
