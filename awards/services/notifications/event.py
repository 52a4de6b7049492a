"""One kind of message the portal sends (declared in ``events``, looked up in ``catalogue``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


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
